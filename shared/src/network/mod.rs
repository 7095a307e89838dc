//! The stakeholder network: actors (organisations), the typed relations between them, and the
//! views built on the graph. Validation and the pure parts live here; the server stores them.

pub mod matching;
pub mod people;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{text, AppError};

/// The actor kinds seeded by default, in the API's spelling, with the words people read. Kinds
/// are data (an admin may add more); this list seeds them and labels them before they load.
pub const ACTOR_KINDS: [(&str, &str); 15] = [
    ("cooperative", "Cooperative"),
    ("producer_association", "Producer association"),
    ("public_agent", "Public agent"),
    ("financial_institution", "Financial institution"),
    ("certification_body", "Certification body"),
    ("participatory_guarantee_body", "Participatory guarantee body (OPAC/SPG)"),
    ("social_control_organisation", "Social control organisation (OCS)"),
    ("retailer", "Retailer"),
    ("food_industry", "Food industry"),
    ("municipality", "Municipality"),
    ("consumer_group", "Consumer group"),
    ("research", "Research / university"),
    ("technical_assistance", "Technical assistance & rural extension (ATER)"),
    ("ngo", "NGO"),
    ("funder", "Funder"),
];

/// The organic status of an actor's production.
pub const ORGANIC_STATUSES: [(&str, &str); 5] = [
    ("conventional", "Conventional"),
    ("in_conversion", "In conversion"),
    ("certified_audit", "Certified by audit"),
    ("participatory_guarantee", "Participatory guarantee"),
    ("social_control", "OCS / direct sale"),
];

/// The relation kinds seeded by default (`alliance` is the edge kind of productive alliances).
pub const RELATION_KINDS: [(&str, &str); 9] = [
    ("supplies", "supplies"),
    ("buys_from", "buys from"),
    ("finances", "finances"),
    ("certifies", "certifies"),
    ("provides_technical_assistance", "provides technical assistance to"),
    ("member_of", "member of"),
    ("partners_with", "partners with"),
    ("regulates", "regulates"),
    ("alliance", "productive alliance with"),
];

pub fn kind_label(kind: &str) -> &str {
    ACTOR_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or(kind)
}

pub fn organic_status_label(status: &str) -> &str {
    ORGANIC_STATUSES.iter().find(|(k, _)| *k == status).map(|(_, l)| *l).unwrap_or(status)
}

pub fn relation_kind_label(kind: &str) -> &str {
    RELATION_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or(kind)
}

/// A kind of actor, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorKind {
    pub id: String,
    pub label: String,
    /// Producer organisations (cooperatives, producer associations) for gaps and matching.
    pub producer: bool,
    /// Buyers (retailers, food industries, municipalities, consumer groups).
    pub buyer: bool,
}

/// A kind of actor or of relation to add (admins): `"of"` is `actor` or `relation`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewKind {
    pub of: String,
    /// The spelling in the API: lower-case letters, digits and `_`.
    pub id: String,
    pub label: String,
    /// Actor kinds: producer organisations (gap reports, matching).
    #[serde(default)]
    pub producer: bool,
    /// Actor kinds: buyers.
    #[serde(default)]
    pub buyer: bool,
}

impl NewKind {
    pub fn validate(&self) -> Result<NewKind, AppError> {
        let of = self.of.trim().to_string();
        if of != "actor" && of != "relation" {
            return Err(AppError::validation("of", "Say whether it is a kind of `actor` or of `relation`."));
        }
        let id = self.id.trim().to_string();
        if id.is_empty() || id.len() > 40 || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(AppError::validation("id", "The id is 1–40 lower-case letters, digits or `_` (e.g. seed_bank)."));
        }
        if of == "relation" && id == "alliance" {
            return Err(AppError::validation("id", "`alliance` is the kind of productive alliances."));
        }
        let label = text::required_line("label", "Label", &self.label, 80)?;
        let relation = of == "relation";
        Ok(NewKind { of, id, label, producer: self.producer && !relation, buyer: self.buyer && !relation })
    }
}

/// A kind of relation, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelationKind {
    pub id: String,
    pub label: String,
}

/// A reference to an actor, as listed on a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRef {
    pub id: String,
    pub name: String,
}

/// An actor as shown in lists and read by the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorView {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub organic_status: Option<String>,
    #[serde(default)]
    pub members: Option<u32>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `network` (members only) or `public`.
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub updated_at: String,
}

/// What a person or a script gives to create an actor, and what a change leads to. Only
/// `name` and `kind` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewActor {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// ISO 3166 two-letter code; BR when not given.
    #[serde(default)]
    pub country: Option<String>,
    /// A two-letter state code (RS, SC, PR…).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub organic_status: Option<String>,
    #[serde(default)]
    pub members: Option<u32>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `network` (the default) or `public`.
    #[serde(default)]
    pub visibility: Option<String>,
}

pub const MAX_PRODUCTS: usize = 40;
pub const MAX_TAGS: usize = 20;
pub const MAX_DESCRIPTION: usize = 10_000;

fn optional_line(field: &str, label: &str, value: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text::required_line(field, label, v, max).map(Some),
    }
}

/// A list of short words or phrases: each trimmed, empty ones dropped, repeats (ignoring case
/// and accents) dropped, each at most 60 characters, at most `max` of them.
fn word_list(field: &str, label: &str, items: &[String], max: usize, lower: bool) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let v = item.trim();
        if v.is_empty() {
            continue;
        }
        let v = text::required_line(field, label, v, 60)?;
        let v = if lower { v.to_lowercase() } else { v };
        if seen.insert(text::fold(&v)) {
            out.push(v);
        }
    }
    if out.len() > max {
        return Err(AppError::validation(field, format!("{label}: at most {max}, not {}.", out.len())));
    }
    Ok(out)
}

/// Splits a cell of a spreadsheet listing several items, separated by `|`, `;` or `,`.
pub fn split_list(cell: &str) -> Vec<String> {
    let sep = ['|', ';', ','].into_iter().find(|c| cell.contains(*c));
    match sep {
        Some(c) => cell.split(c).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None => [cell.trim()].into_iter().filter(|s| !s.is_empty()).map(String::from).collect(),
    }
}

/// A state code as given (`rs`, ` RS `): two ASCII letters, upper-cased.
pub fn state_code(field: &str, value: Option<&str>) -> Result<Option<String>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => Ok(Some(s.to_ascii_uppercase())),
        Some(s) => Err(AppError::validation(field, format!("“{s}” is not a two-letter state code (e.g. RS)."))),
    }
}

impl NewActor {
    /// Checks every field and returns it cleaned: name required (≤ 200 characters), kind one of
    /// `kinds`, state a two-letter code, organic status one of the five, website a web address…
    pub fn validate(&self, kinds: &[ActorKind]) -> Result<NewActor, AppError> {
        let name = text::required_line("name", "Name", &self.name, 200)?;
        let kind = self.kind.trim().to_string();
        if !kinds.iter().any(|k| k.id == kind) {
            let known = kinds.iter().map(|k| k.id.as_str()).collect::<Vec<_>>().join(", ");
            let message = if kind.is_empty() {
                format!("Kind is required. Use one of: {known}.")
            } else {
                format!("“{kind}” is not a kind of actor. Use one of: {known}.")
            };
            return Err(AppError::validation("kind", message));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(AppError::validation("description", format!("Description must be at most {MAX_DESCRIPTION} characters.")));
        }
        let country = match self.country.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) if c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
            Some(c) => return Err(AppError::validation("country", format!("“{c}” is not a two-letter country code (e.g. BR)."))),
        };
        let state = state_code("state", self.state.as_deref())?;
        let municipality = optional_line("municipality", "Municipality", self.municipality.as_deref(), 120)?;
        let products = word_list("products", "Products", &self.products, MAX_PRODUCTS, true)?;
        let organic_status = match self.organic_status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if ORGANIC_STATUSES.iter().any(|(k, _)| *k == s) => Some(s.to_string()),
            Some(s) => {
                let known = ORGANIC_STATUSES.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
                return Err(AppError::validation("organic_status", format!("“{s}” is not an organic status. Use one of: {known}.")));
            }
        };
        if self.members.is_some_and(|m| m > 10_000_000) {
            return Err(AppError::validation("members", "Number of members looks wrong (more than 10 million)."));
        }
        let website = optional_line("website", "Website", self.website.as_deref(), 300)?;
        if let Some(w) = &website {
            let lower = w.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) || w.contains(char::is_whitespace) || w.len() < 11 {
                return Err(AppError::validation("website", format!("“{w}” is not a web address (start it with https://).")));
            }
        }
        let email = optional_line("email", "Email", self.email.as_deref(), 200)?;
        if let Some(e) = &email {
            let ok = e.split_once('@').is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
                && !e.contains(char::is_whitespace);
            if !ok {
                return Err(AppError::validation("email", format!("“{e}” is not an email address.")));
            }
        }
        let phone = optional_line("phone", "Phone", self.phone.as_deref(), 40)?;
        let tags = word_list("tags", "Tags", &self.tags, MAX_TAGS, true)?;
        let visibility = match self.visibility.as_deref().map(str::trim) {
            None | Some("") | Some("network") => None,
            Some("public") => Some("public".to_string()),
            Some(v) => return Err(AppError::validation("visibility", format!("“{v}” is not a visibility: use network or public."))),
        };
        Ok(NewActor {
            name,
            kind,
            description,
            country,
            state,
            municipality,
            products,
            organic_status,
            members: self.members,
            website,
            email,
            phone,
            tags,
            visibility,
        })
    }

    /// The text the full-text index searches: name, municipality, products and description.
    pub fn search_text(&self) -> String {
        let mut parts = vec![self.name.clone()];
        parts.extend(self.municipality.clone());
        parts.extend(self.products.iter().cloned());
        parts.extend(self.tags.iter().cloned());
        parts.push(self.description.clone());
        parts.join(" ")
    }

    /// The profile as stored, the starting point of a change.
    pub fn from_view(a: &ActorView) -> NewActor {
        NewActor {
            name: a.name.clone(),
            kind: a.kind.clone(),
            description: a.description.clone(),
            country: Some(a.country.clone()).filter(|c| !c.is_empty()),
            state: a.state.clone(),
            municipality: a.municipality.clone(),
            products: a.products.clone(),
            organic_status: a.organic_status.clone(),
            members: a.members,
            website: a.website.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            tags: a.tags.clone(),
            visibility: Some(a.visibility.clone()).filter(|v| v == "public"),
        }
    }

    /// This profile with the fields of a JSON merge patch applied (see `merge_patch`).
    pub fn patched(&self, patch: &Value) -> Result<NewActor, AppError> {
        merge_patch(self, patch, "an actor", |key| match key {
            "name" | "kind" | "description" => Some(Value::String(String::new())),
            "products" | "tags" => Some(Value::Array(vec![])),
            _ => None,
        })
    }
}

/// `current` with a JSON merge patch (RFC 7396) applied: each key given replaces that field;
/// `null` clears it (to `cleared(key)` when the field has an empty value rather than none).
/// A field `current` does not have is refused, naming it as not a field of `what`; a value of
/// the wrong type is refused, naming its field.
pub fn merge_patch<T>(current: &T, patch: &Value, what: &str, cleared: impl Fn(&str) -> Option<Value>) -> Result<T, AppError>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let Value::Object(changes) = patch else {
        return Err(AppError::validation("body", "Send the fields to change as a JSON object."));
    };
    let original = serde_json::to_value(current).map_err(|_| AppError::Internal)?;
    let Value::Object(mut merged) = original.clone() else {
        return Err(AppError::Internal);
    };
    for (key, value) in changes {
        if !merged.contains_key(key) {
            return Err(AppError::validation(key.clone(), format!("“{key}” is not a field of {what}.")));
        }
        let value = if value.is_null() { cleared(key).unwrap_or(Value::Null) } else { value.clone() };
        merged.insert(key.clone(), value);
    }
    serde_json::from_value(Value::Object(merged.clone())).map_err(|e| {
        // Name the field at fault: the first whose value alone does not fit.
        let field = changes
            .keys()
            .find(|k| {
                let mut one = original.clone();
                one[k.as_str()] = merged[k.as_str()].clone();
                serde_json::from_value::<T>(one).is_err()
            })
            .cloned()
            .unwrap_or_else(|| "body".into());
        AppError::validation(field.clone(), format!("“{field}” has the wrong type: {e}."))
    })
}

/// One field of a change, for the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub after: Value,
}

/// The fields that differ between two versions of a profile, in the order of the fields.
pub fn changes(before: &NewActor, after: &NewActor) -> Vec<FieldChange> {
    let (Ok(Value::Object(b)), Ok(Value::Object(a))) = (serde_json::to_value(before), serde_json::to_value(after)) else {
        return vec![];
    };
    let mut out: Vec<FieldChange> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| FieldChange { field: k.clone(), before: b.get(k).cloned().unwrap_or(Value::Null), after: v.clone() })
        .collect();
    out.sort_by_key(|c| ACTOR_FIELDS.iter().position(|f| *f == c.field).unwrap_or(usize::MAX));
    out
}

/// An actor's fields, in the order histories list changes and exports write columns.
pub const ACTOR_FIELDS: [&str; 14] = [
    "name",
    "kind",
    "description",
    "country",
    "state",
    "municipality",
    "products",
    "organic_status",
    "members",
    "website",
    "email",
    "phone",
    "tags",
    "visibility",
];

/// An entry of an actor's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorChange {
    /// `created`, `updated`, `relation_added`, `relation_removed` or `imported`.
    pub action: String,
    pub author: Option<String>,
    pub at: String,
    pub changes: Vec<FieldChange>,
}

/// A relation as shown and read by the API: `from` → `to`, with both names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelationView {
    pub id: String,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub kind: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub note: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRelation {
    /// The actor the relation goes from (its id).
    pub from: String,
    pub to: String,
    pub kind: String,
    /// A date: `2021`, `2021-03` or `2021-03-15`.
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub note: String,
    /// Where it is known from (a document, a link).
    #[serde(default)]
    pub evidence: String,
}

/// A partial date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked for a real month and day.
pub fn partial_date(field: &str, label: &str, value: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let bad = || AppError::validation(field, format!("{label} “{v}” is not a date: write 2021, 2021-03 or 2021-03-15."));
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| if s.len() == len && s.chars().all(|c| c.is_ascii_digit()) { s.parse::<u32>().ok() } else { None };
    let year = parts.first().and_then(|y| num(y, 4)).filter(|y| (1800..=2200).contains(y)).ok_or_else(bad)?;
    if parts.len() > 3 {
        return Err(bad());
    }
    if let Some(m) = parts.get(1) {
        let month = num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
        if let Some(d) = parts.get(2) {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            num(d, 2).filter(|d| (1..=days).contains(d)).ok_or_else(bad)?;
        }
    }
    Ok(Some(v.to_string()))
}

impl NewRelation {
    /// Both ends given and different, the kind one of `kinds` (`alliance` is recorded as an
    /// alliance, not as a plain relation), dates well formed and in order.
    pub fn validate(&self, kinds: &[RelationKind]) -> Result<NewRelation, AppError> {
        let from = self.from.trim().to_string();
        let to = self.to.trim().to_string();
        if from.is_empty() {
            return Err(AppError::validation("from", "Say which actor the relation goes from."));
        }
        if to.is_empty() {
            return Err(AppError::validation("to", "Say which actor the relation goes to."));
        }
        if from == to {
            return Err(AppError::validation("to", "A relation links two different actors."));
        }
        let kind = self.kind.trim().to_string();
        if !kinds.iter().any(|k| k.id == kind) {
            let known = kinds.iter().map(|k| k.id.as_str()).collect::<Vec<_>>().join(", ");
            let message = if kind.is_empty() {
                format!("Kind is required. Use one of: {known}.")
            } else {
                format!("“{kind}” is not a kind of relation. Use one of: {known}.")
            };
            return Err(AppError::validation("kind", message));
        }
        let since = partial_date("since", "Since", self.since.as_deref())?;
        let until = partial_date("until", "Until", self.until.as_deref())?;
        if let (Some(s), Some(u)) = (&since, &until) {
            // Partial dates compare as text; "2021" ≤ "2021-05" holds as it should.
            if u < s && !s.starts_with(u.as_str()) {
                return Err(AppError::validation("until", format!("“Until” ({u}) is before “since” ({s}).")));
            }
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > 2000 {
            return Err(AppError::validation("note", "The note must be at most 2,000 characters."));
        }
        let evidence = self.evidence.trim().to_string();
        if evidence.chars().count() > 2000 {
            return Err(AppError::validation("evidence", "The evidence must be at most 2,000 characters."));
        }
        Ok(NewRelation { from, to, kind, since, until, note, evidence })
    }
}

/// An actor's profile: the actor, its relations both ways, its people, and whether the caller
/// may edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorDetail {
    #[serde(flatten)]
    pub actor: ActorView,
    pub relations: Vec<RelationView>,
    pub people: Vec<PersonLink>,
    pub can_edit: bool,
}

/// A person representing an actor, as listed on its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonLink {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// Sorting of the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorSort {
    /// By name (the default without a search).
    #[default]
    Name,
    /// The best matches of the search first (the default with one).
    Relevance,
    /// The most recently changed first.
    Updated,
}

impl std::str::FromStr for ActorSort {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, AppError> {
        match s.trim() {
            "" | "name" => Ok(ActorSort::Name),
            "relevance" => Ok(ActorSort::Relevance),
            "updated" => Ok(ActorSort::Updated),
            other => Err(AppError::validation("sort", format!("“{other}” is not a sort order: use name, relevance or updated."))),
        }
    }
}

/// A search of the directory: words (full text, accents and case ignored), filters, a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub organic_status: Option<String>,
    pub tag: Option<String>,
    pub sort: Option<ActorSort>,
    pub page: crate::PageRequest,
}

/// A node of a graph answer: an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphNode {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
}

/// An edge of a graph answer: a relation (or an alliance), `from` → `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: String,
}

/// A part of the network: actors and the relations between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// Which part of the network to show: actors of these kinds and states (empty: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphFilter {
    pub kinds: Vec<String>,
    pub states: Vec<String>,
}

/// An actor's place in the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorMetricsView {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// How many relations it takes part in, either way.
    pub degree: usize,
    /// Betweenness centrality: how many shortest chains between other actors pass through it.
    pub betweenness: f64,
    /// Its connected component, 0 the largest.
    pub component: usize,
}

/// A whole-network summary with every actor's metrics, the brokers first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkMetrics {
    pub actors: Vec<ActorMetricsView>,
    pub components: usize,
    /// True when betweenness was estimated from a sample of actors (large networks).
    pub sampled: bool,
}

/// The names of the gap reports, in the order shown, with what each lists.
pub const GAP_REPORTS: [(&str, &str); 5] = [
    ("in_conversion_without_certification", "Cooperatives in conversion with no certification body or OPAC"),
    ("producers_without_technical_assistance", "Producer organisations with no technical assistance"),
    ("producers_without_buyer", "Producer organisations with no buyer"),
    ("buyers_without_producer", "Buyers with no producer supplier"),
    ("isolated", "Actors with no relation at all"),
];

/// An actor listed by a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapReport {
    pub name: String,
    pub title: String,
    pub actors: Vec<ActorSummary>,
}

/// The states of a buyer meeting.
pub const MEETING_STATUSES: [(&str, &str); 3] = [("proposed", "Proposed"), ("held", "Held"), ("cancelled", "Cancelled")];

/// A meeting between a producer organisation and a potential buyer, to record or change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// The producer organisation (its id).
    pub producer: String,
    /// The buyer (its id).
    pub buyer: String,
    /// `2026-03-15` (or `2026-03`).
    #[serde(default)]
    pub date: Option<String>,
    /// `proposed` (the default), `held` or `cancelled`.
    #[serde(default)]
    pub status: Option<String>,
    /// Who attended, by name.
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub next_steps: String,
    /// Why the meeting was suggested (buyer matching's reasons).
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl NewMeeting {
    pub fn validate(&self) -> Result<NewMeeting, AppError> {
        let producer = self.producer.trim().to_string();
        let buyer = self.buyer.trim().to_string();
        if producer.is_empty() {
            return Err(AppError::validation("producer", "Say which producer organisation meets."));
        }
        if buyer.is_empty() {
            return Err(AppError::validation("buyer", "Say which buyer meets."));
        }
        if producer == buyer {
            return Err(AppError::validation("buyer", "A meeting is between two different organisations."));
        }
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => "proposed".to_string(),
            Some(s) if MEETING_STATUSES.iter().any(|(k, _)| *k == s) => s.to_string(),
            Some(s) => {
                return Err(AppError::validation("status", format!("“{s}” is not a meeting status: use proposed, held or cancelled.")))
            }
        };
        let date = partial_date("date", "Date", self.date.as_deref())?;
        let attendees = word_list("attendees", "Attendees", &self.attendees, 50, false)?;
        let long = |field: &str, label: &str, v: &str| -> Result<String, AppError> {
            let v = v.trim().to_string();
            if v.chars().count() > 5000 {
                return Err(AppError::validation(field, format!("{label} must be at most 5,000 characters.")));
            }
            Ok(v)
        };
        let outcome = long("outcome", "The outcome", &self.outcome)?;
        let next_steps = long("next_steps", "The next steps", &self.next_steps)?;
        let reasons =
            self.reasons.iter().map(|r| r.trim().chars().take(200).collect::<String>()).filter(|r| !r.is_empty()).take(10).collect();
        Ok(NewMeeting { producer, buyer, date, status: Some(status), attendees, outcome, next_steps, reasons })
    }

    /// This meeting with the fields of a JSON merge patch applied (the two organisations and the
    /// reasons it was suggested stay).
    pub fn patched(&self, patch: &Value) -> Result<NewMeeting, AppError> {
        if let Some(key) = ["producer", "buyer", "reasons"].into_iter().find(|k| patch.get(k).is_some()) {
            return Err(AppError::validation(key, "Only the date, status, attendees, outcome and next steps of a meeting change."));
        }
        merge_patch(self, patch, "a meeting", |key| match key {
            "attendees" => Some(Value::Array(Vec::new())),
            "outcome" | "next_steps" => Some(Value::String(String::new())),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub id: String,
    pub producer: ActorRef,
    pub buyer: ActorRef,
    pub date: Option<String>,
    pub status: String,
    pub attendees: Vec<String>,
    pub outcome: String,
    pub next_steps: String,
    pub reasons: Vec<String>,
    pub created_by: Option<String>,
    pub created_at: String,
}

impl MeetingView {
    pub fn input(&self) -> NewMeeting {
        NewMeeting {
            producer: self.producer.id.clone(),
            buyer: self.buyer.id.clone(),
            date: self.date.clone(),
            status: Some(self.status.clone()),
            attendees: self.attendees.clone(),
            outcome: self.outcome.clone(),
            next_steps: self.next_steps.clone(),
            reasons: self.reasons.clone(),
        }
    }
}

/// The stages of a productive alliance, in order.
pub const ALLIANCE_STATUSES: [(&str, &str); 6] = [
    ("prospect", "Prospect"),
    ("meeting_held", "Meeting held"),
    ("negotiating", "Negotiating"),
    ("agreement_signed", "Agreement signed"),
    ("active", "Active"),
    ("ended", "Ended"),
];

pub fn alliance_status_label(status: &str) -> &str {
    ALLIANCE_STATUSES.iter().find(|(k, _)| *k == status).map(|(_, l)| *l).unwrap_or(status)
}

/// May an alliance move from one stage to another? Forward (or staying), or to `ended` from any.
pub fn alliance_moves(from: &str, to: &str) -> bool {
    let pos = |s: &str| ALLIANCE_STATUSES.iter().position(|(k, _)| *k == s);
    match (pos(from), pos(to)) {
        (Some(a), Some(b)) => b >= a || to == "ended",
        _ => false,
    }
}

/// A productive alliance between a producer organisation and a buyer: its agreement, stage and
/// business plan. The agreement's parts are free text, as such agreements are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAlliance {
    pub producer: String,
    pub buyer: String,
    /// `prospect` (the default) … `ended`.
    #[serde(default)]
    pub status: Option<String>,
    /// Products and their characteristics.
    #[serde(default)]
    pub products: String,
    /// Quantity per period.
    #[serde(default)]
    pub quantity: String,
    /// Delivery and grading.
    #[serde(default)]
    pub delivery: String,
    /// Payment terms and price criteria.
    #[serde(default)]
    pub payment: String,
    /// The buyer's contribution: technical assistance, inputs, pre-finance.
    #[serde(default)]
    pub buyer_contribution: String,
    /// Markdown.
    #[serde(default)]
    pub business_plan: String,
}

impl NewAlliance {
    pub fn validate(&self) -> Result<NewAlliance, AppError> {
        let producer = self.producer.trim().to_string();
        let buyer = self.buyer.trim().to_string();
        if producer.is_empty() {
            return Err(AppError::validation("producer", "Say which producer organisation is in the alliance."));
        }
        if buyer.is_empty() {
            return Err(AppError::validation("buyer", "Say which buyer is in the alliance."));
        }
        if producer == buyer {
            return Err(AppError::validation("buyer", "An alliance is between two different organisations."));
        }
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => "prospect".to_string(),
            Some(s) if ALLIANCE_STATUSES.iter().any(|(k, _)| *k == s) => s.to_string(),
            Some(s) => {
                let known = ALLIANCE_STATUSES.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
                return Err(AppError::validation("status", format!("“{s}” is not a stage of an alliance. Use one of: {known}.")));
            }
        };
        let text = |field: &str, label: &str, v: &str, max: usize| -> Result<String, AppError> {
            let v = v.trim().to_string();
            if v.chars().count() > max {
                return Err(AppError::validation(field, format!("{label} must be at most {max} characters.")));
            }
            Ok(v)
        };
        Ok(NewAlliance {
            producer,
            buyer,
            status: Some(status),
            products: text("products", "Products", &self.products, 2000)?,
            quantity: text("quantity", "Quantity", &self.quantity, 2000)?,
            delivery: text("delivery", "Delivery", &self.delivery, 2000)?,
            payment: text("payment", "Payment", &self.payment, 2000)?,
            buyer_contribution: text("buyer_contribution", "The buyer's contribution", &self.buyer_contribution, 2000)?,
            business_plan: text("business_plan", "The business plan", &self.business_plan, 50_000)?,
        })
    }

    /// This alliance with the fields of a JSON merge patch applied (the two organisations stay).
    pub fn patched(&self, patch: &Value) -> Result<NewAlliance, AppError> {
        if let Some(key) = ["producer", "buyer"].into_iter().find(|k| patch.get(k).is_some()) {
            return Err(AppError::validation(key, "The organisations of an alliance do not change: record a new one."));
        }
        merge_patch(self, patch, "an alliance", |key| (key != "status").then(|| Value::String(String::new())))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllianceView {
    pub id: String,
    pub producer: ActorRef,
    pub buyer: ActorRef,
    pub status: String,
    pub products: String,
    pub quantity: String,
    pub delivery: String,
    pub payment: String,
    pub buyer_contribution: String,
    pub business_plan: String,
    pub created_at: String,
    pub updated_at: String,
}

impl AllianceView {
    pub fn input(&self) -> NewAlliance {
        NewAlliance {
            producer: self.producer.id.clone(),
            buyer: self.buyer.id.clone(),
            status: Some(self.status.clone()),
            products: self.products.clone(),
            quantity: self.quantity.clone(),
            delivery: self.delivery.clone(),
            payment: self.payment.clone(),
            buyer_contribution: self.buyer_contribution.clone(),
            business_plan: self.business_plan.clone(),
        }
    }
}

/// A problem with one line of an imported file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// What an import did, or would do in a dry run: the rows written (or that would be), and
/// every row left out with its line and reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub imported: usize,
    pub errors: Vec<LineProblem>,
}

/// The whole network, or part of it, for an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkExport {
    pub actors: Vec<ActorView>,
    pub relations: Vec<RelationView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds() -> Vec<ActorKind> {
        ACTOR_KINDS.iter().map(|(k, l)| ActorKind { id: k.to_string(), label: l.to_string(), producer: false, buyer: false }).collect()
    }

    fn relation_kinds() -> Vec<RelationKind> {
        RELATION_KINDS[..8].iter().map(|(k, l)| RelationKind { id: k.to_string(), label: l.to_string() }).collect()
    }

    #[test]
    fn validates_actor() {
        let a = NewActor { name: " Coop ".into(), kind: "cooperative".into(), state: Some("rs".into()), ..Default::default() }
            .validate(&kinds())
            .unwrap();
        assert_eq!((a.name.as_str(), a.state.as_deref()), ("Coop", Some("RS")));
        let e = NewActor { name: "X".into(), kind: "bank".into(), ..Default::default() }.validate(&kinds()).unwrap_err();
        assert_eq!(e.field(), Some("kind"));
        let e = NewActor { name: "X".into(), kind: "ngo".into(), state: Some("Rio".into()), ..Default::default() }
            .validate(&kinds())
            .unwrap_err();
        assert_eq!(e.field(), Some("state"));
    }

    #[test]
    fn validates_every_profile_field() {
        let ok = NewActor { name: "Coop".into(), kind: "cooperative".into(), ..Default::default() };
        let bad = |f: fn(&mut NewActor)| {
            let mut a = ok.clone();
            f(&mut a);
            a.validate(&kinds()).unwrap_err().field().map(String::from)
        };
        assert_eq!(bad(|a| a.organic_status = Some("organic".into())).as_deref(), Some("organic_status"));
        assert_eq!(bad(|a| a.website = Some("www.coop.br".into())).as_deref(), Some("website"));
        assert_eq!(bad(|a| a.email = Some("coop@".into())).as_deref(), Some("email"));
        assert_eq!(bad(|a| a.country = Some("Brasil".into())).as_deref(), Some("country"));
        assert_eq!(bad(|a| a.visibility = Some("secret".into())).as_deref(), Some("visibility"));
        assert_eq!(bad(|a| a.members = Some(20_000_000)).as_deref(), Some("members"));
        assert_eq!(bad(|a| a.products = (0..41).map(|i| format!("p{i}")).collect()).as_deref(), Some("products"));
        assert_eq!(bad(|a| a.description = "x".repeat(MAX_DESCRIPTION + 1)).as_deref(), Some("description"));

        let mut a = ok.clone();
        a.products = vec![" Arroz ".into(), "arroz".into(), "".into(), "Feijão".into()];
        a.tags = vec!["Agroecologia".into()];
        a.website = Some("https://coop.example.br".into());
        a.organic_status = Some("in_conversion".into());
        a.visibility = Some("public".into());
        let v = a.validate(&kinds()).unwrap();
        assert_eq!(v.products, vec!["arroz", "feijão"]);
        assert_eq!(v.tags, vec!["agroecologia"]);
        assert_eq!(v.visibility.as_deref(), Some("public"));
    }

    #[test]
    fn patches_apply_given_fields_only() {
        let base = NewActor { name: "Coop".into(), kind: "cooperative".into(), state: Some("RS".into()), ..Default::default() };
        let p = base.patched(&serde_json::json!({"municipality": "Ipê", "state": null})).unwrap();
        assert_eq!((p.municipality.as_deref(), p.state.as_deref(), p.name.as_str()), (Some("Ipê"), None, "Coop"));
        assert_eq!(base.patched(&serde_json::json!({"colour": "red"})).unwrap_err().field(), Some("colour"));
        assert_eq!(base.patched(&serde_json::json!({"members": "many"})).unwrap_err().field(), Some("members"));
        assert!(base.patched(&serde_json::json!([1])).is_err());
        let cleared = base.patched(&serde_json::json!({"name": null})).unwrap();
        assert_eq!(cleared.validate(&kinds()).unwrap_err().field(), Some("name"));
    }

    #[test]
    fn changes_list_the_fields_that_differ() {
        let a = NewActor { name: "Coop".into(), kind: "cooperative".into(), ..Default::default() };
        let mut b = a.clone();
        b.products = vec!["mel".into()];
        b.name = "Coop Mel".into();
        let c = changes(&a, &b);
        assert_eq!(c.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), vec!["name", "products"]);
        assert_eq!(c[1].after, serde_json::json!(["mel"]));
        assert!(changes(&a, &a).is_empty());
    }

    #[test]
    fn relations_are_checked() {
        let ok = NewRelation { from: "a".into(), to: "b".into(), kind: "supplies".into(), ..Default::default() };
        assert!(ok.validate(&relation_kinds()).is_ok());
        let field = |r: NewRelation| r.validate(&relation_kinds()).unwrap_err().field().map(String::from);
        assert_eq!(field(NewRelation { to: "a".into(), ..ok.clone() }).as_deref(), Some("to"));
        assert_eq!(field(NewRelation { kind: "loves".into(), ..ok.clone() }).as_deref(), Some("kind"));
        assert_eq!(field(NewRelation { since: Some("2021-02-30".into()), ..ok.clone() }).as_deref(), Some("since"));
        assert_eq!(
            field(NewRelation { since: Some("2022".into()), until: Some("2021-12".into()), ..ok.clone() }).as_deref(),
            Some("until")
        );
        let r =
            NewRelation { since: Some("2021".into()), until: Some("2021-06".into()), ..ok.clone() }.validate(&relation_kinds()).unwrap();
        assert_eq!(r.until.as_deref(), Some("2021-06"));
        assert!(NewRelation { since: Some("2024-02-29".into()), ..ok }.validate(&relation_kinds()).is_ok());
    }

    #[test]
    fn alliances_move_forward_or_end() {
        assert!(alliance_moves("prospect", "negotiating"));
        assert!(alliance_moves("active", "active"));
        assert!(alliance_moves("negotiating", "ended"));
        assert!(!alliance_moves("active", "prospect"));
        assert!(!alliance_moves("active", "married"));
        let a = NewAlliance { producer: "p".into(), buyer: "b".into(), ..Default::default() }.validate().unwrap();
        assert_eq!(a.status.as_deref(), Some("prospect"));
        let p = a.patched(&serde_json::json!({"status": "negotiating", "quantity": "2 t/month"})).unwrap().validate().unwrap();
        assert_eq!((p.status.as_deref(), p.quantity.as_str()), (Some("negotiating"), "2 t/month"));
        assert_eq!(a.patched(&serde_json::json!({"buyer": "x"})).unwrap_err().field(), Some("buyer"));
        assert_eq!(a.patched(&serde_json::json!({"price": 3})).unwrap_err().field(), Some("price"));
        let e = NewAlliance { status: Some("married".into()), ..a.clone() }.validate().unwrap_err();
        assert_eq!(e.field(), Some("status"));
    }

    #[test]
    fn a_meeting_records_its_outcome_but_keeps_its_organisations() {
        let m = NewMeeting { producer: "p".into(), buyer: "b".into(), reasons: vec!["products".into()], ..Default::default() }
            .validate()
            .unwrap();
        let held = m
            .patched(&serde_json::json!({"status": "held", "date": "2026-03-15", "attendees": ["Ana", "Rui"], "outcome": "Samples sent"}))
            .unwrap()
            .validate()
            .unwrap();
        assert_eq!((held.status.as_deref(), held.date.as_deref()), (Some("held"), Some("2026-03-15")));
        assert_eq!((held.attendees.len(), held.outcome.as_str(), held.reasons.len()), (2, "Samples sent", 1));
        let cleared = held.patched(&serde_json::json!({"outcome": null, "attendees": null})).unwrap();
        assert_eq!((cleared.outcome.as_str(), cleared.attendees.len()), ("", 0));
        assert_eq!(m.patched(&serde_json::json!({"buyer": "x"})).unwrap_err().field(), Some("buyer"));
        assert_eq!(m.patched(&serde_json::json!({"reasons": []})).unwrap_err().field(), Some("reasons"));
        assert_eq!(m.patched(&serde_json::json!({"room": "3"})).unwrap_err().field(), Some("room"));
        let bad = m.patched(&serde_json::json!({"status": "postponed"})).unwrap().validate().unwrap_err();
        assert_eq!(bad.field(), Some("status"));
        let bad = m.patched(&serde_json::json!({"date": "next week"})).unwrap().validate().unwrap_err();
        assert_eq!(bad.field(), Some("date"));
    }

    #[test]
    fn lists_split_on_the_separator_used() {
        assert_eq!(split_list("arroz | feijão"), vec!["arroz", "feijão"]);
        assert_eq!(split_list("arroz; feijão; "), vec!["arroz", "feijão"]);
        assert_eq!(split_list("mel"), vec!["mel"]);
        assert!(split_list("  ").is_empty());
    }

    proptest! {
        #[test]
        fn partial_dates_never_panic_and_accept_what_they_return(s in "\\PC{0,12}") {
            if let Ok(Some(d)) = partial_date("since", "Since", Some(&s)) {
                prop_assert_eq!(partial_date("since", "Since", Some(&d)).unwrap(), Some(d.clone()));
            }
        }

        #[test]
        fn validation_is_idempotent(name in "\\PC{1,30}", products in proptest::collection::vec("\\PC{0,10}", 0..5)) {
            let a = NewActor { name, kind: "ngo".into(), products, ..Default::default() };
            if let Ok(v) = a.validate(&kinds()) {
                prop_assert_eq!(v.validate(&kinds()).unwrap(), v.clone());
            }
        }
    }
}

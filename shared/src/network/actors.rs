//! Actors (the organisations of the network): profiles and their validation, the history of
//! their changes, and the directory's search.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ActorKind, OrganicStatus, RelationView};
use crate::{
    accounts::{Caller, STEWARDS},
    merge_patch::merge_patch,
    text::{self, optional_line, word_list},
    vocabulary::closed_vocabulary,
    AppError,
};

closed_vocabulary! {
    /// Who sees an actor: the network's members (the default) or everyone, in the public directory.
    Visibility {
        Network = "network" / "Network members only",
        Public = "public" / "Public",
    }
}

// The macro takes no attributes on variants, so no `#[derive(Default)]` with `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Visibility {
    fn default() -> Self {
        Visibility::Network
    }
}

/// A number of members as people write it in a form or a spreadsheet: blank is none; dots and
/// spaces between thousands are allowed (`1.200`, `1 200`). Used by the profile form and the import.
pub fn parse_members(text: Option<&str>) -> Result<Option<u32>, AppError> {
    match text.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) => m
            .replace(['.', ' '], "")
            .parse::<u32>()
            .map(Some)
            .map_err(|_| AppError::validation("members", format!("“{m}” is not a whole number of members."))),
    }
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
    pub organic_status: Option<OrganicStatus>,
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
    pub visibility: Visibility,
    #[serde(default)]
    pub updated_at: String,
    /// How many times it was changed: its `ETag`, to name in `If-Match` (see `shared::revision`).
    #[serde(default)]
    pub revision: u64,
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
        let organic_status = OrganicStatus::parse_optional("organic_status", "an organic status", self.organic_status.as_deref())?
            .map(|s| s.as_str().to_string());
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
        let email = crate::accounts::optional_email(self.email.as_deref())?;
        let phone = optional_line("phone", "Phone", self.phone.as_deref(), 40)?;
        let tags = word_list("tags", "Tags", &self.tags, MAX_TAGS, true)?;
        // The default, `network`, is stored as none given.
        let visibility = Visibility::parse_optional("visibility", "a visibility", self.visibility.as_deref())?
            .filter(|v| *v != Visibility::Network)
            .map(|v| v.as_str().to_string());
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
            organic_status: a.organic_status.map(|s| s.as_str().to_string()),
            members: a.members,
            website: a.website.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            tags: a.tags.clone(),
            visibility: (a.visibility == Visibility::Public).then(|| Visibility::Public.as_str().to_string()),
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

/// One field of a change, for the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    /// Any JSON value (text, number, list, object or null).
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub before: Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
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

/// May this caller change the profile, relations and people of this actor? The stewards any;
/// a member the actors they belong to.
pub fn may_change_actor(caller: &Caller, actor_id: &str) -> bool {
    caller.has_any(STEWARDS) || caller.actor_ids.iter().any(|a| a == actor_id)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::ACTOR_KINDS;
    use proptest::prelude::*;

    #[test]
    fn members_are_read_as_people_write_them() {
        assert_eq!(parse_members(None), Ok(None));
        assert_eq!(parse_members(Some("  ")), Ok(None));
        assert_eq!(parse_members(Some("1.200")), Ok(Some(1200)));
        assert_eq!(parse_members(Some(" 1 200 ")), Ok(Some(1200)));
        let e = parse_members(Some("muitos")).unwrap_err();
        assert_eq!((e.field(), e.to_string().as_str()), (Some("members"), "“muitos” is not a whole number of members."));
        assert!(parse_members(Some("-3")).is_err() && parse_members(Some("99999999999")).is_err());
    }

    #[test]
    fn vocabularies_read_their_own_spellings_and_name_the_list_otherwise() {
        for s in OrganicStatus::ALL {
            assert_eq!(OrganicStatus::parse_optional("f", "x", Some(s.as_str())), Ok(Some(*s)));
            assert_eq!(OrganicStatus::label_of(s.as_str()), s.label());
        }
        assert_eq!(Visibility::parse_optional("visibility", "a visibility", Some(" ")), Ok(None));
        let e = Visibility::parse_optional("visibility", "a visibility", Some("secret")).unwrap_err();
        assert_eq!(e.to_string(), "“secret” is not a visibility. Use one of: network, public.");
        assert_eq!(OrganicStatus::label_of("unknown_status"), "unknown_status");
        // JSON spells each value as the database does (`18_29`, not serde's `from18_to29`).
        for a in crate::network::people::AgeBand::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), serde_json::json!(a.as_str()));
            assert_eq!(serde_json::from_value::<crate::network::people::AgeBand>(serde_json::json!(a.as_str())).unwrap(), *a);
        }
    }

    fn kinds() -> Vec<ActorKind> {
        ACTOR_KINDS.iter().map(|(k, l)| ActorKind { id: k.to_string(), label: l.to_string(), producer: false, buyer: false }).collect()
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
    fn lists_split_on_the_separator_used() {
        assert_eq!(split_list("arroz | feijão"), vec!["arroz", "feijão"]);
        assert_eq!(split_list("arroz; feijão; "), vec!["arroz", "feijão"]);
        assert_eq!(split_list("mel"), vec!["mel"]);
        assert!(split_list("  ").is_empty());
    }

    proptest! {
        #[test]
        fn validation_is_idempotent(name in "\\PC{1,30}", products in proptest::collection::vec("\\PC{0,10}", 0..5)) {
            let a = NewActor { name, kind: "ngo".into(), products, ..Default::default() };
            if let Ok(v) = a.validate(&kinds()) {
                prop_assert_eq!(v.validate(&kinds()).unwrap(), v.clone());
            }
        }
    }
}

//! Relations: typed, directed, dated edges between two actors.

use serde::{Deserialize, Serialize};

use super::RelationKind;
use crate::AppError;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::RELATION_KINDS;
    use proptest::prelude::*;

    fn relation_kinds() -> Vec<RelationKind> {
        RELATION_KINDS[..8].iter().map(|(k, l)| RelationKind { id: k.to_string(), label: l.to_string() }).collect()
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

    proptest! {
        #[test]
        fn partial_dates_never_panic_and_accept_what_they_return(s in "\\PC{0,12}") {
            if let Ok(Some(d)) = partial_date("since", "Since", Some(&s)) {
                prop_assert_eq!(partial_date("since", "Since", Some(&d)).unwrap(), Some(d.clone()));
            }
        }
    }
}

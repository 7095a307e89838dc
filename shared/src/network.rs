//! The network's actors (organisations). Minimal for now; the network issue grows it.

use serde::{Deserialize, Serialize};

use crate::{text, AppError};

/// The actor kinds seeded by default, in the API's spelling, with the words people read.
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

pub fn kind_label(kind: &str) -> &str {
    ACTOR_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or(kind)
}

/// A reference to an actor, as listed on a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorView {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActor {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
}

impl NewActor {
    /// Name required (≤ 200 characters); kind one of the seeded kinds; state a two-letter code.
    pub fn validate(&self) -> Result<NewActor, AppError> {
        let name = text::required_line("name", "Name", &self.name, 200)?;
        let kind = self.kind.trim().to_string();
        if !ACTOR_KINDS.iter().any(|(k, _)| *k == kind) {
            let known = ACTOR_KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
            return Err(AppError::validation("kind", format!("“{}” is not a kind of actor. Use one of: {known}.", self.kind.trim())));
        }
        let state = match self.state.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => Some(s.to_ascii_uppercase()),
            Some(s) => return Err(AppError::validation("state", format!("“{s}” is not a two-letter state code (e.g. RS)."))),
        };
        let municipality = match self.municipality.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => Some(text::required_line("municipality", "Municipality", m, 120)?),
        };
        Ok(NewActor { name, kind, state, municipality })
    }
}

/// A search of the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorQuery {
    pub q: Option<String>,
    pub page: crate::PageRequest,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_actor() {
        let a = NewActor { name: " Coop ".into(), kind: "cooperative".into(), state: Some("rs".into()), municipality: None }
            .validate()
            .unwrap();
        assert_eq!((a.name.as_str(), a.state.as_deref()), ("Coop", Some("RS")));
        let e = NewActor { name: "X".into(), kind: "bank".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.field(), Some("kind"));
        let e = NewActor { name: "X".into(), kind: "ngo".into(), state: Some("Rio".into()), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.field(), Some("state"));
    }

    #[test]
    fn every_product_kind_is_seeded() {
        for k in ["cooperative", "participatory_guarantee_body", "social_control_organisation", "technical_assistance", "funder"] {
            assert_ne!(kind_label(k), k);
        }
        assert_eq!(ACTOR_KINDS.len(), 15);
    }
}

//! Kinds of actors and of relations, and the organic statuses: seeded vocabularies that admins
//! extend (kinds are data), with the words people read.

use serde::{Deserialize, Serialize};

use crate::{text, vocabulary::closed_vocabulary, AppError};

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

closed_vocabulary! {
    /// The organic status of an actor's production.
    OrganicStatus {
        Conventional = "conventional" / "Conventional",
        InConversion = "in_conversion" / "In conversion",
        CertifiedAudit = "certified_audit" / "Certified by audit",
        ParticipatoryGuarantee = "participatory_guarantee" / "Participatory guarantee",
        SocialControl = "social_control" / "OCS / direct sale",
    }
}

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

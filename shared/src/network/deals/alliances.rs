//! Productive alliances: an agreement between a producer organisation and a buyer, with its
//! stages and business plan.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{merge_patch::merge_patch, network::ActorRef, vocabulary::closed_vocabulary, AppError};

closed_vocabulary! {
    /// The stages of a productive alliance, in order (the API calls it `status`).
    AllianceStage {
        Prospect = "prospect" / "Prospect",
        MeetingHeld = "meeting_held" / "Meeting held",
        Negotiating = "negotiating" / "Negotiating",
        AgreementSigned = "agreement_signed" / "Agreement signed",
        Active = "active" / "Active",
        Ended = "ended" / "Ended",
    }
}

/// May an alliance move from one stage to another? Forward (or staying), or to `ended` from any.
pub fn alliance_moves(from: &str, to: &str) -> bool {
    match (from.parse::<AllianceStage>(), to.parse::<AllianceStage>()) {
        (Ok(from), Ok(to)) => to >= from || to == AllianceStage::Ended,
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
        let status = AllianceStage::parse_optional("status", "a stage of an alliance", self.status.as_deref())?
            .unwrap_or(AllianceStage::Prospect)
            .as_str()
            .to_string();
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
    pub status: AllianceStage,
    pub products: String,
    pub quantity: String,
    pub delivery: String,
    pub payment: String,
    pub buyer_contribution: String,
    pub business_plan: String,
    pub created_at: String,
    pub updated_at: String,
    /// How many times it was changed: its `ETag`, to name in `If-Match` (see `shared::revision`).
    #[serde(default)]
    pub revision: u64,
}

impl AllianceView {
    pub fn input(&self) -> NewAlliance {
        NewAlliance {
            producer: self.producer.id.clone(),
            buyer: self.buyer.id.clone(),
            status: Some(self.status.as_str().to_string()),
            products: self.products.clone(),
            quantity: self.quantity.clone(),
            delivery: self.delivery.clone(),
            payment: self.payment.clone(),
            buyer_contribution: self.buyer_contribution.clone(),
            business_plan: self.business_plan.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

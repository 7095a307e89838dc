//! Buyer meetings: a producer organisation and a buyer brought together, and how it went.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    merge_patch::merge_patch,
    network::{partial_date, ActorRef},
    text::word_list,
    vocabulary::closed_vocabulary,
    AppError,
};

closed_vocabulary! {
    /// The states of a buyer meeting.
    MeetingStatus {
        Proposed = "proposed" / "Proposed",
        Held = "held" / "Held",
        Cancelled = "cancelled" / "Cancelled",
    }
}

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
        let status = MeetingStatus::parse_optional("status", "a meeting status", self.status.as_deref())?
            .unwrap_or(MeetingStatus::Proposed)
            .as_str()
            .to_string();
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
    pub status: MeetingStatus,
    pub attendees: Vec<String>,
    pub outcome: String,
    pub next_steps: String,
    pub reasons: Vec<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    /// How many times it was changed: its `ETag`, to name in `If-Match` (see `shared::revision`).
    #[serde(default)]
    pub revision: u64,
}

impl MeetingView {
    pub fn input(&self) -> NewMeeting {
        NewMeeting {
            producer: self.producer.id.clone(),
            buyer: self.buyer.id.clone(),
            date: self.date.clone(),
            status: Some(self.status.as_str().to_string()),
            attendees: self.attendees.clone(),
            outcome: self.outcome.clone(),
            next_steps: self.next_steps.clone(),
            reasons: self.reasons.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

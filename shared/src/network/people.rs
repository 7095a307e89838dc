//! People who represent or work for actors. Gender and age band, which organisers report on
//! (how many women, how many young people took part), are kept only with the person's recorded
//! consent, and shown only to organisers, the secretariat and admins.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    accounts::{optional_email, STEWARDS},
    text,
    vocabulary::closed_vocabulary,
    AppError, Caller,
};

closed_vocabulary! {
    /// A person's gender, as they state it (with consent).
    Gender {
        Woman = "woman" / "Woman",
        Man = "man" / "Man",
        NonBinary = "non_binary" / "Non-binary",
        Undisclosed = "undisclosed" / "Prefers not to say",
    }
}

closed_vocabulary! {
    /// A person's age band (with consent); 18–29 is what funders count as youth.
    AgeBand {
        Under18 = "under_18" / "Under 18",
        From18To29 = "18_29" / "18–29 (youth)",
        From30To59 = "30_59" / "30–59",
        SixtyPlus = "60_plus" / "60 and over",
    }
}

/// A person's place at an actor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Representation {
    /// The actor's id.
    pub actor_id: String,
    /// Their role there (president, technician…).
    #[serde(default)]
    pub role: String,
}

/// A person to record, or what a change leads to. Only `name` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub actors: Vec<Representation>,
    /// The person agreed that their gender and age band be recorded for participation reports.
    #[serde(default)]
    pub consent: bool,
    /// `woman`, `man`, `non_binary` or `undisclosed`; only with consent.
    #[serde(default)]
    pub gender: Option<String>,
    /// `under_18`, `18_29`, `30_59` or `60_plus`; only with consent.
    #[serde(default)]
    pub age_band: Option<String>,
    /// The user account that is this person, if any (its id).
    #[serde(default)]
    pub user_id: Option<String>,
}

impl NewPerson {
    /// Name required; email well formed; gender and age band from their lists and refused
    /// without consent; each actor once.
    pub fn validate(&self) -> Result<NewPerson, AppError> {
        let name = text::required_line("name", "Name", &self.name, 200)?;
        let email = optional_email(self.email.as_deref())?;
        let phone = match self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(text::required_line("phone", "Phone", p, 40)?),
        };
        let gender = Gender::parse_optional("gender", "a gender", self.gender.as_deref())?.map(|g| g.as_str().to_string());
        let age_band = AgeBand::parse_optional("age_band", "an age band", self.age_band.as_deref())?.map(|a| a.as_str().to_string());
        if !self.consent {
            for (field, value) in [("gender", &gender), ("age_band", &age_band)] {
                if value.is_some() {
                    return Err(AppError::validation(
                        field,
                        "Gender and age band are recorded only with the person's consent: tick the consent first.",
                    ));
                }
            }
        }
        let mut actors: Vec<Representation> = Vec::new();
        for r in &self.actors {
            let actor_id = r.actor_id.trim().to_string();
            if actor_id.is_empty() || actors.iter().any(|a| a.actor_id == actor_id) {
                continue;
            }
            let role = r.role.trim().to_string();
            if role.chars().count() > 120 {
                return Err(AppError::validation("actors", "A role must be at most 120 characters."));
            }
            actors.push(Representation { actor_id, role });
        }
        if actors.len() > 20 {
            return Err(AppError::validation("actors", "A person represents at most 20 organisations."));
        }
        let user_id = self.user_id.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(String::from);
        Ok(NewPerson { name, email, phone, actors, consent: self.consent, gender, age_band, user_id })
    }

    /// This person with a JSON merge patch applied; withdrawing consent clears gender and age band.
    pub fn patched(&self, patch: &Value) -> Result<NewPerson, AppError> {
        let mut next = crate::merge_patch::merge_patch(self, patch, "a person", |key| match key {
            "name" => Some(Value::String(String::new())),
            "actors" => Some(Value::Array(vec![])),
            "consent" => Some(Value::Bool(false)),
            _ => None,
        })?;
        if !next.consent && patch.get("consent").is_some() {
            next.gender = None;
            next.age_band = None;
        }
        Ok(next)
    }
}

/// An organisation a person represents, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonActor {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// A person as shown. Contact details, gender and age band only to organisers, the
/// secretariat and admins (and to the person's own user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub actors: Vec<PersonActor>,
    pub consent: bool,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
    pub user_id: Option<String>,
    /// The email of the user account `user_id` names (with the personal details).
    #[serde(default)]
    pub user_email: Option<String>,
    /// How many times it was changed: its `ETag`, to name in `If-Match` (see `shared::revision`).
    #[serde(default)]
    pub revision: u64,
}

impl PersonView {
    pub fn input(&self) -> NewPerson {
        NewPerson {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            actors: self.actors.iter().map(|a| Representation { actor_id: a.id.clone(), role: a.role.clone() }).collect(),
            consent: self.consent,
            gender: self.gender.map(|g| g.as_str().to_string()),
            age_band: self.age_band.map(|a| a.as_str().to_string()),
            user_id: self.user_id.clone(),
        }
    }

    /// What someone without access to personal details sees.
    pub fn public(mut self) -> PersonView {
        self.email = None;
        self.phone = None;
        self.gender = None;
        self.age_band = None;
        self.user_email = None;
        self
    }
}

/// Sees a person's email, phone, gender and age band: the stewards and the person's own user.
pub fn sees_details(caller: &Caller, p: &PersonView) -> bool {
    caller.has_any(STEWARDS) || p.user_id.as_deref() == Some(caller.user_id.as_str())
}

/// Links a person to a user account, or unlinks them: the stewards only (the person's user sees
/// their details, so a link is a grant).
pub fn may_link_account(caller: &Caller) -> bool {
    caller.has_any(STEWARDS)
}

/// May change this person: the stewards, the person's own user, or a member of every actor
/// they represent (and of at least one).
pub fn may_change(caller: &Caller, p: &NewPerson) -> bool {
    caller.has_any(STEWARDS)
        || p.user_id.as_deref() == Some(caller.user_id.as_str())
        || (!p.actors.is_empty() && p.actors.iter().all(|a| caller.actor_ids.contains(&a.actor_id)))
}

/// May change `before` into `after`: who may change `before` ([`may_change`]), and a new
/// representation only of an actor the caller belongs to (stewards, any) — so the person's own
/// user edits their details but cannot make them speak for an organisation they are not in.
pub fn may_change_into(caller: &Caller, before: &NewPerson, after: &NewPerson) -> bool {
    let kept_or_mine =
        |a: &Representation| before.actors.iter().any(|b| b.actor_id == a.actor_id) || caller.actor_ids.contains(&a.actor_id);
    caller.has_any(STEWARDS) || (may_change(caller, before) && after.actors.iter().all(kept_or_mine))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_persons_own_user_cannot_make_them_represent_another_organisation() {
        let r = |id: &str| Representation { actor_id: id.into(), role: "".into() };
        let caller = |roles: Vec<crate::Role>, actors: &[&str]| Caller {
            user_id: "joana".into(),
            email: "j@example.org".into(),
            name: "Joana".into(),
            roles,
            actor_ids: actors.iter().map(|a| a.to_string()).collect(),
        };
        let before = NewPerson { name: "Joana".into(), user_id: Some("joana".into()), actors: vec![r("coop")], ..Default::default() };
        let renamed = NewPerson { name: "Joana S.".into(), ..before.clone() };
        let elsewhere = NewPerson { actors: vec![r("coop"), r("ministry")], ..before.clone() };
        let member = caller(vec![crate::Role::Member], &[]);
        assert!(may_change_into(&member, &before, &renamed), "their own details");
        assert!(!may_change_into(&member, &before, &elsewhere), "not another organisation");
        assert!(may_change_into(&member, &before, &NewPerson { actors: vec![], ..before.clone() }), "leaving one is theirs");
        assert!(may_change_into(&caller(vec![crate::Role::Member], &["ministry"]), &before, &elsewhere), "a member of it may");
        assert!(may_change_into(&caller(vec![crate::Role::Organizer], &[]), &before, &elsewhere));
        let stranger = Caller { user_id: "x".into(), ..member };
        assert!(!may_change_into(&stranger, &before, &renamed));
    }

    #[test]
    fn gender_and_age_need_consent() {
        let p = NewPerson { name: "Ana".into(), gender: Some("woman".into()), ..Default::default() };
        assert_eq!(p.validate().unwrap_err().field(), Some("gender"));
        let ok = NewPerson { consent: true, age_band: Some("18_29".into()), ..p.clone() }.validate().unwrap();
        assert_eq!((ok.gender.as_deref(), ok.age_band.as_deref()), (Some("woman"), Some("18_29")));
        let bad = NewPerson { consent: true, gender: Some("female".into()), ..p };
        assert_eq!(bad.validate().unwrap_err().field(), Some("gender"));
    }

    #[test]
    fn withdrawing_consent_forgets_gender_and_age() {
        let p = NewPerson { name: "Ana".into(), consent: true, gender: Some("woman".into()), ..Default::default() };
        let q = p.patched(&serde_json::json!({"consent": false})).unwrap().validate().unwrap();
        assert_eq!((q.consent, q.gender), (false, None));
        assert_eq!(p.patched(&serde_json::json!({"shoe_size": 40})).unwrap_err().field(), Some("shoe_size"));
    }

    #[test]
    fn emails_are_checked_and_actors_listed_once() {
        let p = NewPerson { name: "Ana".into(), email: Some("ana@".into()), ..Default::default() };
        assert_eq!(p.validate().unwrap_err().field(), Some("email"));
        let r = |id: &str| Representation { actor_id: id.into(), role: "".into() };
        let p = NewPerson { name: "Ana".into(), actors: vec![r("a"), r("a"), r(" "), r("b")], ..Default::default() }.validate().unwrap();
        assert_eq!(p.actors.iter().map(|a| a.actor_id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    }
}

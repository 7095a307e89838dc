//! The people pages' data and their server functions: the list, a person, saving, removing and adding one.

// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::{network::people::PersonView, AppError, Page};

#[server(prefix = "/fn")]
pub async fn people_list(q: Option<String>, page: Option<u32>) -> Result<(Page<PersonView>, Option<String>), AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let people = ports.people.people(&caller, q, None, shared::PageRequest::new(page, Some(25))).await?;
    Ok((people, request::take_flash("/network/people")))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonData {
    pub person: PersonView,
    /// The caller may change or remove this person.
    pub can_change: bool,
    /// The caller sees (and may change) email, phone, consent, gender and age band.
    pub sees_details: bool,
    /// The caller may link the person to a user account (or unlink them).
    #[serde(default)]
    pub may_link: bool,
    pub flash: Option<String>,
    pub kept: Option<Vec<(String, String)>>,
}

#[cfg(feature = "ssr")]
fn person_path(id: &str) -> String {
    format!("/network/people/{id}")
}

#[server(prefix = "/fn")]
pub async fn person_page(id: String) -> Result<PersonData, AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let person = ports.people.person(&caller, &id).await?;
    use shared::network::people::{may_change, may_link_account, sees_details};
    let can_change = may_change(&caller, &person.input());
    let path = person_path(&person.id);
    Ok(PersonData {
        can_change,
        sees_details: sees_details(&caller, &person),
        may_link: can_change && may_link_account(&caller),
        flash: request::take_flash(&path),
        kept: request::take_input(&path).await,
        person,
    })
}

/// A person's fields as a form posts them.
#[cfg(feature = "ssr")]
struct Posted {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    consent: Option<String>,
    gender: Option<String>,
    age_band: Option<String>,
}

#[cfg(feature = "ssr")]
impl Posted {
    /// What to keep for the form if the change is refused (`extra`: its other fields).
    fn kept(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            ("form", "person".to_string()),
            ("name", self.name.clone()),
            ("email", text(&self.email)),
            ("phone", text(&self.phone)),
            ("consent", self.consent.as_ref().map(|_| "on".to_string()).unwrap_or_default()),
            ("gender", text(&self.gender)),
            ("age_band", text(&self.age_band)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
    }

    /// A JSON merge patch of the name and, with `details`, of the personal fields.
    fn patch(self, details: bool) -> serde_json::Map<String, serde_json::Value> {
        let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let mut patch = serde_json::Map::new();
        patch.insert("name".into(), self.name.into());
        if details {
            patch.insert("email".into(), blank(self.email).into());
            patch.insert("phone".into(), blank(self.phone).into());
            patch.insert("consent".into(), self.consent.is_some().into());
            patch.insert("gender".into(), blank(self.gender).into());
            patch.insert("age_band".into(), blank(self.age_band).into());
        }
        patch
    }
}

/// Saves the person form; the personal fields only when the form had them (`details`), the
/// linked user account (by its email; blank unlinks) only when it had that field (`account`).
#[server(prefix = "/fn")]
pub async fn save_person(
    id: String,
    name: String,
    details: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    consent: Option<String>,
    gender: Option<String>,
    age_band: Option<String>,
    account: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    let path = person_path(&id);
    let posted = Posted { name, email, phone, consent, gender, age_band };
    let fields = posted.kept(&[("account", account.as_deref().unwrap_or_default())]);
    let mut patch = posted.patch(details.is_some());
    let saved = async {
        let (ports, caller) = (request::ports()?, request::caller()?);
        if let Some(account) = account.as_deref().map(str::trim) {
            let user = if account.is_empty() {
                None
            } else {
                let found = ports.accounts.user_id_by_email(&caller, account).await?;
                Some(
                    found
                        .ok_or_else(|| AppError::validation("account", format!("There is no user account with the email “{account}”.")))?,
                )
            };
            patch.insert("user_id".into(), user.into());
        }
        ports.people.update_person(&caller, &id, serde_json::Value::Object(patch), None).await
    };
    let person = request::keep_if_refused(saved.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("{} is saved.", person.name));
    crate::request::redirect(&path);
    Ok(())
}

/// Removes a person (their links to organisations go with them), once confirmed.
#[server(prefix = "/fn")]
pub async fn remove_person(id: String, confirm: Option<String>) -> Result<(), AppError> {
    use crate::request;
    if confirm.is_none() {
        return Err(AppError::validation("confirm", "Tick the box to confirm that this person is to be removed."));
    }
    let (ports, caller) = (request::ports()?, request::caller()?);
    let person = ports.people.person(&caller, &id).await?;
    ports.people.delete_person(&caller, &person.id).await?;
    request::set_flash("/network/people", &format!("{} is removed.", person.name));
    crate::request::redirect("/network/people");
    Ok(())
}

/// Adds a person who represents the organisation `actor` (from its profile).
#[server(prefix = "/fn")]
pub async fn add_person(
    actor: String,
    name: String,
    role: String,
    email: Option<String>,
    phone: Option<String>,
    consent: Option<String>,
    gender: Option<String>,
    age_band: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    let path = format!("/network/actors/{actor}");
    let posted = Posted { name, email, phone, consent, gender, age_band };
    let fields = posted.kept(&[("role", &role)]);
    let mut patch = posted.patch(true);
    patch.insert("actors".into(), serde_json::json!([{ "actor_id": actor, "role": role.trim() }]));
    let saved = async {
        let new: shared::network::people::NewPerson = serde_json::from_value(serde_json::Value::Object(patch))
            .map_err(|e| AppError::validation("name", format!("The form could not be read: {e}.")))?;
        request::ports()?.people.create_person(&request::caller()?, new).await
    };
    let person = request::keep_if_refused(saved.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("{} is added to the organisation's people.", person.name));
    crate::request::redirect(&format!("{path}#people"));
    Ok(())
}

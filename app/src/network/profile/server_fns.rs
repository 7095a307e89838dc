//! The profile page's data and its server functions: the profile, its changes, relations added and removed.

// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use shared::network::relation_kind_label;
use shared::{
    network::{ActorChange, ActorDetail, ActorKind, AllianceView, RelationKind},
    AppError, Page,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileData {
    pub detail: ActorDetail,
    pub description_html: String,
    pub history: Page<ActorChange>,
    /// Its productive alliances, each with its business plan rendered.
    pub alliances: Vec<(AllianceView, String)>,
    pub kinds: Vec<ActorKind>,
    pub relation_kinds: Vec<RelationKind>,
    pub flash: Option<String>,
    pub kept: Option<Vec<(String, String)>>,
}

#[cfg(feature = "ssr")]
fn profile_path(id: &str) -> String {
    format!("/network/actors/{id}")
}

#[server(prefix = "/fn")]
pub async fn actor_profile(id: String) -> Result<ProfileData, AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let detail = ports.actors.actor(&caller, &id).await?;
    let history = ports.actors.actor_history(&caller, &id, shared::PageRequest::new(Some(1), Some(20))).await?;
    let path = profile_path(&detail.actor.id);
    let alliances = ports
        .deals
        .alliances(&caller, Some(detail.actor.id.clone()))
        .await?
        .into_iter()
        .map(|a| {
            let html = shared::markdown::to_html(&a.business_plan);
            (a, html)
        })
        .collect();
    Ok(ProfileData {
        alliances,
        description_html: shared::markdown::to_html(&detail.actor.description),
        kinds: ports.actors.actor_kinds().await?,
        relation_kinds: ports.actors.relation_kinds().await?,
        flash: request::take_flash(&path),
        kept: request::take_input(&path).await,
        history,
        detail,
    })
}

/// Saves the profile form: every field as typed (lists separated by commas).
#[server(prefix = "/fn")]
pub async fn update_profile(
    id: String,
    name: String,
    kind: String,
    description: String,
    state: Option<String>,
    municipality: Option<String>,
    products: Option<String>,
    organic_status: Option<String>,
    members: Option<String>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    tags: Option<String>,
    visibility: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    use shared::network::split_list;
    let path = profile_path(&id);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let fields: Vec<(String, String)> = [
        ("form", "profile".to_string()),
        ("name", name.clone()),
        ("kind", kind.clone()),
        ("description", description.clone()),
        ("state", text(&state)),
        ("municipality", text(&municipality)),
        ("products", text(&products)),
        ("organic_status", text(&organic_status)),
        ("members", text(&members)),
        ("website", text(&website)),
        ("email", text(&email)),
        ("phone", text(&phone)),
        ("tags", text(&tags)),
        ("visibility", text(&visibility)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let saved = async {
        let members = shared::network::parse_members(members.as_deref())?;
        let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let patch = serde_json::json!({
            "name": name,
            "kind": kind,
            "description": description,
            "state": blank(state),
            "municipality": blank(municipality),
            "products": split_list(&products.unwrap_or_default()),
            "organic_status": blank(organic_status),
            "members": members,
            "website": blank(website),
            "email": blank(email),
            "phone": blank(phone),
            "tags": split_list(&tags.unwrap_or_default()),
            "visibility": blank(visibility),
        });
        request::ports()?.actors.update_actor(&request::caller()?, &id, patch, None).await
    };
    let actor = request::keep_if_refused(saved.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("The profile of “{}” is saved.", actor.name));
    crate::request::redirect(&format!("{path}#profile"));
    Ok(())
}

/// Adds a relation from (`direction` = out) or to (in) this actor; the other actor by name.
#[server(prefix = "/fn")]
pub async fn add_relation(
    id: String,
    direction: String,
    kind: String,
    other: String,
    since: Option<String>,
    until: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    use shared::network::NewRelation;
    let path = profile_path(&id);
    let fields: Vec<(String, String)> = [
        ("form", "relation"),
        ("direction", direction.as_str()),
        ("kind", kind.as_str()),
        ("other", other.as_str()),
        ("since", since.as_deref().unwrap_or_default()),
        ("until", until.as_deref().unwrap_or_default()),
        ("note", note.as_deref().unwrap_or_default()),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let added = async {
        let (ports, caller) = (request::ports()?, request::caller()?);
        if other.trim().is_empty() {
            return Err(AppError::validation("other", "Name the other organisation."));
        }
        let found =
            ports.actors.actor_named(&caller, &other).await?.ok_or_else(|| {
                AppError::validation("other", format!("There is no organisation named “{}” in the network.", other.trim()))
            })?;
        let (from, to) = if direction == "in" { (found.id, id.clone()) } else { (id.clone(), found.id) };
        let relation = NewRelation { from, to, kind, since, until, note: note.unwrap_or_default(), evidence: String::new() };
        ports.graph.create_relation(&caller, relation).await
    };
    let r = request::keep_if_refused(added.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("Relation added: {} {} {}.", r.from_name, relation_kind_label(&r.kind), r.to_name));
    crate::request::redirect(&format!("{path}#relations"));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn remove_relation(id: String, relation_id: String) -> Result<(), AppError> {
    use crate::request;
    request::ports()?.graph.delete_relation(&request::caller()?, &relation_id).await?;
    let path = profile_path(&id);
    request::set_flash(&path, "Relation removed.");
    crate::request::redirect(&format!("{path}#relations"));
    Ok(())
}

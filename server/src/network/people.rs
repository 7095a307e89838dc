//! People on SurrealDB: a `person` record and its `represents` edges to actors
//! (person:p->represents->actor:a, with the role there). Organisers, the secretariat and admins
//! record anyone; a member records people of the actors they belong to.

use async_trait::async_trait;
use shared::{
    accounts::is_record_key,
    audit::AuditAction,
    network::people::{may_change, may_change_into, may_link_account, sees_details, NewPerson, PersonActor, PersonView},
    ports::PeoplePort,
    revision,
    text::fold,
    AppError, Caller, Page, PageRequest,
};
use surrealdb::types::SurrealValue;

use super::SurrealNetwork;
use crate::{
    audit::Audit,
    db::{moved_on, onto_current, refusal, Refusal},
    error::internal,
};

#[derive(Debug, SurrealValue)]
struct PersonRow {
    id: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    consent: bool,
    gender: Option<String>,
    age_band: Option<String>,
    user_id: Option<String>,
    user_email: Option<String>,
    actors: Vec<PersonActorRow>,
    revision: Option<i64>,
}

#[derive(Debug, SurrealValue)]
struct PersonActorRow {
    id: String,
    name: String,
    role: String,
}

/// A person's stored fields, written whole (a missing optional field is stored as none).
#[derive(Debug, SurrealValue)]
struct PersonFields {
    name: String,
    name_folded: String,
    email: Option<String>,
    phone: Option<String>,
    gender: Option<String>,
    age_band: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct RepresentationRow {
    actor: String,
    role: String,
}

const PERSON_FIELDS: &str = "record::id(id) AS id, name, email, phone, consent_at != NONE AS consent, gender, age_band,
    (IF user = NONE { NONE } ELSE { record::id(user) }) AS user_id, user.email AS user_email,
    (SELECT record::id(out) AS id, out.name AS name, role, out.name_folded AS n FROM represents WHERE in = $parent.id ORDER BY n) AS actors,
    revision";

impl From<PersonRow> for PersonView {
    fn from(r: PersonRow) -> Self {
        PersonView {
            id: r.id,
            name: r.name,
            email: r.email,
            phone: r.phone,
            actors: r.actors.into_iter().map(|a| PersonActor { id: a.id, name: a.name, role: a.role }).collect(),
            consent: r.consent,
            // The schema's ASSERTs allow only the vocabularies' spellings.
            gender: r.gender.and_then(|g| g.parse().ok()),
            age_band: r.age_band.and_then(|a| a.parse().ok()),
            user_id: r.user_id,
            user_email: r.user_email,
            revision: r.revision.unwrap_or(0).max(0) as u64,
        }
    }
}

/// What an erased person is called.
const ERASED_NAME: &str = "(personal data erased)";

fn no_person() -> AppError {
    AppError::NotFound("There is no such person.".into())
}

impl SurrealNetwork {
    fn shown(caller: &Caller, p: PersonView) -> PersonView {
        if sees_details(caller, &p) {
            p
        } else {
            p.public()
        }
    }

    async fn person_row(&self, id: &str) -> Result<PersonView, AppError> {
        let key = id.trim();
        if !is_record_key(key) {
            return Err(no_person());
        }
        let row: Option<PersonRow> = self
            .db()
            .query(format!("SELECT {PERSON_FIELDS} FROM ONLY type::record('person', $id)"))
            .bind(("id", key.to_string()))
            .fetch("read a person")
            .await?;
        row.map(Into::into).ok_or_else(no_person)
    }

    pub(super) async fn list_people(
        &self,
        caller: &Caller,
        q: Option<String>,
        actor: Option<String>,
        page: PageRequest,
    ) -> Result<Page<PersonView>, AppError> {
        let q = q.as_deref().map(fold).unwrap_or_default();
        let mut conditions = Vec::new();
        if !q.is_empty() {
            conditions.push("string::contains(name_folded, $q)");
        }
        if actor.is_some() {
            conditions.push("type::record('actor', $actor) IN ->represents->actor");
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let people = self
            .db()
            .query(format!(
                "SELECT {PERSON_FIELDS}, name_folded FROM person {filter} ORDER BY name_folded LIMIT $limit START $start;
                 count(SELECT id FROM person {filter});"
            ))
            .bind(("q", q))
            .bind(("actor", actor.unwrap_or_default()))
            .page::<PersonRow>(page, 0, "list people")
            .await?;
        Ok(people.map(|p| Self::shown(caller, p.into())))
    }

    pub(super) async fn get_person(&self, caller: &Caller, id: &str) -> Result<PersonView, AppError> {
        Ok(Self::shown(caller, self.person_row(id).await?))
    }

    /// Writes a person and replaces their `represents` edges, in one transaction: a new one
    /// (`id` None), or onto revision `seen` of an existing one — None when it moved on meanwhile.
    async fn write_person(&self, id: Option<(&str, u64)>, p: &NewPerson) -> Result<Option<String>, AppError> {
        for a in &p.actors {
            if !is_record_key(&a.actor_id) {
                return Err(AppError::validation("actors", format!("There is no actor with the id “{}”.", a.actor_id)));
            }
        }
        let links: Vec<RepresentationRow> =
            p.actors.iter().map(|a| RepresentationRow { actor: a.actor_id.clone(), role: a.role.clone() }).collect();
        let fields = PersonFields {
            name: p.name.clone(),
            name_folded: fold(&p.name),
            email: p.email.clone(),
            phone: p.phone.clone(),
            gender: p.gender.clone(),
            age_band: p.age_band.clone(),
        };
        let written = self
            .db()
            .query(
                "BEGIN TRANSACTION;
                 LET $missing = array::filter($links, |$l| record::exists(type::record('actor', $l.actor)) = false);
                 IF array::len($missing) > 0 { THROW 'unknown actor ' + $missing[0].actor };
                 IF $user != NONE AND record::exists(type::record('user', $user)) = false { THROW 'unknown user' };
                 LET $p = (IF $id = NONE { (CREATE ONLY person CONTENT $fields).id } ELSE { type::record('person', $id) });
                 IF $id != NONE AND $p.revision != $seen { THROW 'stale revision' };
                 UPDATE $p MERGE $fields;
                 IF $id != NONE { UPDATE $p SET revision += 1 };
                 UPDATE $p SET consent_at = (IF $consent { consent_at ?? time::now() } ELSE { NONE }),
                    user = (IF $user = NONE { NONE } ELSE { type::record('user', $user) });
                 DELETE represents WHERE in = $p;
                 FOR $l IN $links { LET $a = type::record('actor', $l.actor); RELATE $p->represents->$a SET role = $l.role; };
                 RETURN record::id($p);
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.map(|(id, _)| id.to_string())))
            .bind(("seen", id.map(|(_, seen)| seen as i64)))
            .bind(("fields", fields))
            .bind(("consent", p.consent))
            .bind(("user", p.user_id.clone()))
            .bind(("links", links))
            .transact::<String>("write a person")
            .await?;
        match written {
            Ok(Some(id)) => Ok(Some(id)),
            Ok(None) => Err(AppError::Internal),
            Err(e) if moved_on(&e) => Ok(None),
            Err(e) => match refusal(&e) {
                Some((Refusal::UnknownActor, id)) => Err(AppError::validation("actors", format!("There is no actor with the id “{id}”."))),
                Some((Refusal::UnknownUser, _)) => Err(AppError::validation("user_id", "There is no such user account.")),
                _ => Err(internal("write a person", e)),
            },
        }
    }

    pub(super) async fn add_person(&self, caller: &Caller, new: NewPerson) -> Result<PersonView, AppError> {
        let p = new.validate()?;
        if !may_change(caller, &p) {
            return Err(AppError::forbidden("record people of organisations you do not belong to"));
        }
        if p.user_id.is_some() && !may_link_account(caller) {
            return Err(AppError::forbidden("link people to user accounts"));
        }
        let id = self.write_person(None, &p).await?.ok_or(AppError::Internal)?;
        self.get_person(caller, &id).await
    }

    /// The patch is applied to the revision read and written onto it only: when someone changed
    /// the person meanwhile it is applied again to theirs, or refused (412) with `if_match`.
    pub(super) async fn change_person(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<PersonView, AppError> {
        onto_current("this person", if_match, || async {
            let current = self.person_row(id).await?;
            let before = current.input();
            if !may_change(caller, &before) {
                return Err(AppError::forbidden("change people of organisations you do not belong to"));
            }
            revision::check(if_match, current.revision, "this person")?;
            let after = before.patched(&patch)?.validate()?;
            if before.validate().ok().as_ref() == Some(&after) {
                // Nothing changes: no new revision.
                return Ok(Some(Self::shown(caller, current)));
            }
            if !may_change_into(caller, &before, &after) {
                return Err(AppError::forbidden("link people to organisations you do not belong to"));
            }
            if after.user_id != before.user_id && !may_link_account(caller) {
                return Err(AppError::forbidden("link people to user accounts"));
            }
            match self.write_person(Some((&current.id, current.revision)), &after).await? {
                Some(_) => self.get_person(caller, &current.id).await.map(Some),
                None => Ok(None),
            }
        })
        .await
    }

    pub(super) async fn erase(&self, caller: &Caller, id: &str) -> Result<PersonView, AppError> {
        caller.require_any(&[shared::Role::Admin], "erase a person's personal data")?;
        let current = self.person_row(id).await?;
        self.db()
            .audited(
                "UPDATE type::record('person', $id) SET name = $erased, name_folded = $folded, email = NONE, phone = NONE,
                    gender = NONE, age_band = NONE, consent_at = NONE, user = NONE, erased_at = time::now(), revision += 1",
                &Audit::new(caller, AuditAction::PersonErased, "person", current.id.clone()),
            )
            .bind(("id", current.id.clone()))
            .bind(("erased", ERASED_NAME))
            .bind(("folded", fold(ERASED_NAME)))
            .run("erase a person")
            .await?;
        self.get_person(caller, &current.id).await
    }

    pub(super) async fn remove_person(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        let current = self.person_row(id).await?;
        if !may_change(caller, &current.input()) {
            return Err(AppError::forbidden("remove people of organisations you do not belong to"));
        }
        self.db()
            .audited(
                "BEGIN TRANSACTION; LET $p = type::record('person', $id); DELETE represents WHERE in = $p; DELETE $p; AUDIT; COMMIT TRANSACTION;",
                &Audit::new(caller, AuditAction::PersonDeleted, "person", current.id.clone()),
            )
            .bind(("id", current.id))
            .run("remove a person")
            .await
    }
}

#[async_trait]
impl PeoplePort for SurrealNetwork {
    async fn people(
        &self,
        caller: &Caller,
        q: Option<String>,
        actor_id: Option<String>,
        page: PageRequest,
    ) -> Result<Page<shared::network::people::PersonView>, AppError> {
        let actor = match actor_id.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_actor(&a).await?.id),
            None => None,
        };
        self.list_people(caller, q, actor, page).await
    }

    async fn person(&self, caller: &Caller, id: &str) -> Result<shared::network::people::PersonView, AppError> {
        self.get_person(caller, id).await
    }

    async fn create_person(
        &self,
        caller: &Caller,
        new: shared::network::people::NewPerson,
    ) -> Result<shared::network::people::PersonView, AppError> {
        self.add_person(caller, new).await
    }

    async fn update_person(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<shared::network::people::PersonView, AppError> {
        self.change_person(caller, id, patch, if_match).await
    }

    async fn delete_person(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        self.remove_person(caller, id).await
    }

    async fn erase_person(&self, caller: &Caller, id: &str) -> Result<shared::network::people::PersonView, AppError> {
        self.erase(caller, id).await
    }
}

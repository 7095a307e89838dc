//! Actors: the directory (full-text search, filters, sorting), profiles with their relations
//! and people, the history of every change, and the kinds of actors and relations.

use async_trait::async_trait;
use shared::{
    accounts::STEWARDS,
    audit::AuditAction,
    network::{changes, ActorChange, ActorDetail, ActorKind, ActorQuery, ActorSort, ActorView, NewActor, PersonLink, RelationKind},
    ports::ActorsPort,
    revision,
    text::fold,
    AppError, Caller, Page, PageRequest, Role,
};
use surrealdb::types::SurrealValue;

use super::{
    graph::cache::GRAPH_FIELDS, may_change_actor, ActorFields, ActorRow, RelationRow, SurrealNetwork, ACTOR_FIELDS, RELATION_FIELDS,
};
use crate::{
    audit::Audit,
    db::{is_duplicate, moved_on, onto_current, refused, retry_conflicts, Refusal},
    error::internal,
};

#[derive(Debug, SurrealValue)]
struct PersonRow {
    id: String,
    name: String,
    role: String,
}

#[derive(Debug, SurrealValue)]
struct ChangeRow {
    action: String,
    author: Option<String>,
    at: String,
    changes: String,
}

/// The words of a search the full-text index can use: at least two letters or digits each.
fn search_words(q: &str) -> Option<String> {
    let words: Vec<&str> = q.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl SurrealNetwork {
    /// Inserts an actor without checking who asks (the demo loader, the benchmark generator and
    /// the service below use it); `author` is recorded in its history.
    pub async fn insert_actor(&self, new: NewActor) -> Result<ActorView, AppError> {
        self.insert_actor_by(None, new).await
    }

    async fn insert_actor_by(&self, author: Option<&str>, new: NewActor) -> Result<ActorView, AppError> {
        let actor = new.validate(&self.kinds().await?)?;
        let history = serde_json::to_string(&changes(&NewActor::default(), &actor)).map_err(|e| internal("create actor", e))?;
        let written = retry_conflicts(|| {
            self.db
                .query(
                    "BEGIN TRANSACTION;
                     LET $a = (CREATE ONLY actor CONTENT $fields).id;
                     CREATE actor_change CONTENT { actor: $a, author: (IF $author = NONE { NONE } ELSE { type::record('user', $author) }),
                        action: 'created', changes: $history };
                     RETURN record::id($a);
                     COMMIT TRANSACTION;",
                )
                .bind(("fields", ActorFields::of(&actor)))
                .bind(("author", author.map(String::from)))
                .bind(("history", history.clone()))
                .transact::<String>("create actor")
        })
        .await?;
        let id = match written {
            Ok(Some(id)) => {
                self.graph_changed().await;
                id
            }
            Ok(None) => return Err(AppError::Internal),
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!("An actor named “{}” already exists.", actor.name)));
            }
            Err(e) => return Err(internal("create actor", e)),
        };
        self.find_actor(&id).await
    }

    /// The directory's search (see `list_actors`); `public_only` keeps the actors made public.
    async fn search_actors(&self, query: ActorQuery, public_only: bool) -> Result<Page<ActorView>, AppError> {
        let page = query.page;
        let mut conditions: Vec<&str> = Vec::new();
        if public_only {
            conditions.push("visibility = 'public'");
        }
        let words = query.q.as_deref().map(fold).and_then(|q| search_words(&q));
        let fallback = query.q.as_deref().map(fold).filter(|q| !q.is_empty() && words.is_none());
        if words.is_some() {
            conditions.push("search_text @1@ $q");
        } else if fallback.is_some() {
            conditions.push("string::contains(name_folded, $contains)");
        }
        let kind = query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(String::from);
        if kind.is_some() {
            conditions.push("kind = $kind");
        }
        let state = shared::network::state_code("state", query.state.as_deref())?;
        if state.is_some() {
            conditions.push("state = $state");
        }
        let organic_status = query.organic_status.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(String::from);
        if organic_status.is_some() {
            conditions.push("organic_status = $organic_status");
        }
        let tag = query.tag.as_deref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        if tag.is_some() {
            conditions.push("tags CONTAINS $tag");
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let sort = query.sort.unwrap_or(if words.is_some() { ActorSort::Relevance } else { ActorSort::Name });
        let (score, order) = match sort {
            ActorSort::Relevance if words.is_some() => (", search::score(1) AS score", "ORDER BY score DESC, name_folded"),
            ActorSort::Updated => ("", "ORDER BY updated_at DESC, name_folded"),
            _ => ("", "ORDER BY name_folded"),
        };
        let actors = self
            .db
            .query(format!(
                "SELECT {ACTOR_FIELDS}, name_folded{score} FROM actor {filter} {order} LIMIT $limit START $start;
                 count(SELECT id FROM actor {filter});"
            ))
            .bind(("q", words.unwrap_or_default()))
            .bind(("contains", fallback.unwrap_or_default()))
            .bind(("kind", kind))
            .bind(("state", state))
            .bind(("organic_status", organic_status))
            .bind(("tag", tag))
            .page::<ActorRow>(page, 0, "list actors")
            .await?;
        Ok(actors.map(Into::into))
    }
}

#[async_trait]
impl ActorsPort for SurrealNetwork {
    async fn actor_kinds(&self) -> Result<Vec<ActorKind>, AppError> {
        self.kinds().await
    }

    async fn relation_kinds(&self) -> Result<Vec<RelationKind>, AppError> {
        self.relation_kinds_all().await
    }

    async fn add_kind(&self, caller: &Caller, new: shared::network::NewKind) -> Result<(), AppError> {
        caller.require_any(&[Role::Admin], "add kinds of actors or relations")?;
        let k = new.validate()?;
        let table = if k.of == "actor" { "actor_kind" } else { "relation_kind" };
        let written = self
            .db
            .query(format!(
                "BEGIN TRANSACTION;
                 LET $position = (math::max((SELECT VALUE position FROM {table})) ?? 0) + 1;
                 CREATE type::record('{table}', $id) CONTENT {{ label: $label, position: $position{extra} }};
                 RETURN true;
                 COMMIT TRANSACTION;",
                extra = if k.of == "actor" { ", producer: $producer, buyer: $buyer" } else { "" }
            ))
            .bind(("id", k.id.clone()))
            .bind(("label", k.label.clone()))
            .bind(("producer", k.producer))
            .bind(("buyer", k.buyer))
            .transact::<bool>("add a kind")
            .await?;
        match written {
            Ok(_) => Ok(()),
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict(format!("There is already a kind “{}”.", k.id))),
            Err(e) => Err(internal("add a kind", e)),
        }
    }

    /// Any logged-in user may browse the directory. `q` is a full-text search over names,
    /// descriptions, products, tags and municipalities (case and accents ignored; words match
    /// from their start, so "coop" finds "Cooperativa").
    async fn list_actors(&self, _caller: &Caller, query: ActorQuery) -> Result<Page<ActorView>, AppError> {
        self.search_actors(query, false).await
    }

    async fn public_actors(&self, query: ActorQuery) -> Result<Page<ActorView>, AppError> {
        let mut page = self.search_actors(query, true).await?;
        for a in &mut page.items {
            a.email = None;
            a.phone = None;
        }
        Ok(page)
    }

    async fn actor(&self, caller: &Caller, id: &str) -> Result<ActorDetail, AppError> {
        let actor = self.find_actor(id).await?;
        let mut r = self
            .db
            .query(format!(
                "LET $a = type::record('actor', $id);
                 SELECT {RELATION_FIELDS}, in.name_folded AS a, out.name_folded AS b FROM relation WHERE in = $a ORDER BY kind, b;
                 SELECT {RELATION_FIELDS}, in.name_folded AS a, out.name_folded AS b FROM relation WHERE out = $a ORDER BY kind, a;
                 SELECT record::id(in) AS id, in.name AS name, role, in.name_folded AS n FROM represents WHERE out = $a ORDER BY n;"
            ))
            .bind(("id", actor.id.clone()))
            .answers("read an actor's relations")
            .await?;
        let outgoing: Vec<RelationRow> = r.take(1)?;
        let incoming: Vec<RelationRow> = r.take(2)?;
        let people: Vec<PersonRow> = r.take(3)?;
        let can_edit = may_change_actor(caller, &actor.id);
        Ok(ActorDetail {
            actor,
            relations: outgoing.into_iter().chain(incoming).map(Into::into).collect(),
            people: people.into_iter().map(|p| PersonLink { id: p.id, name: p.name, role: p.role }).collect(),
            can_edit,
        })
    }

    async fn actor_named(&self, _caller: &Caller, name: &str) -> Result<Option<shared::network::ActorRef>, AppError> {
        #[derive(SurrealValue)]
        struct Row {
            id: String,
            name: String,
        }
        let row: Option<Row> = self
            .db
            .query("SELECT record::id(id) AS id, name FROM actor WHERE name_folded = $name LIMIT 1")
            .bind(("name", fold(name)))
            .fetch("find an actor by name")
            .await?;
        Ok(row.map(|r| shared::network::ActorRef { id: r.id, name: r.name }))
    }

    /// Organisers, the secretariat and admins add actors; members cannot.
    async fn create_actor(&self, caller: &Caller, new: NewActor) -> Result<ActorView, AppError> {
        caller.require_any(STEWARDS, "add actors to the network")?;
        self.insert_actor_by(Some(&caller.user_id), new).await
    }

    /// Members change the actors they belong to; organisers, the secretariat and admins any.
    /// The patch is applied to the revision read and written only onto it: when someone changed
    /// the actor meanwhile, it is applied again to theirs (so both changes land), or refused with
    /// 412 when the caller named the revision it saw (`if_match`).
    async fn update_actor(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<ActorView, AppError> {
        onto_current("this organisation", if_match, || async {
            let current = self.find_actor(id).await?;
            if !may_change_actor(caller, &current.id) {
                return Err(AppError::forbidden("change the profile of an organisation you do not belong to"));
            }
            revision::check(if_match, current.revision, "this organisation")?;
            let before = NewActor::from_view(&current);
            let after = before.patched(&patch)?.validate(&self.kinds().await?)?;
            let diff = changes(&before, &after);
            if diff.is_empty() {
                return Ok(Some(current));
            }
            let history = serde_json::to_string(&diff).map_err(|e| internal("update actor", e))?;
            // Only what the graph shows makes it load again.
            let graph = diff.iter().any(|c| GRAPH_FIELDS.contains(&c.field.as_str()));
            let written = self
                .db
                .query(
                    "BEGIN TRANSACTION;
                     LET $a = type::record('actor', $id);
                     IF $a.revision != $seen { THROW 'stale revision' };
                     UPDATE $a MERGE $fields;
                     UPDATE $a SET updated_at = time::now(), revision += 1;
                     CREATE actor_change CONTENT { actor: $a, author: type::record('user', $author), action: 'updated', changes: $history };
                     RETURN record::id($a);
                     COMMIT TRANSACTION;",
                )
                .bind(("id", current.id.clone()))
                .bind(("seen", current.revision as i64))
                .bind(("fields", ActorFields::of(&after)))
                .bind(("author", caller.user_id.clone()))
                .bind(("history", history))
                .transact::<String>("update actor")
                .await?;
            match written {
                Ok(_) => {
                    if graph {
                        self.graph_changed().await;
                    }
                    self.find_actor(&current.id).await.map(Some)
                }
                Err(e) if moved_on(&e) => Ok(None),
                Err(e) if is_duplicate(&e) => Err(AppError::Conflict(format!("Another actor is already named “{}”.", after.name))),
                Err(e) => Err(internal("update actor", e)),
            }
        })
        .await
    }

    /// Organisers, the secretariat and admins delete actors, with their relations and the
    /// people's links to them; an actor named by amendments or stances stays (409).
    async fn delete_actor(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        caller.require_any(STEWARDS, "delete actors")?;
        let actor = self.find_actor(id).await?;
        let audit = Audit::new(caller, AuditAction::ActorDeleted, "actor", actor.id.clone());
        let written = retry_conflicts(|| {
            self.db
                .audited(
                    "BEGIN TRANSACTION;
                     LET $a = type::record('actor', $id);
                     IF count(SELECT id FROM amendment WHERE actor = $a LIMIT 1) > 0 OR count(SELECT id FROM stance WHERE actor = $a LIMIT 1) > 0 {
                        THROW 'actor in the record'
                     };
                     DELETE relation WHERE in = $a;
                     DELETE relation WHERE out = $a;
                     DELETE represents WHERE out = $a;
                     DELETE alliance WHERE in = $a;
                     DELETE alliance WHERE out = $a;
                     DELETE meeting WHERE producer = $a;
                     DELETE meeting WHERE buyer = $a;
                     UPDATE user SET actors -= $a WHERE actors CONTAINS $a;
                     DELETE actor_change WHERE actor = $a;
                     DELETE $a;
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("id", actor.id.clone()))
                .transact::<bool>("delete actor")
        })
        .await?;
        match written {
            Ok(_) => {
                self.graph_changed().await;
                Ok(())
            }
            Err(e) if refused(&e, Refusal::ActorInRecord) => Err(AppError::Conflict(format!(
                "“{}” proposed, supported or opposed amendments, and the negotiation record names it: it cannot be deleted.",
                actor.name
            ))),
            Err(e) => Err(internal("delete actor", e)),
        }
    }

    async fn actor_history(&self, _caller: &Caller, id: &str, page: PageRequest) -> Result<Page<ActorChange>, AppError> {
        let actor = self.find_actor(id).await?;
        let history = self
            .db
            .query(
                "LET $a = type::record('actor', $id);
                 SELECT action, author.name AS author, <string> created_at AS at, changes, created_at FROM actor_change
                    WHERE actor = $a ORDER BY created_at DESC LIMIT $limit START $start;
                 count(SELECT id FROM actor_change WHERE actor = $a);",
            )
            .bind(("id", actor.id))
            .page::<ChangeRow>(page, 1, "read an actor's history")
            .await?;
        Ok(history.map(|r| ActorChange {
            action: r.action,
            author: r.author,
            at: r.at,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_drop_single_letters_and_punctuation() {
        assert_eq!(search_words("coop são").as_deref(), Some("coop são"));
        assert_eq!(search_words("a - b").as_deref(), None);
        assert_eq!(search_words("mel, e cafe").as_deref(), Some("mel cafe"));
    }
}

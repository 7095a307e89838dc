//! Deals between producer organisations and buyers: buyer matching (over the graph in memory),
//! buyer meetings and productive alliances (an `alliance` graph edge with its agreement).

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use shared::{
    accounts::is_record_key,
    network::{may_change_deal, ActorKind, ActorView},
    ports::DealsPort,
    revision, AppError, Caller,
};
use surrealdb::types::{RecordId, SurrealValue, Value};

use super::{actor_key, no_actor, SurrealNetwork};
use crate::{
    db::{is_duplicate, moved_on, onto_current, retry_conflicts},
    error::internal,
};

/// What a meeting stores besides its two organisations, written whole (record and change).
#[derive(Debug, SurrealValue)]
struct MeetingFields {
    date: Option<String>,
    status: String,
    attendees: Vec<String>,
    outcome: String,
    next_steps: String,
    reasons: Vec<String>,
}

impl MeetingFields {
    /// The fields of a validated meeting (validation gives it its default status).
    fn of(m: shared::network::NewMeeting) -> Self {
        MeetingFields {
            date: m.date,
            status: m.status.unwrap_or_else(|| shared::network::MeetingStatus::Proposed.as_str().into()),
            attendees: m.attendees,
            outcome: m.outcome,
            next_steps: m.next_steps,
            reasons: m.reasons,
        }
    }
}

/// A meeting as it is recorded: its organisations, who recorded it, its fields.
#[derive(Debug, SurrealValue)]
struct MeetingInsert {
    producer: RecordId,
    buyer: RecordId,
    created_by: RecordId,
    #[surreal(flatten)]
    fields: MeetingFields,
}

/// What an alliance edge stores (its organisations are the edge's ends), written whole.
#[derive(Debug, Clone, SurrealValue)]
struct AllianceFields {
    status: String,
    products: String,
    quantity: String,
    delivery: String,
    payment: String,
    buyer_contribution: String,
    business_plan: String,
}

impl AllianceFields {
    /// The fields of a validated alliance (validation gives it its default stage).
    fn of(a: shared::network::NewAlliance) -> Self {
        AllianceFields {
            status: a.status.unwrap_or_else(|| shared::network::AllianceStage::Prospect.as_str().into()),
            products: a.products,
            quantity: a.quantity,
            delivery: a.delivery,
            payment: a.payment,
            buyer_contribution: a.buyer_contribution,
            business_plan: a.business_plan,
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct AllianceInsert {
    created_by: RecordId,
    #[surreal(flatten)]
    fields: AllianceFields,
}

/// The producer organisation and the buyer of a meeting or an alliance, as read.
#[derive(Debug, SurrealValue)]
struct Parties {
    producer: String,
    producer_name: String,
    buyer: String,
    buyer_name: String,
}

#[derive(Debug, SurrealValue)]
struct MeetingRow {
    id: String,
    #[surreal(flatten)]
    parties: Parties,
    #[surreal(flatten)]
    fields: MeetingFields,
    created_by: Option<String>,
    created_at: String,
    revision: Option<i64>,
}

impl From<MeetingRow> for shared::network::MeetingView {
    fn from(r: MeetingRow) -> Self {
        shared::network::MeetingView {
            id: r.id,
            producer: shared::network::ActorRef { id: r.parties.producer, name: r.parties.producer_name },
            buyer: shared::network::ActorRef { id: r.parties.buyer, name: r.parties.buyer_name },
            date: r.fields.date,
            // The schema's ASSERT allows only these spellings.
            status: r.fields.status.parse().unwrap_or(shared::network::MeetingStatus::Proposed),
            attendees: r.fields.attendees,
            outcome: r.fields.outcome,
            next_steps: r.fields.next_steps,
            reasons: r.fields.reasons,
            created_by: r.created_by,
            created_at: r.created_at,
            revision: r.revision.unwrap_or(0).max(0) as u64,
        }
    }
}

const MEETING_FIELDS: &str = "record::id(id) AS id, record::id(producer) AS producer, producer.name AS producer_name,
    record::id(buyer) AS buyer, buyer.name AS buyer_name, date, status, attendees, outcome, next_steps, reasons,
    created_by.name AS created_by, <string> created_at AS created_at, revision";

#[derive(Debug, SurrealValue)]
struct AllianceRow {
    id: String,
    #[surreal(flatten)]
    parties: Parties,
    #[surreal(flatten)]
    fields: AllianceFields,
    created_at: String,
    updated_at: String,
    revision: Option<i64>,
}

impl From<AllianceRow> for shared::network::AllianceView {
    fn from(r: AllianceRow) -> Self {
        shared::network::AllianceView {
            id: r.id,
            producer: shared::network::ActorRef { id: r.parties.producer, name: r.parties.producer_name },
            buyer: shared::network::ActorRef { id: r.parties.buyer, name: r.parties.buyer_name },
            status: r.fields.status.parse().unwrap_or(shared::network::AllianceStage::Prospect),
            products: r.fields.products,
            quantity: r.fields.quantity,
            delivery: r.fields.delivery,
            payment: r.fields.payment,
            buyer_contribution: r.fields.buyer_contribution,
            business_plan: r.fields.business_plan,
            created_at: r.created_at,
            updated_at: r.updated_at,
            revision: r.revision.unwrap_or(0).max(0) as u64,
        }
    }
}

const ALLIANCE_FIELDS: &str = "record::id(id) AS id, record::id(in) AS producer, in.name AS producer_name, record::id(out) AS buyer,
    out.name AS buyer_name, status, products, quantity, delivery, payment, buyer_contribution, business_plan,
    <string> created_at AS created_at, <string> updated_at AS updated_at, revision";

fn no_alliance() -> AppError {
    AppError::NotFound("There is no such alliance.".into())
}

impl SurrealNetwork {
    /// The producer organisation and the buyer of a meeting or an alliance, checked: both exist,
    /// are of a producer and a buyer kind, and the caller may act for one of them.
    async fn producer_and_buyer(
        &self,
        caller: &Caller,
        producer: &str,
        buyer: &str,
        what: &str,
    ) -> Result<(ActorView, ActorView), AppError> {
        let missing = |field: &str, id: &str| AppError::validation(field, format!("There is no actor with the id “{id}”."));
        let producer = self.find_actor(producer).await.map_err(|_| missing("producer", producer))?;
        let buyer = self.find_actor(buyer).await.map_err(|_| missing("buyer", buyer))?;
        if !may_change_deal(caller, &producer.id, &buyer.id) {
            return Err(AppError::forbidden(what));
        }
        let kinds = self.kinds().await?;
        let is = |kind: &str, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == kind && pick(k));
        if !is(&producer.kind, |k| k.producer) {
            return Err(AppError::validation("producer", format!("“{}” is not a producer organisation.", producer.name)));
        }
        if !is(&buyer.kind, |k| k.buyer) {
            return Err(AppError::validation("buyer", format!("“{}” is not a buyer.", buyer.name)));
        }
        Ok((producer, buyer))
    }
}

#[async_trait]
impl DealsPort for SurrealNetwork {
    async fn matches(&self, _caller: &Caller, producer_id: &str) -> Result<Vec<shared::network::matching::BuyerMatch>, AppError> {
        use shared::network::matching::{rank, Candidate, MatchActor};
        let kinds = self.kinds().await?;
        let g = self.loaded().await?;
        let &p = g.index.get(actor_key(producer_id)?).ok_or_else(no_actor)?;
        let flag = |i: usize, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == g.nodes[i].kind && pick(k));
        if !flag(p, |k| k.producer) {
            return Err(AppError::Unprocessable(
                "Buyer matching suggests buyers for producer organisations (cooperatives and producer associations).".into(),
            ));
        }
        let trade = |k: &str| matches!(k, "supplies" | "buys_from" | "alliance");
        let organic = |i: usize| g.nodes[i].organic_status.as_deref().is_some_and(|s| s != "conventional");
        // Per buyer: the producers it trades with.
        let mut suppliers: HashMap<usize, HashSet<usize>> = HashMap::new();
        for e in g.edges.iter().filter(|e| trade(&e.kind)) {
            let (a, b) = (g.index[&e.from], g.index[&e.to]);
            for (buyer, producer) in [(a, b), (b, a)] {
                if flag(buyer, |k| k.buyer) && flag(producer, |k| k.producer) {
                    suppliers.entry(buyer).or_default().insert(producer);
                }
            }
        }
        let as_match = |i: usize| {
            let n = &g.nodes[i];
            MatchActor {
                id: n.id.clone(),
                name: n.name.clone(),
                kind: n.kind.clone(),
                state: n.state.clone(),
                products: n.products.clone(),
            }
        };
        let candidates: Vec<Candidate> = (0..g.nodes.len())
            .filter(|&i| flag(i, |k| k.buyer))
            .map(|i| {
                let theirs = suppliers.get(&i);
                Candidate {
                    actor: as_match(i),
                    organic_suppliers: theirs.map(|s| s.iter().filter(|&&q| organic(q)).count()).unwrap_or(0),
                    already_trades: theirs.is_some_and(|s| s.contains(&p)),
                }
            })
            .collect();
        Ok(rank(&as_match(p), &candidates))
    }

    async fn create_meeting(&self, caller: &Caller, new: shared::network::NewMeeting) -> Result<shared::network::MeetingView, AppError> {
        let m = new.validate()?;
        let (producer, buyer) =
            self.producer_and_buyer(caller, &m.producer, &m.buyer, "record meetings of organisations you do not belong to").await?;
        let record = MeetingInsert {
            producer: RecordId::new("actor", producer.id),
            buyer: RecordId::new("actor", buyer.id),
            created_by: RecordId::new("user", caller.user_id.clone()),
            fields: MeetingFields::of(m),
        };
        let row: Option<MeetingRow> = self
            .db
            .query(format!("LET $m = (CREATE ONLY meeting CONTENT $record).id; SELECT {MEETING_FIELDS} FROM ONLY $m;"))
            .bind(("record", record))
            .answers("record a meeting")
            .await?
            .take(1)?;
        row.map(Into::into).ok_or(AppError::Internal)
    }

    async fn update_meeting(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<shared::network::MeetingView, AppError> {
        let key = id.trim();
        let no_meeting = || AppError::NotFound("There is no such meeting.".into());
        if !is_record_key(key) {
            return Err(no_meeting());
        }
        onto_current("this meeting", if_match, || async {
            let current: Option<MeetingRow> = self
                .db
                .query(format!("SELECT {MEETING_FIELDS} FROM ONLY type::record('meeting', $id)"))
                .bind(("id", key.to_string()))
                .fetch("read a meeting")
                .await?;
            let current: shared::network::MeetingView = current.map(Into::into).ok_or_else(no_meeting)?;
            if !may_change_deal(caller, &current.producer.id, &current.buyer.id) {
                return Err(AppError::forbidden("change meetings of organisations you do not belong to"));
            }
            revision::check(if_match, current.revision, "this meeting")?;
            let next = current.input().patched(&patch)?.validate()?;
            if current.input().validate().ok().as_ref() == Some(&next) {
                // Nothing changes: no new revision.
                return Ok(Some(current));
            }
            let written = self
                .db
                .query(format!(
                    "BEGIN TRANSACTION;
                     LET $m = type::record('meeting', $id);
                     IF $m.revision != $seen {{ THROW 'stale revision' }};
                     UPDATE $m MERGE $fields;
                     UPDATE $m SET revision += 1;
                     RETURN (SELECT {MEETING_FIELDS} FROM ONLY $m);
                     COMMIT TRANSACTION;"
                ))
                .bind(("id", current.id.clone()))
                .bind(("seen", current.revision as i64))
                .bind(("fields", MeetingFields::of(next)))
                .transact::<MeetingRow>("change a meeting")
                .await?;
            match written {
                Ok(row) => row.map(|r| Some(r.into())).ok_or(AppError::Internal),
                Err(e) if moved_on(&e) => Ok(None),
                Err(e) => Err(internal("change a meeting", e)),
            }
        })
        .await
    }

    async fn meetings(&self, _caller: &Caller, actor_id: Option<String>) -> Result<Vec<shared::network::MeetingView>, AppError> {
        let rows: Vec<MeetingRow> = match actor_id {
            Some(id) => {
                let actor = self.find_actor(&id).await?;
                let mut r = self
                    .db
                    .query(format!(
                        "LET $a = type::record('actor', $id);
                         SELECT {MEETING_FIELDS}, created_at AS at FROM meeting WHERE producer = $a ORDER BY at DESC LIMIT 200;
                         SELECT {MEETING_FIELDS}, created_at AS at FROM meeting WHERE buyer = $a ORDER BY at DESC LIMIT 200;"
                    ))
                    .bind(("id", actor.id))
                    .answers("list meetings")
                    .await?;
                let mut rows: Vec<MeetingRow> = r.take(1)?;
                rows.extend(r.take::<Vec<MeetingRow>>(2)?);
                rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
                rows
            }
            None => {
                self.db
                    .query(format!("SELECT {MEETING_FIELDS}, created_at AS at FROM meeting ORDER BY at DESC LIMIT 200"))
                    .fetch("list meetings")
                    .await?
            }
        };
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn alliances(&self, _caller: &Caller, actor_id: Option<String>) -> Result<Vec<shared::network::AllianceView>, AppError> {
        let rows: Vec<AllianceRow> = match actor_id {
            Some(id) => {
                let actor = self.find_actor(&id).await?;
                let mut r = self
                    .db
                    .query(format!(
                        "LET $a = type::record('actor', $id);
                         SELECT {ALLIANCE_FIELDS} FROM alliance WHERE in = $a;
                         SELECT {ALLIANCE_FIELDS} FROM alliance WHERE out = $a;"
                    ))
                    .bind(("id", actor.id))
                    .answers("list alliances")
                    .await?;
                let mut rows: Vec<AllianceRow> = r.take(1)?;
                rows.extend(r.take::<Vec<AllianceRow>>(2)?);
                rows
            }
            None => self.db.query(format!("SELECT {ALLIANCE_FIELDS} FROM alliance")).fetch("list alliances").await?,
        };
        let mut out: Vec<shared::network::AllianceView> = rows.into_iter().map(Into::into).collect();
        out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        Ok(out)
    }

    async fn alliance(&self, _caller: &Caller, id: &str) -> Result<shared::network::AllianceView, AppError> {
        let key = id.trim();
        if !is_record_key(key) {
            return Err(no_alliance());
        }
        let row: Option<AllianceRow> = self
            .db
            .query(format!("SELECT {ALLIANCE_FIELDS} FROM ONLY type::record('alliance', $id)"))
            .bind(("id", key.to_string()))
            .fetch("read an alliance")
            .await?;
        row.map(Into::into).ok_or_else(no_alliance)
    }

    async fn create_alliance(&self, caller: &Caller, new: shared::network::NewAlliance) -> Result<shared::network::AllianceView, AppError> {
        let a = new.validate()?;
        let (producer, buyer) =
            self.producer_and_buyer(caller, &a.producer, &a.buyer, "record alliances of organisations you do not belong to").await?;
        let record = AllianceInsert { created_by: RecordId::new("user", caller.user_id.clone()), fields: AllianceFields::of(a) };
        let written = retry_conflicts(|| {
            self.db
                .query(
                    "BEGIN TRANSACTION;
                     LET $p = type::record('actor', $producer);
                     LET $b = type::record('actor', $buyer);
                     LET $id = record::id((RELATE ONLY $p->alliance->$b CONTENT $record).id);
                     RETURN $id;
                     COMMIT TRANSACTION;",
                )
                .bind(("producer", producer.id.clone()))
                .bind(("buyer", buyer.id.clone()))
                .bind(("record", record.clone()))
                .transact::<String>("record an alliance")
        })
        .await?;
        let id = match written {
            Ok(Some(id)) => {
                self.graph_changed().await;
                id
            }
            Ok(None) => return Err(AppError::Internal),
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!(
                    "“{}” and “{}” already have an alliance: change that one.",
                    producer.name, buyer.name
                )))
            }
            Err(e) => return Err(internal("record an alliance", e)),
        };
        self.alliance(caller, &id).await
    }

    /// The stage rule (forward only) is checked against the alliance as it is when the change is
    /// written: of two simultaneous moves, the second is judged from where the first left it.
    async fn update_alliance(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<shared::network::AllianceView, AppError> {
        onto_current("this alliance", if_match, || async {
            let current = self.alliance(caller, id).await?;
            if !may_change_deal(caller, &current.producer.id, &current.buyer.id) {
                return Err(AppError::forbidden("change alliances of organisations you do not belong to"));
            }
            revision::check(if_match, current.revision, "this alliance")?;
            let next = current.input().patched(&patch)?.validate()?;
            if current.input().validate().ok().as_ref() == Some(&next) {
                // Nothing changes: no new revision.
                return Ok(Some(current));
            }
            let to = next.status.clone().unwrap_or_default();
            if !shared::network::alliance_moves(current.status.as_str(), &to) {
                return Err(AppError::Unprocessable(format!(
                    "An alliance moves forward (or ends): it cannot go back from “{}” to “{}”.",
                    current.status.label(),
                    shared::network::AllianceStage::label_of(&to)
                )));
            }
            let written = self
                .db
                .query(
                    "BEGIN TRANSACTION;
                     LET $al = type::record('alliance', $id);
                     IF $al.revision != $seen { THROW 'stale revision' };
                     UPDATE $al MERGE $fields;
                     UPDATE $al SET updated_at = time::now(), revision += 1;
                     RETURN true;
                     COMMIT TRANSACTION;",
                )
                .bind(("id", current.id.clone()))
                .bind(("seen", current.revision as i64))
                .bind(("fields", AllianceFields::of(next)))
                .transact::<bool>("change an alliance")
                .await?;
            match written {
                Ok(_) => self.alliance(caller, &current.id).await.map(Some),
                Err(e) if moved_on(&e) => Ok(None),
                Err(e) => Err(internal("change an alliance", e)),
            }
        })
        .await
    }
}

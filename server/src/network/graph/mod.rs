//! The graph: relations between actors as SurrealDB graph edges (with an entry in both actors'
//! histories), neighbourhoods by graph traversal, and what needs the whole graph at once
//! (paths, metrics, gap reports), computed over the copy in `cache`.

pub mod algorithms;
pub(super) mod cache;

use std::collections::HashSet;

use async_trait::async_trait;
use serde_json::json;
use shared::{
    accounts::is_record_key,
    audit::AuditAction,
    network::{
        ActorKind, ActorSummary, FieldChange, GapReport, Graph, GraphEdge, GraphFilter, NetworkMetrics, NewRelation, RelationView,
        GAP_REPORTS,
    },
    ports::GraphPort,
    AppError, Caller,
};
use surrealdb::types::SurrealValue;

pub(crate) use cache::LoadedGraph;

use super::{actor_key, may_change_actor, no_actor, RelationRow, SurrealNetwork, RELATION_FIELDS};
use crate::{
    audit::Audit,
    db::{is_duplicate, retry_conflicts},
    error::internal,
};

/// The relations and alliances one step of a traversal reached, by id.
#[derive(Debug, Default, SurrealValue)]
struct Traversed {
    relations: Vec<String>,
    alliances: Vec<String>,
}

impl SurrealNetwork {
    /// Records an event on an actor's history inside a write (a fragment of a transaction).
    fn relation_change(kind: &str, other_id: &str, other_name: &str, outgoing: bool, relation_id: &str) -> Vec<FieldChange> {
        vec![FieldChange {
            field: "relation".into(),
            before: serde_json::Value::Null,
            after: json!({"id": relation_id, "kind": kind, if outgoing { "to" } else { "from" }: other_id, "name": other_name}),
        }]
    }
}

#[async_trait]
impl GraphPort for SurrealNetwork {
    /// Stewards relate any two actors; a member relates the actors they belong to with others.
    async fn create_relation(&self, caller: &Caller, new: NewRelation) -> Result<RelationView, AppError> {
        let relation = new.validate(&self.relation_kinds_all().await?)?;
        let missing = |field: &str, id: &str| AppError::validation(field, format!("There is no actor with the id “{id}”."));
        let from = self.find_actor(&relation.from).await.map_err(|_| missing("from", &relation.from))?;
        let to = self.find_actor(&relation.to).await.map_err(|_| missing("to", &relation.to))?;
        if !(may_change_actor(caller, &from.id) || may_change_actor(caller, &to.id)) {
            return Err(AppError::forbidden("relate organisations you do not belong to"));
        }
        let written = retry_conflicts(|| {
            self.db
                .query(
                    "BEGIN TRANSACTION;
                     LET $f = type::record('actor', $from);
                     LET $t = type::record('actor', $to);
                     LET $r = (RELATE ONLY $f->relation->$t CONTENT { kind: $kind, since: $since, until: $until, note: $note,
                        evidence: $evidence, created_by: type::record('user', $author) }).id;
                     LET $id = record::id($r);
                     CREATE actor_change CONTENT { actor: $f, author: type::record('user', $author), action: 'relation_added',
                        changes: string::replace($out_change, '@id@', $id) };
                     CREATE actor_change CONTENT { actor: $t, author: type::record('user', $author), action: 'relation_added',
                        changes: string::replace($in_change, '@id@', $id) };
                     UPDATE $f SET updated_at = time::now();
                     UPDATE $t SET updated_at = time::now();
                     RETURN $id;
                     COMMIT TRANSACTION;",
                )
                .bind(("from", from.id.clone()))
                .bind(("to", to.id.clone()))
                .bind(("kind", relation.kind.clone()))
                .bind(("since", relation.since.clone()))
                .bind(("until", relation.until.clone()))
                .bind(("note", relation.note.clone()))
                .bind(("evidence", relation.evidence.clone()))
                .bind(("author", caller.user_id.clone()))
                .bind((
                    "out_change",
                    serde_json::to_string(&Self::relation_change(&relation.kind, &to.id, &to.name, true, "@id@")).unwrap_or_default(),
                ))
                .bind((
                    "in_change",
                    serde_json::to_string(&Self::relation_change(&relation.kind, &from.id, &from.name, false, "@id@")).unwrap_or_default(),
                ))
                .transact::<String>("create relation")
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
                    "“{}” already {} “{}”.",
                    from.name,
                    shared::network::relation_kind_label(&relation.kind),
                    to.name
                )))
            }
            Err(e) => return Err(internal("create relation", e)),
        };
        Ok(RelationView {
            id,
            from: from.id,
            from_name: from.name,
            to: to.id,
            to_name: to.name,
            kind: relation.kind,
            since: relation.since,
            until: relation.until,
            note: relation.note,
            evidence: relation.evidence,
        })
    }

    async fn delete_relation(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        let gone = || AppError::NotFound("There is no such relation.".into());
        let key = id.trim();
        if !is_record_key(key) {
            return Err(gone());
        }
        let row: Option<RelationRow> = self
            .db
            .query(format!("SELECT {RELATION_FIELDS} FROM ONLY type::record('relation', $id)"))
            .bind(("id", key.to_string()))
            .fetch("read a relation")
            .await?;
        let rel = row.ok_or_else(gone)?;
        if !(may_change_actor(caller, &rel.from) || may_change_actor(caller, &rel.to)) {
            return Err(AppError::forbidden("remove relations of organisations you do not belong to"));
        }
        let removed = |other: &str, name: &str, outgoing: bool| {
            let mut c = Self::relation_change(&rel.kind, other, name, outgoing, &rel.id);
            c[0].before = std::mem::take(&mut c[0].after);
            serde_json::to_string(&c).unwrap_or_default()
        };
        let audit = Audit::new(caller, AuditAction::RelationDeleted, "relation", rel.id.clone())
            .summary(format!("{}: actor:{} → actor:{}", rel.kind, rel.from, rel.to));
        retry_conflicts(|| {
            self
                .db
                .audited(
                    "BEGIN TRANSACTION;
                     LET $r = type::record('relation', $id);
                     LET $f = type::record('actor', $from);
                     LET $t = type::record('actor', $to);
                     DELETE $r;
                     CREATE actor_change CONTENT { actor: $f, author: type::record('user', $author), action: 'relation_removed', changes: $out_change };
                     CREATE actor_change CONTENT { actor: $t, author: type::record('user', $author), action: 'relation_removed', changes: $in_change };
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("id", rel.id.clone()))
                .bind(("from", rel.from.clone()))
                .bind(("to", rel.to.clone()))
                .bind(("author", caller.user_id.clone()))
                .bind(("out_change", removed(&rel.to, &rel.to_name, true)))
                .bind(("in_change", removed(&rel.from, &rel.from_name, false)))
                .transact::<bool>("delete relation")
        })
        .await?
        .map_err(|e| internal("delete relation", e))?;
        self.graph_changed().await;
        Ok(())
    }

    /// Breadth first, one graph traversal per level: the relations of the actors reached so far.
    async fn neighbors(&self, _caller: &Caller, id: &str, depth: u32) -> Result<Graph, AppError> {
        if !(1..=3).contains(&depth) {
            return Err(AppError::validation("depth", "Depth is 1, 2 or 3 relations."));
        }
        let start = self.find_actor(id).await?;
        // The traversal runs in the database; the relations it reaches are read from the graph
        // kept in memory (read again first if it moved on), not fetched record by record.
        let graph = self.loaded().await?;
        let mut reached: Vec<String> = vec![start.id.clone()];
        let mut seen: HashSet<String> = HashSet::from([start.id.clone()]);
        let mut frontier = vec![start.id.clone()];
        let mut edges: Vec<GraphEdge> = Vec::new();
        let mut taken: HashSet<usize> = HashSet::new();
        for _ in 0..depth {
            if frontier.is_empty() {
                break;
            }
            let mut r = self
                .db
                .query(
                    "LET $f = array::map($ids, |$i| type::record('actor', $i));
                     RETURN {
                         relations: array::map(array::distinct(array::flatten(array::concat($f->relation, $f<-relation))), |$r| record::id($r)),
                         alliances: array::map(array::distinct(array::flatten(array::concat($f->alliance, $f<-alliance))), |$r| record::id($r)),
                     };",
                )
                .bind(("ids", std::mem::take(&mut frontier)))
                .answers("read a neighbourhood")
                .await?;
            let found: Option<Traversed> = r.take(1)?;
            let found = found.unwrap_or_default();
            let positions = found
                .relations
                .iter()
                .filter_map(|id| graph.edge_by_id(id, false))
                .chain(found.alliances.iter().filter_map(|id| graph.edge_by_id(id, true)));
            for i in positions {
                if !taken.insert(i) {
                    continue;
                }
                let e = graph.edge(i);
                for end in [&e.from, &e.to] {
                    if seen.insert(end.clone()) {
                        reached.push(end.clone());
                        frontier.push(end.clone());
                    }
                }
                edges.push(e);
            }
        }
        let nodes = reached.iter().filter_map(|id| graph.index.get(id).map(|&i| graph.node(i))).collect();
        Ok(Graph { nodes, edges })
    }

    async fn path(&self, _caller: &Caller, from: &str, to: &str) -> Result<Option<Graph>, AppError> {
        let (from, to) = (actor_key(from)?.to_string(), actor_key(to)?.to_string());
        let g = self.loaded().await?;
        let (Some(&a), Some(&b)) = (g.index.get(&from), g.index.get(&to)) else {
            return Err(no_actor());
        };
        let Some(ids) = g.network.shortest_path(&from, &to) else {
            return Ok(None);
        };
        let chain: Vec<usize> = ids.iter().filter_map(|id| g.index.get(id).copied()).collect();
        debug_assert_eq!((chain.first(), chain.last()), (Some(&a), Some(&b)));
        let edges = chain
            .windows(2)
            .filter_map(|w| g.between.get(&(w[0].min(w[1]), w[0].max(w[1]))).and_then(|e| e.first()).map(|&e| g.edge(e)))
            .collect();
        Ok(Some(Graph { nodes: chain.into_iter().map(|i| g.node(i)).collect(), edges }))
    }

    async fn network(&self, _caller: &Caller, filter: GraphFilter) -> Result<Graph, AppError> {
        let g = self.loaded().await?;
        let keep: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| {
                (filter.kinds.is_empty() || filter.kinds.contains(&n.kind))
                    && (filter.states.is_empty() || n.state.as_ref().is_some_and(|s| filter.states.contains(s)))
            })
            .collect();
        let nodes = (0..g.nodes.len()).filter(|&i| keep[i]).map(|i| g.node(i)).collect();
        let edges =
            (0..g.edges.len()).filter(|&i| keep[g.index[&g.edges[i].from]] && keep[g.index[&g.edges[i].to]]).map(|i| g.edge(i)).collect();
        Ok(Graph { nodes, edges })
    }

    async fn metrics(&self, _caller: &Caller) -> Result<NetworkMetrics, AppError> {
        let g = self.loaded().await?;
        let computed = g.clone();
        crate::work::blocking("compute metrics", move || computed.metrics().clone()).await
    }

    async fn gaps(&self, _caller: &Caller) -> Result<Vec<GapReport>, AppError> {
        let kinds = self.kinds().await?;
        let g = self.loaded().await?;
        let is = |i: usize, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == g.nodes[i].kind && pick(k));
        let producer = |i: usize| is(i, |k| k.producer);
        let buyer = |i: usize| is(i, |k| k.buyer);
        let certifier = |i: usize| matches!(g.nodes[i].kind.as_str(), "certification_body" | "participatory_guarantee_body");
        // Per actor, its relations as (kind, the actor at the other end).
        let mut around: Vec<Vec<(&str, usize)>> = vec![Vec::new(); g.nodes.len()];
        for e in &g.edges {
            let (a, b) = (g.index[&e.from], g.index[&e.to]);
            around[a].push((e.kind.as_str(), b));
            around[b].push((e.kind.as_str(), a));
        }
        let trade = |k: &str| matches!(k, "supplies" | "buys_from" | "alliance");
        let summary = |i: usize| {
            let n = &g.nodes[i];
            ActorSummary { id: n.id.clone(), name: n.name.clone(), kind: n.kind.clone(), state: n.state.clone() }
        };
        let all = 0..g.nodes.len();
        let lists: [Vec<usize>; 5] = [
            all.clone()
                .filter(|&i| producer(i) && g.nodes[i].organic_status.as_deref() == Some("in_conversion"))
                .filter(|&i| !around[i].iter().any(|&(_, o)| certifier(o)))
                .collect(),
            all.clone().filter(|&i| producer(i) && !around[i].iter().any(|&(k, _)| k == "provides_technical_assistance")).collect(),
            all.clone().filter(|&i| producer(i) && !around[i].iter().any(|&(k, o)| trade(k) && buyer(o))).collect(),
            all.clone().filter(|&i| buyer(i) && !around[i].iter().any(|&(k, o)| trade(k) && producer(o))).collect(),
            all.filter(|&i| around[i].is_empty()).collect(),
        ];
        Ok(GAP_REPORTS
            .iter()
            .zip(lists)
            .map(|((name, title), list)| GapReport {
                name: name.to_string(),
                title: title.to_string(),
                actors: list.into_iter().map(summary).collect(),
            })
            .collect())
    }
}

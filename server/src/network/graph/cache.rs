//! The whole graph in memory, as of one generation of the database's graph: each write to actors
//! or relations moves the generation on (`network_meta:graph`), and the next question that needs
//! the whole graph reads it again, in pages — beside the graph in use, which is swapped for the
//! new one once it is built, so that no reader waits on a reload while there is a graph to read.

use std::{
    collections::HashMap,
    sync::{Arc, OnceLock},
};

use shared::{
    network::{ActorMetricsView, GraphEdge, GraphNode, NetworkMetrics},
    text::fold,
    AppError,
};
use surrealdb::types::SurrealValue;

use super::{super::SurrealNetwork, algorithms::Network};
use crate::db::{is_conflict, WRITE_ATTEMPTS};

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct NodeRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) state: Option<String>,
    pub(crate) organic_status: Option<String>,
    pub(crate) products: Vec<String>,
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct EdgeRow {
    pub(crate) id: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) kind: String,
}

/// Rows per read when the graph is loaded into memory.
const GRAPH_PAGE: usize = 10_000;

/// The fields of an actor the graph holds: a change to any other leaves the loaded graph as it
/// is (a profile's description, contacts, tags…).
pub(crate) const GRAPH_FIELDS: [&str; 5] = ["name", "kind", "state", "organic_status", "products"];

/// The whole graph as of one generation, with what is computed from it on demand.
pub(crate) struct LoadedGraph {
    pub(crate) generation: i64,
    pub(crate) nodes: Vec<NodeRow>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) edges: Vec<EdgeRow>,
    /// Per unordered pair of actors, the relations between them (edge indexes).
    pub(crate) between: HashMap<(usize, usize), Vec<usize>>,
    pub(crate) network: Network,
    pub(crate) metrics: OnceLock<NetworkMetrics>,
}

impl LoadedGraph {
    pub(crate) fn new(generation: i64, nodes: Vec<NodeRow>, edges: Vec<EdgeRow>) -> Self {
        let index: HashMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let mut edges: Vec<EdgeRow> = edges.into_iter().filter(|e| index.contains_key(&e.from) && index.contains_key(&e.to)).collect();
        // By id, so that an edge a traversal names is found by a binary search.
        edges.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut between: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            let (a, b) = (index[&e.from], index[&e.to]);
            between.entry((a.min(b), a.max(b))).or_default().push(i);
        }
        let network = Network::new(nodes.iter().map(|n| n.id.clone()), edges.iter().map(|e| (e.from.clone(), e.to.clone())));
        LoadedGraph { generation, nodes, index, edges, between, network, metrics: OnceLock::new() }
    }

    pub(crate) fn node(&self, i: usize) -> GraphNode {
        let n = &self.nodes[i];
        GraphNode { id: n.id.clone(), name: n.name.clone(), kind: n.kind.clone(), state: n.state.clone() }
    }

    /// The position of a relation (or, with `alliance`, an alliance) by its id.
    pub(crate) fn edge_by_id(&self, id: &str, alliance: bool) -> Option<usize> {
        let first = self.edges.partition_point(|e| e.id.as_str() < id);
        self.edges[first..].iter().take_while(|e| e.id == id).position(|e| (e.kind == "alliance") == alliance).map(|p| first + p)
    }

    pub(crate) fn edge(&self, i: usize) -> GraphEdge {
        let e = &self.edges[i];
        GraphEdge { id: e.id.clone(), from: e.from.clone(), to: e.to.clone(), kind: e.kind.clone() }
    }

    pub(crate) fn metrics(&self) -> &NetworkMetrics {
        self.metrics.get_or_init(|| {
            let raw = self.network.metrics();
            let components = raw.iter().map(|m| m.component + 1).max().unwrap_or(0);
            let mut actors: Vec<ActorMetricsView> = raw
                .into_iter()
                .filter_map(|m| {
                    let n = &self.nodes[*self.index.get(&m.id)?];
                    Some(ActorMetricsView {
                        id: m.id,
                        name: n.name.clone(),
                        kind: n.kind.clone(),
                        degree: m.degree,
                        betweenness: m.betweenness,
                        component: m.component,
                    })
                })
                .collect();
            actors.sort_by(|a, b| {
                b.betweenness.total_cmp(&a.betweenness).then(b.degree.cmp(&a.degree)).then_with(|| fold(&a.name).cmp(&fold(&b.name)))
            });
            NetworkMetrics { actors, components, sampled: self.network.sampled() }
        })
    }
}

impl SurrealNetwork {
    /// Tells every process that the graph changed (actors added or removed, what the graph shows
    /// of one changed, relations, alliances): the generation moves on, and the loaded graphs are
    /// read again when next needed. The one place that writes the generation. It is its own
    /// statement, after the write that changed the graph, so that writes do not conflict over
    /// this one record; tried again on a conflict (a generation moved on twice is harmless).
    pub(crate) async fn graph_changed(&self) {
        for attempt in 0..WRITE_ATTEMPTS {
            match self.db.query("UPDATE network_meta:graph SET generation += 1").await.and_then(|r| r.check()) {
                Ok(_) => return,
                Err(e) if is_conflict(&e) => tokio::time::sleep(std::time::Duration::from_millis(1 << attempt.min(6))).await,
                Err(e) => {
                    tracing::error!(%e, "could not move the graph's generation on");
                    return;
                }
            }
        }
        tracing::error!("the graph's generation could not be moved on: too many conflicts");
    }

    /// The graph in use, if one was loaded.
    fn current_graph(&self) -> Option<Arc<LoadedGraph>> {
        self.graph.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The graph as of the database's current generation, loaded again when it moved on. While
    /// another request is loading a newer one, the graph in use answers at once (a reader never
    /// waits on someone else's reload); only the first question ever waits for the first load.
    pub(crate) async fn loaded(&self) -> Result<Arc<LoadedGraph>, AppError> {
        let generation: Option<i64> =
            self.db.query("SELECT VALUE generation FROM ONLY network_meta:graph").fetch("read the network's generation").await?;
        let generation = generation.unwrap_or(0);
        let current = self.current_graph();
        if let Some(g) = current.as_ref().filter(|g| g.generation >= generation) {
            return Ok(g.clone());
        }
        // When the graph in use has had its metrics asked for, the new one has them worked out
        // before it replaces it: whoever asks for them meanwhile reads the old ones at once.
        let with_metrics = current.as_ref().is_some_and(|g| g.metrics.get().is_some());
        let _loading = match (self.reload.try_lock(), current) {
            (Ok(guard), _) => guard,
            (Err(_), Some(in_use)) => return Ok(in_use),
            (Err(_), None) => self.reload.lock().await,
        };
        // Loaded by someone else meanwhile?
        if let Some(g) = self.current_graph().filter(|g| g.generation >= generation) {
            return Ok(g);
        }
        let mut nodes: Vec<NodeRow> =
            self.read_in_pages("actor", &format!("record::id(id) AS id, {}", GRAPH_FIELDS.join(", ")), GRAPH_PAGE).await?;
        let edge = "record::id(id) AS id, record::id(in) AS from, record::id(out) AS to";
        let mut edges: Vec<EdgeRow> = self.read_in_pages("relation", &format!("{edge}, kind"), GRAPH_PAGE).await?;
        edges.extend(self.read_in_pages::<EdgeRow>("alliance", &format!("{edge}, 'alliance' AS kind"), GRAPH_PAGE).await?);
        nodes.sort_by_cached_key(|n| fold(&n.name));
        let graph = crate::work::blocking("load the network", move || {
            let graph = LoadedGraph::new(generation, nodes, edges);
            if with_metrics {
                graph.metrics();
            }
            graph
        })
        .await?;
        let graph = Arc::new(graph);
        let mut slot = self.graph.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.as_ref().is_none_or(|g| g.generation < graph.generation) {
            *slot = Some(graph.clone());
        }
        Ok(graph)
    }

    /// Every row of `table` with `fields`, read in pages: the database's rows for a whole table of
    /// relations at once would cost several times the graph they become, for as long as the read
    /// takes.
    pub(crate) async fn read_in_pages<T: SurrealValue>(&self, table: &str, fields: &str, page_rows: usize) -> Result<Vec<T>, AppError> {
        let mut rows: Vec<T> = Vec::new();
        loop {
            let page: Vec<T> = self
                .db
                .query(format!("SELECT {fields} FROM {table} LIMIT $limit START $start"))
                .bind(("limit", page_rows as i64))
                .bind(("start", rows.len() as i64))
                .fetch("load the network")
                .await?;
            let last = page.len() < page_rows;
            rows.extend(page);
            if last {
                return Ok(rows);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// While one request loads a newer graph, others are answered at once from the graph in use;
    /// once it is loaded, the newer one is read.
    #[tokio::test]
    async fn readers_do_not_wait_on_a_reload() {
        let db = crate::db::connect(&crate::config::DbConfig::memory()).await.unwrap();
        db.query("CREATE actor CONTENT { name: 'Cooperativa Um', name_folded: 'cooperativa um', kind: 'cooperative' }")
            .await
            .and_then(|r| r.check())
            .unwrap();
        let network = SurrealNetwork::new(db.clone());
        let first = network.loaded().await.unwrap();
        assert_eq!(first.nodes.len(), 1);
        db.query("CREATE actor CONTENT { name: 'Cooperativa Dois', name_folded: 'cooperativa dois', kind: 'cooperative' }")
            .await
            .and_then(|r| r.check())
            .unwrap();
        network.graph_changed().await;
        // Someone is loading the newer graph: the graph in use answers, without waiting.
        let loading = network.reload.lock().await;
        let during = tokio::time::timeout(std::time::Duration::from_secs(5), network.loaded()).await.expect("no wait").unwrap();
        assert!(Arc::ptr_eq(&during, &first), "the graph in use, while the other is loaded");
        drop(loading);
        let after = network.loaded().await.unwrap();
        assert_eq!((after.nodes.len(), after.generation > first.generation), (2, true));
        assert!(Arc::ptr_eq(&network.loaded().await.unwrap(), &after), "kept until the graph changes again");
    }

    /// A graph whose metrics were asked for is replaced by one whose metrics are already worked
    /// out (nobody waits for them after a change); a graph nobody asked metrics of is not.
    #[tokio::test]
    async fn a_new_graph_comes_with_its_metrics_once_they_are_in_use() {
        let db = crate::db::connect(&crate::config::DbConfig::memory()).await.unwrap();
        let network = SurrealNetwork::new(db.clone());
        let add = |name: &'static str| {
            let db = db.clone();
            async move {
                db.query("CREATE actor CONTENT { name: $name, name_folded: $name, kind: 'cooperative' }")
                    .bind(("name", name))
                    .await
                    .and_then(|r| r.check())
                    .unwrap();
            }
        };
        add("um").await;
        let first = network.loaded().await.unwrap();
        add("dois").await;
        network.graph_changed().await;
        let second = network.loaded().await.unwrap();
        assert!(second.metrics.get().is_none(), "nobody asked for the metrics yet");
        assert_eq!(second.metrics().actors.len(), 2);
        add("tres").await;
        network.graph_changed().await;
        let third = network.loaded().await.unwrap();
        assert!(!Arc::ptr_eq(&third, &second) && !Arc::ptr_eq(&third, &first));
        assert_eq!(third.metrics.get().map(|m| m.actors.len()), Some(3), "worked out before it was put in use");
    }

    #[tokio::test]
    pub(crate) async fn a_table_read_in_pages_is_read_whole_and_once() {
        let db = crate::db::connect(&crate::config::DbConfig::memory()).await.unwrap();
        db.query("FOR $i IN 0..7 { CREATE type::record('paged', <string> $i) };").await.and_then(|r| r.check()).unwrap();
        let network = SurrealNetwork::new(db);
        // Pages that end short, that end exactly at the last row, and one larger than the table.
        for page_rows in [3, 7, 100] {
            let mut ids: Vec<String> = network.read_in_pages("paged", "VALUE record::id(id)", page_rows).await.unwrap();
            ids.sort();
            assert_eq!(ids, (0..7).map(|i| i.to_string()).collect::<Vec<_>>(), "pages of {page_rows}");
        }
    }
}

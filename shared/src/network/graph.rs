//! Views built on the graph: parts of the network, neighbourhoods and paths, metrics, gaps.

use serde::{Deserialize, Serialize};

/// A node of a graph answer: an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphNode {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
}

/// An edge of a graph answer: a relation (or an alliance), `from` → `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: String,
}

/// A part of the network: actors and the relations between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// Which part of the network to show: actors of these kinds and states (empty: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphFilter {
    pub kinds: Vec<String>,
    pub states: Vec<String>,
}

/// An actor's place in the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorMetricsView {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// How many relations it takes part in, either way.
    pub degree: usize,
    /// Betweenness centrality: how many shortest chains between other actors pass through it.
    pub betweenness: f64,
    /// Its connected component, 0 the largest.
    pub component: usize,
}

/// A whole-network summary with every actor's metrics, the brokers first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkMetrics {
    pub actors: Vec<ActorMetricsView>,
    pub components: usize,
    /// True when betweenness was estimated from a sample of actors (large networks).
    pub sampled: bool,
}

/// The names of the gap reports, in the order shown, with what each lists.
pub const GAP_REPORTS: [(&str, &str); 5] = [
    ("in_conversion_without_certification", "Cooperatives in conversion with no certification body or OPAC"),
    ("producers_without_technical_assistance", "Producer organisations with no technical assistance"),
    ("producers_without_buyer", "Producer organisations with no buyer"),
    ("buyers_without_producer", "Buyers with no producer supplier"),
    ("isolated", "Actors with no relation at all"),
];

/// An actor listed by a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapReport {
    pub name: String,
    pub title: String,
    pub actors: Vec<ActorSummary>,
}

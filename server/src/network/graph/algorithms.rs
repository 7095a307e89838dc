//! The network as a graph, for what needs all of it at once: connected components, degree and
//! betweenness centrality (who are the brokers), and the shortest chain of relations between
//! two actors whatever their direction. Built from the actors and relations read from the
//! database; centrality is computed by rustworkx-core over a petgraph graph.

use std::collections::{HashMap, HashSet, VecDeque};

use rustworkx_core::{
    centrality::betweenness_centrality,
    petgraph::graph::{NodeIndex, UnGraph},
};

/// Above this many actors, betweenness is computed on several threads.
const PARALLEL_THRESHOLD: usize = 200;

/// Up to this many actors betweenness is exact; above, it is estimated from `SAMPLE` actors'
/// shortest chains (Brandes' algorithm from a sample of sources, scaled up), which keeps the
/// metrics of a 25,000-actor network within seconds.
pub const EXACT_LIMIT: usize = 3_000;
const SAMPLE: usize = 400;

/// An actor's place in the network.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMetrics {
    pub id: String,
    /// The relations it takes part in, in either direction.
    pub degree: usize,
    /// How many shortest chains between two other actors pass through it (pairs counted once,
    /// a pair with several shortest chains shared between them): 0 for an actor no chain needs.
    pub betweenness: f64,
    /// Its connected component, numbered from 0 by size (the largest first), then by its first actor.
    pub component: usize,
}

/// The actors and the undirected links between them (several relations between two actors,
/// whatever their kinds and directions, are one link for paths and centrality).
pub struct Network {
    graph: UnGraph<String, ()>,
    index: HashMap<String, NodeIndex>,
    degree: HashMap<NodeIndex, usize>,
}

impl Network {
    /// `relations` are `(from, to)` actor ids; a relation naming an actor not among `actors`
    /// adds it, and a relation of an actor with itself counts for its degree only.
    pub fn new(actors: impl IntoIterator<Item = String>, relations: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut graph = UnGraph::<String, ()>::default();
        let mut index = HashMap::new();
        let mut node = |graph: &mut UnGraph<String, ()>, id: String| *index.entry(id.clone()).or_insert_with(|| graph.add_node(id));
        for a in actors {
            node(&mut graph, a);
        }
        let mut degree: HashMap<NodeIndex, usize> = HashMap::new();
        let mut linked = HashSet::new();
        for (from, to) in relations {
            let (a, b) = (node(&mut graph, from), node(&mut graph, to));
            *degree.entry(a).or_default() += 1;
            if a == b {
                continue;
            }
            *degree.entry(b).or_default() += 1;
            if linked.insert((a.min(b), a.max(b))) {
                graph.add_edge(a, b, ());
            }
        }
        Network { graph, index, degree }
    }

    pub fn actor_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Whether `metrics` estimates betweenness from a sample (a large network).
    pub fn sampled(&self) -> bool {
        self.graph.node_count() > EXACT_LIMIT
    }

    /// Every actor's degree, betweenness and component, in the order actors were added.
    pub fn metrics(&self) -> Vec<ActorMetrics> {
        let betweenness: Vec<Option<f64>> = if self.sampled() {
            let n = self.graph.node_count();
            // Evenly spread sources: deterministic, and no part of the list is left out.
            let sources = (0..SAMPLE).map(|i| i * n / SAMPLE);
            self.brandes(sources, n as f64 / SAMPLE as f64).into_iter().map(Some).collect()
        } else {
            betweenness_centrality(&self.graph, false, false, PARALLEL_THRESHOLD)
        };
        let components = self.components();
        self.graph
            .node_indices()
            .map(|n| ActorMetrics {
                id: self.graph[n].clone(),
                degree: self.degree.get(&n).copied().unwrap_or(0),
                betweenness: betweenness.get(n.index()).copied().flatten().unwrap_or(0.0),
                component: components[n.index()],
            })
            .collect()
    }

    /// Betweenness by Brandes' algorithm from the given source actors (node indexes), each
    /// pair's share counted once and multiplied by `scale`: with every actor as a source and a
    /// scale of 1, the exact value (as networkx and rustworkx give it).
    fn brandes(&self, sources: impl Iterator<Item = usize>, scale: f64) -> Vec<f64> {
        let n = self.graph.node_count();
        let adjacency: Vec<Vec<usize>> = self.graph.node_indices().map(|v| self.graph.neighbors(v).map(|w| w.index()).collect()).collect();
        let mut score = vec![0.0; n];
        let (mut sigma, mut dist, mut delta) = (vec![0.0f64; n], vec![usize::MAX; n], vec![0.0f64; n]);
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut order: Vec<usize> = Vec::with_capacity(n);
        let mut queue = VecDeque::new();
        for s in sources {
            for &v in &order {
                (sigma[v], dist[v], delta[v]) = (0.0, usize::MAX, 0.0);
                preds[v].clear();
            }
            order.clear();
            (sigma[s], dist[s]) = (1.0, 0);
            queue.push_back(s);
            while let Some(v) = queue.pop_front() {
                order.push(v);
                for &w in &adjacency[v] {
                    if dist[w] == usize::MAX {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                    if dist[w] == dist[v] + 1 {
                        sigma[w] += sigma[v];
                        preds[w].push(v);
                    }
                }
            }
            for &w in order.iter().rev() {
                for &v in &preds[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
                if w != s {
                    score[w] += delta[w];
                }
            }
        }
        // Every pair was met from both ends.
        score.into_iter().map(|b| b * scale / 2.0).collect()
    }

    /// Each actor's component number (see `ActorMetrics::component`), by node index.
    fn components(&self) -> Vec<usize> {
        let n = self.graph.node_count();
        let mut raw = vec![usize::MAX; n];
        let mut sizes: Vec<(usize, usize)> = Vec::new(); // (size, first node) per raw component
        for start in self.graph.node_indices() {
            if raw[start.index()] != usize::MAX {
                continue;
            }
            let c = sizes.len();
            let mut size = 0;
            let mut queue = VecDeque::from([start]);
            raw[start.index()] = c;
            while let Some(x) = queue.pop_front() {
                size += 1;
                for y in self.graph.neighbors(x) {
                    if raw[y.index()] == usize::MAX {
                        raw[y.index()] = c;
                        queue.push_back(y);
                    }
                }
            }
            sizes.push((size, start.index()));
        }
        let mut order: Vec<usize> = (0..sizes.len()).collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(sizes[c].0), sizes[c].1));
        let mut renumber = vec![0; sizes.len()];
        for (new, old) in order.into_iter().enumerate() {
            renumber[old] = new;
        }
        raw.into_iter().map(|c| renumber[c]).collect()
    }

    /// The actors on a shortest chain of relations from `from` to `to` (both included), whatever
    /// the relations' directions; among chains of equal length, the one through actors added
    /// first. None when either is unknown or nothing links them.
    pub fn shortest_path(&self, from: &str, to: &str) -> Option<Vec<String>> {
        let (&a, &b) = (self.index.get(from)?, self.index.get(to)?);
        let mut previous: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut queue = VecDeque::from([a]);
        let mut seen = HashSet::from([a]);
        while let Some(x) = queue.pop_front() {
            if x == b {
                let mut path = vec![b];
                while let Some(&p) = previous.get(path.last()?) {
                    path.push(p);
                }
                path.reverse();
                return Some(path.into_iter().map(|n| self.graph[n].clone()).collect());
            }
            let mut next: Vec<NodeIndex> = self.graph.neighbors(x).filter(|y| !seen.contains(y)).collect();
            next.sort();
            for y in next {
                seen.insert(y);
                previous.insert(y, x);
                queue.push_back(y);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(actors: &[&str], relations: &[(&str, &str)]) -> Network {
        Network::new(actors.iter().map(|a| a.to_string()), relations.iter().map(|(a, b)| (a.to_string(), b.to_string())))
    }

    fn by_id(n: &Network) -> HashMap<String, ActorMetrics> {
        n.metrics().into_iter().map(|m| (m.id.clone(), m)).collect()
    }

    #[test]
    fn the_centre_of_a_star_is_the_broker_of_every_pair() {
        // A cooperative selling to four buyers that know nobody else.
        let n = net(&["coop", "b1", "b2", "b3", "b4"], &[("coop", "b1"), ("b2", "coop"), ("coop", "b3"), ("b4", "coop")]);
        let m = by_id(&n);
        assert_eq!(m["coop"].degree, 4);
        assert_eq!(m["coop"].betweenness, 6.0, "the C(4,2) pairs of buyers");
        assert_eq!(m["b1"].betweenness, 0.0);
        assert!(m.values().all(|x| x.component == 0));
    }

    #[test]
    fn on_a_chain_the_inner_actors_share_the_brokerage() {
        let n = net(&["a", "b", "c", "d"], &[("a", "b"), ("b", "c"), ("c", "d")]);
        let m = by_id(&n);
        assert_eq!((m["a"].betweenness, m["b"].betweenness, m["c"].betweenness, m["d"].betweenness), (0.0, 2.0, 2.0, 0.0));
        // In a square every opposite pair has two shortest chains, and each corner carries half
        // of one pair.
        let sq = net(&["a", "b", "c", "d"], &[("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")]);
        let m = by_id(&sq);
        assert!(m.values().all(|x| x.betweenness == 0.5), "{m:?}");
    }

    #[test]
    fn several_relations_between_two_actors_count_for_degree_not_for_paths() {
        let n = net(&["coop", "buyer", "bank"], &[("coop", "buyer"), ("buyer", "coop"), ("bank", "coop"), ("coop", "coop")]);
        let m = by_id(&n);
        assert_eq!((m["coop"].degree, m["buyer"].degree, m["bank"].degree), (4, 2, 1));
        assert_eq!(m["coop"].betweenness, 1.0, "only bank–buyer passes through the cooperative");
    }

    proptest::proptest! {
        /// The hand-written Brandes (used, from a sample, for large networks) agrees with
        /// rustworkx-core when every actor is a source.
        #[test]
        fn brandes_from_every_actor_is_exact(edges in proptest::collection::vec((0usize..25, 0usize..25), 0..80)) {
            let actors: Vec<String> = (0..25).map(|i| format!("a{i}")).collect();
            let n = Network::new(actors.clone(), edges.iter().map(|(a, b)| (format!("a{a}"), format!("a{b}"))));
            let exact = betweenness_centrality(&n.graph, false, false, PARALLEL_THRESHOLD);
            let ours = n.brandes(0..25, 1.0);
            for (e, o) in exact.iter().zip(&ours) {
                proptest::prop_assert!((e.unwrap_or(0.0) - o).abs() < 1e-9, "{e:?} vs {o}");
            }
        }
    }

    #[test]
    fn a_large_network_is_estimated_from_a_sample() {
        // A long chain: the middle carries about a quarter of all pairs, the ends none.
        let k = EXACT_LIMIT + 1_000;
        let actors: Vec<String> = (0..k).map(|i| i.to_string()).collect();
        let n = Network::new(actors.clone(), (1..k).map(|i| ((i - 1).to_string(), i.to_string())));
        assert!(n.sampled());
        let m = n.metrics();
        let exact_middle = ((k / 2) * (k - 1 - k / 2)) as f64;
        let ratio = m[k / 2].betweenness / exact_middle;
        assert!((0.9..1.1).contains(&ratio), "estimate within 10 %: {ratio}");
        assert_eq!(m[0].betweenness, 0.0);
    }

    #[test]
    fn components_are_numbered_by_size_and_isolated_actors_are_their_own() {
        let n = net(&["lone", "a", "b", "c", "x", "y"], &[("x", "y"), ("a", "b"), ("b", "c")]);
        let m = by_id(&n);
        assert_eq!((m["a"].component, m["b"].component, m["c"].component), (0, 0, 0));
        assert_eq!((m["x"].component, m["y"].component), (1, 1));
        assert_eq!((m["lone"].component, m["lone"].degree), (2, 0));
    }

    #[test]
    fn the_shortest_path_ignores_direction_and_prefers_earlier_actors() {
        let n = net(
            &["coop", "ater", "bank", "buyer", "far"],
            &[("ater", "coop"), ("coop", "bank"), ("bank", "buyer"), ("ater", "buyer"), ("far", "far")],
        );
        assert_eq!(n.shortest_path("coop", "buyer").unwrap(), vec!["coop", "ater", "buyer"]);
        assert_eq!(n.shortest_path("buyer", "coop").unwrap(), vec!["buyer", "ater", "coop"]);
        assert_eq!(n.shortest_path("coop", "coop").unwrap(), vec!["coop"]);
        assert_eq!(n.shortest_path("coop", "far"), None, "not linked");
        assert_eq!(n.shortest_path("coop", "nobody"), None, "unknown");
    }
}

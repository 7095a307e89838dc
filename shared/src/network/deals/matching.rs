//! Buyer matching: for a producer organisation, the buyers ranked by fit, with the reasons for
//! each suggestion — products in common, the same or a neighbouring state, and the organic
//! producers the buyer already buys from.

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// Brazil's states and the states each borders.
pub const BRAZIL_NEIGHBOURS: [(&str, &[&str]); 27] = [
    ("AC", &["AM", "RO"]),
    ("AL", &["BA", "PE", "SE"]),
    ("AM", &["AC", "MT", "PA", "RO", "RR"]),
    ("AP", &["PA"]),
    ("BA", &["AL", "ES", "GO", "MG", "PE", "PI", "SE", "TO"]),
    ("CE", &["PB", "PE", "PI", "RN"]),
    ("DF", &["GO", "MG"]),
    ("ES", &["BA", "MG", "RJ"]),
    ("GO", &["BA", "DF", "MG", "MS", "MT", "TO"]),
    ("MA", &["PA", "PI", "TO"]),
    ("MG", &["BA", "DF", "ES", "GO", "MS", "RJ", "SP"]),
    ("MS", &["GO", "MG", "MT", "PR", "SP"]),
    ("MT", &["AM", "GO", "MS", "PA", "RO", "TO"]),
    ("PA", &["AM", "AP", "MA", "MT", "RR", "TO"]),
    ("PB", &["CE", "PE", "RN"]),
    ("PE", &["AL", "BA", "CE", "PB", "PI"]),
    ("PI", &["BA", "CE", "MA", "PE", "TO"]),
    ("PR", &["MS", "SC", "SP"]),
    ("RJ", &["ES", "MG", "SP"]),
    ("RN", &["CE", "PB"]),
    ("RO", &["AC", "AM", "MT"]),
    ("RR", &["AM", "PA"]),
    ("RS", &["SC"]),
    ("SC", &["PR", "RS"]),
    ("SE", &["AL", "BA"]),
    ("SP", &["MG", "MS", "PR", "RJ"]),
    ("TO", &["BA", "GO", "MA", "MT", "PA", "PI"]),
];

/// Do these two states share a border?
pub fn neighbouring(a: &str, b: &str) -> bool {
    BRAZIL_NEIGHBOURS.iter().any(|(s, n)| *s == a && n.contains(&b))
}

/// What matching needs to know of an actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchActor {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
    pub products: Vec<String>,
}

/// A buyer with what the network knows of its trade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidate {
    pub actor: MatchActor,
    /// How many organic producers (any organic status but conventional) it already buys from.
    pub organic_suppliers: usize,
    /// It already trades with the producer (then it is not suggested).
    pub already_trades: bool,
}

/// A suggested buyer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuyerMatch {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: Option<String>,
    pub score: f64,
    /// Why it is suggested, in words, the weightiest first.
    pub reasons: Vec<String>,
}

/// Points per product in common, for the same state, a neighbouring state, and each organic
/// supplier the buyer has (up to `MAX_SUPPLIER_POINTS`). A product in common weighs most: one is
/// worth more than every other point together, so a buyer of the producer's very product always
/// ranks above one that buys other things (or records nothing) however near it is.
const PRODUCT_POINTS: f64 = 10.0;
const SAME_STATE_POINTS: f64 = 3.0;
const NEIGHBOUR_POINTS: f64 = 1.5;
const SUPPLIER_POINTS: f64 = 1.0;
const MAX_SUPPLIER_POINTS: f64 = 3.0;
/// Public buyers (municipalities) buy family farmers' food whatever the product (PNAE, PAA).
const PUBLIC_PROCUREMENT_POINTS: f64 = 2.0;
/// A buyer that records no products may still buy the producer's.
const UNKNOWN_PRODUCTS_POINTS: f64 = 1.0;

/// The buyers ranked by fit for `producer`: those with no point of fit and those it already
/// trades with are left out; ties go by name.
pub fn rank(producer: &MatchActor, candidates: &[Candidate]) -> Vec<BuyerMatch> {
    let wanted: Vec<(String, &str)> = producer.products.iter().map(|p| (fold(p), p.as_str())).collect();
    let mut out: Vec<BuyerMatch> = candidates
        .iter()
        .filter(|c| !c.already_trades && c.actor.id != producer.id)
        .filter_map(|c| {
            let mut score = 0.0;
            let mut reasons = Vec::new();
            let theirs: Vec<String> = c.actor.products.iter().map(|p| fold(p)).collect();
            let common: Vec<&str> = wanted.iter().filter(|(f, _)| theirs.contains(f)).map(|(_, p)| *p).collect();
            if !common.is_empty() {
                score += PRODUCT_POINTS * common.len() as f64;
                reasons.push(format!("buys {} too", common.join(", ")));
            } else if c.actor.kind == "municipality" {
                score += PUBLIC_PROCUREMENT_POINTS;
                reasons.push("public procurement (PNAE, PAA) buys from family farmers".to_string());
            } else if theirs.is_empty() {
                score += UNKNOWN_PRODUCTS_POINTS;
                reasons.push("records no products yet".to_string());
            }
            match (producer.state.as_deref(), c.actor.state.as_deref()) {
                (Some(a), Some(b)) if a == b => {
                    score += SAME_STATE_POINTS;
                    reasons.push(format!("in the same state ({b})"));
                }
                (Some(a), Some(b)) if neighbouring(a, b) => {
                    score += NEIGHBOUR_POINTS;
                    reasons.push(format!("in a neighbouring state ({b})"));
                }
                _ => {}
            }
            if c.organic_suppliers > 0 {
                score += (SUPPLIER_POINTS * c.organic_suppliers as f64).min(MAX_SUPPLIER_POINTS);
                reasons.push(match c.organic_suppliers {
                    1 => "already buys from an organic producer".to_string(),
                    n => format!("already buys from {n} organic producers"),
                });
            }
            (score > 0.0).then(|| BuyerMatch {
                id: c.actor.id.clone(),
                name: c.actor.name.clone(),
                kind: c.actor.kind.clone(),
                state: c.actor.state.clone(),
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| fold(&a.name).cmp(&fold(&b.name))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn actor(id: &str, kind: &str, state: &str, products: &[&str]) -> MatchActor {
        MatchActor {
            id: id.into(),
            name: id.into(),
            kind: kind.into(),
            state: Some(state.into()).filter(|s: &String| !s.is_empty()),
            products: products.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn candidate(a: MatchActor, organic_suppliers: usize) -> Candidate {
        Candidate { actor: a, organic_suppliers, already_trades: false }
    }

    #[test]
    fn neighbours_are_symmetric() {
        for (a, ns) in BRAZIL_NEIGHBOURS {
            for b in ns {
                assert!(neighbouring(b, a), "{a} borders {b} but not the reverse");
            }
        }
        assert!(neighbouring("RS", "SC") && !neighbouring("RS", "PR"));
    }

    #[test]
    fn ranks_by_products_place_and_organic_suppliers_with_reasons() {
        let coop = actor("coop", "cooperative", "RS", &["Mel", "feijão"]);
        let ranked = rank(
            &coop,
            &[
                candidate(actor("far-honey", "retailer", "BA", &["mel"]), 0),
                candidate(actor("near-both", "retailer", "SC", &["MEL", "feijao"]), 2),
                candidate(actor("same-state", "food_industry", "RS", &["mel"]), 0),
                candidate(actor("city", "municipality", "RS", &[]), 0),
                candidate(actor("nothing", "retailer", "BA", &["café"]), 0),
            ],
        );
        let order: Vec<&str> = ranked.iter().map(|m| m.id.as_str()).collect();
        // near-both: 20 (two products) + 1.5 (neighbour) + 2 (suppliers) = 23.5; same-state:
        // 10 + 3 = 13; far-honey: 10 (its product outweighs the city's nearness); city: 2 + 3 = 5.
        assert_eq!(order, vec!["near-both", "same-state", "far-honey", "city"]);
        assert_eq!(ranked[0].score, 23.5);
        assert_eq!(
            ranked[0].reasons,
            vec!["buys Mel, feijão too", "in a neighbouring state (SC)", "already buys from 2 organic producers"]
        );
        assert_eq!(ranked[3].reasons[0], "public procurement (PNAE, PAA) buys from family farmers");
    }

    #[test]
    fn a_buyer_of_the_very_product_ranks_above_nearer_buyers_of_other_things() {
        let coop = actor("coop", "cooperative", "RS", &["mel"]);
        let ranked = rank(
            &coop,
            &[
                candidate(actor("city", "municipality", "RS", &[]), 5),
                candidate(actor("coffee", "retailer", "RS", &["café"]), 5),
                candidate(actor("unknown", "retailer", "RS", &[]), 0),
                candidate(actor("honey", "retailer", "AM", &["Mel"]), 0),
            ],
        );
        let order: Vec<&str> = ranked.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(order[0], "honey", "{ranked:?}");
        assert!(order.contains(&"unknown"), "a buyer that records no products can still match");
        assert_eq!(ranked.iter().find(|m| m.id == "unknown").unwrap().reasons[0], "records no products yet");
    }

    #[test]
    fn buyers_it_already_trades_with_are_left_out() {
        let coop = actor("coop", "cooperative", "RS", &["mel"]);
        let mut c = candidate(actor("b", "retailer", "RS", &["mel"]), 0);
        c.already_trades = true;
        assert!(rank(&coop, &[c]).is_empty());
    }

    proptest! {
        #[test]
        fn scores_are_positive_and_sorted(
            states in proptest::collection::vec(proptest::sample::select(vec!["RS", "SC", "PR", "SP", "BA", ""]), 1..12),
            suppliers in proptest::collection::vec(0usize..6, 12),
        ) {
            let coop = actor("coop", "cooperative", "RS", &["mel"]);
            let candidates: Vec<Candidate> = states.iter().enumerate()
                .map(|(i, s)| candidate(actor(&format!("b{i}"), "retailer", s, if i % 2 == 0 { &["mel"] } else { &["café"] }), suppliers[i]))
                .collect();
            let ranked = rank(&coop, &candidates);
            prop_assert!(ranked.iter().all(|m| m.score > 0.0 && !m.reasons.is_empty()));
            prop_assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
            // Every buyer of the product comes before every buyer of something else.
            let buys = |m: &BuyerMatch| m.reasons[0].starts_with("buys");
            let first_other = ranked.iter().position(|m| !buys(m)).unwrap_or(ranked.len());
            prop_assert!(ranked[first_other..].iter().all(|m| !buys(m)));
        }
    }
}

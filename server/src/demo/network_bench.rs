//! The network benchmark's data set (see BENCHMARKS.md): CSV files of `actors` organisations and
//! `relations` relations, as an organiser would import them. A fifth of the actors are producer
//! organisations, and a fifth of the relations link two of them, so the map of the producers
//! (`/network/map?kind=cooperative&kind=producer_association`) is a ~5,000-actor, ~20,000-relation
//! subgraph at full size. Deterministic.

use std::collections::HashSet;

use shared::drafting::sample::Rng;

use super::network::PLACES;

const PRODUCTS: [&str; 12] =
    ["arroz", "feijão", "mel", "hortaliças", "frutas", "leite", "café", "erva-mate", "uva", "mandioca", "cacau", "ovos"];

/// `(kind, weight in hundredths)`: producers 20 %, buyers 30 %, the rest shared.
const KINDS: [(&str, usize); 15] = [
    ("cooperative", 12),
    ("producer_association", 8),
    ("retailer", 12),
    ("food_industry", 6),
    ("municipality", 7),
    ("consumer_group", 5),
    ("technical_assistance", 10),
    ("certification_body", 3),
    ("participatory_guarantee_body", 4),
    ("social_control_organisation", 3),
    ("financial_institution", 7),
    ("public_agent", 6),
    ("research", 6),
    ("ngo", 8),
    ("funder", 3),
];

const RELATION_KINDS: [&str; 8] =
    ["supplies", "buys_from", "finances", "certifies", "provides_technical_assistance", "member_of", "partners_with", "regulates"];

fn kind_of(i: usize) -> &'static str {
    let slot = i % 100;
    let mut acc = 0;
    for (k, w) in KINDS {
        acc += w;
        if slot < acc {
            return k;
        }
    }
    "ngo"
}

fn is_producer(kind: &str) -> bool {
    matches!(kind, "cooperative" | "producer_association")
}

/// The actors file and the relations file (relations name actors by name).
pub fn csv_files(actors: usize, relations: usize) -> (String, String) {
    let mut rng = Rng::new(25_000);
    let mut out = String::from("name,kind,state,municipality,products,organic_status,members\n");
    let names: Vec<String> = (0..actors).map(|i| format!("{} {i:05}", kind_of(i).replace('_', " "))).collect();
    let statuses: Vec<&str> = shared::network::OrganicStatus::ALL.iter().map(|s| s.as_str()).collect();
    for (i, name) in names.iter().enumerate() {
        let kind = kind_of(i);
        let state = PLACES[rng.below(PLACES.len())].0;
        let products = if is_producer(kind) || kind == "retailer" || kind == "food_industry" {
            let a = PRODUCTS[rng.below(PRODUCTS.len())];
            let b = PRODUCTS[rng.below(PRODUCTS.len())];
            if a == b {
                a.to_string()
            } else {
                format!("{a} | {b}")
            }
        } else {
            String::new()
        };
        let (status, members) =
            if is_producer(kind) { (statuses[rng.below(statuses.len())], (20 + rng.below(500)).to_string()) } else { ("", String::new()) };
        out.push_str(&format!("{name},{kind},{state},Município {},{products},{status},{members}\n", rng.below(300)));
    }
    let producers: Vec<usize> = (0..actors).filter(|&i| is_producer(kind_of(i))).collect();
    let mut seen = HashSet::new();
    let mut rel = String::from("from,to,kind,since\n");
    let mut made = 0;
    let mut tries = 0;
    while made < relations && tries < relations * 10 {
        tries += 1;
        // A fifth between producer organisations; the rest between any two, a few hubs (the
        // first hundred actors) drawing more relations, as in real networks.
        let (a, b, kind) = if made % 5 == 0 && producers.len() > 1 {
            (producers[rng.below(producers.len())], producers[rng.below(producers.len())], "partners_with")
        } else {
            let a = if rng.below(10) == 0 { rng.below(actors.min(100)) } else { rng.below(actors) };
            (a, rng.below(actors), RELATION_KINDS[rng.below(RELATION_KINDS.len())])
        };
        if a == b || !seen.insert((a, b, kind)) {
            continue;
        }
        rel.push_str(&format!("{},{},{kind},{}\n", names[a], names[b], 2010 + rng.below(16)));
        made += 1;
    }
    (out, rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::transfer::{csv_file, import};
    use shared::network::{ActorKind, RelationKind, ACTOR_KINDS, RELATION_KINDS};

    #[test]
    fn the_files_import_without_errors() {
        let (actors, relations) = csv_files(500, 2_000);
        let kinds: Vec<ActorKind> =
            ACTOR_KINDS.iter().map(|(k, l)| ActorKind { id: k.to_string(), label: l.to_string(), producer: false, buyer: false }).collect();
        let (good, errors) = import::actors(&csv_file::read(actors.as_bytes()).unwrap(), &kinds).unwrap();
        assert_eq!((good.len(), errors.len()), (500, 0), "{errors:?}");
        let ids = good.iter().map(|(_, a)| (shared::text::fold(&a.name), a.name.clone())).collect();
        let rkinds: Vec<RelationKind> =
            RELATION_KINDS[..8].iter().map(|(k, l)| RelationKind { id: k.to_string(), label: l.to_string() }).collect();
        let (good, errors) = import::relations(&csv_file::read(relations.as_bytes()).unwrap(), &rkinds, &ids).unwrap();
        assert_eq!((good.len(), errors.len()), (2_000, 0), "{errors:?}");
        let producers = good.iter().filter(|(_, r)| r.kind == "partners_with").count();
        assert!(producers >= 400, "a fifth link producers: {producers}");
    }
}

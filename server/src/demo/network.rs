//! The demo network: the hand-written actors of `actors.tsv` and about a hundred more made up
//! from real municipalities, every one with a profile, and about 400 relations drawn by rules a
//! programme officer would recognise (cooperatives supply buyers near them, ATER assists
//! producers, certifiers certify the certified ones, banks finance…), leaving some true gaps for
//! the gap reports to find. Deterministic: the same network on every run.

use std::collections::HashSet;

use shared::{
    drafting::sample::Rng,
    network::{matching::neighbouring, NewActor},
    text::fold,
};

/// Municipalities per state, for the made-up actors.
pub(super) const PLACES: [(&str, &[&str]); 11] = [
    ("RS", &["Pelotas", "Canguçu", "Antônio Prado", "Nova Petrópolis", "Santa Maria", "Erechim", "Porto Alegre"]),
    ("SC", &["Concórdia", "Lages", "Rio do Sul", "Joinville", "Florianópolis", "São Miguel do Oeste"]),
    ("PR", &["Lapa", "Cascavel", "Londrina", "Curitiba", "Pato Branco", "Guarapuava"]),
    ("SP", &["Botucatu", "Registro", "Campinas", "Ibiúna", "São Paulo"]),
    ("MG", &["Montes Claros", "Poços de Caldas", "Belo Horizonte", "Viçosa", "Lavras"]),
    ("BA", &["Vitória da Conquista", "Ilhéus", "Juazeiro", "Salvador"]),
    ("PE", &["Petrolina", "Garanhuns", "Recife"]),
    ("CE", &["Crato", "Quixadá", "Fortaleza"]),
    ("GO", &["Anápolis", "Goiânia"]),
    ("RJ", &["Nova Friburgo", "Petrópolis", "Rio de Janeiro"]),
    ("DF", &["Brasília"]),
];

const PRODUCTS: [&str; 18] = [
    "arroz",
    "feijão",
    "mel",
    "hortaliças",
    "frutas",
    "leite",
    "café",
    "erva-mate",
    "uva",
    "mandioca",
    "milho",
    "cacau",
    "castanha",
    "ovos",
    "queijo",
    "suco de uva",
    "banana",
    "tomate",
];

/// Made-up actors per kind: `(kind, how many, name patterns)`; `{m}` is the municipality.
const MADE_UP: [(&str, usize, &[&str]); 15] = [
    ("cooperative", 26, &["Cooperativa Agrícola Familiar de {m}", "Cooperativa Orgânica de {m}", "Cooperativa dos Agricultores de {m}"]),
    ("producer_association", 16, &["Associação dos Produtores Orgânicos de {m}", "Associação de Agricultores Agroecológicos de {m}"]),
    ("public_agent", 5, &["Secretaria de Agricultura de {m}", "Superintendência Federal de Agricultura em {m}"]),
    ("financial_institution", 4, &["Cooperativa de Crédito Rural de {m}", "Agência de Fomento de {m}"]),
    ("certification_body", 3, &["Certificadora Orgânica de {m}", "Instituto de Certificação de {m}"]),
    ("participatory_guarantee_body", 4, &["Associação de Certificação Participativa de {m}", "Rede de Agroecologia de {m} (SPG)"]),
    ("social_control_organisation", 4, &["OCS Feira Livre de {m}", "OCS Agricultores de {m}"]),
    ("retailer", 10, &["Supermercado Bom Dia {m}", "Mercado Natural de {m}", "Empório Orgânico de {m}"]),
    ("food_industry", 6, &["Indústria de Alimentos de {m}", "Agroindústria Sabores de {m}"]),
    ("municipality", 7, &["Prefeitura Municipal de {m}"]),
    ("consumer_group", 5, &["Grupo de Consumo Responsável de {m}", "Célula de Consumidores de {m}"]),
    ("research", 3, &["Universidade Federal de {m} – Núcleo de Agroecologia", "Instituto de Pesquisa Agropecuária de {m}"]),
    ("technical_assistance", 8, &["Escritório de ATER de {m}", "Centro de Assessoria Agroecológica de {m}"]),
    ("ngo", 4, &["Centro de Tecnologias Alternativas de {m}", "Instituto Terra e Vida de {m}"]),
    ("funder", 2, &["Fundo Socioambiental de {m}", "Fundação Agricultura Sustentável de {m}"]),
];

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

fn is_producer(kind: &str) -> bool {
    matches!(kind, "cooperative" | "producer_association")
}

fn is_buyer(kind: &str) -> bool {
    matches!(kind, "retailer" | "food_industry" | "municipality" | "consumer_group")
}

/// Fills in a profile the hand-written list leaves out: products, organic status, members,
/// description and tags, as fits the kind.
fn profile(rng: &mut Rng, mut a: NewActor) -> NewActor {
    let place = a.municipality.clone().unwrap_or_else(|| "sua região".into());
    if is_producer(&a.kind) || a.kind == "food_industry" {
        let n = 1 + rng.below(3);
        let mut products: Vec<String> = Vec::new();
        while products.len() < n {
            let p = pick(rng, &PRODUCTS).to_string();
            if !products.contains(&p) {
                products.push(p);
            }
        }
        a.products = products;
    }
    if is_buyer(&a.kind) && a.kind != "municipality" {
        a.products = vec![pick(rng, &PRODUCTS).to_string(), pick(rng, &PRODUCTS).to_string()];
        a.products.dedup();
    }
    if is_producer(&a.kind) {
        a.organic_status = Some(
            ["in_conversion", "in_conversion", "certified_audit", "participatory_guarantee", "social_control", "conventional"]
                [rng.below(6)]
            .to_string(),
        );
        a.members = Some(20 + rng.below(400) as u32);
        a.description = format!(
            "Organização de agricultores familiares de {place}. Produz **{}** e vende em feiras, ao PNAE e a mercados da região.",
            a.products.join(", ")
        );
        a.tags = vec!["agricultura familiar".into()];
        if rng.below(3) == 0 {
            a.tags.push("mulheres".into());
        }
        if rng.below(4) == 0 {
            a.tags.push("juventude rural".into());
        }
    } else {
        a.description = match a.kind.as_str() {
            "retailer" => format!("Varejo de alimentos em {place}, com uma seção de orgânicos em crescimento."),
            "food_industry" => format!("Agroindústria de {place} que processa {}.", a.products.join(" e ")),
            "municipality" => format!("Compra pública de alimentos da agricultura familiar (PNAE, PAA) em {place}."),
            "consumer_group" => format!("Consumidores de {place} que compram direto de agricultores, em cestas semanais."),
            "technical_assistance" => format!("Assistência técnica e extensão rural (ATER) para a transição agroecológica em {place}."),
            "certification_body" => "Certificação por auditoria de produtos orgânicos.".to_string(),
            "participatory_guarantee_body" => "Organismo participativo de avaliação da conformidade (OPAC).".to_string(),
            "social_control_organisation" => "Organização de controle social para a venda direta sem certificação.".to_string(),
            "financial_institution" => "Crédito rural e linhas para a transição orgânica.".to_string(),
            "research" => "Pesquisa e extensão em agroecologia e sistemas orgânicos.".to_string(),
            "public_agent" => "Política pública e fiscalização da produção orgânica.".to_string(),
            "funder" => "Financia projetos de agroecologia e de acesso a mercados.".to_string(),
            _ => "Organização da sociedade civil que apoia a agroecologia.".to_string(),
        };
    }
    if rng.below(5) == 0 {
        a.visibility = Some("public".into());
    }
    a
}

/// Every demo actor: the hand-written ones first (their profiles filled in), then the made-up
/// ones; about 150 in all, across eleven states, every kind.
pub fn actors(hand_written: Vec<NewActor>) -> Vec<NewActor> {
    let mut rng = Rng::new(4242);
    let mut out: Vec<NewActor> = hand_written.into_iter().map(|a| profile(&mut rng, a)).collect();
    let mut names: HashSet<String> = out.iter().map(|a| fold(&a.name)).collect();
    for (kind, count, patterns) in MADE_UP {
        let mut made = 0;
        let mut tries = 0;
        while made < count && tries < count * 20 {
            tries += 1;
            let (state, places) = pick(&mut rng, &PLACES);
            let m = pick(&mut rng, places);
            let name = pick(&mut rng, patterns).replace("{m}", m);
            if !names.insert(fold(&name)) {
                continue;
            }
            made += 1;
            let a = NewActor {
                name,
                kind: kind.to_string(),
                state: Some(state.to_string()),
                municipality: Some(m.to_string()),
                ..Default::default()
            };
            out.push(profile(&mut rng, a));
        }
    }
    out
}

/// About 400 relations between `actors` (indexes into the list), by rules.
pub fn relations(actors: &[NewActor]) -> Vec<(usize, usize, &'static str)> {
    let mut rng = Rng::new(777);
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |out: &mut Vec<_>, from: usize, to: usize, kind: &'static str| {
        if from != to && seen.insert((from, to, kind)) {
            out.push((from, to, kind));
        }
    };
    let of = |pred: &dyn Fn(&NewActor) -> bool| -> Vec<usize> { (0..actors.len()).filter(|&i| pred(&actors[i])).collect() };
    let state = |i: usize| actors[i].state.clone().unwrap_or_default();
    let near = |a: usize, b: usize| state(a) == state(b) || neighbouring(&state(a), &state(b));
    let producers = of(&|a| is_producer(&a.kind));
    let buyers = of(&|a| is_buyer(&a.kind));
    let ater = of(&|a| a.kind == "technical_assistance");
    let certifiers = of(&|a| a.kind == "certification_body");
    let opacs = of(&|a| a.kind == "participatory_guarantee_body");
    let ocs = of(&|a| a.kind == "social_control_organisation");
    let banks = of(&|a| a.kind == "financial_institution");
    let funders = of(&|a| a.kind == "funder");
    let ngos = of(&|a| a.kind == "ngo");
    let research = of(&|a| a.kind == "research");
    let public = of(&|a| a.kind == "public_agent");

    for (n, &p) in producers.iter().enumerate() {
        // Trade: most producers supply one to three buyers near them; every ninth has none yet.
        if n % 9 != 4 {
            let mut near_buyers: Vec<usize> = buyers.iter().copied().filter(|&b| near(p, b)).collect();
            if near_buyers.is_empty() {
                near_buyers = buyers.clone();
            }
            for _ in 0..2 + rng.below(3) {
                let b = *pick(&mut rng, &near_buyers);
                if rng.below(3) == 0 {
                    add(&mut out, b, p, "buys_from");
                } else {
                    add(&mut out, p, b, "supplies");
                }
            }
        }
        // Technical assistance: all but every seventh.
        if n % 7 != 3 {
            let near_ater: Vec<usize> = ater.iter().copied().filter(|&t| near(p, t)).collect();
            let t = if near_ater.is_empty() { *pick(&mut rng, &ater) } else { *pick(&mut rng, &near_ater) };
            add(&mut out, t, p, "provides_technical_assistance");
        }
        // Conformity: by status; some in conversion have no certifier yet.
        match actors[p].organic_status.as_deref() {
            Some("certified_audit") => add(&mut out, *pick(&mut rng, &certifiers), p, "certifies"),
            Some("participatory_guarantee") => add(&mut out, *pick(&mut rng, &opacs), p, "certifies"),
            Some("social_control") => add(&mut out, p, *pick(&mut rng, &ocs), "member_of"),
            Some("in_conversion") if n % 2 == 0 => add(&mut out, *pick(&mut rng, &opacs), p, "certifies"),
            _ => {}
        }
        // Credit for half; membership of an NGO network for a third; research partners for some.
        if n % 2 == 0 {
            add(&mut out, *pick(&mut rng, &banks), p, "finances");
        }
        if n % 2 == 0 {
            add(&mut out, p, *pick(&mut rng, &ngos), "member_of");
        }
        if n % 3 == 0 {
            add(&mut out, *pick(&mut rng, &research), p, "partners_with");
        }
        // Cooperatives in the same municipality work together.
        for &q in &producers {
            if q > p && actors[q].municipality == actors[p].municipality && actors[p].municipality.is_some() {
                add(&mut out, p, q, "partners_with");
            }
        }
    }
    for &b in &buyers {
        // Retailers also buy from food industries; public and consumer buyers from producers near them.
        if actors[b].kind == "retailer" && rng.below(2) == 0 {
            let industries = of(&|a| a.kind == "food_industry");
            add(&mut out, *pick(&mut rng, &industries), b, "supplies");
        }
        if matches!(actors[b].kind.as_str(), "municipality" | "consumer_group") {
            let near_producers: Vec<usize> = producers.iter().copied().filter(|&p| near(p, b)).collect();
            if !near_producers.is_empty() {
                add(&mut out, b, *pick(&mut rng, &near_producers), "buys_from");
            }
        }
    }
    for &c in certifiers.iter().chain(&opacs) {
        add(&mut out, *pick(&mut rng, &public), c, "regulates");
    }
    for &t in &ater {
        add(&mut out, *pick(&mut rng, &public), t, "finances");
        add(&mut out, *pick(&mut rng, &research), t, "partners_with");
    }
    for &n in &ngos {
        add(&mut out, *pick(&mut rng, &funders), n, "finances");
    }
    for &f in &funders {
        add(&mut out, f, *pick(&mut rng, &ater), "finances");
    }
    out
}

const FIRST_NAMES: [&str; 20] = [
    "Ana",
    "Bruno",
    "Carla",
    "Daniel",
    "Eliane",
    "Fábio",
    "Gabriela",
    "Hélio",
    "Irene",
    "João",
    "Kátia",
    "Luís",
    "Marta",
    "Nilton",
    "Odete",
    "Paulo",
    "Quitéria",
    "Rafael",
    "Sônia",
    "Tiago",
];
const SURNAMES: [&str; 12] =
    ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Lima", "Araújo", "Ferreira"];
const ROLES: [&str; 5] = ["Presidente", "Técnica de campo", "Tesoureiro", "Coordenadora", "Associado"];

/// Sixty people of the first actors (ids in the order of `actors`), two thirds with consent to
/// record gender and age band, about a third of those young.
pub fn people(actor_ids: &[String]) -> Vec<shared::network::people::NewPerson> {
    use shared::network::people::{NewPerson, Representation};
    let mut rng = Rng::new(60);
    (0..60)
        .map(|i| {
            let name = format!("{} {} {}", FIRST_NAMES[i % 20], SURNAMES[(i * 7) % 12], SURNAMES[(i / 20 + i) % 12]);
            let consent = i % 3 != 2;
            NewPerson {
                email: Some(format!("{}.{i}@example.org", fold(FIRST_NAMES[i % 20]))),
                actors: vec![Representation {
                    actor_id: actor_ids[i % actor_ids.len().max(1)].clone(),
                    role: ROLES[rng.below(ROLES.len())].into(),
                }],
                consent,
                gender: consent.then(|| if i % 2 == 0 { "woman" } else { "man" }.to_string()),
                age_band: consent.then(|| ["18_29", "30_59", "30_59", "60_plus"][rng.below(4)].to_string()),
                name,
                ..Default::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_network_is_the_size_the_issue_asks_for() {
        let actors = actors(super::super::actors());
        assert!((140..=170).contains(&actors.len()), "about 150 actors, got {}", actors.len());
        let states: HashSet<_> = actors.iter().filter_map(|a| a.state.clone()).collect();
        assert!(states.len() >= 6, "{states:?}");
        let relations = relations(&actors);
        assert!((350..=480).contains(&relations.len()), "about 400 relations, got {}", relations.len());
        // Some true gaps, and no relation of an actor with itself.
        assert!(relations.iter().all(|(a, b, _)| a != b));
        let with_buyer: HashSet<usize> =
            relations.iter().filter(|r| matches!(r.2, "supplies" | "buys_from")).flat_map(|r| [r.0, r.1]).collect();
        assert!(actors.iter().enumerate().any(|(i, a)| is_producer(&a.kind) && !with_buyer.contains(&i)));
    }
}

//! Demo data: a believable Brazilian organic-conversion programme, loaded by `MUTIRAO_DEMO=1`
//! into an empty database. Every demo account's password is `mutirao-demo`.

use shared::{accounts::ValidNewUser, network::NewActor, AppError, Caller, Role};

use crate::AppState;

pub mod benchmark;
mod drafting;
pub mod network;
pub mod network_bench;

pub use drafting::zero_draft;
use drafting::{load_published, load_recommendations};

pub const DEMO_PASSWORD: &str = "mutirao-demo";

/// Further demo members, each of one organisation, who amend and take stances on the demo
/// recommendations: `(email, name, organisation)`. Their password is the demo password too.
pub const DEMO_MEMBERS: [(&str, &str, &str); 4] = [
    ("rita@example.org", "Rita Rocha", "Supermercados Colheita Fresca"),
    ("paulo@example.org", "Paulo Pires", "Prefeitura Municipal de Chapecó"),
    ("lucia@example.org", "Lúcia Lima", "Rede Sementes do Sul – Núcleo Serra"),
    ("joao@example.org", "João Jardim", "Banco de Fomento da Agricultura Familiar do Sul"),
];

/// `name, kind, state, municipality`, tab-separated, with a header line.
const ACTORS: &str = include_str!("actors.tsv");

/// The cooperative the demo member belongs to.
pub const MEMBER_COOPERATIVE: &str = "Cooperativa Agroecológica Terra Viva";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
}

pub const ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "admin@example.org", name: "Ana Administradora", roles: &[Role::Admin] },
    DemoAccount { email: "secretariat@example.org", name: "Sérgio da Secretaria", roles: &[Role::Secretariat] },
    DemoAccount { email: "organizer@example.org", name: "Olívia Organizadora", roles: &[Role::Organizer] },
    DemoAccount { email: "member@example.org", name: "Márcio Membro", roles: &[Role::Member] },
];

/// The demo actors, parsed.
pub fn actors() -> Vec<NewActor> {
    ACTORS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t').map(str::trim);
            let mut next = || cols.next().filter(|c| !c.is_empty()).map(str::to_string);
            NewActor {
                name: next().unwrap_or_default(),
                kind: next().unwrap_or_default(),
                state: next(),
                municipality: next(),
                ..Default::default()
            }
        })
        .collect()
}

/// Loads the demo into an empty database; does nothing when any user exists.
/// Returns whether it loaded.
pub async fn load_if_empty(state: &AppState) -> Result<bool, AppError> {
    let (accounts, network) = (&state.accounts, &state.network);
    if !accounts.is_empty().await? {
        return Ok(false);
    }
    let mut secretariat = None;
    let mut member_coop = None;
    let mut actor_ids = std::collections::HashMap::new();
    let all_actors = network::actors(actors());
    let mut ids_in_order = Vec::with_capacity(all_actors.len());
    for actor in all_actors.iter().cloned() {
        let created = network.insert_actor(actor).await?;
        if created.name == MEMBER_COOPERATIVE {
            member_coop = Some(created.id.clone());
        }
        ids_in_order.push(created.id.clone());
        actor_ids.insert(created.name, created.id);
    }
    let mut organizer = None;
    let mut members = Vec::new();
    for account in &ACCOUNTS {
        let actor_ids = if account.roles.contains(&Role::Member) { member_coop.iter().cloned().collect() } else { vec![] };
        let created = accounts
            .insert_user(
                ValidNewUser {
                    email: account.email.into(),
                    name: account.name.into(),
                    roles: account.roles.to_vec(),
                    password: Some(DEMO_PASSWORD.into()),
                    actor_ids,
                },
                None,
            )
            .await?;
        let u = created.user;
        let caller =
            Caller { user_id: u.id, email: u.email, name: u.name, roles: u.roles, actor_ids: u.actors.into_iter().map(|a| a.id).collect() };
        if account.roles.contains(&Role::Organizer) {
            organizer = Some(caller.clone());
        }
        if account.roles.contains(&Role::Secretariat) {
            secretariat = Some(caller);
        } else if account.roles.contains(&Role::Member) {
            members.push(caller);
        }
    }
    for (email, name, organisation) in DEMO_MEMBERS {
        let Some(actor) = actor_ids.get(organisation) else { continue };
        let u = accounts
            .insert_user(
                ValidNewUser {
                    email: email.into(),
                    name: name.into(),
                    roles: vec![Role::Member],
                    password: Some(DEMO_PASSWORD.into()),
                    actor_ids: vec![actor.clone()],
                },
                None,
            )
            .await?
            .user;
        members.push(Caller { user_id: u.id, email: u.email, name: u.name, roles: u.roles, actor_ids: vec![actor.clone()] });
    }
    if let Some(organizer) = &organizer {
        for (from, to, kind) in network::relations(&all_actors) {
            let relation = shared::network::NewRelation {
                from: ids_in_order[from].clone(),
                to: ids_in_order[to].clone(),
                kind: kind.to_string(),
                since: Some(format!("{}", 2015 + (from + to) % 10)),
                ..Default::default()
            };
            state.ports.graph.create_relation(organizer, relation).await?;
        }
        // A dozen buyer meetings, from the matching's own suggestions: some held, one cancelled.
        let producers: Vec<&String> = all_actors
            .iter()
            .zip(&ids_in_order)
            .filter(|(a, _)| matches!(a.kind.as_str(), "cooperative" | "producer_association"))
            .map(|(_, id)| id)
            .collect();
        for (n, producer) in producers.iter().step_by(3).take(12).enumerate() {
            let Some(best) = state.ports.deals.matches(organizer, producer).await?.into_iter().next() else { continue };
            let (status, date, outcome, next_steps) = match n % 4 {
                0 => (
                    "held",
                    Some("2026-09-15"),
                    "Interesse em 2 t/mês de produtos orgânicos; preço a combinar.",
                    "Enviar amostras e a lista de preços.",
                ),
                1 => (
                    "held",
                    Some("2026-10-02"),
                    "O comprador quer o certificado antes de fechar.",
                    "Acompanhar a certificação participativa.",
                ),
                2 => ("proposed", None, "", ""),
                _ => ("cancelled", Some("2026-08-20"), "O comprador desistiu por falta de volume.", ""),
            };
            let meeting = shared::network::NewMeeting {
                producer: producer.to_string(),
                buyer: best.id,
                date: date.map(String::from),
                status: Some(status.into()),
                attendees: if status == "held" { vec!["Olívia Organizadora".into()] } else { vec![] },
                outcome: outcome.into(),
                next_steps: next_steps.into(),
                reasons: best.reasons,
            };
            state.ports.deals.create_meeting(organizer, meeting).await?;
        }
        // Sixty people, most of them with consent to record gender and age band.
        for person in network::people(&ids_in_order) {
            state.ports.people.create_person(organizer, person).await?;
        }
        // Five productive alliances, one at each stage up to active.
        let stages = shared::network::AllianceStage::ALL.iter().take_while(|s| **s != shared::network::AllianceStage::Ended);
        for (stage, producer) in stages.zip(producers.iter().skip(1).step_by(5)) {
            let Some(best) = state.ports.deals.matches(organizer, producer).await?.into_iter().next() else { continue };
            let alliance = shared::network::NewAlliance {
                producer: producer.to_string(),
                buyer: best.id,
                status: Some(stage.as_str().to_string()),
                products: "Hortaliças e frutas orgânicas, classificadas e embaladas na cooperativa".into(),
                quantity: "1,5 t por semana na safra; 600 kg na entressafra".into(),
                delivery: "Duas entregas por semana no centro de distribuição; classificação pelo padrão do comprador".into(),
                payment: "Pagamento em 21 dias; preço de referência da CEASA mais 15 % de prêmio orgânico".into(),
                buyer_contribution: "Assistência técnica na pós-colheita e adiantamento de 20 % para insumos".into(),
                business_plan: "## Plano de negócio\n\n1. Escalonar o plantio para entregas regulares.\n2. Certificar a produção \
                    (conversão em 18 meses).\n3. Investir em câmara fria com o adiantamento do comprador."
                    .into(),
            };
            state.ports.deals.create_alliance(organizer, alliance).await?;
        }
    }
    if let Some(secretariat) = secretariat {
        load_published(state, &secretariat, &members).await?;
        load_recommendations(state, &secretariat, &members).await?;
    }
    tracing::info!("demo data loaded");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::network::ACTOR_KINDS;

    #[test]
    fn demo_actors_are_valid_and_cover_every_kind() {
        let actors = actors();
        let kinds: Vec<_> = ACTOR_KINDS
            .iter()
            .map(|(k, l)| shared::network::ActorKind { id: k.to_string(), label: l.to_string(), producer: false, buyer: false })
            .collect();
        assert!(actors.len() >= 35, "about 40 actors, got {}", actors.len());
        for a in &actors {
            a.validate(&kinds).unwrap_or_else(|e| panic!("{} is invalid: {e}", a.name));
        }
        for (kind, _) in ACTOR_KINDS {
            assert!(actors.iter().any(|a| a.kind == kind), "no demo actor of kind {kind}");
        }
        assert!(actors.iter().any(|a| a.name == MEMBER_COOPERATIVE));
        let mut names: Vec<_> = actors.iter().map(|a| shared::text::fold(&a.name)).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "demo actor names are unique");
    }
}

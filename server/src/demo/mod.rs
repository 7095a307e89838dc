//! Demo data: a believable Brazilian organic-conversion programme, loaded by `MUTIRAO_DEMO=1`
//! into an empty database. Every demo account's password is `mutirao-demo`.

use shared::{
    accounts::ValidNewUser,
    drafting::amendments::{AmendmentKind, Decision, DecisionRequest, NewAmendment, NewStance, StanceKind},
    drafting::comments::{CommentStance, CommentTarget, NewComment},
    drafting::publication::PublishRequest,
    drafting::{
        documents::{DraftParagraph, DraftSave, DraftTheme, NewDocument, NewParagraph, NewTheme},
        DocumentStatus, ParagraphStatus,
    },
    network::NewActor,
    ports::{AmendmentsPort, CommentsPort, DraftingPort},
    AppError, Caller, Role,
};

use crate::AppState;

pub mod benchmark;
pub mod network;
pub mod network_bench;

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

/// The zero draft of the demo's recommendations (see the file for its format).
const RECOMMENDATIONS: &str = include_str!("recommendations.txt");

/// The themes of the demo's zero draft, each with its paragraphs.
pub fn zero_draft() -> Vec<NewTheme> {
    let mut themes: Vec<NewTheme> = Vec::new();
    for line in RECOMMENDATIONS.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(title) = line.strip_prefix("## ") {
            themes.push(NewTheme { title: title.to_string(), paragraphs: vec![] });
        } else if line.starts_with("# ") {
            continue;
        } else if let Some(theme) = themes.last_mut() {
            theme.paragraphs.push(NewParagraph { text: line.to_string() });
        }
    }
    themes
}

/// The demo's recommendations: the zero draft, Rev.1 (comments taken in) and the Chair's
/// proposal (bracketed alternatives for negotiation), the document in negotiation.
async fn load_recommendations(state: &AppState, secretariat: &Caller, members: &[Caller]) -> Result<(), AppError> {
    let drafting = &state.drafting;
    let doc = drafting
        .create_document(
            secretariat,
            NewDocument {
                title: "Recommendations for smallholder organic conversion".into(),
                slug: Some("recommendations-2026".into()),
                summary: Some(
                    "What the network asks of governments, buyers and its own members, under the programme's three themes.".into(),
                ),
                themes: Some(zero_draft()),
                ..Default::default()
            },
        )
        .await?;
    drafting.release_version(secretariat, &doc.id, "Zero draft").await?;

    // Edits of one revision: (theme, paragraph) → new text, or None to delete it; and new
    // paragraphs appended to a theme.
    type Edit = ((usize, usize), Option<&'static str>);
    let revise = |doc: &shared::drafting::documents::DocumentView,
                  edits: &[Edit],
                  added: &[(usize, &'static str)],
                  statuses: &[((usize, usize), ParagraphStatus)]| {
        DraftSave {
            base_version: doc.version,
            themes: doc
                .themes
                .iter()
                .enumerate()
                .map(|(t, theme)| DraftTheme {
                    id: Some(theme.id.clone()),
                    title: theme.title.clone(),
                    paragraphs: theme
                        .paragraphs
                        .iter()
                        .enumerate()
                        .filter_map(|(i, p)| {
                            let text = match edits.iter().find(|(at, _)| *at == (t, i)) {
                                Some((_, None)) => return None,
                                Some((_, Some(new))) => new.to_string(),
                                None => p.text.clone(),
                            };
                            let status = statuses.iter().find(|(at, _)| *at == (t, i)).map(|(_, s)| *s);
                            Some(DraftParagraph { id: Some(p.id.clone()), text, status })
                        })
                        .chain(added.iter().filter(|(at, _)| *at == t).map(|(_, text)| DraftParagraph {
                            id: None,
                            text: text.to_string(),
                            status: None,
                        }))
                        .collect(),
                })
                .collect(),
            ..Default::default()
        }
    };

    let head = drafting.document(secretariat, &doc.id).await?;
    let rev1 = revise(
        &head,
        &[
            ((0, 3), Some("ATER contracts should pay for accompaniment over the whole conversion period (at least three years, and five in the semi-arid region), not for isolated visits.")),
            ((1, 0), Some("Public procurement programmes (PNAE school meals and PAA food acquisition) should pay a premium of up to 30% for certified organic or agroecological products, as the law already allows, and publish each year how much they bought.")),
            ((1, 8), None),
            ((2, 1), Some("Rural credit lines for organic production (Pronaf Agroecologia) should be simplified, with grace periods that match the conversion period.")),
        ],
        &[(1, "Municipalities should reserve part of their school-meal purchases for organic and in-conversion smallholders of their own territory.")],
        &[],
    );
    let head = drafting.save_draft(secretariat, &doc.id, rev1).await?;
    drafting.release_version(secretariat, &doc.id, "Rev.1").await?;

    let chair = revise(
        &head,
        &[
            ((0, 7), Some("Women and young people should make up [at least half][a significant share] of those reached by conversion programmes, with schedules and places that allow them to take part.")),
            ((2, 5), Some("Certification costs for smallholders should be [fully subsidised][subsidised], and participatory guarantee systems strengthened as an equivalent route to the organic seal.")),
        ],
        &[],
        &[((0, 0), ParagraphStatus::Agreed), ((0, 1), ParagraphStatus::Agreed), ((0, 7), ParagraphStatus::Bracketed), ((1, 3), ParagraphStatus::AgreedAdRef), ((2, 5), ParagraphStatus::Bracketed)],
    );
    drafting.save_draft(secretariat, &doc.id, chair).await?;
    drafting.release_version(secretariat, &doc.id, "Chair's proposal").await?;
    drafting.set_status(secretariat, &doc.id, DocumentStatus::Negotiation, None).await?;
    load_amendments(state, secretariat, members, &doc.id).await
}

/// Amendments to the Chair's proposal from five organisations, with stances and decisions:
/// some proposed, one accepted (which leaves a later one to the same paragraph stale), one
/// rejected, one withdrawn.
async fn load_amendments(state: &AppState, secretariat: &Caller, members: &[Caller], doc_id: &str) -> Result<(), AppError> {
    let [marcio, rita, paulo, lucia, joao] = members else { return Ok(()) };
    let port: &dyn AmendmentsPort = state.drafting.as_ref();
    let head = state.drafting.document(secretariat, doc_id).await?;
    let text = |t: usize, i: usize| head.themes[t].paragraphs[i].text.clone();
    let pid = |t: usize, i: usize| head.themes[t].paragraphs[i].id.clone();
    let propose = |who: &Caller, at: (usize, usize), kind: AmendmentKind, text: Option<String>, rationale: &str| {
        let new = NewAmendment {
            paragraph_id: pid(at.0, at.1),
            kind,
            text,
            rationale: rationale.to_string(),
            actor_id: who.actor_ids[0].clone(),
        };
        let who = who.clone();
        async move { port.propose(&who, doc_id, new).await }
    };
    let stance = |who: &Caller, id: String, stance: StanceKind| {
        let (who, actor_id) = (who.clone(), who.actor_ids[0].clone());
        async move { port.set_stance(&who, &id, NewStance { actor_id, stance }).await }
    };
    let reword = |t: usize, i: usize, from: &str, to: &str| {
        let old = text(t, i);
        if old.contains(from) {
            old.replacen(from, to, 1)
        } else {
            format!("{old} {to}")
        }
    };

    let a1 = propose(
        marcio,
        (0, 7),
        AmendmentKind::Replace,
        Some(reword(0, 7, "with schedules and places", "with schedules, places and childcare")),
        "Without childcare, women cannot attend the field days; our members asked for it in every workshop.",
    )
    .await?;
    stance(lucia, a1.id.clone(), StanceKind::Support).await?;
    stance(paulo, a1.id.clone(), StanceKind::Support).await?;
    stance(joao, a1.id.clone(), StanceKind::Oppose).await?;

    let a2 = propose(
        rita,
        (1, 3),
        AmendmentKind::InsertAfter,
        Some("Retailers should give products in conversion shelf space and a fair price during the conversion period, under the terms of their productive alliances.".into()),
        "Conversion is when producers most need a buyer; retailers can commit to it in the alliance agreement.",
    )
    .await?;
    stance(marcio, a2.id.clone(), StanceKind::Support).await?;

    let fairs_stale = propose(
        lucia,
        (1, 2),
        AmendmentKind::Replace,
        Some(reword(1, 2, "organic fairs", "organic and agroecological fairs, including those certified by OPACs,")),
        "Fairs certified by participatory guarantee systems are most of the organic fairs in the South.",
    )
    .await?;
    let fairs = propose(
        paulo,
        (1, 2),
        AmendmentKind::Replace,
        Some(reword(1, 2, "organic fairs", "organic fairs, in every municipality of more than 20,000 inhabitants,")),
        "A measurable commitment that municipalities can plan for.",
    )
    .await?;
    stance(marcio, fairs.id.clone(), StanceKind::Support).await?;
    let _ = fairs_stale;
    port.decide(secretariat, &fairs.id, DecisionRequest { decision: Decision::Accept, text: None, reason: None, current_text: None })
        .await?;

    let bank = propose(
        joao,
        (2, 2),
        AmendmentKind::Replace,
        Some(reword(2, 2, "guarantee funds", "guarantee funds, managed by the banks themselves,")),
        "Banks know their borrowers best.",
    )
    .await?;
    stance(marcio, bank.id.clone(), StanceKind::Oppose).await?;
    port.decide(
        secretariat,
        &bank.id,
        DecisionRequest {
            decision: Decision::Reject,
            text: None,
            reason: Some("The network asked for guarantee funds with cooperative participation in their management (workshop 2).".into()),
            current_text: None,
        },
    )
    .await?;

    let withdrawn = propose(marcio, (2, 8), AmendmentKind::Delete, None, "Covered by the observatory in the paragraph before.").await?;
    port.withdraw(marcio, &withdrawn.id).await?;

    // Two amendments to one paragraph: the secretariat folds the first in with changes and
    // marks the second superseded by it.
    let exchanges = propose(
        lucia,
        (0, 4),
        AmendmentKind::Replace,
        Some(reword(0, 4, "field days", "field days and exchange visits between states")),
        "Our seed guardians learnt most from the visits to the Paraná network.",
    )
    .await?;
    stance(rita, exchanges.id.clone(), StanceKind::Support).await?;
    let visits = propose(
        marcio,
        (0, 4),
        AmendmentKind::Replace,
        Some(reword(0, 4, "field days", "field days and visits to converted farms")),
        "Seeing a converted farm convinces more than any lecture.",
    )
    .await?;
    let decided = reword(0, 4, "field days", "field days and exchange visits between farms and states");
    port.decide(
        secretariat,
        &exchanges.id,
        DecisionRequest { decision: Decision::AcceptWithChanges, text: Some(decided), reason: None, current_text: None },
    )
    .await?;
    port.decide(
        secretariat,
        &visits.id,
        DecisionRequest {
            decision: Decision::Supersede,
            text: None,
            reason: Some(format!("Covered by {}, accepted with changes that include visits to farms.", exchanges.label())),
            current_text: None,
        },
    )
    .await?;

    // Comments: a thread on a paragraph, one on an amendment, one on the whole document
    // (resolved), and one the secretariat hid.
    let comments: &dyn CommentsPort = state.drafting.as_ref();
    let say =
        |who: &Caller, target: CommentTarget, target_id: Option<String>, parent_id: Option<String>, stance: CommentStance, body: &str| {
            let (who, new) = (who.clone(), NewComment { target, target_id, parent_id, stance, body: body.to_string() });
            async move { comments.add_comment(&who, doc_id, new).await }
        };
    let thread = say(
        rita,
        CommentTarget::Paragraph,
        Some(pid(0, 7)),
        None,
        CommentStance::For,
        "Our stores in Chapecó can host the field days on **Saturday mornings**, when most women in the cooperatives can come.",
    )
    .await?;
    say(
        joao,
        CommentTarget::Paragraph,
        Some(pid(0, 7)),
        Some(thread.id.clone()),
        CommentStance::Against,
        "\"At least half\" is a target the extension services cannot meet in the first two years; we prefer a share that grows each year.",
    )
    .await?;
    say(
        lucia,
        CommentTarget::Paragraph,
        Some(pid(0, 7)),
        Some(thread.id),
        CommentStance::For,
        "In the Serra núcleo women are already 46% of the seed guardians: half is within reach.",
    )
    .await?;
    say(
        paulo,
        CommentTarget::Amendment,
        Some(a1.id.clone()),
        None,
        CommentStance::For,
        "The municipality can fund childcare on field days through the social assistance budget.",
    )
    .await?;
    let venue = say(
        paulo,
        CommentTarget::Document,
        None,
        None,
        CommentStance::Neutral,
        "The West's municipalities offer to host the two negotiation days in Chapecó, at the regional agricultural fair grounds.",
    )
    .await?;
    comments.resolve_comment(secretariat, &venue.id, true).await?;
    let off = say(
        joao,
        CommentTarget::Paragraph,
        Some(pid(2, 5)),
        None,
        CommentStance::Against,
        "Call our agency directly for a better deal on certification loans: +55 49 0000-0000.",
    )
    .await?;
    comments
        .hide_comment(secretariat, &off.id, "Advertising: the comment offers a commercial service, not a position on the text.")
        .await?;
    Ok(())
}

/// An earlier charter, negotiated and published: readable by anyone at /r/carta-de-chapeco-2025,
/// with the trail of the amendment that shaped it.
async fn load_published(state: &AppState, secretariat: &Caller, members: &[Caller]) -> Result<(), AppError> {
    let [marcio, rita, ..] = members else { return Ok(()) };
    let drafting = &state.drafting;
    let theme = |title: &str, paragraphs: &[&str]| NewTheme {
        title: title.to_string(),
        paragraphs: paragraphs.iter().map(|p| NewParagraph { text: p.to_string() }).collect(),
    };
    let doc = drafting
        .create_document(
            secretariat,
            NewDocument {
                title: "Carta de Chapecó 2025: seeds and inputs for organic conversion".into(),
                slug: Some("carta-de-chapeco-2025".into()),
                summary: Some("The network's first charter, agreed at the 2025 meeting in Chapecó.".into()),
                themes: Some(vec![
                    theme(
                        "Technical assistance and rural extension",
                        &[
                            "Extension services should train their agents in organic seed production and on-farm input making.",
                            "Every cooperative in conversion should have a technical reference person it can reach each month.",
                        ],
                    ),
                    theme(
                        "Markets and productive alliances",
                        &["Buyers should state in their alliance agreements how they share the cost of organic inputs during conversion."],
                    ),
                    theme(
                        "Finance, credit and certification",
                        &["Credit lines for conversion should accept Creole seed banks and community input centres as investments."],
                    ),
                ]),
                ..Default::default()
            },
        )
        .await?;
    drafting.release_version(secretariat, &doc.id, "Zero draft").await?;
    drafting.set_status(secretariat, &doc.id, DocumentStatus::Negotiation, None).await?;
    let port: &dyn AmendmentsPort = state.drafting.as_ref();
    let first = &doc.themes[0].paragraphs[0];
    let amendment = port
        .propose(
            marcio,
            &doc.id,
            NewAmendment {
                paragraph_id: first.id.clone(),
                kind: AmendmentKind::Replace,
                text: Some(
                    "Extension services should train their agents in organic and Creole seed production and on-farm input making.".into(),
                ),
                rationale: "Creole seeds are what our members keep and exchange.".into(),
                actor_id: marcio.actor_ids[0].clone(),
            },
        )
        .await?;
    port.set_stance(rita, &amendment.id, NewStance { actor_id: rita.actor_ids[0].clone(), stance: StanceKind::Support }).await?;
    port.decide(secretariat, &amendment.id, DecisionRequest { decision: Decision::Accept, text: None, reason: None, current_text: None })
        .await?;
    drafting.release_version(secretariat, &doc.id, "Final").await?;
    drafting.set_status(secretariat, &doc.id, DocumentStatus::Final, None).await?;
    drafting.publish(secretariat, &doc.id, PublishRequest { version: None }).await?;
    Ok(())
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
        let stages = ["prospect", "meeting_held", "negotiating", "agreement_signed", "active"];
        for (stage, producer) in stages.iter().zip(producers.iter().skip(1).step_by(5)) {
            let Some(best) = state.ports.deals.matches(organizer, producer).await?.into_iter().next() else { continue };
            let alliance = shared::network::NewAlliance {
                producer: producer.to_string(),
                buyer: best.id,
                status: Some(stage.to_string()),
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

//! Demo data: a believable Brazilian organic-conversion programme, loaded by `MUTIRAO_DEMO=1`
//! into an empty database. Every demo account's password is `mutirao-demo`.

use shared::{
    accounts::ValidNewUser,
    drafting::amendments::{AmendmentKind, Decision, DecisionRequest, NewAmendment, NewStance, StanceKind},
    drafting::{
        documents::{DraftParagraph, DraftSave, DraftTheme, NewDocument, NewParagraph, NewTheme},
        DocumentStatus, ParagraphStatus,
    },
    network::NewActor,
    ports::{AmendmentsPort, DraftingPort},
    AppError, Caller, Role,
};

use crate::AppState;

pub mod benchmark;

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
            NewActor { name: next().unwrap_or_default(), kind: next().unwrap_or_default(), state: next(), municipality: next() }
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
    for actor in actors() {
        let created = network.insert_actor(actor).await?;
        if created.name == MEMBER_COOPERATIVE {
            member_coop = Some(created.id.clone());
        }
        actor_ids.insert(created.name, created.id);
    }
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
    if let Some(secretariat) = secretariat {
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
        assert!(actors.len() >= 35, "about 40 actors, got {}", actors.len());
        for a in &actors {
            a.validate().unwrap_or_else(|e| panic!("{} is invalid: {e}", a.name));
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

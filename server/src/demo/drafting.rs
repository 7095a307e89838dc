//! The demo's negotiation: the recommendations document from its zero draft through Rev.1 to the
//! Chair's proposal, with members' comments, amendments and stances and the secretariat's
//! decisions, and an earlier document already published.

use shared::{
    drafting::amendments::{AmendmentKind, Decision, DecisionRequest, NewAmendment, NewStance, StanceKind},
    drafting::comments::{CommentStance, CommentTarget, NewComment},
    drafting::publication::PublishRequest,
    drafting::{
        documents::{DraftParagraph, DraftSave, DraftTheme, NewDocument, NewParagraph, NewTheme},
        DocumentStatus, ParagraphStatus,
    },
    ports::{AmendmentsPort, CommentsPort, DraftingPort},
    AppError, Caller,
};

use crate::AppState;

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
pub(super) async fn load_recommendations(state: &AppState, secretariat: &Caller, members: &[Caller]) -> Result<(), AppError> {
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
pub(super) async fn load_published(state: &AppState, secretariat: &Caller, members: &[Caller]) -> Result<(), AppError> {
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

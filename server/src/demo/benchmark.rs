//! The benchmark data set of issue 3 (`Scale::FULL`): one document of 150 paragraphs (~25,000
//! words) with 30 released versions, 1,000 amendments (with stances; some decided) and 5,000
//! comments (some replies), by 20 member organisations. Deterministic. `mutirao admin generate-benchmark-data`
//! writes it into the configured database; `scripts/bench-pages.sh` measures the pages on it.

use shared::{
    accounts::ValidNewUser,
    drafting::{
        amendments::{AmendmentKind, Decision, DecisionRequest, NewAmendment, NewStance, StanceKind},
        comments::{CommentStance, CommentTarget, NewComment},
        sample::{self, Rng},
    },
    network::NewActor,
    ports::{AmendmentsPort, CommentsPort},
    AppError, Caller, Role,
};

use crate::{error::internal, AppState};

pub const SLUG: &str = "benchmark-2026";
pub const SECRETARIAT_EMAIL: &str = "bench-secretariat@example.org";

/// How much to write.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Member organisations, each with one member: bench-member-0@example.org, …
    pub members: usize,
    pub paragraphs: usize,
    pub versions: usize,
    pub amendments: usize,
    pub comments: usize,
}

impl Scale {
    /// The data set of the targets.
    pub const FULL: Scale = Scale { members: 20, paragraphs: 150, versions: 30, amendments: 1_000, comments: 5_000 };
}

/// What was written.
#[derive(Debug, Default)]
pub struct Generated {
    pub amendments: usize,
    pub decided: usize,
    pub stances: usize,
    pub comments: usize,
}

async fn user(state: &AppState, email: String, roles: Vec<Role>, actor_ids: Vec<String>) -> Result<Caller, AppError> {
    let u = state
        .accounts
        .insert_user(
            ValidNewUser {
                name: email.split('@').next().unwrap_or("bench").to_string(),
                email,
                roles,
                password: Some(super::DEMO_PASSWORD.into()),
                actor_ids,
            },
            None,
        )
        .await?
        .user;
    Ok(Caller { user_id: u.id, email: u.email, name: u.name, roles: u.roles, actor_ids: u.actors.into_iter().map(|a| a.id).collect() })
}

/// Writes the data set; refused when the document already exists.
pub async fn generate(state: &AppState, scale: Scale, mut progress: impl FnMut(&str)) -> Result<Generated, AppError> {
    let mut rng = Rng::new(2026);
    let secretariat = user(state, SECRETARIAT_EMAIL.into(), vec![Role::Secretariat], vec![]).await?;
    let mut members = Vec::with_capacity(scale.members);
    for i in 0..scale.members {
        let actor = state
            .network
            .insert_actor(NewActor {
                name: format!("Cooperativa de Referência {i}"),
                kind: "cooperative".into(),
                state: Some("RS".into()),
                ..Default::default()
            })
            .await?;
        members.push(user(state, format!("bench-member-{i}@example.org"), vec![Role::Member], vec![actor.id]).await?);
    }
    progress("users and organisations");

    // Thirty versions, written as the drafting service stores them (the text as JSON).
    let mut versions = vec![sample::document(1, scale.paragraphs, 166)];
    for i in 1..scale.versions {
        let next = sample::revise(100 + i as u64, &versions[i - 1], 5);
        versions.push(next);
    }
    let json = |v: &shared::drafting::compare::VersionText| serde_json::to_string(v).map_err(|e| internal("write the benchmark texts", e));
    let texts: Vec<String> = versions.iter().map(json).collect::<Result<_, _>>()?;
    state
        .db
        .query(
            "BEGIN TRANSACTION;
             LET $doc = (CREATE ONLY type::record('document', $slug) CONTENT {
                title: 'Benchmark: recommendations for smallholder organic conversion', slug: $slug,
                summary: 'A generated document of 150 paragraphs with 30 versions, for benchmarks.',
                status: 'negotiation', head: $head, head_version: $count, released: $count,
                created_by: type::record('user', $user) });
             FOR $i IN $numbers {
                CREATE doc_version CONTENT { document: $doc.id, number: $i + 1, label: 'Rev.' + <string> $i, text: $texts[$i],
                    released_by: type::record('user', $user) };
             };
             COMMIT TRANSACTION;",
        )
        .bind(("slug", SLUG))
        .bind(("head", texts.last().cloned().unwrap_or_default()))
        .bind(("count", texts.len() as i64))
        .bind(("numbers", (0..texts.len() as i64).collect::<Vec<i64>>()))
        .bind(("texts", texts))
        .bind(("user", secretariat.user_id.clone()))
        .run("write the benchmark document")
        .await?;
    progress(&format!("document and its {} versions", scale.versions));

    let current = versions.last().cloned().unwrap_or_default();
    let placed = current.placed();
    let amendments: &dyn AmendmentsPort = state.drafting.as_ref();
    let comments: &dyn CommentsPort = state.drafting.as_ref();
    let mut out = Generated::default();
    let mut ids: Vec<(String, usize)> = Vec::with_capacity(scale.amendments);
    for n in 0..scale.amendments {
        let who = rng.below(scale.members);
        let p = &placed[rng.below(placed.len())];
        let (kind, text) = match rng.below(20) {
            0..=13 => {
                let mut words: Vec<&str> = p.paragraph.text.split(' ').collect();
                let at = rng.below(words.len());
                words.insert(at, "agroecological");
                (AmendmentKind::Replace, Some(words.join(" ")))
            }
            14..=16 => (AmendmentKind::InsertAfter, Some(sample::paragraph(&mut rng, 60))),
            _ => (AmendmentKind::Delete, None),
        };
        let new = NewAmendment {
            paragraph_id: p.paragraph.id.clone(),
            kind,
            text,
            rationale: format!("Rationale {n}: {}", sample::paragraph(&mut rng, 25)),
            actor_id: members[who].actor_ids[0].clone(),
        };
        let a = amendments.propose(&members[who], SLUG, new).await?;
        for _ in 0..rng.below(4) {
            let other = rng.below(scale.members);
            if other == who {
                continue;
            }
            let stance = if rng.below(3) == 0 { StanceKind::Oppose } else { StanceKind::Support };
            amendments.set_stance(&members[other], &a.id, NewStance { actor_id: members[other].actor_ids[0].clone(), stance }).await?;
            out.stances += 1;
        }
        ids.push((a.id, who));
        out.amendments += 1;
        if n % 100 == 99 {
            progress(&format!("{} amendments", n + 1));
        }
    }
    // One in five decided: mostly rejected or superseded, some accepted (an acceptance that
    // meets a paragraph changed by an earlier one is refused, as it should be, and skipped).
    for (i, (id, _)) in ids.iter().enumerate().filter(|(i, _)| i % 5 == 0) {
        let decision = match i % 4 {
            0 => DecisionRequest { decision: Decision::Accept, text: None, reason: None, current_text: None },
            1 => DecisionRequest {
                decision: Decision::Supersede,
                text: None,
                reason: Some("Merged into a later amendment.".into()),
                current_text: None,
            },
            _ => DecisionRequest {
                decision: Decision::Reject,
                text: None,
                reason: Some("Outside the scope of the document.".into()),
                current_text: None,
            },
        };
        match amendments.decide(&secretariat, id, decision).await {
            Ok(_) => out.decided += 1,
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    progress("decisions");

    let mut written: Vec<(CommentTarget, Option<String>, String)> = Vec::with_capacity(scale.comments);
    for n in 0..scale.comments {
        let who = &members[rng.below(scale.members)];
        let reply_to = (!written.is_empty() && rng.below(10) < 3).then(|| written[rng.below(written.len())].clone());
        let (target, target_id, parent_id) = match reply_to {
            Some((t, tid, parent)) => (t, tid, Some(parent)),
            None => match rng.below(10) {
                0..=5 => (CommentTarget::Paragraph, Some(placed[rng.below(placed.len())].paragraph.id.clone()), None),
                6..=8 => (CommentTarget::Amendment, Some(ids[rng.below(ids.len())].0.clone()), None),
                _ => (CommentTarget::Document, None, None),
            },
        };
        let stance = [CommentStance::For, CommentStance::Against, CommentStance::Neutral][rng.below(3)];
        let words = 12 + rng.below(60);
        let body = sample::paragraph(&mut rng, words);
        let c = comments.add_comment(who, SLUG, NewComment { target, target_id: target_id.clone(), parent_id, stance, body }).await?;
        written.push((target, target_id, c.id));
        out.comments += 1;
        if n % 1000 == 999 {
            progress(&format!("{} comments", n + 1));
        }
    }
    Ok(out)
}

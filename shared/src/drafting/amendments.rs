//! Amendments: a member's proposal to replace, delete or add after a paragraph of the current
//! version, on behalf of one of their actors; other actors' stances; the secretariat's
//! decisions, and the pure rule of what a decision does to the working draft.

use serde::{Deserialize, Serialize};

use super::compare::{ParagraphText, VersionText};
use super::diff::{word_diff, Span};
use super::{paragraph_text, ParagraphStatus};
use crate::network::ActorRef;
use crate::{vocabulary::closed_vocabulary, AppError};

/// The longest rationale or decision reason accepted, in characters.
pub const MAX_RATIONALE_CHARS: usize = 5_000;

closed_vocabulary! {
    /// What an amendment does to its paragraph.
    AmendmentKind {
        Replace = "replace" / "Replace the text",
        InsertAfter = "insert_after" / "Insert a new paragraph after",
        Delete = "delete" / "Delete the paragraph",
    }
}

closed_vocabulary! {
    /// Where an amendment is in its life: proposed, then decided or withdrawn (final).
    AmendmentStatus {
        Proposed = "proposed" / "Proposed",
        Accepted = "accepted" / "Accepted",
        AcceptedWithChanges = "accepted_with_changes" / "Accepted with changes",
        Rejected = "rejected" / "Rejected",
        Superseded = "superseded" / "Superseded",
        Withdrawn = "withdrawn" / "Withdrawn",
    }
}

closed_vocabulary! {
    /// An actor's position on an amendment.
    StanceKind {
        Support = "support" / "Supports",
        Oppose = "oppose" / "Opposes",
    }
}

closed_vocabulary! {
    /// What the secretariat decides about a proposed amendment.
    Decision {
        Accept = "accept" / "Accept",
        AcceptWithChanges = "accept_with_changes" / "Accept with changes",
        Reject = "reject" / "Reject",
        Supersede = "supersede" / "Mark superseded",
    }
}

impl Decision {
    pub fn status(self) -> AmendmentStatus {
        match self {
            Decision::Accept => AmendmentStatus::Accepted,
            Decision::AcceptWithChanges => AmendmentStatus::AcceptedWithChanges,
            Decision::Reject => AmendmentStatus::Rejected,
            Decision::Supersede => AmendmentStatus::Superseded,
        }
    }
}

/// A proposal, as a member sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAmendment {
    /// The paragraph of the current version it amends (for `insert_after`, the one it follows).
    pub paragraph_id: String,
    pub kind: AmendmentKind,
    /// The proposed text: required for `replace` and `insert_after`, ignored for `delete`.
    #[serde(default)]
    pub text: Option<String>,
    pub rationale: String,
    /// The actor on whose behalf it is proposed: one the proposer belongs to.
    pub actor_id: String,
}

/// A proposal checked against the paragraph's text in the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAmendment {
    pub paragraph_id: String,
    pub kind: AmendmentKind,
    pub base_text: String,
    pub text: Option<String>,
    pub rationale: String,
}

fn rationale(field: &str, label: &str, raw: &str, required: bool) -> Result<String, AppError> {
    let r = raw.trim();
    if required && r.is_empty() {
        return Err(AppError::validation(field, format!("{label} is required.")));
    }
    if r.chars().count() > MAX_RATIONALE_CHARS {
        return Err(AppError::validation(field, format!("{label} may have at most {MAX_RATIONALE_CHARS} characters.")));
    }
    Ok(r.replace("\r\n", "\n"))
}

impl NewAmendment {
    /// Checks the proposal against `base_text`, the paragraph's text in the current version.
    pub fn validate(&self, base_text: &str) -> Result<ValidAmendment, AppError> {
        let rationale = rationale("rationale", "A rationale", &self.rationale, true)?;
        let text = match self.kind {
            AmendmentKind::Delete => None,
            AmendmentKind::Replace | AmendmentKind::InsertAfter => {
                let t = paragraph_text("text", self.text.as_deref().unwrap_or_default())?;
                if self.kind == AmendmentKind::Replace && t == base_text.trim() {
                    return Err(AppError::validation("text", "The proposed text is the same as the paragraph's: change something."));
                }
                Some(t)
            }
        };
        Ok(ValidAmendment { paragraph_id: self.paragraph_id.clone(), kind: self.kind, base_text: base_text.to_string(), text, rationale })
    }
}

/// The secretariat's decision, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub decision: Decision,
    /// The text to apply for `accept_with_changes`.
    #[serde(default)]
    pub text: Option<String>,
    /// Why: required to reject; optional otherwise.
    #[serde(default)]
    pub reason: Option<String>,
    /// For an amendment whose paragraph changed since it was proposed: the paragraph's text in
    /// the working draft as the decider saw it. Accepting a stale amendment with changes needs
    /// it, and it must still be the draft's text, so that no newer text is overwritten unseen.
    #[serde(default)]
    pub current_text: Option<String>,
}

/// What a decision takes from the amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentCore {
    pub kind: AmendmentKind,
    pub paragraph_id: String,
    pub base_text: String,
    pub text: Option<String>,
}

/// True when the working draft moved on under the amendment: its paragraph was deleted, or
/// (for replace and delete) its text is no longer the text the amendment was proposed against.
pub fn is_stale(head: &VersionText, a: &AmendmentCore) -> bool {
    match head.paragraph(&a.paragraph_id) {
        None => true,
        Some(p) => a.kind != AmendmentKind::InsertAfter && p.paragraph.text != a.base_text,
    }
}

/// A decision checked and applied: the new draft (None when it does not change) and the
/// paragraph the amendment's text now lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub head: Option<VersionText>,
    pub status: AmendmentStatus,
    pub decided_text: Option<String>,
    pub reason: Option<String>,
    pub result_paragraph_id: Option<String>,
}

fn stale_error() -> AppError {
    AppError::Conflict(
        "The paragraph changed in the working draft since this amendment was proposed. Compare its base, the proposal and \
         the current text, then accept it with changes (starting from the current text), reject it or mark it superseded."
            .into(),
    )
}

/// What `request` does to the working draft `head`. Accepting never overwrites a paragraph
/// text the amendment was not proposed against: a stale amendment can only be accepted with
/// changes, stating the current text it resolves (409 otherwise).
pub fn apply_decision(
    head: &VersionText,
    a: &AmendmentCore,
    request: &DecisionRequest,
    new_id: impl FnOnce() -> String,
) -> Result<Applied, AppError> {
    let reason = request.reason.as_deref().map(|r| rationale("reason", "The reason", r, false)).transpose()?.filter(|r| !r.is_empty());
    let status = request.decision.status();
    match request.decision {
        Decision::Reject if reason.is_none() => Err(AppError::validation("reason", "Say why the amendment is rejected.")),
        Decision::Reject | Decision::Supersede => Ok(Applied { head: None, status, decided_text: None, reason, result_paragraph_id: None }),
        Decision::Accept | Decision::AcceptWithChanges => {
            let stale = is_stale(head, a);
            let edited = if request.decision == Decision::AcceptWithChanges {
                Some(paragraph_text("text", request.text.as_deref().unwrap_or_default())?)
            } else {
                None
            };
            let place = head.paragraph(&a.paragraph_id).map(|p| (p.theme, p.index));
            if stale {
                let current = head.paragraph(&a.paragraph_id).map(|p| p.paragraph.text.as_str());
                let resolved =
                    edited.is_some() && current.is_some() && request.current_text.as_deref().map(str::trim) == current.map(str::trim);
                if !resolved {
                    return Err(match current {
                        None => AppError::Conflict(
                            "The paragraph this amendment concerns is no longer in the working draft: reject the amendment \
                             or mark it superseded."
                                .into(),
                        ),
                        Some(_) => stale_error(),
                    });
                }
            }
            let (t, i) = place.ok_or_else(stale_error)?;
            let mut next = head.clone();
            let paragraphs = &mut next.themes[t].paragraphs;
            let result = match (a.kind, edited.as_ref()) {
                (AmendmentKind::InsertAfter, text) => {
                    let id = new_id();
                    let text = text.cloned().or_else(|| a.text.clone()).unwrap_or_default();
                    paragraphs.insert(i + 1, ParagraphText { id: id.clone(), text, status: ParagraphStatus::Open });
                    Some(id)
                }
                (AmendmentKind::Delete, None) => {
                    paragraphs.remove(i);
                    None
                }
                (AmendmentKind::Replace, None) => {
                    paragraphs[i].text = a.text.clone().unwrap_or_default();
                    Some(a.paragraph_id.clone())
                }
                // Accepting a deletion with changes keeps the paragraph with the edited text.
                (AmendmentKind::Replace | AmendmentKind::Delete, Some(text)) => {
                    paragraphs[i].text = text.clone();
                    Some(a.paragraph_id.clone())
                }
            };
            Ok(Applied { head: Some(next), status, decided_text: edited, reason, result_paragraph_id: result })
        }
    }
}

/// An actor's stance on an amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceView {
    pub actor: ActorRef,
    pub stance: StanceKind,
    /// The person who recorded it.
    pub by: String,
    pub at: String,
}

/// A stance as sent: one per actor, replacing that actor's earlier stance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStance {
    pub actor_id: String,
    pub stance: StanceKind,
}

/// One step in an amendment's record: proposed, a decision, a withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmendmentEvent {
    pub action: AmendmentStatus,
    pub by: String,
    pub at: String,
    pub note: Option<String>,
}

/// An amendment with its diff, stances and record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmendmentView {
    pub id: String,
    /// Numbered per document in the order proposed: …
    pub number: u32,
    pub document_id: String,
    pub paragraph_id: String,
    /// The paragraph's number in the text the caller sees (None when no longer there).
    pub paragraph_number: Option<String>,
    pub kind: AmendmentKind,
    pub status: AmendmentStatus,
    /// The released version it was proposed against.
    pub base_version: u32,
    pub base_text: String,
    pub text: Option<String>,
    pub rationale: String,
    pub actor: ActorRef,
    pub proposed_by: String,
    /// The user who proposed it (who alone may withdraw it).
    pub proposer_id: String,
    pub created_at: String,
    /// The word-level diff of the proposal against its base.
    pub diff: Vec<Span>,
    /// For an acceptance with changes: the text applied, and its diff against the proposal.
    pub decided_text: Option<String>,
    pub changes: Option<Vec<Span>>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The draft paragraph the accepted text went into.
    pub result_paragraph_id: Option<String>,
    /// For the secretariat: the paragraph changed in the working draft since the proposal.
    pub stale: bool,
    /// For the secretariat: the paragraph's text in the working draft now.
    pub current_text: Option<String>,
    pub stances: Vec<StanceView>,
    pub history: Vec<AmendmentEvent>,
}

impl AmendmentView {
    pub fn label(&self) -> String {
        format!("A-{}", self.number)
    }
    pub fn supporters(&self) -> impl Iterator<Item = &ActorRef> {
        self.stances.iter().filter(|s| s.stance == StanceKind::Support).map(|s| &s.actor)
    }
    pub fn opponents(&self) -> impl Iterator<Item = &ActorRef> {
        self.stances.iter().filter(|s| s.stance == StanceKind::Oppose).map(|s| &s.actor)
    }
}

/// The diff an amendment shows: its proposal against its base (a deletion deletes it all).
pub fn proposal_diff(kind: AmendmentKind, base_text: &str, text: Option<&str>) -> Vec<Span> {
    match kind {
        AmendmentKind::Replace => word_diff(base_text, text.unwrap_or_default()).ops,
        AmendmentKind::Delete => word_diff(base_text, "").ops,
        AmendmentKind::InsertAfter => word_diff("", text.unwrap_or_default()).ops,
    }
}

/// What a paragraph's margin shows: its amendments (all, and those still proposed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphCounts {
    pub paragraph_id: String,
    pub amendments: u32,
    pub proposed: u32,
    /// Comments on the paragraph (not hidden).
    pub comments: u32,
}

/// Which amendments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentFilter {
    pub paragraph_id: Option<String>,
    pub status: Option<AmendmentStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafting::compare::ThemeText;
    use crate::drafting::Numbering;

    fn head() -> VersionText {
        let p = |id: &str, text: &str| ParagraphText { id: id.into(), text: text.into(), status: ParagraphStatus::Open };
        VersionText {
            preamble: None,
            numbering: Numbering::Decimal,
            themes: vec![
                ThemeText { id: "t1".into(), title: "A".into(), paragraphs: vec![p("p1", "Fund fairs."), p("p2", "Train agents.")] },
                ThemeText { id: "t2".into(), title: "B".into(), paragraphs: vec![p("p3", "Buy organic.")] },
            ],
        }
    }

    fn core(kind: AmendmentKind, id: &str, base: &str, text: Option<&str>) -> AmendmentCore {
        AmendmentCore { kind, paragraph_id: id.into(), base_text: base.into(), text: text.map(Into::into) }
    }

    fn decide(decision: Decision) -> DecisionRequest {
        DecisionRequest { decision, text: None, reason: None, current_text: None }
    }

    fn texts(v: &VersionText) -> Vec<Vec<&str>> {
        v.themes.iter().map(|t| t.paragraphs.iter().map(|p| p.text.as_str()).collect()).collect()
    }

    #[test]
    fn proposals_are_checked() {
        let new = |kind, text: Option<&str>, rationale: &str| NewAmendment {
            paragraph_id: "p1".into(),
            kind,
            text: text.map(Into::into),
            rationale: rationale.into(),
            actor_id: "a".into(),
        };
        assert_eq!(new(AmendmentKind::Replace, Some("Fund fairs."), "why").validate("Fund fairs.").unwrap_err().field(), Some("text"));
        assert_eq!(new(AmendmentKind::Replace, None, "why").validate("Fund fairs.").unwrap_err().field(), Some("text"));
        assert_eq!(new(AmendmentKind::Replace, Some("x"), "  ").validate("Fund fairs.").unwrap_err().field(), Some("rationale"));
        let v = new(AmendmentKind::Delete, Some("ignored"), " Obsolete. ").validate("Fund fairs.").unwrap();
        assert_eq!((v.text, v.rationale.as_str(), v.base_text.as_str()), (None, "Obsolete.", "Fund fairs."));
        assert!(new(AmendmentKind::InsertAfter, Some("New."), "why").validate("Fund fairs.").is_ok());
    }

    #[test]
    fn accepting_applies_each_kind() {
        let h = head();
        let a = apply_decision(
            &h,
            &core(AmendmentKind::Replace, "p1", "Fund fairs.", Some("Fund organic fairs.")),
            &decide(Decision::Accept),
            || unreachable!(),
        )
        .unwrap();
        assert_eq!(texts(&a.head.unwrap()), vec![vec!["Fund organic fairs.", "Train agents."], vec!["Buy organic."]]);
        assert_eq!((a.status, a.result_paragraph_id.as_deref()), (AmendmentStatus::Accepted, Some("p1")));

        let a = apply_decision(
            &h,
            &core(AmendmentKind::InsertAfter, "p1", "Fund fairs.", Some("Map fairs.")),
            &decide(Decision::Accept),
            || "new".into(),
        )
        .unwrap();
        let next = a.head.unwrap();
        assert_eq!(texts(&next), vec![vec!["Fund fairs.", "Map fairs.", "Train agents."], vec!["Buy organic."]]);
        assert_eq!((next.themes[0].paragraphs[1].id.as_str(), a.result_paragraph_id.as_deref()), ("new", Some("new")));

        let a = apply_decision(&h, &core(AmendmentKind::Delete, "p3", "Buy organic.", None), &decide(Decision::Accept), || unreachable!())
            .unwrap();
        assert_eq!(texts(&a.head.unwrap()), vec![vec!["Fund fairs.", "Train agents."], vec![]]);

        let with = DecisionRequest { text: Some(" Fund municipal fairs. ".into()), ..decide(Decision::AcceptWithChanges) };
        let a =
            apply_decision(&h, &core(AmendmentKind::Replace, "p1", "Fund fairs.", Some("Fund organic fairs.")), &with, || unreachable!())
                .unwrap();
        assert_eq!(texts(a.head.as_ref().unwrap())[0][0], "Fund municipal fairs.");
        assert_eq!(a.decided_text.as_deref(), Some("Fund municipal fairs."));
    }

    #[test]
    fn rejecting_needs_a_reason_and_changes_nothing() {
        let h = head();
        let a = core(AmendmentKind::Replace, "p1", "Fund fairs.", Some("x"));
        assert_eq!(apply_decision(&h, &a, &decide(Decision::Reject), || unreachable!()).unwrap_err().field(), Some("reason"));
        let r = apply_decision(
            &h,
            &a,
            &DecisionRequest { reason: Some("Out of scope.".into()), ..decide(Decision::Reject) },
            || unreachable!(),
        )
        .unwrap();
        assert_eq!((r.head, r.status, r.reason.as_deref()), (None, AmendmentStatus::Rejected, Some("Out of scope.")));
        let s = apply_decision(&h, &a, &decide(Decision::Supersede), || unreachable!()).unwrap();
        assert_eq!((s.head, s.status), (None, AmendmentStatus::Superseded));
    }

    #[test]
    fn a_stale_amendment_is_never_applied_over_newer_text() {
        let mut h = head();
        h.themes[0].paragraphs[0].text = "Fund fairs and markets.".into();
        let a = core(AmendmentKind::Replace, "p1", "Fund fairs.", Some("Fund organic fairs."));
        assert!(is_stale(&h, &a));
        assert!(!is_stale(&head(), &a));
        let err = apply_decision(&h, &a, &decide(Decision::Accept), || unreachable!()).unwrap_err();
        assert_eq!(err.status(), 409);
        // With changes but without saying which current text it resolves: refused.
        let with = DecisionRequest { text: Some("Fund organic fairs and markets.".into()), ..decide(Decision::AcceptWithChanges) };
        assert_eq!(apply_decision(&h, &a, &with, || unreachable!()).unwrap_err().status(), 409);
        // Resolving an older current text: refused.
        let old = DecisionRequest { current_text: Some("Fund fairs.".into()), ..with.clone() };
        assert_eq!(apply_decision(&h, &a, &old, || unreachable!()).unwrap_err().status(), 409);
        // Resolving the text as it is now: applied.
        let ok = DecisionRequest { current_text: Some("Fund fairs and markets.".into()), ..with };
        let r = apply_decision(&h, &a, &ok, || unreachable!()).unwrap();
        assert_eq!(texts(&r.head.unwrap())[0][0], "Fund organic fairs and markets.");
        // A deletion of a changed paragraph is stale too; an insertion only when its anchor went.
        assert!(is_stale(&h, &core(AmendmentKind::Delete, "p1", "Fund fairs.", None)));
        assert!(!is_stale(&h, &core(AmendmentKind::InsertAfter, "p1", "Fund fairs.", Some("x"))));
        let gone = core(AmendmentKind::InsertAfter, "p9", "x", Some("y"));
        assert!(is_stale(&h, &gone));
        assert_eq!(apply_decision(&h, &gone, &decide(Decision::Accept), || unreachable!()).unwrap_err().status(), 409);
    }

    #[test]
    fn the_proposal_diff_shows_what_changes() {
        use crate::drafting::diff::Op;
        let d = proposal_diff(AmendmentKind::Replace, "Fund fairs.", Some("Fund organic fairs."));
        assert!(d.iter().any(|s| s.op == Op::Insert && s.text.contains("organic")));
        assert!(proposal_diff(AmendmentKind::Delete, "Fund fairs.", None).iter().all(|s| s.op == Op::Delete));
        assert!(proposal_diff(AmendmentKind::InsertAfter, "Fund fairs.", Some("New.")).iter().all(|s| s.op == Op::Insert));
    }
}

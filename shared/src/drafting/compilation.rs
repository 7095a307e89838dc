//! The compilation text: the current version with every pending amendment under its
//! paragraph, attributed and with its supporters and opponents, as a negotiation secretariat
//! compiles it; and its Markdown export.

use serde::{Deserialize, Serialize};

use super::amendments::{AmendmentKind, AmendmentView};
use super::diff::{Op, Span};
use super::documents::{ThemeView, VersionSummary};

/// The current version and its pending amendments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compilation {
    pub document_id: String,
    pub slug: String,
    pub title: String,
    pub version: VersionSummary,
    pub preamble: Option<String>,
    /// The themes compiled: all of them, or the one asked for.
    pub themes: Vec<ThemeView>,
    /// The number of the first theme in `themes`, less one (0 when all are compiled).
    pub theme_offset: usize,
    /// Every theme of the version with its number of pending amendments.
    pub outline: Vec<ThemePending>,
    /// When one theme is compiled: its parts (runs of paragraphs with about `PART_SIZE`
    /// pending amendments between them) and the part shown, counted from 0; `themes` then holds
    /// that part's paragraphs only. Empty when every theme is compiled.
    #[serde(default)]
    pub parts: Vec<CompilationPart>,
    #[serde(default)]
    pub part: usize,
    /// Proposed amendments, in the order proposed.
    pub amendments: Vec<AmendmentView>,
}

/// A theme's title and how many amendments to its paragraphs are pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemePending {
    pub title: String,
    pub pending: u32,
}

/// How many pending amendments one part of a theme's compilation shows, about: a page of
/// hundreds is slow to send to a rural connection and to read.
pub const PART_SIZE: u32 = 100;

/// A run of consecutive paragraphs of a theme, by their numbers, and its pending amendments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompilationPart {
    pub first: String,
    pub last: String,
    /// Indexes into the theme's paragraphs, end excluded.
    pub start: usize,
    pub end: usize,
    pub pending: u32,
}

/// Splits a theme's paragraphs (`(number, pending amendments)`, in order) into parts of at most
/// `size` pending amendments each; a paragraph with more than `size` is a part of its own, and
/// a paragraph is never split. A theme without paragraphs has no parts.
pub fn parts(paragraphs: &[(String, u32)], size: u32) -> Vec<CompilationPart> {
    let mut out: Vec<CompilationPart> = Vec::new();
    for (i, (number, pending)) in paragraphs.iter().enumerate() {
        match out.last_mut() {
            Some(p) if p.pending + pending <= size => {
                p.last = number.clone();
                p.end = i + 1;
                p.pending += pending;
            }
            _ => out.push(CompilationPart { first: number.clone(), last: number.clone(), start: i, end: i + 1, pending: *pending }),
        }
    }
    out
}

impl Compilation {
    /// The pending amendments of a paragraph.
    pub fn amendments_of<'a>(&'a self, paragraph_id: &'a str) -> impl Iterator<Item = &'a AmendmentView> + 'a {
        self.amendments.iter().filter(move |a| a.paragraph_id == paragraph_id)
    }

    /// The compilation as Markdown: insertions in bold, deletions struck through.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# {}\n\n*Compilation text: version {} ({}), released by {} on {}, with {} pending amendment{}.*\n\n",
            self.title,
            self.version.number,
            self.version.label,
            self.version.released_by,
            self.version.released_at.get(..10).unwrap_or(&self.version.released_at),
            self.amendments.len(),
            if self.amendments.len() == 1 { "" } else { "s" }
        );
        if let Some(p) = &self.preamble {
            out.push_str(p.trim());
            out.push_str("\n\n");
        }
        for (t, theme) in self.themes.iter().enumerate() {
            out.push_str(&format!("## {}. {}\n\n", self.theme_offset + t + 1, theme.title));
            for p in &theme.paragraphs {
                out.push_str(&format!("**{}** {}\n\n", p.number, p.text.trim()));
                for a in self.amendments_of(&p.id) {
                    out.push_str(&amendment_markdown(a));
                }
            }
        }
        out
    }
}

/// A word diff for an overview: unchanged runs longer than `2 × context` words keep `context`
/// words on each side of a change and an ellipsis in between (at the start and the end, only
/// the side next to the change).
pub fn condensed(ops: &[Span], context: usize) -> Vec<Span> {
    let last = ops.len().saturating_sub(1);
    ops.iter()
        .enumerate()
        .map(|(i, s)| {
            if s.op != Op::Equal {
                return s.clone();
            }
            let body = s.text.trim_start();
            let lead = &s.text[..s.text.len() - body.len()];
            let words: Vec<&str> = body.split_inclusive(' ').collect();
            let (keep_head, keep_tail) = match (i == 0, i == last) {
                (true, true) => return s.clone(),
                (true, false) => (0, context),
                (false, true) => (context, 0),
                (false, false) => (context, context),
            };
            if words.len() <= keep_head + keep_tail + 1 {
                return s.clone();
            }
            let head: String = words[..keep_head].concat();
            let tail: String = words[words.len() - keep_tail..].concat();
            let text = match (keep_head, keep_tail) {
                (0, _) => format!("… {tail}"),
                (_, 0) => format!("{lead}{} …", head.trim_end()),
                _ => format!("{lead}{head}… {tail}"),
            };
            Span { op: Op::Equal, text }
        })
        .collect()
}

/// One amendment as a Markdown block quote.
pub fn amendment_markdown(a: &AmendmentView) -> String {
    let names = |it: &mut dyn Iterator<Item = &crate::network::ActorRef>| it.map(|x| x.name.as_str()).collect::<Vec<_>>().join(", ");
    let supporters = names(&mut a.supporters());
    let opponents = names(&mut a.opponents());
    let mut head = format!("**{}** ({}), proposed by {}", a.label(), a.kind.label().to_lowercase(), a.actor.name);
    if !supporters.is_empty() {
        head.push_str(&format!("; supported by {supporters}"));
    }
    if !opponents.is_empty() {
        head.push_str(&format!("; opposed by {opponents}"));
    }
    let body = match a.kind {
        AmendmentKind::Delete => "Delete the paragraph.".to_string(),
        AmendmentKind::InsertAfter => format!("New paragraph: {}", a.text.as_deref().unwrap_or_default().trim()),
        AmendmentKind::Replace => diff_markdown(&a.diff),
    };
    let mut out = String::new();
    for line in [head, String::new(), body, String::new(), format!("*Rationale:* {}", a.rationale.trim())] {
        for l in line.lines().chain(line.is_empty().then_some("")) {
            out.push_str(if l.is_empty() { ">" } else { "> " });
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// A word diff in Markdown: `**inserted**`, `~~deleted~~`; spaces stay outside the marks, and
/// a replacement reads "~~old~~ **new**".
pub fn diff_markdown(ops: &[Span]) -> String {
    let mut out = String::new();
    let mut previous = Op::Equal;
    for s in ops {
        if previous == Op::Delete && s.op == Op::Insert && !out.ends_with(char::is_whitespace) {
            out.push(' ');
        }
        previous = s.op;
        let mark = match s.op {
            Op::Equal => {
                out.push_str(&s.text);
                continue;
            }
            Op::Insert => "**",
            Op::Delete => "~~",
        };
        let trimmed = s.text.trim();
        if trimmed.is_empty() {
            out.push_str(&s.text);
            continue;
        }
        let lead = &s.text[..s.text.len() - s.text.trim_start().len()];
        let tail = &s.text[s.text.trim_end().len()..];
        out.push_str(lead);
        out.push_str(mark);
        out.push_str(trimmed);
        out.push_str(mark);
        out.push_str(tail);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(pending: &[u32]) -> Vec<(String, u32)> {
        pending.iter().enumerate().map(|(i, p)| (format!("1.{}", i + 1), *p)).collect()
    }

    #[test]
    fn parts_hold_whole_paragraphs_up_to_the_size() {
        let p = parts(&numbered(&[40, 50, 20, 0, 150, 10, 0]), 100);
        let spans: Vec<(&str, &str, usize, usize, u32)> =
            p.iter().map(|x| (x.first.as_str(), x.last.as_str(), x.start, x.end, x.pending)).collect();
        assert_eq!(spans, vec![("1.1", "1.2", 0, 2, 90), ("1.3", "1.4", 2, 4, 20), ("1.5", "1.5", 4, 5, 150), ("1.6", "1.7", 5, 7, 10)]);
        assert!(parts(&[], 100).is_empty());
        assert_eq!(parts(&numbered(&[0, 0, 0]), 100).len(), 1, "a theme without amendments is one part");
    }

    proptest::proptest! {
        #[test]
        fn parts_cover_every_paragraph_once_in_order(pending in proptest::collection::vec(0u32..60, 0..80), size in 1u32..150) {
            let ps = numbered(&pending);
            let p = parts(&ps, size);
            let mut next = 0;
            for part in &p {
                proptest::prop_assert_eq!(part.start, next);
                proptest::prop_assert!(part.end > part.start);
                proptest::prop_assert_eq!(part.pending, pending[part.start..part.end].iter().sum::<u32>());
                proptest::prop_assert!(part.pending <= size || part.end - part.start == 1);
                next = part.end;
            }
            proptest::prop_assert_eq!(next, pending.len());
        }
    }
    use crate::drafting::amendments::{proposal_diff, AmendmentStatus, StanceKind, StanceView};
    use crate::drafting::documents::ParagraphView;
    use crate::drafting::ParagraphStatus;
    use crate::network::ActorRef;

    fn amendment(n: u32, pid: &str, kind: AmendmentKind, text: Option<&str>) -> AmendmentView {
        let base = "Fund fairs.";
        AmendmentView {
            id: format!("a{n}"),
            number: n,
            document_id: "d".into(),
            paragraph_id: pid.into(),
            paragraph_number: Some("1.1".into()),
            kind,
            status: AmendmentStatus::Proposed,
            base_version: 1,
            base_text: base.into(),
            text: text.map(Into::into),
            rationale: "Because.".into(),
            actor: ActorRef { id: "c".into(), name: "Coop Terra".into() },
            proposed_by: "Ana".into(),
            proposer_id: "u".into(),
            created_at: "2026-05-06T10:00:00Z".into(),
            diff: proposal_diff(kind, base, text),
            decided_text: None,
            changes: None,
            reason: None,
            decided_by: None,
            decided_at: None,
            result_paragraph_id: None,
            stale: false,
            current_text: None,
            stances: vec![
                StanceView {
                    actor: ActorRef { id: "s".into(), name: "Shop".into() },
                    stance: StanceKind::Support,
                    by: "x".into(),
                    at: String::new(),
                },
                StanceView {
                    actor: ActorRef { id: "b".into(), name: "Bank".into() },
                    stance: StanceKind::Oppose,
                    by: "y".into(),
                    at: String::new(),
                },
            ],
            history: vec![],
        }
    }

    #[test]
    fn condensed_diffs_keep_the_words_around_changes() {
        let old = "one two three four five six seven eight nine ten eleven twelve";
        let new = "one two three four five six SEVEN eight nine ten eleven twelve";
        let ops = crate::drafting::diff::word_diff(old, new).ops;
        let c: String = condensed(&ops, 2).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(c, "… five six sevenSEVEN eight nine …");
        assert!(condensed(&ops, 2).iter().any(|s| s.op == Op::Insert && s.text == "SEVEN"));
        // Short runs and unchanged texts stay whole.
        let short = crate::drafting::diff::word_diff("a b c", "a X c").ops;
        assert_eq!(condensed(&short, 2), short);
        let same = crate::drafting::diff::word_diff("a b c", "a b c").ops;
        assert_eq!(condensed(&same, 1), same);
    }

    #[test]
    fn diffs_become_bold_and_struck_words() {
        let ops = crate::drafting::diff::word_diff("Fund the fairs.", "Fund organic fairs.").ops;
        assert_eq!(diff_markdown(&ops), "Fund ~~the~~ **organic** fairs.");
    }

    #[test]
    fn the_compilation_lists_pending_amendments_under_their_paragraphs() {
        let c = Compilation {
            document_id: "d".into(),
            slug: "doc".into(),
            title: "Carta".into(),
            version: VersionSummary {
                number: 2,
                label: "Rev.1".into(),
                released_by: "Sérgio".into(),
                released_at: "2026-05-06T09:00:00Z".into(),
            },
            preamble: None,
            theme_offset: 0,
            outline: vec![],
            parts: vec![],
            part: 0,
            themes: vec![ThemeView {
                id: "t".into(),
                title: "Markets".into(),
                paragraphs: vec![
                    ParagraphView { id: "p1".into(), number: "1.1".into(), text: "Fund fairs.".into(), status: ParagraphStatus::Open },
                    ParagraphView { id: "p2".into(), number: "1.2".into(), text: "Train agents.".into(), status: ParagraphStatus::Open },
                ],
            }],
            amendments: vec![
                amendment(1, "p1", AmendmentKind::Replace, Some("Fund organic fairs.")),
                amendment(2, "p2", AmendmentKind::Delete, None),
            ],
        };
        let md = c.to_markdown();
        assert!(
            md.starts_with(
                "# Carta\n\n*Compilation text: version 2 (Rev.1), released by Sérgio on 2026-05-06, with 2 pending amendments.*"
            ),
            "{md}"
        );
        let p1 = md.find("**1.1** Fund fairs.").unwrap();
        let a1 = md.find("> **A-1** (replace the text), proposed by Coop Terra; supported by Shop; opposed by Bank").unwrap();
        let p2 = md.find("**1.2** Train agents.").unwrap();
        let a2 = md.find("> **A-2** (delete the paragraph)").unwrap();
        assert!(p1 < a1 && a1 < p2 && p2 < a2, "{md}");
        assert!(md.contains("> Fund **organic** fairs."), "{md}");
        assert!(md.contains("> *Rationale:* Because."));
        assert_eq!(c.amendments_of("p2").count(), 1);
    }
}

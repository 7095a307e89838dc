//! Word-level diffs of paragraph text, and the paragraph-level comparison of two versions.
//!
//! Text is cut into Unicode word-boundary segments (UAX #29): a word with its accents stays
//! one token ("ação"), each CJK ideograph is its own token, and spaces and punctuation are
//! tokens of their own, so a changed comma does not mark the whole word around it. The
//! segments concatenate back to the text exactly, which is what makes a diff applicable.

use crate::text::escape_html_into;
use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};
use unicode_segmentation::UnicodeSegmentation;

/// How long a single word diff may search for the smallest edit before settling for a larger
/// (still correct) one, so that pathological inputs cannot spin.
#[cfg(not(target_arch = "wasm32"))]
const DEADLINE: std::time::Duration = std::time::Duration::from_millis(200);

/// What a span of text did between the old and the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equal,
    Insert,
    Delete,
}

/// A run of text with what happened to it; adjacent spans never share an op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub op: Op,
    pub text: String,
}

/// The word-level difference between two texts, with counts of the words (not spaces or
/// punctuation) inserted and deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordDiff {
    pub ops: Vec<Span>,
    pub inserted_words: usize,
    pub deleted_words: usize,
}

/// Cuts text into word-boundary segments that concatenate back to it.
pub fn tokenize(text: &str) -> Vec<&str> {
    text.split_word_bounds().collect()
}

fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

fn count_words(text: &str) -> usize {
    text.split_word_bounds().filter(|t| is_word(t)).count()
}

/// The word-level diff that turns `old` into `new`.
pub fn word_diff(old: &str, new: &str) -> WordDiff {
    let a = tokenize(old);
    let b = tokenize(new);
    #[cfg(not(target_arch = "wasm32"))]
    let deadline = Some(std::time::Instant::now() + DEADLINE);
    #[cfg(target_arch = "wasm32")]
    let deadline = None;
    let mut diff = WordDiff::default();
    for op in capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline) {
        match op {
            DiffOp::Equal { old_index, len, .. } => diff.push(Op::Equal, &a[old_index..old_index + len]),
            DiffOp::Delete { old_index, old_len, .. } => diff.push(Op::Delete, &a[old_index..old_index + old_len]),
            DiffOp::Insert { new_index, new_len, .. } => diff.push(Op::Insert, &b[new_index..new_index + new_len]),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                diff.push(Op::Delete, &a[old_index..old_index + old_len]);
                diff.push(Op::Insert, &b[new_index..new_index + new_len]);
            }
        }
    }
    diff
}

impl WordDiff {
    fn push(&mut self, op: Op, tokens: &[&str]) {
        let text: String = tokens.concat();
        if text.is_empty() {
            return;
        }
        match op {
            Op::Insert => self.inserted_words += count_words(&text),
            Op::Delete => self.deleted_words += count_words(&text),
            Op::Equal => {}
        }
        match self.ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => self.ops.push(Span { op, text }),
        }
    }

    /// True when the two texts are the same.
    pub fn is_unchanged(&self) -> bool {
        self.ops.iter().all(|s| s.op == Op::Equal)
    }

    /// The text before the change (equal and deleted spans).
    pub fn old_text(&self) -> String {
        self.ops.iter().filter(|s| s.op != Op::Insert).map(|s| s.text.as_str()).collect()
    }

    /// The text after the change (equal and inserted spans).
    pub fn new_text(&self) -> String {
        self.ops.iter().filter(|s| s.op != Op::Delete).map(|s| s.text.as_str()).collect()
    }

    /// Applies this diff to `old`, which must be the text it was computed from; anything else
    /// is refused rather than patched into nonsense.
    pub fn apply(&self, old: &str) -> Result<String, StaleBase> {
        let mut rest = old;
        let mut out = String::with_capacity(old.len());
        for span in &self.ops {
            match span.op {
                Op::Insert => out.push_str(&span.text),
                Op::Equal | Op::Delete => {
                    rest = rest.strip_prefix(span.text.as_str()).ok_or(StaleBase)?;
                    if span.op == Op::Equal {
                        out.push_str(&span.text);
                    }
                }
            }
        }
        if rest.is_empty() {
            Ok(out)
        } else {
            Err(StaleBase)
        }
    }
}

/// The spans of a word diff kept by `keep` as HTML: unchanged text as text, insertions in
/// `<ins>`, deletions in `<del>`, every character escaped. Long diffs render as one string
/// rather than one element per span (a comparison of distant versions has tens of thousands).
pub fn diff_html(ops: &[Span], keep: impl Fn(Op) -> bool) -> String {
    let mut out = String::with_capacity(ops.iter().map(|s| s.text.len() + 11).sum());
    for s in ops.iter().filter(|s| keep(s.op)) {
        let (open, close) = match s.op {
            Op::Equal => ("", ""),
            Op::Insert => ("<ins>", "</ins>"),
            Op::Delete => ("<del>", "</del>"),
        };
        out.push_str(open);
        escape_html_into(&s.text, &mut out);
        out.push_str(close);
    }
    out
}

/// A diff was applied to a text other than the one it was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the text changed since this difference was computed")]
pub struct StaleBase;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ops(d: &WordDiff) -> Vec<(Op, &str)> {
        d.ops.iter().map(|s| (s.op, s.text.as_str())).collect()
    }

    #[test]
    fn a_changed_word_is_one_deletion_and_one_insertion() {
        let d = word_diff("Promote organic fairs in every municipality.", "Promote agroecological fairs in every municipality.");
        assert_eq!(
            ops(&d),
            vec![
                (Op::Equal, "Promote "),
                (Op::Delete, "organic"),
                (Op::Insert, "agroecological"),
                (Op::Equal, " fairs in every municipality.")
            ]
        );
        assert_eq!((d.inserted_words, d.deleted_words), (1, 1));
    }

    #[test]
    fn accented_words_stay_whole_and_punctuation_is_its_own_token() {
        assert_eq!(tokenize("ação, certificação."), vec!["ação", ",", " ", "certificação", "."]);
        let d = word_diff("Apoiar a certificação participativa.", "Apoiar a certificação participativa, com ATER.");
        assert_eq!(ops(&d), vec![(Op::Equal, "Apoiar a certificação participativa"), (Op::Insert, ", com ATER"), (Op::Equal, ".")]);
        assert_eq!(d.inserted_words, 2, "a comma and a space are not words");
    }

    #[test]
    fn cjk_is_diffed_by_character() {
        assert_eq!(tokenize("有机农业"), vec!["有", "机", "农", "业"]);
        let d = word_diff("有机农业", "有机农场");
        assert_eq!(ops(&d), vec![(Op::Equal, "有机农"), (Op::Delete, "业"), (Op::Insert, "场")]);
    }

    #[test]
    fn applying_to_another_text_is_refused() {
        let d = word_diff("one two", "one three");
        assert_eq!(d.apply("one two").unwrap(), "one three");
        assert_eq!(d.apply("one two!"), Err(StaleBase));
        assert_eq!(d.apply("uno two"), Err(StaleBase));
    }

    fn text() -> impl Strategy<Value = String> {
        // Words from a small vocabulary (so that texts share words), with Portuguese accents,
        // CJK, punctuation, Markdown and runs of spaces.
        let token = prop::sample::select(vec![
            "a",
            "ação",
            "orgânico",
            "cooperativa",
            "de",
            "São",
            "Paulo",
            "有机",
            "农业",
            ",",
            ".",
            ";",
            " ",
            "  ",
            "\n",
            "[",
            "]",
            "**",
            "(",
            ")",
            "—",
            "l'eau",
            "2026",
            "x",
        ]);
        prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
    }

    #[test]
    fn diff_html_marks_changes_and_escapes_text() {
        let d = word_diff("Fund <b>OPACs</b> & fairs", "Fund \"OPACs\" & fairs");
        assert_eq!(
            diff_html(&d.ops, |_| true),
            "Fund <del>&lt;b&gt;</del><ins>&quot;</ins>OPACs<del>&lt;/b&gt;</del><ins>&quot;</ins> &amp; fairs"
        );
        assert_eq!(diff_html(&d.ops, |op| op != Op::Insert), "Fund <del>&lt;b&gt;</del>OPACs<del>&lt;/b&gt;</del> &amp; fairs");
        assert_eq!(diff_html(&[], |_| true), "");
    }

    proptest! {
        /// Whatever the texts, the HTML holds no markup but the marks, and its text is theirs.
        #[test]
        fn diff_html_is_the_text_with_marks_only(a in any::<String>(), b in any::<String>()) {
            let d = word_diff(&a, &b);
            let html = diff_html(&d.ops, |_| true);
            let stripped = html.replace("<ins>", "").replace("</ins>", "").replace("<del>", "").replace("</del>", "");
            prop_assert!(!stripped.contains('<') && !stripped.contains('>'));
            let unescaped = stripped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
            prop_assert_eq!(unescaped, d.ops.iter().map(|s| s.text.as_str()).collect::<String>());
        }

        #[test]
        fn the_diff_of_a_and_b_turns_a_into_b(a in text(), b in text()) {
            let d = word_diff(&a, &b);
            prop_assert_eq!(d.apply(&a).unwrap(), b.clone());
            prop_assert_eq!(d.old_text(), a);
            prop_assert_eq!(d.new_text(), b);
            prop_assert!(d.ops.windows(2).all(|w| w[0].op != w[1].op), "adjacent spans differ");
            prop_assert!(d.ops.iter().all(|s| !s.text.is_empty()));
        }

        #[test]
        fn the_diff_of_a_text_with_itself_is_empty(a in text()) {
            let d = word_diff(&a, &a);
            prop_assert!(d.is_unchanged());
            prop_assert_eq!((d.inserted_words, d.deleted_words), (0, 0));
        }

        #[test]
        fn any_unicode_round_trips(a in any::<String>(), b in any::<String>()) {
            let d = word_diff(&a, &b);
            prop_assert_eq!(d.apply(&a).unwrap(), b);
            prop_assert_eq!(tokenize(&a).concat(), a);
        }
    }
}

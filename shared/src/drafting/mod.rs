//! Recommendation documents: themes of paragraphs, versions, negotiation statuses, and the
//! pure rules about them (numbering, bracketed text, comparing versions).

pub mod compare;
pub mod compilation;
pub mod diff;
pub mod documents;
pub mod publication;
pub mod sample;

use serde::{Deserialize, Serialize};

use crate::{text, vocabulary::closed_vocabulary, AppError};

/// The three priority themes of the programme, seeded into every new document (editable).
pub const DEFAULT_THEMES: [&str; 3] = [
    "Technical assistance and rural extension for organic conversion",
    "Suitable markets for organic smallholders and smallholders in conversion",
    "Strengthening of policies that promote the organic food value chain",
];

/// The longest paragraph accepted, in characters.
pub const MAX_PARAGRAPH_CHARS: usize = 20_000;

pub mod amendments;
pub mod comments;

closed_vocabulary! {
    /// Where a document is in its life.
    DocumentStatus {
        Drafting = "drafting" / "Drafting",
        OpenForComments = "open_for_comments" / "Open for comments",
        Negotiation = "negotiation" / "In negotiation",
        Final = "final" / "Final",
        Published = "published" / "Published",
    }
}

impl DocumentStatus {
    /// Members may comment and propose amendments only in these statuses.
    pub fn accepts_contributions(self) -> bool {
        matches!(self, DocumentStatus::OpenForComments | DocumentStatus::Negotiation)
    }
    /// Final and published documents no longer change.
    pub fn is_frozen(self) -> bool {
        matches!(self, DocumentStatus::Final | DocumentStatus::Published)
    }
}

/// Whether members may comment on and propose amendments to a document at `now`: while it is
/// open for comments (until its deadline, when it has one) or in negotiation. The services refuse
/// with this error, and the pages ask the same before they offer a form.
pub fn contributions_open(status: DocumentStatus, deadline: Option<&str>, now: time::OffsetDateTime) -> Result<(), AppError> {
    if !status.accepts_contributions() {
        return Err(AppError::Unprocessable(format!(
            "This document is not open for comments or amendments (it is {}).",
            status.label().to_lowercase()
        )));
    }
    if status == DocumentStatus::OpenForComments {
        if let Some(deadline) = deadline {
            let rfc = time::format_description::well_known::Rfc3339;
            if time::OffsetDateTime::parse(deadline, &rfc).is_ok_and(|d| d < now) {
                return Err(AppError::Unprocessable(format!("The comment period closed on {deadline}.")));
            }
        }
    }
    Ok(())
}

/// Whether a comment is taken at `now`: a member's while contributions are open (see
/// [`contributions_open`]), the secretariat's until the document is final.
pub fn comments_open(status: DocumentStatus, deadline: Option<&str>, secretariat: bool, now: time::OffsetDateTime) -> bool {
    if secretariat {
        !status.is_frozen()
    } else {
        contributions_open(status, deadline, now).is_ok()
    }
}

closed_vocabulary! {
    /// The negotiation status of a paragraph.
    ParagraphStatus {
        Open = "open" / "Open",
        Bracketed = "bracketed" / "Bracketed",
        AgreedAdRef = "agreed_ad_ref" / "Agreed ad ref",
        Agreed = "agreed" / "Agreed",
    }
}

/// How paragraph numbers are written: `1.1, 1.2…` or `a, b, c…` under each theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    #[default]
    Decimal,
    Letters,
}

/// The displayed number of the paragraph at `paragraph` (0-based) under the theme at `theme`
/// (0-based). Derived per version, never stored: paragraphs keep their identity when moved.
pub fn paragraph_number(style: Numbering, theme: usize, paragraph: usize) -> String {
    match style {
        Numbering::Decimal => format!("{}.{}", theme + 1, paragraph + 1),
        Numbering::Letters => letters(paragraph),
    }
}

/// a, b, … z, aa, ab, … (bijective base 26).
fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// A piece of paragraph text, bracketed (not yet agreed) or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub bracketed: bool,
    pub text: &'a str,
}

/// Cuts paragraph text into bracketed `[…]` spans (brackets included, nesting allowed) and the
/// text between them. A Markdown link (`[text](url)`) is not a bracket, and an unclosed `[` is
/// plain text. The segments concatenate back to the text.
pub fn bracket_segments(text: &str) -> Vec<Segment<'_>> {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' {
            if let Some(end) = closing_bracket(bytes, i) {
                let is_link = bytes.get(end + 1) == Some(&b'(');
                if !is_link {
                    if plain_start < i {
                        segments.push(Segment { bracketed: false, text: &text[plain_start..i] });
                    }
                    segments.push(Segment { bracketed: true, text: &text[i..=end] });
                    plain_start = end + 1;
                }
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    if plain_start < text.len() {
        segments.push(Segment { bracketed: false, text: &text[plain_start..] });
    }
    segments
}

/// The index of the `]` that closes the `[` at `open`, if any.
fn closing_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// True when the text holds bracketed spans.
pub fn has_brackets(text: &str) -> bool {
    bracket_segments(text).iter().any(|s| s.bracketed)
}

/// Checks a paragraph's text: not empty, not over [`MAX_PARAGRAPH_CHARS`].
pub fn paragraph_text(field: &str, raw: &str) -> Result<String, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::validation(field, "A paragraph needs some text."));
    }
    if t.chars().count() > MAX_PARAGRAPH_CHARS {
        return Err(AppError::validation(field, format!("A paragraph may have at most {MAX_PARAGRAPH_CHARS} characters.")));
    }
    Ok(t.replace("\r\n", "\n"))
}

/// A slug from a title: lower case ASCII letters, digits and dashes.
pub fn slugify(title: &str) -> String {
    let folded = text::fold(title);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars().take(80).collect::<String>().trim_end_matches('-').to_string()
}

/// True for a slug as [`slugify`] makes them.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn who_may_comment_in_each_status() {
        use DocumentStatus::*;
        let now = time::OffsetDateTime::parse("2026-06-01T12:00:00Z", &time::format_description::well_known::Rfc3339).unwrap();
        let takes = |s: DocumentStatus, secretariat: bool| comments_open(s, None, secretariat, now);
        assert!(takes(OpenForComments, false) && takes(Negotiation, false));
        assert!(!takes(Drafting, false) && takes(Drafting, true), "the secretariat comments on drafts");
        for frozen in [Final, Published] {
            assert!(frozen.is_frozen() && !takes(frozen, true) && !takes(frozen, false));
        }
    }

    #[test]
    fn a_passed_deadline_closes_contributions_but_not_the_secretariat() {
        use DocumentStatus::*;
        let at = |t: &str| time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap();
        let deadline = Some("2026-06-01T18:00:00Z");
        assert!(contributions_open(OpenForComments, deadline, at("2026-06-01T17:59:59Z")).is_ok());
        let closed = contributions_open(OpenForComments, deadline, at("2026-06-01T18:00:01Z")).unwrap_err();
        assert!(closed.to_string().contains("closed on 2026-06-01T18:00:00Z"), "{closed}");
        assert!(contributions_open(Negotiation, deadline, at("2027-01-01T00:00:00Z")).is_ok(), "the deadline is the comment period's");
        assert!(!comments_open(OpenForComments, deadline, false, at("2026-06-02T00:00:00Z")));
        assert!(comments_open(OpenForComments, deadline, true, at("2026-06-02T00:00:00Z")));
    }

    #[test]
    fn numbers_are_derived_from_positions() {
        assert_eq!(paragraph_number(Numbering::Decimal, 0, 0), "1.1");
        assert_eq!(paragraph_number(Numbering::Decimal, 2, 11), "3.12");
        assert_eq!(paragraph_number(Numbering::Letters, 1, 0), "a");
        assert_eq!(paragraph_number(Numbering::Letters, 1, 25), "z");
        assert_eq!(paragraph_number(Numbering::Letters, 1, 26), "aa");
        assert_eq!(paragraph_number(Numbering::Letters, 1, 27), "ab");
        assert_eq!(paragraph_number(Numbering::Letters, 1, 26 * 27), "aaa");
    }

    #[test]
    fn brackets_links_and_unclosed_brackets() {
        let segs = bracket_segments("Governments should [promote][support] fairs [by 2030 [or 2035]] — see [the guide](https://x.org).");
        let bracketed: Vec<&str> = segs.iter().filter(|s| s.bracketed).map(|s| s.text).collect();
        assert_eq!(bracketed, vec!["[promote]", "[support]", "[by 2030 [or 2035]]"], "alternatives are brackets, [text](url) is a link");
        assert!(!has_brackets("an [unclosed bracket"));
        assert!(has_brackets("[Alt 1: promote] or [Alt 2: require]"));
    }

    #[test]
    fn paragraph_text_is_checked() {
        assert_eq!(paragraph_text("text", "  a\r\nb ").unwrap(), "a\nb");
        assert_eq!(paragraph_text("text", "   ").unwrap_err().field(), Some("text"));
        assert!(paragraph_text("text", &"x".repeat(MAX_PARAGRAPH_CHARS)).is_ok());
        assert!(paragraph_text("text", &"x".repeat(MAX_PARAGRAPH_CHARS + 1)).is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Recomendações para a Transição Orgânica — 2026!"), "recomendacoes-para-a-transicao-organica-2026");
        assert_eq!(slugify("  --  "), "");
        assert!(is_slug("zero-draft-2026"));
        assert!(!is_slug("Zero draft") && !is_slug("-a") && !is_slug("a--b") && !is_slug(""));
    }

    #[test]
    fn statuses_spell_as_the_api() {
        for s in DocumentStatus::ALL {
            assert_eq!(s.as_str().parse::<DocumentStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in ParagraphStatus::ALL {
            assert_eq!(s.as_str().parse::<ParagraphStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!(DocumentStatus::Negotiation.accepts_contributions());
        assert!(!DocumentStatus::Drafting.accepts_contributions());
    }

    proptest! {
        #[test]
        fn bracket_segments_concatenate_to_the_text(t in "[a-z \\[\\]()ãç]{0,60}") {
            let segs = bracket_segments(&t);
            prop_assert_eq!(segs.iter().map(|s| s.text).collect::<String>(), t.clone());
            for s in segs.iter().filter(|s| s.bracketed) {
                prop_assert!(s.text.starts_with('[') && s.text.ends_with(']'));
            }
        }

        #[test]
        fn slugify_makes_slugs(t in "\\PC{0,100}") {
            let s = slugify(&t);
            prop_assert!(s.is_empty() || is_slug(&s), "{s:?}");
        }

        #[test]
        fn letter_numbers_are_distinct(a in 0usize..2000, b in 0usize..2000) {
            prop_assume!(a != b);
            prop_assert_ne!(letters(a), letters(b));
        }
    }
}

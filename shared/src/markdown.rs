//! Markdown to HTML for pages: CommonMark with tables and strikethrough, bracketed
//! negotiation text marked, and everything sanitised by ammonia (no script, no event
//! handlers, no `javascript:` links), whatever the author wrote.

use std::sync::OnceLock;

use pulldown_cmark::{html, Options, Parser};

use crate::drafting::bracket_segments;

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_allowed_classes("span", ["bracket"]).link_rel(Some("noopener noreferrer nofollow"));
        b
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    sanitizer().clean(&out).to_string()
}

/// Paragraph text to sanitised HTML, with each bracketed span (`[…]`, not yet agreed) in a
/// `<span class="bracket">`.
pub fn paragraph_html(text: &str) -> String {
    let mut marked = String::with_capacity(text.len() + 32);
    for s in bracket_segments(text) {
        if s.bracketed {
            // The brackets are escaped so that Markdown does not read them as a link.
            marked.push_str("<span class=\"bracket\">\\[");
            marked.push_str(&s.text[1..s.text.len() - 1]);
            marked.push_str("\\]</span>");
        } else {
            marked.push_str(s.text);
        }
    }
    to_html(&marked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        assert_eq!(to_html("**Apoiar** a ATER"), "<p><strong>Apoiar</strong> a ATER</p>\n");
        let evil = to_html("<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"https://x.org\" onclick=\"y()\">ok</a>");
        assert!(
            !evil.contains("<script") && !evil.contains("onerror") && !evil.contains("href=\"javascript") && !evil.contains("onclick"),
            "{evil}"
        );
        assert!(evil.contains("href=\"https://x.org\""));
        assert!(!to_html("<span class=\"evil\">a</span>").contains("evil"), "only the bracket class is kept");
    }

    #[test]
    fn bracketed_text_is_marked() {
        let h = paragraph_html("Governments should [promote][support] organic fairs [by 2030] — see [the guide](https://x.org).");
        assert_eq!(h.matches("<span class=\"bracket\">").count(), 3, "{h}");
        assert!(h.contains("<span class=\"bracket\">[by 2030]</span>"), "{h}");
        assert!(h.contains("<a href=\"https://x.org\""), "a link stays a link: {h}");
    }
}

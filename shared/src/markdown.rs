//! Markdown to HTML for pages: CommonMark with tables and strikethrough, bracketed
//! negotiation text marked, and everything sanitised by ammonia (no script, no event
//! handlers, no `javascript:` links), whatever the author wrote. Images from other sites are
//! not loaded (an image's request would tell its site who reads a comment, and when): a
//! Markdown image becomes a link to it, and an `<img>` from elsewhere loses its source.

use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::drafting::bracket_segments;

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_allowed_classes("span", ["bracket"]).link_rel(Some("noopener noreferrer nofollow"));
        b.attribute_filter(
            |element, attribute, value| {
                if element == "img" && attribute == "src" && is_elsewhere(value) {
                    None
                } else {
                    Some(value.into())
                }
            },
        );
        b
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Is this address on another site (it names a scheme or a host), rather than a path of this one?
fn is_elsewhere(url: &str) -> bool {
    let url = url.trim();
    // A scheme is letters, digits, `+ - .` before a `:` that comes before any `/ ? #`.
    let scheme = url.find(':').is_some_and(|i| !url[..i].contains(['/', '?', '#']));
    scheme || url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\")
}

/// Markdown to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    // Images from elsewhere become links to them, "Image:" and their description the link's text.
    let mut linked = Vec::new();
    let events = Parser::new_ext(markdown, options()).flat_map(|event| match event {
        Event::Start(Tag::Image { dest_url, title, id, .. }) if is_elsewhere(&dest_url) => {
            linked.push(true);
            vec![Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, title, id }), Event::Text(CowStr::Borrowed("Image: "))]
        }
        Event::Start(Tag::Image { .. }) => {
            linked.push(false);
            vec![event]
        }
        Event::End(TagEnd::Image) if linked.pop() == Some(true) => vec![Event::End(TagEnd::Link)],
        other => vec![other],
    });
    html::push_html(&mut out, events);
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

    #[test]
    fn images_from_other_sites_are_links_not_loaded() {
        let h = to_html("See ![the field](https://tracker.example/p.gif?u=1) and ![](//cdn.example/x.png) and ![ours](/static/map.png).");
        assert!(h.contains("<a href=\"https://tracker.example/p.gif?u=1\""), "{h}");
        assert!(h.contains(">Image: the field</a>"), "{h}");
        assert!(h.contains("<a href=\"//cdn.example/x.png\"") && h.contains(">Image: </a>"), "{h}");
        assert!(h.contains("<img src=\"/static/map.png\" alt=\"ours\""), "a picture of this site is shown: {h}");
        assert_eq!(h.matches("<img").count(), 1, "{h}");
        for raw in [
            "<img src=\"https://t.example/a.gif\">",
            "<img src=\"//t.example/a.gif\">",
            "<img src=\"HTTP://t.example/a\">",
            "<img src=\"/\\t.example/a\">",
        ] {
            let h = to_html(raw);
            assert!(!h.contains("t.example") || !h.contains("src="), "{raw} → {h}");
        }
        assert!(!is_elsewhere("/static/x.png") && !is_elsewhere("pictures/x.png") && !is_elsewhere("x.png?a=b:c"));
        assert!(is_elsewhere("https://x") && is_elsewhere("//x") && is_elsewhere("data:image/png;base64,AA") && is_elsewhere(" HTTPS://x"));
    }
}

//! A published version: the frozen final text, served without login, with the amendment trail
//! of each paragraph (the amendments that shaped it, who proposed and supported them, when
//! they were decided), as HTML, Markdown and JSON.

use serde::{Deserialize, Serialize};

use super::amendments::{AmendmentKind, AmendmentStatus};
use super::documents::ThemeView;

/// What publishing asks: the released version to publish (the latest when left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    #[serde(default)]
    pub version: Option<u32>,
}

/// A published version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedVersion {
    pub number: u32,
    pub label: String,
    pub published_by: String,
    pub published_at: String,
}

/// One amendment that shaped a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrailEntry {
    pub amendment: String,
    pub kind: AmendmentKind,
    pub status: AmendmentStatus,
    pub proposed_by: String,
    pub proposed_at: String,
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// A paragraph's trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphTrail {
    pub paragraph_id: String,
    pub amendments: Vec<TrailEntry>,
}

/// A published document, as everyone may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publication {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub version: PublishedVersion,
    pub preamble: Option<String>,
    pub themes: Vec<ThemeView>,
    /// Only paragraphs that amendments shaped.
    pub trail: Vec<ParagraphTrail>,
    /// Every published version, the latest last.
    pub published: Vec<PublishedVersion>,
}

impl Publication {
    pub fn trail_of(&self, paragraph_id: &str) -> &[TrailEntry] {
        self.trail.iter().find(|t| t.paragraph_id == paragraph_id).map(|t| t.amendments.as_slice()).unwrap_or(&[])
    }

    /// The published text as Markdown, each paragraph followed by its trail.
    pub fn to_markdown(&self) -> String {
        let v = &self.version;
        let mut out = format!("# {}\n\n", self.title);
        if !self.summary.trim().is_empty() {
            out.push_str(&format!("{}\n\n", self.summary.trim()));
        }
        out.push_str(&format!(
            "*{} (version {}), published by {} on {}.*\n\n",
            v.label,
            v.number,
            v.published_by,
            v.published_at.get(..10).unwrap_or(&v.published_at)
        ));
        if let Some(p) = &self.preamble {
            out.push_str(&format!("{}\n\n", p.trim()));
        }
        for (t, theme) in self.themes.iter().enumerate() {
            out.push_str(&format!("## {}. {}\n\n", t + 1, theme.title));
            for p in &theme.paragraphs {
                out.push_str(&format!("**{}** {}\n\n", p.number, p.text.trim()));
                for e in self.trail_of(&p.id) {
                    out.push_str(&format!("> {}\n", trail_line(e)));
                }
                if !self.trail_of(&p.id).is_empty() {
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// One line of a paragraph's trail, in words.
pub fn trail_line(e: &TrailEntry) -> String {
    let mut line = format!(
        "{} ({}) proposed by {} on {}",
        e.amendment,
        e.kind.label().to_lowercase(),
        e.proposed_by,
        e.proposed_at.get(..10).unwrap_or(&e.proposed_at)
    );
    if !e.supporters.is_empty() {
        line.push_str(&format!(", supported by {}", e.supporters.join(", ")));
    }
    if !e.opponents.is_empty() {
        line.push_str(&format!(", opposed by {}", e.opponents.join(", ")));
    }
    line.push_str(&format!("; {}", e.status.label().to_lowercase()));
    if let Some(at) = &e.decided_at {
        line.push_str(&format!(" on {}", at.get(..10).unwrap_or(at)));
    }
    line.push('.');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafting::documents::ParagraphView;
    use crate::drafting::ParagraphStatus;

    #[test]
    fn the_markdown_has_the_text_and_each_paragraph_trail() {
        let v = PublishedVersion {
            number: 4,
            label: "Final".into(),
            published_by: "Sérgio".into(),
            published_at: "2026-06-09T12:00:00Z".into(),
        };
        let p = Publication {
            slug: "carta".into(),
            title: "Carta".into(),
            summary: "What we ask.".into(),
            version: v.clone(),
            preamble: None,
            themes: vec![ThemeView {
                id: "t".into(),
                title: "Markets".into(),
                paragraphs: vec![
                    ParagraphView {
                        id: "p1".into(),
                        number: "1.1".into(),
                        text: "Fund organic fairs.".into(),
                        status: ParagraphStatus::Agreed,
                    },
                    ParagraphView { id: "p2".into(), number: "1.2".into(), text: "Train agents.".into(), status: ParagraphStatus::Agreed },
                ],
            }],
            trail: vec![ParagraphTrail {
                paragraph_id: "p1".into(),
                amendments: vec![TrailEntry {
                    amendment: "A-3".into(),
                    kind: AmendmentKind::Replace,
                    status: AmendmentStatus::Accepted,
                    proposed_by: "Coop Terra".into(),
                    proposed_at: "2026-05-10T08:00:00Z".into(),
                    supporters: vec!["Shop".into(), "OPAC".into()],
                    opponents: vec![],
                    decided_by: Some("Sérgio".into()),
                    decided_at: Some("2026-05-20T08:00:00Z".into()),
                }],
            }],
            published: vec![v],
        };
        let md = p.to_markdown();
        assert!(md.starts_with("# Carta\n\nWhat we ask.\n\n*Final (version 4), published by Sérgio on 2026-06-09.*"), "{md}");
        assert!(md.contains(
            "**1.1** Fund organic fairs.\n\n> A-3 (replace the text) proposed by Coop Terra on 2026-05-10, supported by Shop, OPAC; accepted on 2026-05-20.\n\n**1.2**"
        ), "{md}");
        assert!(p.trail_of("p2").is_empty());
    }
}

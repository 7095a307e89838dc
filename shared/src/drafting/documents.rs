//! What the drafting use cases take and return, and the checks on what people send.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::compare::{ParagraphText, ThemeText, VersionText};
use super::{is_slug, paragraph_number, paragraph_text, slugify, DocumentStatus, Numbering, ParagraphStatus, DEFAULT_THEMES};
use crate::{text, AppError, Caller, Role};

pub const MAX_THEMES: usize = 20;
pub const MAX_PARAGRAPHS: usize = 1_000;
pub const MAX_SUMMARY_CHARS: usize = 2_000;

/// The roles that own recommendation documents.
pub const SECRETARIAT: &[Role] = &[Role::Secretariat, Role::Admin];

/// True when the caller drafts documents (sees and edits the working draft).
pub fn drafts(caller: &Caller) -> bool {
    caller.has_any(SECRETARIAT)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewParagraph {
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTheme {
    pub title: String,
    #[serde(default)]
    pub paragraphs: Vec<NewParagraph>,
}

/// A new document. Without themes it gets the programme's three themes, empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDocument {
    pub title: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub preamble: Option<String>,
    #[serde(default)]
    pub numbering: Option<Numbering>,
    #[serde(default)]
    pub themes: Option<Vec<NewTheme>>,
}

/// A paragraph of the working draft as sent in a save: with the `id` of an existing paragraph,
/// or without one for a new paragraph. A status left out keeps the paragraph's status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftParagraph {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub status: Option<ParagraphStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftTheme {
    #[serde(default)]
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub paragraphs: Vec<DraftParagraph>,
}

/// A save of the working draft. `base_version` is the draft version the editor started from:
/// if someone saved since, the save is refused (409) and the editor keeps their text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftSave {
    pub base_version: u32,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub preamble: Option<String>,
    pub themes: Vec<DraftTheme>,
}

/// A document as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: DocumentStatus,
    /// The working draft's version (secretariat) or the latest released version (others).
    pub version: u32,
    /// The number of released versions.
    pub released: u32,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphView {
    pub id: String,
    pub number: String,
    pub text: String,
    pub status: ParagraphStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeView {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<ParagraphView>,
}

/// A document's text with its numbers: the working draft for the secretariat, the latest
/// released version for everyone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentView {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: DocumentStatus,
    pub comment_deadline: Option<String>,
    /// The working draft's version when `is_draft`, else the released version shown.
    pub version: u32,
    pub is_draft: bool,
    pub released: u32,
    pub preamble: Option<String>,
    pub numbering: Numbering,
    pub themes: Vec<ThemeView>,
}

/// A released version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionSummary {
    pub number: u32,
    pub label: String,
    pub released_by: String,
    pub released_at: String,
}

/// A released version with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionView {
    #[serde(flatten)]
    pub summary: VersionSummary,
    pub preamble: Option<String>,
    pub themes: Vec<ThemeView>,
}

/// The themes of a text with their paragraphs numbered.
pub fn numbered_themes(text: &VersionText) -> Vec<ThemeView> {
    text.themes
        .iter()
        .enumerate()
        .map(|(t, theme)| ThemeView {
            id: theme.id.clone(),
            title: theme.title.clone(),
            paragraphs: theme
                .paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| ParagraphView {
                    id: p.id.clone(),
                    number: paragraph_number(text.numbering, t, i),
                    text: p.text.clone(),
                    status: p.status,
                })
                .collect(),
        })
        .collect()
}

/// A new document, checked, with fresh ids from `new_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewDocument {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub text: VersionText,
}

fn title(field: &str, raw: &str) -> Result<String, AppError> {
    text::required_line(field, "The title", raw, 200)
}

fn summary(raw: Option<&str>) -> Result<String, AppError> {
    let s = raw.unwrap_or("").trim();
    if s.chars().count() > MAX_SUMMARY_CHARS {
        return Err(AppError::validation("summary", format!("The summary may have at most {MAX_SUMMARY_CHARS} characters.")));
    }
    Ok(s.to_string())
}

fn preamble(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(p) => paragraph_text("preamble", p).map(Some),
    }
}

impl NewDocument {
    pub fn validate(&self, mut new_id: impl FnMut() -> String) -> Result<ValidNewDocument, AppError> {
        let title = title("title", &self.title)?;
        let slug = match self.slug.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => {
                if !is_slug(s) {
                    return Err(AppError::validation("slug", "A slug has lower-case letters, digits and single dashes, at most 80."));
                }
                s.to_string()
            }
            _ => {
                let s = slugify(&title);
                if s.is_empty() {
                    return Err(AppError::validation("slug", "Give the document a slug: its title has no letters to make one from."));
                }
                s
            }
        };
        let themes = match &self.themes {
            Some(t) => t.clone(),
            None => DEFAULT_THEMES.iter().map(|t| NewTheme { title: t.to_string(), paragraphs: vec![] }).collect(),
        };
        let draft: Vec<DraftTheme> = themes
            .into_iter()
            .map(|t| DraftTheme {
                id: None,
                title: t.title,
                paragraphs: t.paragraphs.into_iter().map(|p| DraftParagraph { id: None, text: p.text, status: None }).collect(),
            })
            .collect();
        let mut text = build_text(&VersionText::default(), &draft, &mut new_id)?;
        text.numbering = self.numbering.unwrap_or_default();
        text.preamble = preamble(self.preamble.as_deref())?;
        Ok(ValidNewDocument { title, slug, summary: summary(self.summary.as_deref())?, text })
    }
}

/// A checked save of the working draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDraft {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub text: VersionText,
}

impl DraftSave {
    /// Checks the save against the current draft `head`: existing ids must be the head's, each
    /// once; new paragraphs and themes get ids from `new_id`; statuses left out are kept.
    pub fn validate(&self, head: &VersionText, mut new_id: impl FnMut() -> String) -> Result<ValidDraft, AppError> {
        let mut text = build_text(head, &self.themes, &mut new_id)?;
        text.numbering = head.numbering;
        text.preamble = preamble(self.preamble.as_deref())?;
        Ok(ValidDraft {
            title: self.title.as_deref().map(|t| title("title", t)).transpose()?,
            summary: self.summary.as_deref().map(|s| summary(Some(s))).transpose()?,
            text,
        })
    }
}

fn build_text(head: &VersionText, themes: &[DraftTheme], new_id: &mut impl FnMut() -> String) -> Result<VersionText, AppError> {
    if themes.is_empty() {
        return Err(AppError::validation("themes", "A document needs at least one theme."));
    }
    if themes.len() > MAX_THEMES {
        return Err(AppError::validation("themes", format!("A document may have at most {MAX_THEMES} themes.")));
    }
    if themes.iter().map(|t| t.paragraphs.len()).sum::<usize>() > MAX_PARAGRAPHS {
        return Err(AppError::validation("themes", format!("A document may have at most {MAX_PARAGRAPHS} paragraphs.")));
    }
    let head_themes: HashSet<&str> = head.themes.iter().map(|t| t.id.as_str()).collect();
    let head_paragraphs: HashMap<&str, &ParagraphText> =
        head.themes.iter().flat_map(|t| t.paragraphs.iter()).map(|p| (p.id.as_str(), p)).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(themes.len());
    for (t, theme) in themes.iter().enumerate() {
        let id = match &theme.id {
            Some(id) if head_themes.contains(id.as_str()) && seen.insert(id.clone()) => id.clone(),
            Some(id) => {
                return Err(AppError::validation(
                    format!("themes[{t}].id"),
                    format!("There is no theme “{id}” in this draft (or it is listed twice)."),
                ))
            }
            None => new_id(),
        };
        let title = text::required_line(&format!("themes[{t}].title"), "The theme's title", &theme.title, 300)?;
        let mut paragraphs = Vec::with_capacity(theme.paragraphs.len());
        for (i, p) in theme.paragraphs.iter().enumerate() {
            let field = format!("themes[{t}].paragraphs[{i}]");
            let (id, status) = match &p.id {
                Some(id) => match head_paragraphs.get(id.as_str()) {
                    Some(existing) if seen.insert(id.clone()) => (id.clone(), existing.status),
                    _ => {
                        return Err(AppError::validation(
                            format!("{field}.id"),
                            format!("There is no paragraph “{id}” in this draft (or it is listed twice)."),
                        ))
                    }
                },
                None => (new_id(), ParagraphStatus::Open),
            };
            let text = paragraph_text(&format!("{field}.text"), &p.text)?;
            paragraphs.push(ParagraphText { id, text, status: p.status.unwrap_or(status) });
        }
        out.push(ThemeText { id, title, paragraphs });
    }
    Ok(VersionText { preamble: None, numbering: head.numbering, themes: out })
}

/// A label for a released version: "Zero draft", "Rev.1", "Chair's proposal", "Final"…
pub fn version_label(raw: &str) -> Result<String, AppError> {
    text::required_line("label", "The version's label", raw, 100)
}

/// One change to the working draft, as the editor sends it (a form per change, so that it
/// works without JavaScript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DraftEdit {
    SetText {
        paragraph_id: String,
        text: String,
        /// The paragraph's text as the editor showed it: when it is still the draft's text,
        /// the change applies even if other parts of the draft changed meanwhile.
        #[serde(default)]
        base_text: Option<String>,
    },
    Delete {
        paragraph_id: String,
    },
    MoveUp {
        paragraph_id: String,
    },
    MoveDown {
        paragraph_id: String,
    },
    /// A new paragraph at the end of a theme.
    Append {
        theme_id: String,
        text: String,
    },
    RenameTheme {
        theme_id: String,
        title: String,
    },
}

/// The save that applies `edit` to the draft `head` at `base_version`. Moving a paragraph up
/// from the top of a theme moves it to the end of the theme before (and down likewise), so
/// that paragraphs can travel between themes.
pub fn edit_to_save(head: &VersionText, base_version: u32, edit: DraftEdit) -> Result<DraftSave, AppError> {
    let mut themes: Vec<DraftTheme> = head
        .themes
        .iter()
        .map(|t| DraftTheme {
            id: Some(t.id.clone()),
            title: t.title.clone(),
            paragraphs: t
                .paragraphs
                .iter()
                .map(|p| DraftParagraph { id: Some(p.id.clone()), text: p.text.clone(), status: None })
                .collect(),
        })
        .collect();
    let find = |themes: &[DraftTheme], id: &str| {
        themes.iter().enumerate().find_map(|(t, th)| th.paragraphs.iter().position(|p| p.id.as_deref() == Some(id)).map(|i| (t, i)))
    };
    let missing = || AppError::NotFound("That paragraph is no longer in the draft: someone may have deleted it. Reload the draft.".into());
    let theme_at = |themes: &[DraftTheme], id: &str| themes.iter().position(|t| t.id.as_deref() == Some(id));
    match edit {
        DraftEdit::SetText { paragraph_id, text, .. } => {
            let (t, i) = find(&themes, &paragraph_id).ok_or_else(missing)?;
            themes[t].paragraphs[i].text = text;
        }
        DraftEdit::Delete { paragraph_id } => {
            let (t, i) = find(&themes, &paragraph_id).ok_or_else(missing)?;
            themes[t].paragraphs.remove(i);
        }
        DraftEdit::MoveUp { paragraph_id } => {
            let (t, i) = find(&themes, &paragraph_id).ok_or_else(missing)?;
            if i > 0 {
                themes[t].paragraphs.swap(i, i - 1);
            } else if t > 0 {
                let p = themes[t].paragraphs.remove(0);
                themes[t - 1].paragraphs.push(p);
            }
        }
        DraftEdit::MoveDown { paragraph_id } => {
            let (t, i) = find(&themes, &paragraph_id).ok_or_else(missing)?;
            if i + 1 < themes[t].paragraphs.len() {
                themes[t].paragraphs.swap(i, i + 1);
            } else if t + 1 < themes.len() {
                let p = themes[t].paragraphs.remove(i);
                themes[t + 1].paragraphs.insert(0, p);
            }
        }
        DraftEdit::Append { theme_id, text } => {
            let t = theme_at(&themes, &theme_id).ok_or_else(|| AppError::NotFound("That theme is no longer in the draft.".into()))?;
            themes[t].paragraphs.push(DraftParagraph { id: None, text, status: None });
        }
        DraftEdit::RenameTheme { theme_id, title } => {
            let t = theme_at(&themes, &theme_id).ok_or_else(|| AppError::NotFound("That theme is no longer in the draft.".into()))?;
            themes[t].title = title;
        }
    }
    Ok(DraftSave { base_version, title: None, summary: None, preamble: head.preamble.clone(), themes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("id{n}")
        }
    }

    #[test]
    fn edits_become_saves_that_keep_identity() {
        let new = NewDocument {
            title: "Doc".into(),
            themes: Some(vec![
                NewTheme { title: "A".into(), paragraphs: vec![NewParagraph { text: "a1".into() }, NewParagraph { text: "a2".into() }] },
                NewTheme { title: "B".into(), paragraphs: vec![NewParagraph { text: "b1".into() }] },
            ]),
            ..Default::default()
        };
        let head = new.validate(ids()).unwrap().text;
        let id = |t: usize, i: usize| head.themes[t].paragraphs[i].id.clone();
        let order = |save: DraftSave| -> Vec<Vec<String>> {
            let v = save.validate(&head, || "new".into()).unwrap().text;
            v.themes.iter().map(|t| t.paragraphs.iter().map(|p| p.text.clone()).collect()).collect()
        };
        let s = |e| edit_to_save(&head, 1, e).unwrap();
        assert_eq!(order(s(DraftEdit::MoveUp { paragraph_id: id(0, 1) })), vec![vec!["a2", "a1"], vec!["b1"]]);
        assert_eq!(order(s(DraftEdit::MoveDown { paragraph_id: id(0, 1) })), vec![vec!["a1"], vec!["a2", "b1"]], "into the next theme");
        assert_eq!(order(s(DraftEdit::MoveUp { paragraph_id: id(1, 0) })), vec![vec!["a1", "a2", "b1"], vec![]], "into the theme before");
        assert_eq!(order(s(DraftEdit::MoveUp { paragraph_id: id(0, 0) })), vec![vec!["a1", "a2"], vec!["b1"]], "the first stays first");
        assert_eq!(order(s(DraftEdit::Delete { paragraph_id: id(0, 0) })), vec![vec!["a2"], vec!["b1"]]);
        assert_eq!(
            order(s(DraftEdit::SetText { paragraph_id: id(1, 0), text: "b1!".into(), base_text: None })),
            vec![vec!["a1", "a2"], vec!["b1!"]]
        );
        assert_eq!(
            order(s(DraftEdit::Append { theme_id: head.themes[1].id.clone(), text: "b2".into() })),
            vec![vec!["a1", "a2"], vec!["b1", "b2"]]
        );
        let renamed = s(DraftEdit::RenameTheme { theme_id: head.themes[0].id.clone(), title: "A!".into() });
        assert_eq!(renamed.themes[0].title, "A!");
        assert_eq!(edit_to_save(&head, 1, DraftEdit::Delete { paragraph_id: "gone".into() }).unwrap_err().status(), 404);
        let moved = s(DraftEdit::MoveDown { paragraph_id: id(0, 0) }).validate(&head, ids()).unwrap().text;
        assert_eq!(moved.themes[0].paragraphs[1].id, id(0, 0), "a moved paragraph keeps its id");
    }

    #[test]
    fn a_new_document_gets_the_three_themes_and_a_slug() {
        let d = NewDocument { title: "Recomendações 2026".into(), ..Default::default() }.validate(ids()).unwrap();
        assert_eq!(d.slug, "recomendacoes-2026");
        assert_eq!(d.text.themes.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), DEFAULT_THEMES.to_vec());
        let bad = NewDocument { title: "x".into(), slug: Some("Not a slug".into()), ..Default::default() }.validate(ids());
        assert_eq!(bad.unwrap_err().field(), Some("slug"));
        assert_eq!(NewDocument { title: " ".into(), ..Default::default() }.validate(ids()).unwrap_err().field(), Some("title"));
    }

    #[test]
    fn a_save_keeps_ids_and_statuses_and_refuses_unknown_ids() {
        let new = NewDocument {
            title: "Doc".into(),
            themes: Some(vec![NewTheme {
                title: "T".into(),
                paragraphs: vec![NewParagraph { text: "One.".into() }, NewParagraph { text: "Two.".into() }],
            }]),
            ..Default::default()
        };
        let mut head = new.validate(ids()).unwrap().text;
        head.themes[0].paragraphs[1].status = ParagraphStatus::Bracketed;
        let (t, p1, p2) = (head.themes[0].id.clone(), head.themes[0].paragraphs[0].id.clone(), head.themes[0].paragraphs[1].id.clone());
        let save = DraftSave {
            base_version: 1,
            themes: vec![DraftTheme {
                id: Some(t.clone()),
                title: "T".into(),
                paragraphs: vec![
                    DraftParagraph { id: Some(p2.clone()), text: "Two, moved.".into(), status: None },
                    DraftParagraph { id: None, text: "Three.".into(), status: None },
                    DraftParagraph { id: Some(p1.clone()), text: "One.".into(), status: Some(ParagraphStatus::Agreed) },
                ],
            }],
            ..Default::default()
        };
        let v = save.validate(&head, || "fresh".into()).unwrap().text;
        let got: Vec<(&str, &str, ParagraphStatus)> =
            v.themes[0].paragraphs.iter().map(|p| (p.id.as_str(), p.text.as_str(), p.status)).collect();
        assert_eq!(
            got,
            vec![
                (p2.as_str(), "Two, moved.", ParagraphStatus::Bracketed),
                ("fresh", "Three.", ParagraphStatus::Open),
                (p1.as_str(), "One.", ParagraphStatus::Agreed)
            ]
        );

        let mut twice = save.clone();
        twice.themes[0].paragraphs[1].id = Some(p2.clone());
        assert_eq!(twice.validate(&head, ids()).unwrap_err().field(), Some("themes[0].paragraphs[1].id"));
        let mut unknown = save.clone();
        unknown.themes[0].paragraphs[0].id = Some("nope".into());
        assert!(unknown.validate(&head, ids()).unwrap_err().to_string().contains("no paragraph"));
        let mut empty = save.clone();
        empty.themes[0].paragraphs[0].text = " ".into();
        assert_eq!(empty.validate(&head, ids()).unwrap_err().field(), Some("themes[0].paragraphs[0].text"));
        let mut huge = save;
        huge.themes[0].paragraphs[0].text = "x".repeat(20_001);
        assert!(huge.validate(&head, ids()).is_err());
    }
}

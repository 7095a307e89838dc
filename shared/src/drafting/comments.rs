//! Comments: threaded, on the document, a paragraph or an amendment, with a stance; edited by
//! their author for 15 minutes; hidden (with a reason, kept in the record) or resolved by the
//! secretariat.

use serde::{Deserialize, Serialize};

use crate::{vocabulary::closed_vocabulary, AppError};

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// How long an author may edit a comment, in seconds.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;

closed_vocabulary! {
    /// What a comment is about.
    CommentTarget {
        Document = "document" / "The document",
        Paragraph = "paragraph" / "A paragraph",
        Amendment = "amendment" / "An amendment",
    }
}

closed_vocabulary! {
    /// Where the commenter stands.
    CommentStance {
        For = "for" / "For",
        Against = "against" / "Against",
        Neutral = "neutral" / "Neutral",
    }
}

/// A new comment, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    pub target: CommentTarget,
    /// The paragraph's or the amendment's id (none for the document).
    #[serde(default)]
    pub target_id: Option<String>,
    /// The comment it answers, in the same thread.
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default = "neutral")]
    pub stance: CommentStance,
    /// Markdown.
    pub body: String,
}

fn neutral() -> CommentStance {
    CommentStance::Neutral
}

/// A comment's body, checked: trimmed, not empty, not too long.
pub fn comment_body(raw: &str) -> Result<String, AppError> {
    let b = raw.trim();
    if b.is_empty() {
        return Err(AppError::validation("body", "Write something first."));
    }
    if b.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::validation("body", format!("A comment may have at most {MAX_COMMENT_CHARS} characters.")));
    }
    Ok(b.replace("\r\n", "\n"))
}

/// A reason for hiding a comment: required, one paragraph.
pub fn hide_reason(raw: &str) -> Result<String, AppError> {
    let r = raw.trim();
    if r.is_empty() {
        return Err(AppError::validation("reason", "Say why the comment is hidden: the reason stays in the record."));
    }
    if r.chars().count() > 1_000 {
        return Err(AppError::validation("reason", "The reason may have at most 1000 characters."));
    }
    Ok(r.to_string())
}

/// True while a comment written `age_secs` ago may still be edited by its author.
pub fn editable(age_secs: i64) -> bool {
    (0..EDIT_WINDOW_SECS).contains(&age_secs)
}

/// A comment as shown. A hidden comment's body is withheld from everyone but the secretariat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    pub id: String,
    pub target: CommentTarget,
    pub target_id: Option<String>,
    pub parent_id: Option<String>,
    pub stance: CommentStance,
    /// Markdown (None when hidden and the reader is not of the secretariat).
    pub body: Option<String>,
    /// The body rendered and sanitised.
    pub html: Option<String>,
    pub author: String,
    pub author_id: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// The author may still edit it (15 minutes).
    pub editable: bool,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<String>,
    pub resolved: bool,
    pub resolved_by: Option<String>,
}

/// Comments in thread order: each top-level comment (oldest first) followed by its replies,
/// depth-first; returns each with its depth. Replies whose parent is missing come at the top.
pub fn threaded(comments: &[CommentView]) -> Vec<(&CommentView, usize)> {
    let ids: std::collections::HashSet<&str> = comments.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::with_capacity(comments.len());
    fn walk<'a>(
        all: &'a [CommentView],
        parent: Option<&str>,
        depth: usize,
        ids: &std::collections::HashSet<&str>,
        out: &mut Vec<(&'a CommentView, usize)>,
    ) {
        for c in all.iter().filter(|c| match (parent, c.parent_id.as_deref()) {
            (None, None) => true,
            (None, Some(p)) => !ids.contains(p),
            (Some(want), Some(p)) => want == p,
            (Some(_), None) => false,
        }) {
            out.push((c, depth));
            walk(all, Some(&c.id), depth + 1, ids, out);
        }
    }
    walk(comments, None, 0, &ids, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, parent: Option<&str>) -> CommentView {
        CommentView {
            id: id.into(),
            target: CommentTarget::Document,
            target_id: None,
            parent_id: parent.map(Into::into),
            stance: CommentStance::Neutral,
            body: Some(id.into()),
            html: None,
            author: "a".into(),
            author_id: "u".into(),
            created_at: String::new(),
            edited_at: None,
            editable: false,
            hidden: false,
            hidden_reason: None,
            hidden_by: None,
            resolved: false,
            resolved_by: None,
        }
    }

    #[test]
    fn threads_nest_replies_under_their_parents() {
        let all = vec![c("1", None), c("2", None), c("1a", Some("1")), c("1a1", Some("1a")), c("2a", Some("2")), c("x", Some("gone"))];
        let order: Vec<(&str, usize)> = threaded(&all).into_iter().map(|(c, d)| (c.id.as_str(), d)).collect();
        assert_eq!(order, vec![("1", 0), ("1a", 1), ("1a1", 2), ("2", 0), ("2a", 1), ("x", 0)]);
    }

    #[test]
    fn bodies_reasons_and_the_edit_window() {
        assert_eq!(comment_body("  Agree.\r\nStrongly. ").unwrap(), "Agree.\nStrongly.");
        assert_eq!(comment_body("   ").unwrap_err().field(), Some("body"));
        assert!(comment_body(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        assert_eq!(hide_reason(" ").unwrap_err().field(), Some("reason"));
        assert!(editable(0) && editable(14 * 60 + 59));
        assert!(!editable(15 * 60) && !editable(-5));
    }
}

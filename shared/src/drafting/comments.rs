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

/// How deep replies nest on a page; a reply to a reply at this depth is shown at it, after its
/// parent, in order (as mature forums do), so a long chain reads as a conversation, not a ladder.
pub const MAX_REPLY_DEPTH: usize = 5;

/// How many comments one page of a thread shows (in thread order).
pub const THREAD_PAGE: usize = 100;

/// What threading needs of a comment: its id and the comment it answers.
pub trait ThreadNode {
    fn node_id(&self) -> &str;
    fn parent(&self) -> Option<&str>;
}

impl ThreadNode for CommentView {
    fn node_id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
}

/// Comments in thread order: each top-level comment (in the order given, oldest first) followed
/// by its replies, depth-first; returns each with its depth, at most [`MAX_REPLY_DEPTH`]. Replies
/// whose parent is missing come at the top. Built without recursion, in time linear in the number
/// of comments, so no chain of replies, however long, can exhaust the stack.
pub fn threaded<T: ThreadNode>(comments: &[T]) -> Vec<(&T, usize)> {
    thread_order(comments).into_iter().map(|(i, depth)| (&comments[i], depth)).collect()
}

/// [`threaded`] as positions in the slice, with their depth.
fn thread_order<T: ThreadNode>(comments: &[T]) -> Vec<(usize, usize)> {
    let position: std::collections::HashMap<&str, usize> = comments.iter().enumerate().map(|(i, c)| (c.node_id(), i)).collect();
    let mut replies: Vec<Vec<usize>> = vec![Vec::new(); comments.len()];
    let mut roots = Vec::new();
    for (i, c) in comments.iter().enumerate() {
        match c.parent().and_then(|p| position.get(p)) {
            Some(&parent) if parent != i => replies[parent].push(i),
            _ => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(comments.len());
    let mut seen = vec![false; comments.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    // Comments never reached from a root (only a cycle of parents could do that) start their own.
    let starts = roots.into_iter().chain(0..comments.len());
    for start in starts {
        if seen[start] {
            continue;
        }
        stack.push((start, 0));
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            out.push((i, depth));
            let next = (depth + 1).min(MAX_REPLY_DEPTH);
            stack.extend(replies[i].iter().rev().map(|&r| (r, next)));
        }
    }
    out
}

/// Page `page` (1-based; out of range is the last) of a thread in thread order: its comments
/// with their depth, the page shown and how many pages there are.
pub fn thread_page<T: ThreadNode>(comments: Vec<T>, page: usize) -> (Vec<(T, usize)>, usize, usize) {
    let order = thread_order(&comments);
    let pages = order.len().div_ceil(THREAD_PAGE).max(1);
    let page = page.clamp(1, pages);
    let wanted: Vec<(usize, usize)> = order.into_iter().skip((page - 1) * THREAD_PAGE).take(THREAD_PAGE).collect();
    let mut slots: Vec<Option<T>> = comments.into_iter().map(Some).collect();
    let shown = wanted.into_iter().filter_map(|(i, depth)| slots[i].take().map(|c| (c, depth))).collect();
    (shown, page, pages)
}

/// One page of a thread as a page shows it (the server reads and sends only that page), so a
/// thread of ten thousand replies costs what a hundred do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ThreadPage {
    /// The page's comments in thread order, each with its depth.
    pub items: Vec<(CommentView, usize)>,
    /// The page shown (1-based) and how many there are.
    pub page: usize,
    pub pages: usize,
    /// The thread's comments not hidden, on every page.
    pub count: usize,
}

/// The id of a thread's heading on its page, which `?thread=` names to page through it.
pub fn thread_anchor(target: CommentTarget, target_id: Option<&str>) -> String {
    format!("ct-{}-{}", target.as_str(), target_id.unwrap_or_default())
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
    fn a_chain_of_ten_thousand_replies_is_threaded_flat_below_the_deepest_level() {
        let n = 10_000;
        let all: Vec<CommentView> = (0..n).map(|i| c(&i.to_string(), (i > 0).then(|| (i - 1).to_string()).as_deref())).collect();
        let order = threaded(&all);
        assert_eq!(order.len(), n);
        for (i, (c, depth)) in order.iter().enumerate() {
            assert_eq!((c.id.as_str(), *depth), (i.to_string().as_str(), i.min(MAX_REPLY_DEPTH)));
        }
        let (page, shown, pages) = thread_page(all.clone(), 3);
        assert_eq!((page.len(), shown, pages), (THREAD_PAGE, 3, n / THREAD_PAGE));
        assert_eq!(page[0].0.id, (2 * THREAD_PAGE).to_string());
        let (last, shown, _) = thread_page(all, 10_000);
        assert_eq!((last.len(), shown), (THREAD_PAGE, n / THREAD_PAGE), "past the end is the last page");
        assert_eq!(thread_page(Vec::<CommentView>::new(), 1).2, 1, "an empty thread has one page");
    }

    #[test]
    fn a_thread_page_past_the_first_and_the_anchors_that_name_threads() {
        let all: Vec<CommentView> = (0..250).map(|i| c(&i.to_string(), (i > 0).then(|| (i - 1).to_string()).as_deref())).collect();
        let (shown, page, pages) = thread_page(all, 2);
        assert_eq!((shown.len(), page, pages), (THREAD_PAGE, 2, 3));
        assert_eq!(shown[0], (c("100", Some("99")), MAX_REPLY_DEPTH));
        assert_eq!(thread_anchor(CommentTarget::Amendment, Some("a1")), "ct-amendment-a1");
        assert_eq!(thread_anchor(CommentTarget::Document, None), "ct-document-");
    }

    proptest::proptest! {
        /// Any set of replies: every comment shown once, each reply after its parent and one level
        /// below it (down to the deepest level), top-level comments in the order given.
        #[test]
        fn every_reply_follows_its_parent(parents in proptest::collection::vec(proptest::option::of(0usize..400), 0..300)) {
            let all: Vec<CommentView> = parents
                .iter()
                .enumerate()
                .map(|(i, p)| c(&i.to_string(), p.map(|p| if p < i { p.to_string() } else { format!("gone{p}") }).as_deref()))
                .collect();
            let order = threaded(&all);
            proptest::prop_assert_eq!(order.len(), all.len());
            let at: std::collections::HashMap<&str, (usize, usize)> =
                order.iter().enumerate().map(|(k, (c, d))| (c.id.as_str(), (k, *d))).collect();
            proptest::prop_assert_eq!(at.len(), all.len());
            for c in &all {
                let (k, d) = at[c.id.as_str()];
                match c.parent_id.as_deref().and_then(|p| at.get(p)) {
                    Some(&(pk, pd)) => {
                        proptest::prop_assert!(pk < k);
                        proptest::prop_assert_eq!(d, (pd + 1).min(MAX_REPLY_DEPTH));
                    }
                    None => proptest::prop_assert_eq!(d, 0),
                }
            }
            let roots: Vec<&str> = order.iter().filter(|(_, d)| *d == 0).map(|(c, _)| c.id.as_str()).collect();
            let given: Vec<&str> = all.iter().filter(|c| c.parent_id.as_deref().is_none_or(|p| p.starts_with("gone"))).map(|c| c.id.as_str()).collect();
            proptest::prop_assert_eq!(roots, given);
        }
    }

    #[test]
    fn a_cycle_of_parents_shows_every_comment_once() {
        let all = vec![c("a", Some("b")), c("b", Some("a")), c("s", Some("s"))];
        let mut ids: Vec<&str> = threaded(&all).into_iter().map(|(c, _)| c.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, vec!["a", "b", "s"]);
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

//! The text of a version (themes of paragraphs with stable ids) and the comparison of two
//! versions: paragraphs matched by identity, then compared word by word.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::diff::{word_diff, Op, Span};
use super::{paragraph_number, Numbering, ParagraphStatus};

/// A paragraph as it stands in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphText {
    pub id: String,
    pub text: String,
    pub status: ParagraphStatus,
}

/// A theme as it stands in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeText {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<ParagraphText>,
}

/// The whole text of a version (or of the working draft): what a snapshot freezes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionText {
    #[serde(default)]
    pub preamble: Option<String>,
    #[serde(default)]
    pub numbering: Numbering,
    pub themes: Vec<ThemeText>,
}

/// Where a paragraph sits in a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<'a> {
    pub theme: usize,
    pub index: usize,
    pub number: String,
    pub theme_id: &'a str,
    pub paragraph: &'a ParagraphText,
}

impl VersionText {
    /// Every paragraph in reading order with its displayed number.
    pub fn placed(&self) -> Vec<Placed<'_>> {
        self.themes
            .iter()
            .enumerate()
            .flat_map(|(t, theme)| {
                theme.paragraphs.iter().enumerate().map(move |(i, p)| Placed {
                    theme: t,
                    index: i,
                    number: paragraph_number(self.numbering, t, i),
                    theme_id: &theme.id,
                    paragraph: p,
                })
            })
            .collect()
    }

    pub fn paragraph(&self, id: &str) -> Option<Placed<'_>> {
        self.placed().into_iter().find(|p| p.paragraph.id == id)
    }

    pub fn paragraph_count(&self) -> usize {
        self.themes.iter().map(|t| t.paragraphs.len()).sum()
    }
}

/// What happened to a paragraph between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Inserted,
    Deleted,
    Moved,
    Modified,
    Unchanged,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Change::Inserted => "Inserted",
            Change::Deleted => "Deleted",
            Change::Moved => "Moved",
            Change::Modified => "Modified",
            Change::Unchanged => "Unchanged",
        }
    }
}

/// One paragraph in the comparison: `change` is `modified` when the text changed (whether or
/// not it also moved; `moved` says so), `moved` when only its place changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphChange {
    pub id: String,
    pub change: Change,
    pub moved: bool,
    /// The theme it is under in the newer version (the older one for a deleted paragraph).
    pub theme_id: String,
    pub old_number: Option<String>,
    pub new_number: Option<String>,
    pub old_status: Option<ParagraphStatus>,
    pub new_status: Option<ParagraphStatus>,
    pub ops: Vec<Span>,
    pub inserted_words: usize,
    pub deleted_words: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffStats {
    pub inserted: usize,
    pub deleted: usize,
    pub moved: usize,
    pub modified: usize,
    pub unchanged: usize,
    pub inserted_words: usize,
    pub deleted_words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionDiff {
    pub paragraphs: Vec<ParagraphChange>,
    pub stats: DiffStats,
}

impl VersionDiff {
    /// True when nothing changed between the two versions.
    pub fn is_unchanged(&self) -> bool {
        self.paragraphs.iter().all(|p| p.change == Change::Unchanged)
    }
}

/// Compares two versions. Paragraphs are matched by id, never by text; a kept paragraph has
/// moved when it changed theme or left the longest run of paragraphs kept in order. The
/// result is in the newer version's order, each deleted paragraph after the one it followed.
pub fn compare(old: &VersionText, new: &VersionText) -> VersionDiff {
    let old_placed = old.placed();
    let new_placed = new.placed();
    let old_by_id: HashMap<&str, &Placed> = old_placed.iter().map(|p| (p.paragraph.id.as_str(), p)).collect();
    let new_ids: HashSet<&str> = new_placed.iter().map(|p| p.paragraph.id.as_str()).collect();

    // Kept paragraphs in each order, keyed by (theme, id): those outside the longest common
    // subsequence moved.
    let old_kept: Vec<(&str, &str)> =
        old_placed.iter().filter(|p| new_ids.contains(p.paragraph.id.as_str())).map(|p| (p.theme_id, p.paragraph.id.as_str())).collect();
    let new_kept: Vec<(&str, &str)> = new_placed
        .iter()
        .filter(|p| old_by_id.contains_key(p.paragraph.id.as_str()))
        .map(|p| (p.theme_id, p.paragraph.id.as_str()))
        .collect();
    let mut in_place: HashSet<&str> = HashSet::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_kept, &new_kept) {
        if let DiffOp::Equal { new_index, len, .. } = op {
            in_place.extend(new_kept[new_index..new_index + len].iter().map(|(_, id)| *id));
        }
    }

    // Each deleted paragraph goes after the nearest paragraph before it that is kept.
    let mut deleted_after: HashMap<Option<&str>, Vec<&Placed>> = HashMap::new();
    let mut previous_kept: Option<&str> = None;
    for p in &old_placed {
        let id = p.paragraph.id.as_str();
        if new_ids.contains(id) {
            previous_kept = Some(id);
        } else {
            deleted_after.entry(previous_kept).or_default().push(p);
        }
    }

    let mut diff = VersionDiff::default();
    let deleted = |p: &Placed| ParagraphChange {
        id: p.paragraph.id.clone(),
        change: Change::Deleted,
        moved: false,
        theme_id: p.theme_id.to_string(),
        old_number: Some(p.number.clone()),
        new_number: None,
        old_status: Some(p.paragraph.status),
        new_status: None,
        ops: vec![Span { op: Op::Delete, text: p.paragraph.text.clone() }],
        inserted_words: 0,
        deleted_words: word_diff(&p.paragraph.text, "").deleted_words,
    };
    for p in deleted_after.get(&None).into_iter().flatten() {
        diff.paragraphs.push(deleted(p));
    }
    for p in &new_placed {
        let id = p.paragraph.id.as_str();
        let change = match old_by_id.get(id) {
            None => {
                let words = word_diff("", &p.paragraph.text);
                ParagraphChange {
                    id: id.to_string(),
                    change: Change::Inserted,
                    moved: false,
                    theme_id: p.theme_id.to_string(),
                    old_number: None,
                    new_number: Some(p.number.clone()),
                    old_status: None,
                    new_status: Some(p.paragraph.status),
                    ops: words.ops,
                    inserted_words: words.inserted_words,
                    deleted_words: 0,
                }
            }
            Some(before) => {
                let moved = !in_place.contains(id);
                let words = word_diff(&before.paragraph.text, &p.paragraph.text);
                let change = if !words.is_unchanged() {
                    Change::Modified
                } else if moved {
                    Change::Moved
                } else {
                    Change::Unchanged
                };
                ParagraphChange {
                    id: id.to_string(),
                    change,
                    moved,
                    theme_id: p.theme_id.to_string(),
                    old_number: Some(before.number.clone()),
                    new_number: Some(p.number.clone()),
                    old_status: Some(before.paragraph.status),
                    new_status: Some(p.paragraph.status),
                    ops: words.ops,
                    inserted_words: words.inserted_words,
                    deleted_words: words.deleted_words,
                }
            }
        };
        diff.paragraphs.push(change);
        for d in deleted_after.get(&Some(id)).into_iter().flatten() {
            diff.paragraphs.push(deleted(d));
        }
    }

    for p in &diff.paragraphs {
        let s = &mut diff.stats;
        match p.change {
            Change::Inserted => s.inserted += 1,
            Change::Deleted => s.deleted += 1,
            Change::Moved => s.moved += 1,
            Change::Modified => s.modified += 1,
            Change::Unchanged => s.unchanged += 1,
        }
        if p.moved && p.change == Change::Modified {
            s.moved += 1;
        }
        s.inserted_words += p.inserted_words;
        s.deleted_words += p.deleted_words;
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn para(id: &str, text: &str) -> ParagraphText {
        ParagraphText { id: id.into(), text: text.into(), status: ParagraphStatus::Open }
    }

    fn version(themes: &[(&str, &[(&str, &str)])]) -> VersionText {
        VersionText {
            preamble: None,
            numbering: Numbering::Decimal,
            themes: themes
                .iter()
                .map(|(id, ps)| ThemeText {
                    id: id.to_string(),
                    title: id.to_string(),
                    paragraphs: ps.iter().map(|(i, t)| para(i, t)).collect(),
                })
                .collect(),
        }
    }

    fn changes(d: &VersionDiff) -> Vec<(&str, Change, bool)> {
        d.paragraphs.iter().map(|p| (p.id.as_str(), p.change, p.moved)).collect()
    }

    #[test]
    fn paragraphs_are_matched_by_identity() {
        let a = version(&[
            ("t1", &[("p1", "Train extension agents."), ("p2", "Fund OPACs."), ("pa", "Certify."), ("p3", "Map markets.")]),
            ("t2", &[("p4", "Buy organic.")]),
        ]);
        let b = version(&[
            (
                "t1",
                &[("p2", "Fund OPACs."), ("pa", "Certify."), ("p1", "Train extension agents in agroecology."), ("p5", "New paragraph.")],
            ),
            ("t2", &[("p4", "Buy organic."), ("p3", "Map markets.")]),
        ]);
        let d = compare(&a, &b);
        assert_eq!(
            changes(&d),
            vec![
                ("p2", Change::Unchanged, false),
                ("pa", Change::Unchanged, false),
                ("p1", Change::Modified, true),
                ("p5", Change::Inserted, false),
                ("p4", Change::Unchanged, false),
                ("p3", Change::Moved, true),
            ]
        );
        let p1 = &d.paragraphs[2];
        assert_eq!((p1.old_number.as_deref(), p1.new_number.as_deref()), (Some("1.1"), Some("1.3")), "numbers are derived per version");
        assert_eq!(p1.inserted_words, 2);
        assert_eq!(
            d.stats,
            DiffStats { inserted: 1, deleted: 0, moved: 2, modified: 1, unchanged: 3, inserted_words: 4, deleted_words: 0 }
        );
    }

    #[test]
    fn deleted_paragraphs_stay_where_they_were() {
        let a = version(&[("t1", &[("p0", "Zero."), ("p1", "One."), ("p2", "Two."), ("p3", "Three.")])]);
        let b = version(&[("t1", &[("p1", "One."), ("p3", "Three.")])]);
        let d = compare(&a, &b);
        assert_eq!(
            changes(&d),
            vec![
                ("p0", Change::Deleted, false),
                ("p1", Change::Unchanged, false),
                ("p2", Change::Deleted, false),
                ("p3", Change::Unchanged, false)
            ]
        );
        assert_eq!(d.paragraphs[2].ops, vec![Span { op: Op::Delete, text: "Two.".into() }]);
        assert_eq!(d.paragraphs[2].old_number.as_deref(), Some("1.3"));
    }

    #[test]
    fn same_text_different_ids_is_a_delete_and_an_insert() {
        let a = version(&[("t1", &[("p1", "Same.")])]);
        let b = version(&[("t1", &[("p2", "Same.")])]);
        assert_eq!(changes(&compare(&a, &b)), vec![("p1", Change::Deleted, false), ("p2", Change::Inserted, false)]);
    }

    fn arb_version() -> impl Strategy<Value = VersionText> {
        let text = prop::sample::select(vec!["Apoiar a ATER.", "Promover feiras orgânicas.", "Fund OPACs [by 2030].", "有机农业", "x"]);
        let paragraphs = prop::collection::vec((0u8..12, text), 0..10);
        prop::collection::vec(paragraphs, 1..4).prop_map(|themes| {
            let mut seen = HashSet::new();
            VersionText {
                preamble: None,
                numbering: Numbering::Decimal,
                themes: themes
                    .into_iter()
                    .enumerate()
                    .map(|(t, ps)| ThemeText {
                        id: format!("t{t}"),
                        title: String::new(),
                        paragraphs: ps
                            .into_iter()
                            .filter(|(id, _)| seen.insert(*id))
                            .map(|(id, text)| para(&format!("p{id}"), text))
                            .collect(),
                    })
                    .collect(),
            }
        })
    }

    proptest! {
        #[test]
        fn comparing_a_version_with_itself_changes_nothing(a in arb_version()) {
            let d = compare(&a, &a);
            prop_assert!(d.is_unchanged());
            prop_assert_eq!(d.paragraphs.len(), a.paragraph_count());
        }

        #[test]
        fn the_comparison_rebuilds_both_versions(a in arb_version(), b in arb_version()) {
            let d = compare(&a, &b);
            // Read the newer version off the comparison: every paragraph but the deleted ones,
            // in order, with the text after the change.
            let newer: Vec<(String, String)> = d.paragraphs.iter().filter(|p| p.change != Change::Deleted)
                .map(|p| (p.id.clone(), p.ops.iter().filter(|s| s.op != Op::Delete).map(|s| s.text.as_str()).collect())).collect();
            let expected: Vec<(String, String)> = b.placed().iter().map(|p| (p.paragraph.id.clone(), p.paragraph.text.clone())).collect();
            prop_assert_eq!(newer, expected);
            // And every paragraph of the older one is there once, with its old text.
            let mut older: Vec<(String, String)> = d.paragraphs.iter().filter(|p| p.change != Change::Inserted)
                .map(|p| (p.id.clone(), p.ops.iter().filter(|s| s.op != Op::Insert).map(|s| s.text.as_str()).collect())).collect();
            let mut expected: Vec<(String, String)> = a.placed().iter().map(|p| (p.paragraph.id.clone(), p.paragraph.text.clone())).collect();
            older.sort();
            expected.sort();
            prop_assert_eq!(older, expected);
            let s = d.stats;
            prop_assert_eq!(s.inserted + s.modified + s.unchanged + (s.moved - d.paragraphs.iter().filter(|p| p.moved && p.change == Change::Modified).count()), b.paragraph_count());
        }
    }
}

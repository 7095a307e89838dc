//! A generator of large documents and their later versions, for benchmarks and load tests:
//! deterministic (seeded), in the voice of the programme, with edits of every kind.

use super::compare::{ParagraphText, ThemeText, VersionText};
use super::{Numbering, ParagraphStatus, DEFAULT_THEMES};

const WORDS: &[&str] = &[
    "organic",
    "smallholder",
    "cooperatives",
    "technical",
    "assistance",
    "rural",
    "extension",
    "conversion",
    "markets",
    "public",
    "procurement",
    "certification",
    "participatory",
    "guarantee",
    "credit",
    "Pronaf",
    "agroecology",
    "municipal",
    "fairs",
    "inputs",
    "seeds",
    "training",
    "women",
    "youth",
    "territories",
    "value",
    "chain",
    "policy",
    "should",
    "promote",
    "support",
    "ensure",
    "access",
    "prices",
    "logistics",
    "storage",
    "quality",
    "standards",
    "audit",
    "OPAC",
    "ATER",
    "família",
    "produção",
    "orgânica",
    "certificação",
    "transição",
    "mercados",
    "and",
    "the",
    "of",
    "for",
    "to",
    "in",
    "with",
    "by",
    "2030",
];

/// A small deterministic generator (xorshift), so the data set is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A sentence-like paragraph of about `words` words.
pub fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push_str(if rng.below(12) == 0 { ", " } else { " " });
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out.push('.');
    out
}

/// A document of `paragraphs` paragraphs of about `words` words each under the three themes.
pub fn document(seed: u64, paragraphs: usize, words: usize) -> VersionText {
    let mut rng = Rng::new(seed);
    let mut themes: Vec<ThemeText> = DEFAULT_THEMES
        .iter()
        .enumerate()
        .map(|(i, t)| ThemeText { id: format!("theme{i}"), title: t.to_string(), paragraphs: Vec::new() })
        .collect();
    for n in 0..paragraphs {
        let text = paragraph(&mut rng, words);
        themes[n * 3 / paragraphs.max(1)].paragraphs.push(ParagraphText { id: format!("p{n}"), text, status: ParagraphStatus::Open });
    }
    VersionText { preamble: None, numbering: Numbering::Decimal, themes }
}

/// The next version: about one paragraph in `every` (at least 2) reworded in a few places,
/// and about one in `10 * every` each deleted, preceded by a new one, or swapped with the next
/// but one.
pub fn revise(seed: u64, v: &VersionText, every: usize) -> VersionText {
    let mut rng = Rng::new(seed);
    let mut next = v.clone();
    let mut fresh = 0;
    for theme in &mut next.themes {
        let mut i = 0;
        while i < theme.paragraphs.len() {
            match rng.below(every.max(2) * 10) {
                0..=9 => {
                    let p = &mut theme.paragraphs[i];
                    let mut words: Vec<String> = p.text.split(' ').map(str::to_string).collect();
                    for _ in 0..3 {
                        let at = rng.below(words.len());
                        words[at] = WORDS[rng.below(WORDS.len())].to_string();
                    }
                    p.text = words.join(" ");
                }
                10 => {
                    theme.paragraphs.remove(i);
                    continue;
                }
                11 => {
                    fresh += 1;
                    let text = paragraph(&mut rng, 40);
                    theme.paragraphs.insert(i, ParagraphText { id: format!("new{seed}-{fresh}"), text, status: ParagraphStatus::Open });
                    i += 1;
                }
                12 if i + 2 < theme.paragraphs.len() => theme.paragraphs.swap(i, i + 2),
                _ => {}
            }
            i += 1;
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::super::compare::{compare, Change};
    use super::*;

    #[test]
    fn the_generated_document_has_the_size_asked_for() {
        let doc = document(7, 150, 166);
        assert_eq!(doc.paragraph_count(), 150);
        let words: usize = doc.placed().iter().map(|p| p.paragraph.text.split_whitespace().count()).sum();
        assert!((24_000..=26_000).contains(&words), "{words} words");
        assert_eq!(doc, document(7, 150, 166), "deterministic");
    }

    #[test]
    fn revisions_change_some_paragraphs() {
        let a = document(7, 150, 166);
        let b = revise(8, &a, 5);
        let d = compare(&a, &b);
        assert!(d.stats.modified > 10, "{:?}", d.stats);
        assert!(d.paragraphs.iter().any(|p| p.change == Change::Unchanged));
    }
}

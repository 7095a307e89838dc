//! The word-level comparison of two versions of a large document (150 paragraphs, ~25,000
//! words), the target being under 20 ms. Figures in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use shared::drafting::{
    compare::compare,
    diff::word_diff,
    sample::{document, revise},
};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let zero = document(7, 150, 166);
    let mut versions = vec![zero];
    for seed in 0..29 {
        let next = revise(100 + seed, versions.last().unwrap(), 5);
        versions.push(next);
    }
    let (first, second, last) = (&versions[0], &versions[1], &versions[29]);

    c.bench_function("compare consecutive versions (150 paragraphs, ~25k words)", |b| {
        b.iter(|| compare(black_box(first), black_box(second)))
    });
    c.bench_function("compare version 1 with version 30", |b| b.iter(|| compare(black_box(first), black_box(last))));
    c.bench_function("compare a version with itself", |b| b.iter(|| compare(black_box(last), black_box(last))));
    let long_a = first.placed().iter().map(|p| p.paragraph.text.clone()).collect::<Vec<_>>().join(" ");
    let long_b = last.placed().iter().map(|p| p.paragraph.text.clone()).collect::<Vec<_>>().join(" ");
    c.bench_function("word diff of the whole text as one paragraph (worst case)", |b| {
        b.iter(|| word_diff(black_box(&long_a), black_box(&long_b)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Drawing each kind of chart, and the cost of the chart check on an answer with no chart.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use carebot::answer;
use carebot::chart;
use carebot::knowledge::load_dir;
use carebot::query::{Mode, Parser};

fn charts(c: &mut Criterion) {
    let k = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"))
        .expect("the bundled knowledge base loads");
    let parser = Parser::new("!");
    let mut g = c.benchmark_group("chart");
    for (name, q) in [
        ("council", "!chart Birmingham"),
        (
            "six councils",
            "!chart Birmingham Solihull Coventry Walsall Sandwell Dudley",
        ),
        ("region", "!chart West Midlands"),
        ("England", "!chart England"),
    ] {
        let (_, plan) = answer::ask_charted(&k, &parser, q, Mode::Direct, 500).unwrap();
        let plan = plan.expect("a chart");
        g.bench_function(format!("render {name}"), |b| {
            b.iter(|| chart::render(std::hint::black_box(&plan)).unwrap())
        });
    }
    let q = "Who runs social services in Coventry?";
    g.bench_function("ask, no chart", |b| {
        b.iter(|| answer::ask(&k, &parser, std::hint::black_box(q), Mode::Direct, 500))
    });
    g.bench_function("ask_charted, no chart", |b| {
        b.iter(|| answer::ask_charted(&k, &parser, std::hint::black_box(q), Mode::Direct, 500))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: they need system fonts, and the figures are read from target/criterion.
    config = Criterion::default().without_plots();
    targets = charts
}
criterion_main!(benches);

//! Engine benchmarks: parsing, name resolution, autocomplete, whole answers and loading, over
//! the bundled knowledge base and synthetic ones of 1k, 10k and 100k councils (about 6.8
//! entities per council); loading also at 14,700 councils, about 100,000 entities. And what
//! the bot's metrics cost: a question recorded, a scrape written.
//!
//! `cargo bench --bench engine` runs everything (a few minutes on two cores);
//! `cargo bench --bench engine -- resolve/` runs one group. Set `CAREBOT_BENCH_SIZES=1000,10000`
//! to choose the synthetic sizes.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode};

use carebot::answer::{self, text};
use carebot::discord::embed;
use carebot::discord::metrics::{Metrics, Outcome};
use carebot::knowledge::{self, Knowledge, Resolved};
use carebot::query::{Mode, Parser};

mod synth;

const MAX_LEN: usize = 500;

/// One knowledge base to run the per-query benchmarks over, with the names to ask about.
struct Case {
    label: String,
    k: Knowledge,
    exact: String,
    alias: String,
    typo: String,
    unknown: String,
    prefix3: String,
    ask_prefix: String,
    ask_question: String,
    /// `!about` a council: the name is looked up as each kind until one matches exactly.
    ask_about: String,
    /// `!person`: the answer lists statements attributed to the person.
    ask_person: String,
}

fn sizes() -> Vec<usize> {
    std::env::var("CAREBOT_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

/// Synthetic councils that come with about 100,000 entities in all (99,889).
const COUNCILS_FOR_100K_ENTITIES: usize = 14_700;

fn label(n: usize) -> String {
    if n == COUNCILS_FOR_100K_ENTITIES {
        "100k-entities".into()
    } else if n % 1000 == 0 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

fn bundled() -> Case {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"));
    let files = knowledge::read_dir(dir).expect("bundled knowledge readable");
    let k = knowledge::load_texts(dir, files).expect("bundled knowledge loads");
    let case = Case {
        label: "bundled".into(),
        k,
        exact: "Birmingham".into(),
        alias: "Staffordshire County Council".into(),
        typo: "Birmingam".into(),
        unknown: "Staffs shire".into(),
        prefix3: "Sol".into(),
        ask_prefix: "!stars Birmingham".into(),
        ask_question: "Who runs social services in Coventry?".into(),
        ask_about: "!about Coventry".into(),
        ask_person: "!person Robert Lake".into(),
    };
    check(&case);
    case
}

fn synthetic(n: usize) -> Case {
    let s = synth::generate(n, synth::SEED);
    let k = knowledge::load_texts(Path::new("."), s.files)
        .unwrap_or_else(|e| panic!("synthetic knowledge ({n} councils) loads: {e}"));
    let mid = n / 2;
    // A misspelling that resolves to one council (most do; a few are too close to another).
    let typo = (mid..n)
        .chain(0..mid)
        .map(|i| (i, synth::typo(&s.councils[i])))
        .find(|(i, t)| k.find_council(t) == Resolved::Corrected(*i))
        .map(|(_, t)| t)
        .expect("some typo resolves");
    // A name nobody has, close enough to some to be worth suggesting them.
    let unknown = (mid..n)
        .chain(0..mid)
        .map(|i| format!("{}ey", synth::typo(&synth::typo(&s.councils[i]))))
        .find(|t| matches!(k.find_council(t), Resolved::Unknown(v) if !v.is_empty()))
        .expect("some name is unknown but close");
    let (_, alias) = s.aliases[s.aliases.len() / 2].clone();
    let exact = s.councils[mid].clone();
    // A council with someone leading its social services (most have).
    let parser = Parser::new("!");
    let asked = (n / 3..n)
        .map(|i| format!("Who runs social services in {}?", s.councils[i]))
        .find(|q| answer::ask(&k, &parser, q, Mode::Direct, MAX_LEN).is_some_and(|a| a.is_reply()))
        .expect("some council has a director");
    let case = Case {
        label: label(n),
        k,
        prefix3: s.councils[n / 4][..3].to_string(),
        ask_prefix: format!("!stars {exact}"),
        ask_question: asked,
        ask_about: format!("!about {}", s.councils[n / 5]),
        ask_person: format!("!person {}", s.people[n / 5]),
        exact,
        alias,
        typo,
        unknown,
    };
    check(&case);
    case
}

/// Every benchmark measures what it says: the names resolve as intended.
fn check(c: &Case) {
    assert!(matches!(c.k.find_council(&c.exact), Resolved::Exact(_)));
    assert!(matches!(c.k.find_council(&c.alias), Resolved::Exact(_)));
    assert!(matches!(c.k.find_council(&c.typo), Resolved::Corrected(_)));
    assert!(matches!(c.k.find_council(&c.unknown), Resolved::Unknown(v) if !v.is_empty()));
    assert!(!c.k.complete_council(&c.prefix3, 25).is_empty());
    let parser = Parser::new("!");
    for q in [&c.ask_prefix, &c.ask_question, &c.ask_about, &c.ask_person] {
        let a = answer::ask(&c.k, &parser, q, Mode::Direct, MAX_LEN).expect("an answer");
        assert!(a.is_reply(), "{}: {q} is answered", c.label);
    }
}

fn bench_parse(c: &mut Criterion) {
    let parser = Parser::new("!");
    let mut g = c.benchmark_group("parse");
    g.bench_function("prefix", |b| {
        b.iter(|| parser.parse(black_box("!stars Birmingham"), Mode::Direct))
    });
    g.bench_function("question", |b| {
        b.iter(|| {
            parser.parse(
                black_box("Who runs social services in Coventry?"),
                Mode::Direct,
            )
        })
    });
    g.finish();
}

fn bench_queries(c: &mut Criterion, case: &Case) {
    let parser = Parser::new("!");
    let k = &case.k;
    let mut g = c.benchmark_group("resolve");
    g.bench_function(BenchmarkId::new("exact", &case.label), |b| {
        b.iter(|| k.find_council(black_box(&case.exact)))
    });
    g.bench_function(BenchmarkId::new("alias", &case.label), |b| {
        b.iter(|| k.find_council(black_box(&case.alias)))
    });
    g.bench_function(BenchmarkId::new("typo", &case.label), |b| {
        b.iter(|| k.find_council(black_box(&case.typo)))
    });
    g.bench_function(BenchmarkId::new("did_you_mean", &case.label), |b| {
        b.iter(|| k.find_council(black_box(&case.unknown)))
    });
    g.finish();

    let mut g = c.benchmark_group("complete");
    g.bench_function(BenchmarkId::new("prefix3", &case.label), |b| {
        b.iter(|| k.complete_council(black_box(&case.prefix3), 25))
    });
    g.finish();

    let mut g = c.benchmark_group("ask");
    let whole = |q: &str| {
        let a = answer::ask(k, &parser, q, Mode::Direct, MAX_LEN).expect("an answer");
        text::render(&a)
    };
    g.bench_function(BenchmarkId::new("prefix_text", &case.label), |b| {
        b.iter(|| whole(black_box(&case.ask_prefix)))
    });
    g.bench_function(BenchmarkId::new("question_text", &case.label), |b| {
        b.iter(|| whole(black_box(&case.ask_question)))
    });
    g.bench_function(BenchmarkId::new("about_text", &case.label), |b| {
        b.iter(|| whole(black_box(&case.ask_about)))
    });
    g.bench_function(BenchmarkId::new("person_text", &case.label), |b| {
        b.iter(|| whole(black_box(&case.ask_person)))
    });
    g.bench_function(BenchmarkId::new("prefix_embed", &case.label), |b| {
        b.iter(|| {
            let a = answer::ask(
                k,
                &parser,
                black_box(&case.ask_prefix),
                Mode::Direct,
                MAX_LEN,
            )
            .expect("an answer");
            embed::render(&a)
        })
    });
    g.finish();
}

/// Loading and validating from text in memory. Runs before the synthetic bases are built for
/// the query benchmarks, and holds one size's text at a time, so that each load starts from a
/// heap like a fresh process's.
fn bench_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    // Every sample runs the same number of loads (one, for the big ones).
    g.sampling_mode(SamplingMode::Flat);
    let bundled = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"));
    let inputs = std::iter::once(0)
        .chain(sizes())
        .chain([COUNCILS_FOR_100K_ENTITIES]);
    for n in inputs {
        let (label, dir, files) = if n == 0 {
            let files = knowledge::read_dir(bundled).expect("bundled knowledge readable");
            ("bundled".to_string(), bundled, files)
        } else {
            (
                label(n),
                Path::new("."),
                synth::generate(n, synth::SEED).files,
            )
        };
        if n >= 50_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(20));
        } else if n >= 5_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(5));
        } else {
            g.sample_size(20).measurement_time(Duration::from_secs(3));
        }
        g.bench_function(BenchmarkId::from_parameter(&label), |b| {
            b.iter_batched(
                || files.clone(),
                |files| knowledge::load_texts(dir, files).expect("loads"),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// What metrics cost the bot: recording one question (its count and answer time, and its
/// reply's post time), and writing every series for one scrape.
fn bench_metrics(c: &mut Criterion) {
    let m = Metrics::new(&carebot::config::Config::default().discord);
    m.knowledge_loaded(&bundled().k.counts());
    let mut g = c.benchmark_group("metrics");
    g.bench_function("question", |b| {
        b.iter(|| {
            m.message_question(
                "!",
                black_box("!stars Birmingham"),
                Outcome::Answered,
                Duration::from_micros(3),
            );
            m.reply_posted(Duration::from_millis(2));
        })
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    g.bench_function("scrape", |b| b.iter(|| rt.block_on(m.render()).len()));
    g.finish();
}

/// The order keeps each measurement's heap like the one it stands for: queries on the bundled
/// base run first, in a small heap like a bot's with the bundled base; loads next, one size at
/// a time; then each synthetic base is built, queried and dropped in turn.
fn benches(c: &mut Criterion) {
    bench_parse(c);
    bench_metrics(c);
    bench_queries(c, &bundled());
    bench_load(c);
    for n in sizes() {
        bench_queries(c, &synthetic(n));
    }
}

criterion_group! {
    name = engine;
    // No plots: they need system fonts, and the figures are read from target/criterion.
    config = Criterion::default()
        .without_plots()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(engine);

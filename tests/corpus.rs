//! The question corpus: questions as people type them in Discord (`tests/corpus.tsv`), each
//! with the outcome carebot must give and words its answer must hold. The test prints the pass
//! rate and fails on any line that does not pass; a phrasing that fails is a new line there.

use carebot::answer::{self, text, Answer, Miss};
use carebot::query::{Mode, Parser};

#[path = "support/bundled.rs"]
mod bundled;

use bundled::kb;

/// Longest message the bot reads, as configured by default.
const MAX_LEN: usize = 500;

/// One line of the corpus.
#[derive(Debug)]
struct Case {
    line: usize,
    mode: Mode,
    question: String,
    outcome: String,
    words: Vec<String>,
}

/// Reads the table; a malformed line fails the test with its line number.
fn cases() -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus.tsv");
    let table = std::fs::read_to_string(path).expect("tests/corpus.tsv is readable");
    let mut out = Vec::new();
    for (i, raw) in table.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        assert!(
            (3..=4).contains(&cols.len()),
            "corpus.tsv:{line}: want mode, question, outcome and words separated by tabs"
        );
        let mode = match cols[0] {
            "dm" => Mode::Direct,
            "channel" => Mode::Channel,
            m => panic!("corpus.tsv:{line}: mode {m:?} is neither dm nor channel"),
        };
        assert!(
            OUTCOMES.contains(&cols[2]),
            "corpus.tsv:{line}: outcome {:?} is not one of {OUTCOMES:?}",
            cols[2]
        );
        let words = cols
            .get(3)
            .map(|w| {
                w.split(';')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Case {
            line,
            mode,
            question: cols[1].to_string(),
            outcome: cols[2].to_string(),
            words,
        });
    }
    out
}

const OUTCOMES: &[&str] = &[
    "answered",
    "no-data",
    "did-you-mean",
    "which",
    "usage",
    "unknown-command",
    "not-understood",
    "ignored",
];

/// The outcome an answer is, in the table's words.
fn outcome(a: Option<&Answer>) -> &'static str {
    let Some(a) = a else { return "ignored" };
    let Answer::NoAnswer(n) = a else {
        return "answered";
    };
    match &n.miss {
        Miss::NotUnderstood { .. } => "not-understood",
        Miss::Usage(_) => "usage",
        Miss::UnknownCommand { .. } => "unknown-command",
        Miss::Which { .. } => "which",
        _ if !n.suggestions.is_empty() => "did-you-mean",
        _ => "no-data",
    }
}

/// Why a case fails, or `None` when it passes.
fn check(parser: &Parser, c: &Case) -> Option<String> {
    let a = answer::ask(kb(), parser, &c.question, c.mode, MAX_LEN);
    let said = a.as_ref().map(text::render).unwrap_or_default();
    let got = outcome(a.as_ref());
    let mut why = Vec::new();
    if got != c.outcome {
        why.push(format!("wanted {}, got {got}", c.outcome));
    }
    let folded = said.to_lowercase();
    let first = folded.lines().next().unwrap_or_default();
    for w in &c.words {
        let (want, hay, where_) = match (w.strip_prefix('^'), w.strip_prefix('!')) {
            (Some(w), _) => (true, first, w),
            (_, Some(w)) => (false, folded.as_str(), w),
            _ => (true, folded.as_str(), w.as_str()),
        };
        if hay.contains(&where_.to_lowercase()) != want {
            why.push(format!(
                "{} {where_:?}{}",
                if want { "lacks" } else { "has" },
                if w.starts_with('^') {
                    " in its first line"
                } else {
                    ""
                }
            ));
        }
    }
    (!why.is_empty()).then(|| {
        format!(
            "corpus.tsv:{} {:?}: {}\n    {}",
            c.line,
            c.question,
            why.join("; "),
            said.replace('\n', "\n    ")
        )
    })
}

/// Runs every case; returns the failures and prints the pass rate.
fn run() -> (usize, Vec<String>) {
    let parser = bundled::parser();
    let cases = cases();
    let failures: Vec<String> = cases.iter().filter_map(|c| check(parser, c)).collect();
    let passed = cases.len() - failures.len();
    println!(
        "corpus: {passed} of {} questions pass ({:.1}%)",
        cases.len(),
        100.0 * passed as f64 / cases.len() as f64
    );
    (cases.len(), failures)
}

#[test]
fn every_question_in_the_corpus_is_answered_as_the_table_says() {
    let (total, failures) = run();
    assert!(total >= 300, "the corpus has only {total} questions");
    assert!(
        failures.is_empty(),
        "{} of {total} questions fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

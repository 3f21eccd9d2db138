//! What carebot could not answer, kept for curators: questions that got "not understood" or
//! "no data" are appended to a JSON-lines file, and [`Report`] groups and counts them so a
//! curator knows what to add next.
//!
//! A record holds the question's text (mentions and channel links blanked), the time, the
//! outcome and the names recognised or not; never a user, guild or channel id. Records are
//! written by a thread of their own ([`GapLog`]), so answering never waits for the disk; the
//! file is rotated to `<file>.1` when it would pass its size bound.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::answer::{self, Answer, Miss};
use crate::knowledge::normalize::fold;
use crate::knowledge::Knowledge;
use crate::query::Parser;

mod report;
pub use report::Report;

/// Records waiting to be written; when the writer falls this far behind, new ones are dropped.
const QUEUE: usize = 1024;
/// The longest question text kept, in characters.
const MAX_QUESTION: usize = 300;

/// How a question went unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A name the knowledge base does not hold.
    UnknownName,
    /// A known subject, but no such fact about it.
    NoFacts,
    /// A search that found nothing.
    NoResults,
    /// The question made no sense to the parser.
    NotUnderstood,
}

/// One unanswered question, as a line of the gaps file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// When it was asked: `2026-12-02T06:30:00Z`.
    pub time: String,
    pub outcome: Outcome,
    /// The question as asked, mentions and channel links blanked.
    pub question: String,
    /// Names the question used that the knowledge base holds, as it writes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognised: Vec<String>,
    /// Names the question used that the knowledge base does not hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unrecognised: Vec<String>,
    /// What kind of thing an unrecognised name was taken for: council, person, scheme, region
    /// or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The fact that was missing ("who leads social services") or the words searched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// What the missing fact is about, when the answer named it ("Kirklees").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Names carebot suggested instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggested: Vec<String>,
}

impl Gap {
    /// The gap `answer` leaves for `question` asked at `at`, with the names in it that `k`
    /// holds (found as `parser` reads questions); `None` when it was answered or missed for
    /// another reason (a usage error, an unknown command, a message too long, a name that is
    /// more than one thing).
    pub fn of(
        k: &Knowledge,
        parser: &Parser,
        question: &str,
        answer: &Answer,
        at: SystemTime,
    ) -> Option<Gap> {
        let Answer::NoAnswer(n) = answer else {
            return None;
        };
        let question = blank_ids(question);
        let mut gap = Gap {
            time: utc(at),
            outcome: Outcome::NotUnderstood,
            recognised: answer::names_in(k, parser, &question),
            question,
            unrecognised: Vec::new(),
            kind: None,
            missing: None,
            subject: None,
            suggested: n.suggestions.clone(),
        };
        match &n.miss {
            Miss::Unknown { kind, typed } => {
                let typed = typed.trim().to_string();
                gap.outcome = Outcome::UnknownName;
                gap.recognised.retain(|r| fold(r) != fold(&typed));
                gap.unrecognised.push(typed);
                gap.kind = Some(kind_word(kind).to_string());
            }
            Miss::NoFacts { subject, what } => {
                gap.outcome = Outcome::NoFacts;
                gap.missing = Some(what.clone());
                gap.subject = Some(subject.clone());
            }
            Miss::NoFact { what } => {
                gap.outcome = Outcome::NoFacts;
                gap.missing = Some(what.clone());
            }
            Miss::NoResults { typed } => {
                gap.outcome = Outcome::NoResults;
                gap.missing = Some(typed.trim().to_string());
            }
            Miss::NotUnderstood { .. } => {}
            Miss::Which { .. }
            | Miss::Usage(_)
            | Miss::UnknownCommand { .. }
            | Miss::TooLong { .. } => return None,
        }
        Some(gap)
    }
}

/// The short word for a [`Miss::Unknown`] kind: "a council called" is a council.
fn kind_word(kind: &str) -> &str {
    match kind
        .strip_prefix("a ")
        .and_then(|k| k.strip_suffix(" called"))
    {
        Some(word) => word,
        None if kind == "councils in" => "region",
        None => "name",
    }
}

/// `text` cut to [`MAX_QUESTION`] characters, with user, role and channel mentions (which
/// hold ids) replaced by `@someone`, `@role` and `#channel`, and control characters by spaces.
fn blank_ids(text: &str) -> String {
    static MENTION: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let mention =
        MENTION.get_or_init(|| regex::Regex::new(r"<(@!?|@&|#)\d+>").expect("a valid pattern"));
    let blanked = mention.replace_all(text, |c: &regex::Captures<'_>| match &c[1] {
        "@&" => "@role",
        "#" => "#channel",
        _ => "@someone",
    });
    let clean: String = blanked
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = clean.split_whitespace().collect();
    words.join(" ").chars().take(MAX_QUESTION).collect()
}

/// `at` as `2026-12-02T06:30:00Z`.
pub fn utc(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Appends [`Gap`]s to the gaps file from a thread of its own. Recording never blocks: when
/// the writer is far behind, the record is dropped and logged.
#[derive(Debug)]
pub struct GapLog {
    queue: Option<SyncSender<Gap>>,
    writer: Option<JoinHandle<()>>,
}

impl GapLog {
    /// Starts a writer appending to `file`, which is rotated to `<file>.1` before it would
    /// grow past `max_bytes`. The directory is made when missing.
    pub fn start(file: PathBuf, max_bytes: u64) -> GapLog {
        let (queue, records) = sync_channel(QUEUE);
        let writer = std::thread::Builder::new()
            .name("gaps".into())
            .spawn(move || write_all(&file, max_bytes, records));
        match writer {
            Ok(w) => GapLog {
                queue: Some(queue),
                writer: Some(w),
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot start the gaps writer; unanswered questions are not recorded");
                GapLog::off()
            }
        }
    }

    /// A log that records nothing.
    pub fn off() -> GapLog {
        GapLog {
            queue: None,
            writer: None,
        }
    }

    /// Queues `gap` for writing.
    pub fn record(&self, gap: Gap) {
        let Some(queue) = &self.queue else { return };
        match queue.try_send(gap) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!("the gaps file is behind; an unanswered question was not recorded")
            }
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

impl Drop for GapLog {
    /// Writes what is queued, then stops the writer.
    fn drop(&mut self) {
        self.queue.take();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

/// The writer thread: appends each record as a line, rotating before the bound.
fn write_all(path: &Path, max_bytes: u64, records: Receiver<Gap>) {
    let mut out: Option<(File, u64)> = None;
    let mut warned = false;
    for gap in records {
        let mut line = match serde_json::to_string(&gap) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot write a gap record");
                continue;
            }
        };
        line.push('\n');
        let written = (|| -> std::io::Result<()> {
            let len = line.len() as u64;
            if let Some((_, size)) = &out {
                if *size > 0 && size + len > max_bytes {
                    out = None;
                    std::fs::rename(path, rotated(path))?;
                }
            }
            if out.is_none() {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let f = OpenOptions::new().create(true).append(true).open(path)?;
                let size = f.metadata()?.len();
                out = Some((f, size));
                if size > 0 && size + len > max_bytes {
                    out = None;
                    std::fs::rename(path, rotated(path))?;
                    let f = OpenOptions::new().create(true).append(true).open(path)?;
                    out = Some((f, 0));
                }
            }
            let (f, size) = out.as_mut().expect("opened above");
            f.write_all(line.as_bytes())?;
            *size += len;
            Ok(())
        })();
        match written {
            Ok(()) => warned = false,
            Err(e) => {
                out = None;
                if !warned {
                    tracing::warn!(file = %path.display(), error = %e, "cannot append to the gaps file");
                    warned = true;
                }
            }
        }
    }
}

/// Where `path` is rotated to: `gaps.jsonl.1`.
pub fn rotated(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Mode;
    use std::time::Duration;

    fn kb() -> &'static crate::knowledge::Knowledge {
        static K: std::sync::OnceLock<crate::knowledge::Knowledge> = std::sync::OnceLock::new();
        K.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
            crate::knowledge::load_dir(&dir).expect("the bundled knowledge base loads")
        })
    }

    fn gap(question: &str) -> Option<Gap> {
        let parser = Parser::new("!");
        let a = crate::answer::ask(kb(), &parser, question, Mode::Direct, 500)?;
        Gap::of(
            kb(),
            &parser,
            question,
            &a,
            UNIX_EPOCH + Duration::from_secs(1_764_657_000),
        )
    }

    #[test]
    fn times_are_utc_in_iso_8601() {
        assert_eq!(utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(951_782_400 + 86_399)),
            "2000-02-29T23:59:59Z"
        );
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(1_764_657_000)),
            "2025-12-02T06:30:00Z"
        );
    }

    #[test]
    fn only_misses_for_curators_are_gaps() {
        assert_eq!(gap("!stars Birmingham"), None);
        assert_eq!(gap("!stars"), None, "a usage error");
        assert_eq!(gap("!frobnicate"), None, "an unknown command");
        let g = gap("!stars Narnia").unwrap();
        assert_eq!(
            (g.outcome, g.unrecognised, g.kind.as_deref()),
            (
                Outcome::UnknownName,
                vec!["Narnia".to_string()],
                Some("council")
            )
        );
        let g = gap("the quick brown fox jumps over the lazy dog again").unwrap();
        assert_eq!(g.outcome, Outcome::NotUnderstood);
        let g = gap("!search zebra").unwrap();
        assert_eq!(
            (g.outcome, g.missing.as_deref()),
            (Outcome::NoResults, Some("zebra"))
        );
    }

    #[test]
    fn names_are_kept_as_the_knowledge_base_writes_them() {
        let g = gap("!compare solihul Narnia").unwrap();
        assert_eq!(
            (g.outcome, g.recognised, g.unrecognised),
            (
                Outcome::UnknownName,
                vec!["Solihull".to_string()],
                vec!["Narnia".to_string()]
            )
        );
        let g = gap("!figures Solihull budget").unwrap();
        assert_eq!(
            (g.outcome, g.recognised, g.missing, g.subject),
            (
                Outcome::NoFacts,
                vec!["Solihull".to_string()],
                Some("“budget”".to_string()),
                Some("Solihull".to_string())
            )
        );
    }

    #[test]
    fn a_phrasing_not_understood_shows_the_names_it_holds() {
        let mut report = Report::default();
        for recognised in [vec!["Solihull".to_string()], vec![]] {
            report.add(&Gap {
                time: "2026-12-01T10:00:00Z".into(),
                outcome: Outcome::NotUnderstood,
                question: "Solihull: when?".into(),
                recognised,
                unrecognised: Vec::new(),
                kind: None,
                missing: None,
                subject: None,
                suggested: Vec::new(),
            });
        }
        assert_eq!(
            report.to_string(),
            "2 unanswered questions, 2026-12-01 10:00:00 to 2026-12-01 10:00:00.\n\
             \nPhrasings not understood (2):\n    2  “Solihull: when?” (names Solihull)\n"
        );
    }

    #[test]
    fn questions_keep_no_ids() {
        assert_eq!(
            blank_ids("<@123> ask <@!45>, <@&6> in <#789>\nplease\u{7}"),
            "@someone ask @someone, @role in #channel please"
        );
        let json =
            serde_json::to_string(&gap("<@118> who is <@!119> Nobody Atall?").unwrap()).unwrap();
        assert!(!json.contains("118") && !json.contains("119"), "{json}");
    }

    #[test]
    fn a_file_that_cannot_be_written_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the directory should be.
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "not a directory").unwrap();
        let file = blocker.join("gaps.jsonl");
        {
            let log = GapLog::start(file.clone(), 1024);
            for _ in 0..3 {
                log.record(gap("!stars Narnia").unwrap());
            }
        }
        assert!(!file.exists());
        assert_eq!(
            std::fs::read_to_string(&blocker).unwrap(),
            "not a directory"
        );
    }

    #[test]
    fn the_file_is_rotated_before_it_passes_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("gaps.jsonl");
        // Eight gaps of one length: "!stars Narnia1" to "!stars Narnia8".
        let gaps: Vec<Gap> = (1..=8)
            .map(|i| gap(&format!("!stars Narnia{i}")).unwrap())
            .collect();
        let line = serde_json::to_string(&gaps[0]).unwrap().len() as u64 + 1;
        let bound = line * 3;
        {
            let log = GapLog::start(file.clone(), bound);
            for g in &gaps[..5] {
                log.record(g.clone());
            }
        }
        let questions = |p: &Path| -> Vec<String> {
            let text = std::fs::read_to_string(p).unwrap();
            assert!(text.len() as u64 <= bound, "{} bytes", text.len());
            text.lines()
                .map(|l| serde_json::from_str::<Gap>(l).unwrap().question)
                .collect()
        };
        let names = |range: std::ops::RangeInclusive<usize>| -> Vec<String> {
            range.map(|i| format!("!stars Narnia{i}")).collect()
        };
        assert_eq!(questions(&rotated(&file)), names(1..=3));
        assert_eq!(questions(&file), names(4..=5));
        let report = Report::read(&file).unwrap();
        assert!(report
            .to_string()
            .starts_with("5 unanswered questions, 2025-12-02 06:30:00 to 2025-12-02 06:30:00.\n"));

        // A writer started later carries on from the file's size; the older rotated file is
        // replaced.
        {
            let log = GapLog::start(file.clone(), bound);
            for g in &gaps[5..] {
                log.record(g.clone());
            }
        }
        assert_eq!(questions(&rotated(&file)), names(4..=6));
        assert_eq!(questions(&file), names(7..=8));
    }
}

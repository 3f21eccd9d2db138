//! The cue words of every command, found in a question by word, and the common words that
//! never name anything.

use std::collections::{HashMap, HashSet};

use super::registry::{Command, Cue, COMMANDS};

/// A command's cue found in a question.
#[derive(Debug, Clone, Copy)]
pub struct CueHit {
    /// The command the cue asks for.
    pub command: &'static Command,
    /// The cue as the registry writes it.
    pub cue: &'static Cue,
    /// The first word of the question it covers.
    pub start: usize,
    /// The word after the last it covers.
    pub end: usize,
}

impl CueHit {
    /// How many words the cue has.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Always false: a cue has at least one word.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// One cue: its words, its command, and the cue as the registry writes it.
type Entry = (Vec<&'static str>, &'static Command, &'static Cue);

/// Every command's cues by their first word, and the common words.
#[derive(Debug)]
pub struct Cues {
    by_first: HashMap<&'static str, Vec<Entry>>,
    common: HashSet<&'static str>,
    /// [`NOT_CUES`], split into words.
    not_cues: Vec<Vec<&'static str>>,
}

/// Words of questions and chatter that are never a name, besides the cues.
const COMMON: &[&str] = &[
    "a",
    "about",
    "adult",
    "adults",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "are",
    "as",
    "at",
    "authority",
    "be",
    "been",
    "best",
    "bot",
    "borough",
    "but",
    "by",
    "called",
    "can",
    "care",
    "carebot",
    "child",
    "children",
    "childrens",
    "city",
    "could",
    "council",
    "county",
    "course",
    "current",
    "currently",
    "data",
    "day",
    "department",
    "details",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "dont",
    "down",
    "every",
    "fact",
    "facts",
    "for",
    "from",
    "get",
    "gets",
    "give",
    "go",
    "good",
    "got",
    "had",
    "has",
    "have",
    "health",
    "hello",
    "help",
    "here",
    "hey",
    "hi",
    "home",
    "how",
    "i",
    "if",
    "im",
    "improvement",
    "in",
    "info",
    "information",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "just",
    "know",
    "last",
    "latest",
    "like",
    "list",
    "lol",
    "many",
    "me",
    "more",
    "most",
    "much",
    "my",
    "name",
    "new",
    "no",
    "not",
    "now",
    "of",
    "off",
    "ok",
    "okay",
    "old",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "people",
    "person",
    "please",
    "pls",
    "plz",
    "ppl",
    "r",
    "really",
    "right",
    "same",
    "service",
    "services",
    "should",
    "show",
    "so",
    "social",
    "some",
    "someone",
    "support",
    "tell",
    "than",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "three",
    "thx",
    "time",
    "to",
    "today",
    "too",
    "two",
    "ty",
    "u",
    "up",
    "ur",
    "very",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "where",
    "which",
    "who",
    "whos",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "year",
    "years",
    "yes",
    "you",
    "your",
    "zero",
    "training",
    "team",
    "local",
];

/// Phrases whose words are not cues.
const NOT_CUES: &[&str] = &["social work", "social worker", "social workers"];

impl Cues {
    /// The cues of every command in the registry.
    pub fn new() -> Self {
        let mut by_first: HashMap<_, Vec<_>> = HashMap::new();
        let mut common: HashSet<&'static str> = COMMON.iter().copied().collect();
        for c in COMMANDS {
            for cue in c.cues {
                let words: Vec<&'static str> = cue.words.split(' ').collect();
                common.extend(words.iter().copied());
                by_first.entry(words[0]).or_default().push((words, c, cue));
            }
        }
        Cues {
            by_first,
            common,
            not_cues: NOT_CUES.iter().map(|n| n.split(' ').collect()).collect(),
        }
    }

    /// True for a word that is never a name: a cue's word or a common word.
    pub fn is_common(&self, word: &str) -> bool {
        self.common.contains(word)
    }

    /// Every cue in `words` (a question folded and split into words), in order; none inside
    /// a phrase that is no cue ("work" in "social work").
    pub fn find(&self, words: &[&str]) -> Vec<CueHit> {
        let mut out = Vec::new();
        let mut masked = 0;
        for (i, w) in words.iter().enumerate() {
            if let Some(not) = self.not_cues.iter().find(|n| words[i..].starts_with(n)) {
                masked = masked.max(i + not.len());
            }
            if i < masked {
                continue;
            }
            let Some(list) = self.by_first.get(w) else {
                continue;
            };
            for (cue_words, command, cue) in list {
                if words[i..].starts_with(cue_words) {
                    out.push(CueHit {
                        command,
                        cue,
                        start: i,
                        end: i + cue_words.len(),
                    });
                }
            }
        }
        out
    }
}

impl Default for Cues {
    fn default() -> Self {
        Cues::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::normalize::fold;

    fn cues_in(text: &str) -> Vec<(&'static str, &'static str)> {
        let cues = Cues::new();
        let folded = fold(text);
        let words: Vec<&str> = folded.split(' ').collect();
        cues.find(&words)
            .iter()
            .map(|h| (h.command.name, h.cue.words))
            .collect()
    }

    #[test]
    fn finds_every_cue_by_its_words() {
        assert_eq!(cues_in("Who's the boss of Staffs?"), [("director", "boss")]);
        assert_eq!(
            cues_in("how many people signed up"),
            [
                ("scheme", "how many people"),
                ("scheme", "how many"),
                ("figures", "how many people"),
                ("scheme", "signed up")
            ]
        );
    }

    #[test]
    fn a_phrase_that_is_no_cue_hides_its_words() {
        assert_eq!(cues_in("the social work sponsorship"), []);
        assert_eq!(
            cues_in("does it work"),
            [("person", "work"), ("scheme", "work")]
        );
    }

    #[test]
    fn cue_words_are_common_and_names_are_not() {
        let cues = Cues::new();
        for w in ["boss", "population", "how", "the", "pls"] {
            assert!(cues.is_common(w), "{w}");
        }
        for w in ["coventry", "hay", "nvq"] {
            assert!(!cues.is_common(w), "{w}");
        }
    }
}

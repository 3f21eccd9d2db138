//! Answers as plain text, for the command line.

use std::fmt::Write as _;

use super::{Answer, NoAnswer};

/// Renders an answer as plain text lines.
pub fn render(answer: &Answer) -> String {
    match answer {
        Answer::Reply(r) => {
            // Written line by line into one string (`write!` to a String cannot fail).
            let mut out = String::with_capacity(512);
            out.push_str(&r.title);
            if let Some(c) = &r.corrected {
                let _ = write!(out, "\n(Showing {} for “{}”.)", c.taken_as, c.typed);
            }
            if !r.description.is_empty() {
                out.push('\n');
                out.push_str(&r.description);
            }
            for f in &r.fields {
                let _ = write!(out, "\n\n{}:", f.name);
                for l in f.value.lines() {
                    out.push_str("\n  ");
                    out.push_str(l);
                }
            }
            if !r.sources.is_empty() {
                out.push_str("\n\nSource: ");
                for (i, c) in r.sources.iter().enumerate() {
                    if i > 0 {
                        out.push_str("; ");
                    }
                    let _ = write!(out, "{c}");
                }
            }
            out
        }
        Answer::NoAnswer(n) => no_answer(n),
    }
}

fn no_answer(n: &NoAnswer) -> String {
    let mut out = vec![n.message(&|t| format!("“{t}”"))];
    if !n.suggestions.is_empty() {
        out.push(format!("Did you mean: {}?", n.suggestions.join(", ")));
    }
    if !n.known.is_empty() {
        out.push(format!("I do know about: {}.", n.known.join(", ")));
    }
    out.join("\n")
}

//! Answers as plain text, for the command line.

use std::fmt::Write as _;

use super::{Answer, NoAnswer};

/// Renders an answer as plain text lines, with any control characters from the knowledge base
/// or the user made harmless (see [`clean`]).
pub fn render(answer: &Answer) -> String {
    let text = match answer {
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
    };
    clean(text)
}

/// True for the characters that reorder text for display (U+202E RIGHT-TO-LEFT OVERRIDE and
/// the other bidirectional embeddings, overrides, isolates and marks), so that text would not
/// show as it was written.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` as written: bidirectional controls removed, other control characters (terminal
/// escapes among them) but line breaks made spaces.
pub fn clean(text: String) -> String {
    let harmful = |c: char| is_bidi_control(c) || (c.is_control() && c != '\n');
    if !text.contains(harmful) {
        return text;
    }
    text.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Field, Reply};

    #[test]
    fn control_and_bidi_characters_are_made_harmless() {
        let r = Reply {
            title: "Birm\u{202E}mahgni".into(),
            description: "red \u{1b}[31mtext\u{1b}[0m\r".into(),
            fields: vec![Field {
                name: "a\u{2067}b\u{2069}".into(),
                value: "one\ntwo\tthree".into(),
                inline: false,
            }],
            ..Reply::default()
        };
        assert_eq!(
            render(&Answer::Reply(r)),
            "Birmmahgni\nred  [31mtext [0m \n\nab:\n  one\n  two three"
        );
    }
}

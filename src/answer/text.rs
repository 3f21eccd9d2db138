//! Answers as plain text, for the command line.

use std::fmt::Write as _;

use super::{Answer, NoAnswer};

/// Renders an answer as plain text lines, with any control characters from the knowledge base
/// or the user made harmless (see [`clean`]).
pub fn render(answer: &Answer) -> String {
    let text = match answer {
        Answer::Reply(r) => {
            // Written line by line into one string (`write!` to a String cannot fail).
            // Sized for the whole answer up front: growing it by doubling copied it each time.
            // Each field's lines are indented by two: an eighth more covers answers' lines.
            let fields: usize = (r.fields.iter())
                .map(|f| f.name.len() + f.value.len() * 9 / 8 + 8)
                .sum();
            let mut out = String::with_capacity(r.title.len() + r.description.len() + fields + 512);
            out.push_str(&r.title);
            if let Some(c) = &r.corrected {
                let _ = write!(out, "\n(Showing {} for “{}”.)", c.taken_as, c.typed);
            }
            if !r.description.is_empty() {
                out.push('\n');
                out.push_str(&r.description);
            }
            for f in &r.fields {
                out.push_str("\n\n");
                out.push_str(&f.name);
                out.push(':');
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
                    let _ = c.write_to(&mut out);
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

/// The first bytes, in UTF-8, of the non-ASCII characters that are controls (C1 controls,
/// `C2`) or bidirectional controls (U+061C, `D8`; the rest, `E2`). They never occur inside a
/// character, and `E2` also starts common marks (`★`, `“`).
pub const CONTROL_LEADS: [u8; 3] = [0xC2, 0xD8, 0xE2];

/// `text` as written: bidirectional controls removed, other control characters (terminal
/// escapes among them) but line breaks made spaces.
pub fn clean(text: String) -> String {
    if !needs_cleaning(&text) {
        return text;
    }
    text.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Whether [`clean`] would change `text`, read by bytes rather than characters (answers run to
/// kilobytes, and this is on every one). In UTF-8 the characters it changes are a byte below
/// 0x20 (but `\n`) or 0x7F, or start with `C2` (C1 controls, U+0080-U+009F), `D8` (U+061C) or
/// `E2` (U+200E/F, U+202A-U+202E, U+2066-U+2069); those lead bytes also start common marks
/// (`·`, `★`, `“`), so the bytes after them decide.
fn needs_cleaning(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7F);
    // Whole chunks folded without branching, so that the compiler can use vector instructions.
    if bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |any, &b| any | control(b)))
    {
        return true;
    }
    let [a, b, c] = CONTROL_LEADS;
    memchr::memchr3_iter(a, b, c, bytes).any(|i| {
        matches!(
            &bytes[i..bytes.len().min(i + 3)],
            [0xC2, 0x80..=0x9F, ..]
                | [0xD8, 0x9C, ..]
                | [0xE2, 0x80, 0x8E | 0x8F | 0xAA..=0xAE]
                | [0xE2, 0x81, 0xA6..=0xA9]
        )
    })
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

    #[test]
    fn the_byte_check_agrees_with_the_characters() {
        let harmful = |c: char| is_bidi_control(c) || (c.is_control() && c != '\n');
        // Every character from U+0000 to U+2FFF (all the controls and their UTF-8 neighbours),
        // alone and among typographic marks.
        for c in (0..0x3000).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("★“{c}”…\n")] {
                assert_eq!(needs_cleaning(&text), harmful(c), "{:?}", c);
            }
        }
        assert!(!needs_cleaning(&"★ “quoted” — fine\n".repeat(100)));
    }
}

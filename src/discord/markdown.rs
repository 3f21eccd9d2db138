//! Text placed in Discord markdown, made to show as written: user text escaped whole, and
//! knowledge text escaped wherever Discord would read markdown, a link or a mention.

use crate::answer::text::{is_bidi_control, CONTROL_LEADS};

/// Makes user text show as typed: markdown characters escaped, mentions and links broken.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '[' | ']' | '(' | ')' | '-'
            | ':' => {
                out.push('\\');
                out.push(c);
            }
            // A zero-width space after @ stops @everyone, @here and <@id> from reading as mentions.
            '@' => out.push_str("@\u{200B}"),
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Makes text from the knowledge base (and the answer's words around it) show as written:
/// whatever Discord would read as markdown, a link, a mention or a list is escaped, and
/// bidirectional controls are removed. Ordinary prose is left as it is; the answer's own
/// `code` spans (commands such as `` `!stars Birmingham` ``) are kept, as nothing inside one is
/// read as markdown.
pub fn curated(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        curated_line(line, &mut out);
    }
    out
}

/// [`curated`] for one line.
fn curated_line(line: &str, out: &mut String) {
    let body = line.trim_start_matches([' ', '\t']);
    out.push_str(&line[..line.len() - body.len()]);
    // A heading, quote or list marker is only one at the start of a line.
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let numbered = digits > 0 && [". ", ") "].iter().any(|m| body[digits..].starts_with(m));
    let rest = if body.starts_with(['#', '>', '-', '+']) {
        out.push('\\');
        body
    } else if numbered {
        out.push_str(&body[..digits]);
        out.push('\\');
        &body[digits..]
    } else {
        body
    };
    curated_inline(rest, out);
}

/// [`curated`] for text within a line.
fn curated_inline(mut rest: &str, out: &mut String) {
    loop {
        rest = push_ordinary(rest, out, |b| {
            matches!(
                b,
                b'\\' | b'*' | b'_' | b'~' | b'|' | b'[' | b']' | b'<' | b'`' | b'@'
            )
        });
        let Some(c) = rest.chars().next() else {
            return;
        };
        let mut used = c.len_utf8();
        match c {
            '\\' | '*' | '_' | '~' | '|' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            // A code span, closed later on the line, is kept whole.
            '`' => match rest[1..].find('`') {
                Some(len) => {
                    out.push('`');
                    push_plain(&rest[1..1 + len], out);
                    out.push('`');
                    used = len + 2;
                }
                None => out.push_str("\\`"),
            },
            '@' if ["everyone", "here"]
                .iter()
                .any(|w| rest[1..].starts_with(w)) =>
            {
                out.push_str("@\u{200B}")
            }
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        rest = &rest[used..];
    }
}

/// Text where markdown is not read (footers, code spans): bidirectional controls removed and
/// control characters made spaces.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_plain(text, &mut out);
    out
}

/// [`plain`], written onto `out`.
fn push_plain(mut rest: &str, out: &mut String) {
    loop {
        rest = push_ordinary(rest, out, |_| false);
        let Some(c) = rest.chars().next() else {
            return;
        };
        if !is_bidi_control(c) {
            out.push(if c.is_control() { ' ' } else { c });
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Copies the start of `text` that needs no care onto `out`, at once, and returns the rest,
/// which starts with a character that may: a byte `marked` says so, an ASCII control, or one
/// of [`CONTROL_LEADS`] (marks such as `★` and `“` among them, which the caller then copies one
/// by one). None of these bytes occurs inside a character, so the rest starts on a character
/// boundary.
fn push_ordinary<'t>(text: &'t str, out: &mut String, marked: impl Fn(u8) -> bool) -> &'t str {
    let len = text
        .bytes()
        .position(|b| b < 0x20 || b == 0x7F || CONTROL_LEADS.contains(&b) || marked(b))
        .unwrap_or(text.len());
    out.push_str(&text[..len]);
    &text[len..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_mentions() {
        assert_eq!(escape("@everyone"), "@\u{200B}everyone");
        assert_eq!(escape("Birm\u{202E}mahgni\u{2066}"), "Birmmahgni");
        assert_eq!(escape("<@&123>"), "\\<@\u{200B}&123\\>");
        assert_eq!(
            escape("**bold** [x](http://a)"),
            "\\*\\*bold\\*\\* \\[x\\]\\(http\\://a\\)"
        );
    }

    #[test]
    fn each_character_within_a_line_is_escaped_removed_or_kept() {
        // Every character up to U+2FFF (the controls, and every character whose first UTF-8
        // byte is shared with one), between letters and beside typographic marks.
        for c in (0..0x3000)
            .filter_map(char::from_u32)
            .filter(|&c| c != '\n')
        {
            let want = match c {
                '\\' | '*' | '_' | '~' | '|' | '[' | ']' | '<' | '`' => format!("\\{c}"),
                c if is_bidi_control(c) => String::new(),
                c if c.is_control() => " ".into(),
                c => c.to_string(),
            };
            assert_eq!(
                curated(&format!("a{c}b ★“")),
                format!("a{want}b ★“"),
                "{c:?}"
            );
            let plain_want = if is_bidi_control(c) {
                String::new()
            } else if c.is_control() {
                " ".into()
            } else {
                c.to_string()
            };
            assert_eq!(plain(&format!("“{c}”")), format!("“{plain_want}”"), "{c:?}");
        }
    }

    #[test]
    fn knowledge_text_shows_as_written() {
        for (written, sent) in [
            (
                "[Birmingham](https://evil.example)",
                "\\[Birmingham\\](https://evil.example)",
            ),
            (
                "<@123> <#4> <t:0:R> and @everyone or @here",
                "\\<@123> \\<#4> \\<t:0:R> and @\u{200B}everyone or @\u{200B}here",
            ),
            (
                "**bold** _it_ ~~gone~~ ||hidden|| a\\b",
                "\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~ \\|\\|hidden\\|\\| a\\\\b",
            ),
            (
                "# Big\n> quoted\n- item\n+ item\n2004. A year\n  -# small",
                "\\# Big\n\\> quoted\n\\- item\n\\+ item\n2004\\. A year\n  \\-# small",
            ),
            ("Birm\u{202E}mahgni\u{200F}", "Birmmahgni"),
            ("tab\there\u{7}", "tab here "),
            // The answer's own commands stay code; a lone backtick is escaped.
            (
                "`!stars Birmingham` shows each claim; it`s",
                "`!stars Birmingham` shows each claim; it\\`s",
            ),
            ("`!council [x](y) \u{202E}z`", "`!council [x](y) z`"),
            // Ordinary prose is untouched.
            (
                "Solihull's social services: ★★☆ 2 stars (November 2004, when the article was published).",
                "Solihull's social services: ★★☆ 2 stars (November 2004, when the article was published).",
            ),
            (
                "• well-led in 2003-04 > 3 #1 info@council.gov.uk https://example.org",
                "• well-led in 2003-04 > 3 #1 info@council.gov.uk https://example.org",
            ),
        ] {
            assert_eq!(curated(written), sent, "{written:?}");
        }
    }
}

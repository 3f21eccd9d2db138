//! Answers as Discord embeds, split into pages that respect every Discord limit.

use super::markdown::{curated, escape, plain};
use crate::answer::{Answer, Miss, NoAnswer, Reply};

/// Discord's limits on one message and its embeds.
pub mod limits {
    /// Characters of message content.
    pub const CONTENT: usize = 2000;
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// Characters across title, description, field names and values, and footer.
    pub const TOTAL: usize = 6000;
}

/// The most pages (messages) one reply posts; a longer one is cut, and says so.
pub const MAX_PAGES: usize = 20;

/// Colour of a reply that states facts.
const FACT_COLOUR: u32 = 0x2E7D32;
/// Colour of a reply with a conflict between sources.
const CONFLICT_COLOUR: u32 = 0xF9A825;
/// Colour of "no answer".
const MISS_COLOUR: u32 = 0x757575;

/// One embed, already within Discord's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub fields: Vec<(String, String, bool)>,
    pub footer: String,
    pub colour: u32,
}

impl Embed {
    /// Characters Discord counts towards the 6000 total.
    pub fn total_len(&self) -> usize {
        len(&self.title)
            + len(&self.description)
            + len(&self.footer)
            + self
                .fields
                .iter()
                .map(|(n, v, _)| len(n) + len(v))
                .sum::<usize>()
    }

    /// About how many bytes a message carrying this embed takes as JSON (a little more than
    /// its text, for keys, escapes and the message's other fields).
    pub fn json_len_hint(&self) -> usize {
        let text = self.title.len()
            + self.description.len()
            + self.footer.len()
            + self
                .fields
                .iter()
                .map(|(n, v, _)| n.len() + v.len() + 40)
                .sum::<usize>();
        text + text / 8 + 448
    }

    /// The serenity builder for this embed.
    pub fn to_builder(&self) -> serenity::builder::CreateEmbed {
        let mut e = serenity::builder::CreateEmbed::new()
            .title(&self.title)
            .colour(self.colour);
        if !self.description.is_empty() {
            e = e.description(&self.description);
        }
        for (n, v, inline) in &self.fields {
            e = e.field(n, v, *inline);
        }
        if !self.footer.is_empty() {
            e = e.footer(serenity::builder::CreateEmbedFooter::new(&self.footer));
        }
        e
    }
}

/// Discord's embed object, as serenity's `CreateEmbed` writes it, without building one.
impl serde::Serialize for Embed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        #[derive(serde::Serialize)]
        struct Footer<'a> {
            text: &'a str,
        }
        #[derive(serde::Serialize)]
        struct Field<'a> {
            name: &'a str,
            value: &'a str,
            inline: bool,
        }
        struct Fields<'a>(&'a [(String, String, bool)]);
        impl serde::Serialize for Fields<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|(name, value, inline)| Field {
                    name,
                    value,
                    inline: *inline,
                }))
            }
        }

        let mut m = s.serialize_map(None)?;
        m.serialize_entry("title", &self.title)?;
        m.serialize_entry("type", "rich")?;
        if !self.description.is_empty() {
            m.serialize_entry("description", &self.description)?;
        }
        m.serialize_entry("color", &self.colour)?;
        if !self.footer.is_empty() {
            m.serialize_entry("footer", &Footer { text: &self.footer })?;
        }
        if !self.fields.is_empty() {
            m.serialize_entry("fields", &Fields(&self.fields))?;
        }
        m.end()
    }
}

/// Renders an answer as one or more embeds (pages), each within every limit, at most
/// [`MAX_PAGES`] of them: for replies posted page after page.
pub fn render(answer: &Answer) -> Vec<Embed> {
    match answer {
        Answer::Reply(r) => reply(r, Some(MAX_PAGES)),
        Answer::NoAnswer(n) => vec![no_answer(n)],
    }
}

/// [`render`] with every page, for replies shown one page at a time.
pub fn render_all(answer: &Answer) -> Vec<Embed> {
    match answer {
        Answer::Reply(r) => reply(r, None),
        Answer::NoAnswer(n) => vec![no_answer(n)],
    }
}

fn reply(r: &Reply, max_pages: Option<usize>) -> Vec<Embed> {
    let source = source_line(r);
    let colour = if r.conflict {
        CONFLICT_COLOUR
    } else {
        FACT_COLOUR
    };
    let page = Embed {
        title: clip(&curated(&r.title), limits::TITLE),
        description: String::new(),
        fields: Vec::new(),
        footer: String::new(),
        colour,
    };
    // Room kept for the footer's page number.
    let footer_room = len(&clip(&source, limits::FOOTER - 40)) + 40;
    let mut pages = description_pages(&page, &description(r), footer_room);
    add_fields(&mut pages, &page, fields(r), footer_room);
    let max = max_pages.unwrap_or(usize::MAX);
    let cut = pages.len() > max;
    if cut {
        tracing::warn!(
            pages = pages.len(),
            max,
            "a reply was cut to the most pages one reply posts"
        );
        pages.truncate(max);
    }
    add_footers(&mut pages, &source, cut);
    pages
}

/// The reply's opening lines, after the note of a corrected name.
fn description(r: &Reply) -> String {
    let mut description = String::new();
    if let Some(c) = &r.corrected {
        description.push_str(&format!(
            "*Showing {} for “{}”.*\n",
            escape(&c.taken_as),
            escape(&c.typed)
        ));
    }
    description.push_str(&curated(&r.description));
    description
}

/// `Source: …` naming every source cited, or nothing.
fn source_line(r: &Reply) -> String {
    if r.sources.is_empty() {
        return String::new();
    }
    // Footers show no markdown, so only what would reorder or hide text is taken out.
    let cites: Vec<String> = r.sources.iter().map(|c| plain(&c.to_string())).collect();
    format!("Source: {}", cites.join("; "))
}

/// The reply's fields, with over-long values continued in further fields.
fn fields(r: &Reply) -> Vec<(String, String, bool)> {
    let mut fields = Vec::new();
    for f in &r.fields {
        let name = clip(&curated(&f.name), limits::FIELD_NAME);
        for (i, part) in chunks(&curated(&f.value), limits::FIELD_VALUE)
            .into_iter()
            .enumerate()
        {
            let n = if i == 0 {
                name.clone()
            } else {
                clip(&format!("{name} (cont.)"), limits::FIELD_NAME)
            };
            fields.push((n, part, f.inline));
        }
    }
    fields
}

/// Copies of the empty `page`, holding `description` across as many pages as it needs (at
/// least one).
fn description_pages(page: &Embed, description: &str, footer_room: usize) -> Vec<Embed> {
    let room = limits::DESCRIPTION.min(limits::TOTAL - len(&page.title) - footer_room);
    let mut pages: Vec<Embed> = chunks(description, room)
        .into_iter()
        .map(|d| Embed {
            description: d,
            ..page.clone()
        })
        .collect();
    if pages.is_empty() {
        pages.push(page.clone());
    }
    pages
}

/// Adds `fields` to the last page while they fit, then to new copies of the empty `page`.
fn add_fields(
    pages: &mut Vec<Embed>,
    page: &Embed,
    fields: Vec<(String, String, bool)>,
    footer_room: usize,
) {
    for field in fields {
        let last = pages.last_mut().expect("at least one page");
        let fits = last.fields.len() < limits::FIELDS
            && last.total_len() + len(&field.0) + len(&field.1) + footer_room <= limits::TOTAL;
        if fits {
            last.fields.push(field);
        } else {
            pages.push(Embed {
                fields: vec![field],
                ..page.clone()
            });
        }
    }
}

/// Gives every page the source line and, when there are several, its page number; the last
/// page of a reply that was `cut` says so.
fn add_footers(pages: &mut [Embed], source: &str, cut: bool) {
    let count = pages.len();
    for (i, p) in pages.iter_mut().enumerate() {
        let mut footer = clip(source, limits::FOOTER - 40);
        if count > 1 {
            if !footer.is_empty() {
                footer.push_str(" · ");
            }
            footer.push_str(&format!("page {}/{count}", i + 1));
            if cut && i + 1 == count {
                footer.push_str(" (cut short)");
            }
        }
        p.footer = footer;
    }
}

fn no_answer(n: &NoAnswer) -> Embed {
    let echo = |t: &str| format!("“{}”", escape(t));
    let message = match &n.miss {
        // The one miss that names something from the knowledge base.
        Miss::NoFacts { subject, what } => NoAnswer {
            miss: Miss::NoFacts {
                subject: curated(subject),
                what: curated(what),
            },
            suggestions: Vec::new(),
            known: Vec::new(),
        }
        .message(&echo),
        _ => n.message(&echo),
    };
    let mut lines = vec![message];
    if !n.suggestions.is_empty() {
        let s: Vec<String> = n
            .suggestions
            .iter()
            .map(|s| format!("**{}**", escape(s)))
            .collect();
        lines.push(format!("Did you mean {}?", s.join(", ")));
    }
    if !n.known.is_empty() {
        let k: Vec<String> = n.known.iter().map(|s| curated(s)).collect();
        lines.push(format!("I do know about: {}.", k.join(", ")));
    }
    Embed {
        title: "No answer".into(),
        description: clip(&lines.join("\n"), limits::DESCRIPTION),
        fields: Vec::new(),
        footer: String::new(),
        colour: MISS_COLOUR,
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    if len(s) <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Splits text into pieces of at most `max` characters, at line breaks where possible.
fn chunks(text: &str, max: usize) -> Vec<String> {
    // Short text is one piece (leading line breaks are dropped below, as at a page's start).
    if !text.is_empty() && !text.starts_with('\n') && len(text) <= max {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    // `current`'s length in characters, kept as it grows.
    let mut current_len = 0;
    for line in text.split('\n') {
        let line_len = len(line);
        let candidate = if current.is_empty() {
            line_len
        } else {
            current_len + 1 + line_len
        };
        if candidate <= max {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
            current_len = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // A single line longer than `max` is cut into pieces, never between an escaping
        // backslash and the character it escapes.
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        while chars.len() - start > max {
            let mut end = start + max;
            let backslashes = chars[start..end]
                .iter()
                .rev()
                .take_while(|&&c| c == '\\')
                .count();
            if backslashes % 2 == 1 && end - start > 1 {
                end -= 1;
            }
            out.push(chars[start..end].iter().collect());
            start = end;
        }
        current = chars[start..].iter().collect();
        current_len = chars.len() - start;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Field;

    #[test]
    fn a_reply_escapes_every_part_a_curator_wrote() {
        let r = Reply {
            title: "[Evil](https://evil.example) council".into(),
            description: "Run by <@&1>.\n`!stars Evil` tells more.".into(),
            fields: vec![Field {
                name: "**Director**".into(),
                value: "> @everyone\u{202E}".into(),
                inline: false,
            }],
            sources: vec![crate::answer::Cite {
                title: "**Stars**\u{202E}".into(),
                publisher: "Care_Press".into(),
                date: None,
            }],
            ..Reply::default()
        };
        assert_eq!(
            render(&Answer::Reply(r)),
            vec![Embed {
                title: "\\[Evil\\](https://evil.example) council".into(),
                description: "Run by \\<@&1>.\n`!stars Evil` tells more.".into(),
                fields: vec![(
                    "\\*\\*Director\\*\\*".into(),
                    "\\> @\u{200B}everyone".into(),
                    false
                )],
                // Footers show no markdown: nothing to escape there.
                footer: "Source: Care_Press, “**Stars**”".into(),
                colour: FACT_COLOUR,
            }]
        );
        let n = NoAnswer {
            miss: Miss::NoFacts {
                subject: "[Town](https://evil.example)".into(),
                what: "a star rating".into(),
            },
            suggestions: Vec::new(),
            known: vec!["notes (`!council ~Town~`)".into(), "**it**".into()],
        };
        assert_eq!(
            render(&Answer::NoAnswer(n))[0].description,
            "I have no data on a star rating for \\[Town\\](https://evil.example).\nI do know about: notes (`!council ~Town~`), \\*\\*it\\*\\*."
        );
    }

    #[test]
    fn a_reply_posts_at_most_max_pages() {
        let r = Reply {
            title: "Councils".into(),
            // A council name of 5 MB.
            description: "Birmingham ".repeat(500_000),
            ..Reply::default()
        };
        let pages = render(&Answer::Reply(r));
        assert_eq!(pages.len(), MAX_PAGES);
        assert_eq!(pages[0].footer, format!("page 1/{MAX_PAGES}"));
        assert_eq!(
            pages[MAX_PAGES - 1].footer,
            format!("page {MAX_PAGES}/{MAX_PAGES} (cut short)")
        );
        for p in &pages {
            assert!(p.total_len() <= limits::TOTAL);
        }
    }

    #[test]
    fn long_replies_are_split_within_limits() {
        let r = Reply {
            title: "t".repeat(300),
            description: "d".repeat(9000),
            fields: (0..60)
                .map(|i| Field {
                    name: format!("field {i}"),
                    value: "v ".repeat(700),
                    inline: false,
                })
                .collect(),
            ..Reply::default()
        };
        let pages = render(&Answer::Reply(r));
        assert!(pages.len() > 3);
        let mut fields = 0;
        for p in &pages {
            assert!(len(&p.title) <= limits::TITLE);
            assert!(len(&p.description) <= limits::DESCRIPTION);
            assert!(p.fields.len() <= limits::FIELDS);
            assert!(p.total_len() <= limits::TOTAL, "{}", p.total_len());
            for (n, v, _) in &p.fields {
                assert!(len(n) <= limits::FIELD_NAME && len(v) <= limits::FIELD_VALUE);
            }
            fields += p.fields.len();
        }
        // 60 values of 1400 characters each need two fields apiece.
        assert_eq!(fields, 120);
        assert!(pages
            .last()
            .unwrap()
            .footer
            .ends_with(&format!("page {0}/{0}", pages.len())));
    }

    #[test]
    fn embeds_serialise_as_serenity_builds_them() {
        let full = Embed {
            title: "Birmingham: star rating".into(),
            description: "⚠ “quoted” \"text\"\n• line".into(),
            fields: vec![
                ("☆☆☆ 0 stars".into(), "value\nmore".into(), false),
                ("b".into(), "c".into(), true),
            ],
            footer: "Source: Community Care".into(),
            colour: 0xF9A825,
        };
        let bare = Embed {
            description: String::new(),
            fields: Vec::new(),
            footer: String::new(),
            ..full.clone()
        };
        for e in [full, bare] {
            assert_eq!(
                serde_json::to_value(&e).unwrap(),
                serde_json::to_value(e.to_builder()).unwrap()
            );
        }
    }

    #[test]
    fn chunks_split_at_lines() {
        assert_eq!(chunks("ab\ncd\nef", 5), vec!["ab\ncd", "ef"]);
        assert_eq!(chunks("abcdefg", 3), vec!["abc", "def", "g"]);
        // An escape stays whole: `\*` is not cut after its backslash.
        assert_eq!(chunks("ab\\*cd", 3), vec!["ab", "\\*c", "d"]);
        assert_eq!(chunks("a\\\\bc", 3), vec!["a\\\\", "bc"]);
    }

    #[test]
    fn long_text_is_cut_into_full_pages_of_whole_lines() {
        let text: String = (0..300)
            .map(|i| format!("• line {i} {}", "é".repeat(i % 40)))
            .collect::<Vec<_>>()
            .join("\n");
        let pages = chunks(&text, 400);
        assert!(pages.len() > 10);
        assert_eq!(pages.join("\n"), text);
        for w in pages.windows(2) {
            assert!(len(&w[0]) <= 400);
            // Each page is as full as whole lines allow.
            let next_line = w[1].split('\n').next().unwrap();
            assert!(len(&w[0]) + 1 + len(next_line) > 400);
        }
        assert_eq!(chunks("short", 400), vec!["short"]);
        assert_eq!(chunks("\nshort", 400), vec!["short"]);
        assert!(chunks("", 400).is_empty());
    }
}

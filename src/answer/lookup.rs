//! The dispatcher: one answer being built, each query sent to the module of its subject, and
//! what every answer shares (citing sources, quoting them, "no data" about a council).

use super::phrase::{bullets, long_date, push_figure_line, push_one_line};
use super::{Answer, Cite, Field, Miss, NoAnswer};
use crate::knowledge::{Figure, Knowledge, Note};
use crate::query::registry::CommandId;
use crate::query::Query;

/// One answer being built: the knowledge, the command prefix, and the sources cited so far.
pub(super) struct Lookup<'k> {
    pub(super) k: &'k Knowledge,
    pub(super) prefix: &'k str,
    /// The most items one list shows; the rest are counted.
    pub(super) list_limit: usize,
    cited: Vec<Cited<'k>>,
}

/// A source an answer cites: a curated source, a table of the register, or one web page (a
/// press report or an Ofsted report) that a table row gives as its citation.
#[derive(Clone, Copy, PartialEq)]
enum Cited<'k> {
    Source(&'k str),
    Table(&'k str),
    Page {
        publisher: &'k str,
        url: &'k str,
        date: Option<&'k str>,
    },
}

impl<'k> Lookup<'k> {
    pub(super) fn new(k: &'k Knowledge, prefix: &'k str) -> Self {
        Lookup {
            k,
            prefix,
            list_limit: super::phrase::LIST_LIMIT,
            cited: Vec::new(),
        }
    }

    /// Looks `q` up, citing the sources of every fact stated.
    pub(super) fn answer(mut self, q: &Query) -> Answer {
        let reply = match q {
            Query::Stars(name) => self.stars(name),
            Query::Director(name) => self.director(name),
            Query::Person(name) => self.person(name),
            Query::Schemes(name) => self.schemes(name),
            Query::Scheme(name) => self.scheme(name),
            Query::SchemeFact { name, fact } => self.scheme_fact(name, *fact),
            Query::Council(name) => self.council(name),
            Query::About { name, guessed } => self.about(name, *guessed),
            Query::Figures { council, topic } => self.figures(council, topic.as_deref()),
            Query::Compare(names) => self.compare(names),
            Query::Chart(names) => self.chart(names),
            Query::Rated(q) => self.rated(q),
            Query::Ofsted(name) => self.ofsted(name),
            Query::Neighbours(name) => self.neighbours(name),
            Query::Councils(region) => self.councils(region.as_deref()),
            Query::Search(words) => self.search(words),
            Query::Sources => Ok(self.sources()),
            Query::Help(cmd) => self.help(cmd.as_deref()),
        };
        match reply {
            Ok(mut r) => {
                r.sources = self.cited.iter().map(|c| self.cite_of(*c)).collect();
                Answer::Reply(r)
            }
            Err(n) => Answer::NoAnswer(n),
        }
    }

    /// Adds `source` to the sources cited, once.
    pub(super) fn cite(&mut self, source: &'k str) {
        self.cite_once(Cited::Source(source));
    }

    /// Cites the register table `table` (its id), once.
    pub(super) fn cite_table(&mut self, table: &'k str) {
        self.cite_once(Cited::Table(table));
    }

    /// Cites one web page, once: a press report (`publisher` is then its site) or a report.
    pub(super) fn cite_page(&mut self, publisher: &'k str, url: &'k str, date: Option<&'k str>) {
        self.cite_once(Cited::Page {
            publisher,
            url,
            date,
        });
    }

    fn cite_once(&mut self, c: Cited<'k>) {
        if !self.cited.contains(&c) {
            self.cited.push(c);
        }
    }

    fn cite_of(&self, c: Cited<'k>) -> Cite {
        match c {
            Cited::Source(id) => Cite::of(self.k.source(id)),
            Cited::Table(id) => match self.k.register.tables.iter().find(|t| t.id == id) {
                Some(t) => Cite {
                    title: t.title.clone(),
                    publisher: t.publisher.clone(),
                    date: t.date.as_deref().map(long_date),
                },
                None => Cite {
                    title: id.to_string(),
                    publisher: String::new(),
                    date: None,
                },
            },
            Cited::Page {
                publisher,
                url,
                date,
            } => Cite {
                title: url.to_string(),
                publisher: publisher.to_string(),
                date: date.map(long_date),
            },
        }
    }

    /// Cites `source` and returns the quote in quotation marks.
    pub(super) fn quoted(&mut self, source: &'k str, quote: &str) -> String {
        let mut out = String::with_capacity(quote.len() + 8);
        self.push_quoted(&mut out, source, quote);
        out
    }

    /// Cites `source` and writes the quote in quotation marks onto `out`.
    pub(super) fn push_quoted(&mut self, out: &mut String, source: &'k str, quote: &str) {
        self.cite(source);
        out.push('“');
        push_one_line(out, quote);
        out.push('”');
    }

    /// A command to suggest, as the user would type it: `` `!stars Birmingham` `` for
    /// `(CommandId::Stars, "Birmingham")`. The command word comes from the registry.
    pub(super) fn suggest(&self, id: CommandId, args: &str) -> String {
        let mut out = String::with_capacity(self.prefix.len() + args.len() + 16);
        self.push_suggestion(&mut out, id, args);
        out
    }

    /// [`Lookup::suggest`], written onto `out`.
    pub(super) fn push_suggestion(&self, out: &mut String, id: CommandId, args: &str) {
        out.push('`');
        out.push_str(self.prefix);
        out.push_str(id.command().name);
        if !args.is_empty() {
            out.push(' ');
            out.push_str(args);
        }
        out.push('`');
    }

    /// "Not understood", with suggestions in this prefix.
    pub(super) fn not_understood(&self) -> NoAnswer {
        NoAnswer::new(Miss::NotUnderstood {
            prefix: self.prefix.to_string(),
        })
    }

    /// "What the sources say": `notes` as a list, cited; `None` when there are none.
    pub(super) fn notes_field(&mut self, notes: &'k [Note]) -> Option<Field> {
        if notes.is_empty() {
            return None;
        }
        for n in notes {
            self.cite(&n.source);
        }
        Some(Field::new(
            "What the sources say",
            bullets(notes.iter().map(|n| n.text.as_str())),
        ))
    }

    /// "Figures": one line per figure, cited; `None` when there are none.
    pub(super) fn figures_field(
        &mut self,
        figures: impl Iterator<Item = &'k Figure>,
    ) -> Option<Field> {
        let mut value = String::new();
        for f in figures {
            self.cite(&f.source);
            if value.is_empty() {
                value.reserve(512);
            } else {
                value.push('\n');
            }
            value.push_str("• ");
            push_figure_line(&mut value, f);
        }
        (!value.is_empty()).then(|| Field::new("Figures", value))
    }

    /// "No data on X for Y", listing what is known about council `c` instead.
    pub(super) fn no_facts(&self, subject: &str, what: &str, c: usize) -> NoAnswer {
        let k = self.k;
        let links = k.links(c);
        let mut n = NoAnswer::new(Miss::NoFacts {
            subject: subject.to_string(),
            what: what.to_string(),
        });
        let name = &k.councils[c].name;
        if k.inspection_of(c).is_some() {
            let ofsted = self.suggest(CommandId::Ofsted, name);
            n.known.push(format!("its Ofsted judgement ({ofsted})"));
        }
        if !links.ratings.is_empty() || k.authority_of(c).is_some() {
            let stars = self.suggest(CommandId::Stars, name);
            n.known.push(format!("its star ratings ({stars})"));
        }
        if !links.roles.is_empty() {
            n.known.push("people who work there".into());
        }
        if !links.schemes.is_empty() {
            n.known.push("its schemes".into());
        }
        if !links.figures.is_empty() {
            n.known.push("figures".into());
        }
        if !k.councils[c].notes.is_empty() || k.authority_of(c).is_some() {
            let profile = self.suggest(CommandId::Council, &k.councils[c].name);
            let what = if k.councils[c].notes.is_empty() {
                "its register entry"
            } else {
                "notes"
            };
            n.known.push(format!("{what} ({profile})"));
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_use_the_prefix_and_the_registry_word() {
        let k = Knowledge::default();
        let l = Lookup::new(&k, "cb!");
        assert_eq!(l.suggest(CommandId::Stars, "Leeds"), "`cb!stars Leeds`");
        assert_eq!(l.suggest(CommandId::Sources, ""), "`cb!sources`");
    }
}

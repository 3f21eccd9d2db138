//! Schemes: `!schemes` (a council's schemes) and `!scheme` (one scheme).

use super::lookup::Lookup;
use super::resolve::{resolve, Kind};
use super::{Correction, Field, Miss, NoAnswer, Reply};
use crate::knowledge::Detail;
use crate::query::registry::{CommandId, SchemeFact};

impl<'k> Lookup<'k> {
    /// `!schemes`: the schemes a council runs.
    pub(super) fn schemes(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let k = self.k;
        let council = &k.councils[c];
        let schemes = &k.links(c).schemes;
        if schemes.is_empty() {
            return Err(self.no_facts(&council.name, "any scheme", c));
        }
        let mut r = Reply {
            title: format!("{}: schemes", council.name),
            description: format!(
                "{} scheme{} recorded. `{}{}` tells more.",
                schemes.len(),
                if schemes.len() == 1 { "" } else { "s" },
                self.prefix,
                CommandId::Scheme.command().usage()
            ),
            corrected: found.corrected,
            ..Reply::default()
        };
        for &s in schemes {
            let scheme = &k.schemes[s];
            self.cite(&scheme.source);
            r.fields
                .push(Field::new(&scheme.name, &scheme.description.text));
        }
        Ok(r)
    }

    /// `!scheme`: one scheme in full.
    pub(super) fn scheme(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Scheme, typed)?;
        Ok(self.scheme_reply(found.index, found.corrected))
    }

    /// One fact of a scheme, first line first ("Safe and Sound: £6 a week …"), with the
    /// source's words; or which fact is not known.
    pub(super) fn scheme_fact(&mut self, typed: &str, fact: SchemeFact) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Scheme, typed)?;
        let scheme = &self.k.schemes[found.index];
        let (field, detail, missing) = match fact {
            SchemeFact::Cost => (
                "Cost",
                &scheme.cost,
                format!("figure for what {} costs", scheme.name),
            ),
            SchemeFact::Reach => (
                "Reach",
                &scheme.reach,
                format!("record of how many people {} reached", scheme.name),
            ),
            SchemeFact::Started => (
                "Started",
                &scheme.started,
                format!("record of when {} started", scheme.name),
            ),
            SchemeFact::Outcome => (
                "Outcome",
                &scheme.outcome,
                format!("record of how {} turned out", scheme.name),
            ),
        };
        let Some(d) = detail else {
            let mut n = NoAnswer::new(Miss::NoFact { what: missing });
            n.known.push(format!(
                "what it is ({})",
                self.suggest(CommandId::Scheme, &scheme.name)
            ));
            return Err(n);
        };
        let source = d.source.as_deref().unwrap_or(&scheme.source);
        let quote = self.quoted(source, &d.quote);
        Ok(Reply {
            title: format!("{}: {}", scheme.name, d.text.trim_end_matches('.')),
            fields: vec![Field::new(field, quote)],
            corrected: found.corrected,
            ..Reply::default()
        })
    }

    /// Everything the knowledge base holds on scheme `s`.
    pub(super) fn scheme_reply(&mut self, s: usize, corrected: Option<Correction>) -> Reply {
        let k = self.k;
        let scheme = &k.schemes[s];
        let council = k.council_by_id(&scheme.council);
        let mut r = Reply {
            title: format!("{} ({})", scheme.name, council.name),
            corrected,
            ..Reply::default()
        };
        r.description = self.detail_text(&scheme.description, &scheme.source);
        let named = [
            ("Started", &scheme.started),
            ("Cost", &scheme.cost),
            ("Reach", &scheme.reach),
            ("Outcome", &scheme.outcome),
        ];
        for (name, d) in named {
            if let Some(d) = d {
                let value = self.detail_text(d, &scheme.source);
                r.fields.push(Field::new(name, value));
            }
        }
        if let Some(i) = &scheme.inspired_by {
            r.fields.push(Field {
                name: "Inspired by".into(),
                value: k.council_by_id(i).name.clone(),
                inline: true,
            });
        }
        for d in &scheme.details {
            let value = self.detail_text(d, &scheme.source);
            r.fields.push(Field::new("Also", value));
        }
        r
    }

    /// The names of council `c`'s schemes, each cited.
    pub(super) fn scheme_names(&mut self, c: usize) -> Vec<&'k str> {
        let k = self.k;
        k.links(c)
            .schemes
            .iter()
            .map(|&s| {
                self.cite(&k.schemes[s].source);
                k.schemes[s].name.as_str()
            })
            .collect()
    }

    /// A detail's words followed by its quote.
    fn detail_text(&mut self, d: &'k Detail, default_source: &'k str) -> String {
        let source = d.source.as_deref().unwrap_or(default_source);
        format!("{}\n{}", d.text, self.quoted(source, &d.quote))
    }
}

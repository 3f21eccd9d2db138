//! Checks of each kind's entries: required fields, codes, references between entries, and
//! names that must tell entries apart.

use super::*;
use crate::knowledge::index::Clash;
use crate::knowledge::limits;
use crate::knowledge::normalize::name_key;
use crate::knowledge::quote::{self, Gives, Quoted, Rule};
use crate::knowledge::syntax::is_gss;
use crate::knowledge::{COUNCIL_FILLER, PERSON_FILLER, SCHEME_FILLER};

impl Validator<'_> {
    pub(super) fn check_councils(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, c) in k.councils.iter().enumerate() {
            let at = self.origins.of(Kind::Council)[i];
            self.nonempty(&at.key("name"), "council name", &c.name);
            if let Some(gss) = &c.gss {
                if !is_gss(gss) {
                    let gss = shown(gss);
                    self.error(&at.key("gss"), format!("GSS code `{gss}` is not a letter (E, W, S or N) followed by eight digits, like E08000025"));
                }
            }
            match &c.register {
                Some(r) => {
                    // A GSS code in the wrong shape is reported above.
                    let gss = c.gss.as_deref().filter(|g| is_gss(g));
                    let gives: Vec<Gives> = std::iter::once(Gives::Council(&c.name, &c.aliases))
                        .chain(gss.map(Gives::Code))
                        .collect();
                    let rule = Rule {
                        min_words: 1,
                        gives: &gives,
                    };
                    self.citation(refs, &at.key("register"), Quoted::of(r), rule);
                }
                None if c.kind.is_some() || c.region.is_some() || c.gss.is_some() => self.error(
                    &at,
                    format!("council `{}` gives kind, region or gss without `register = {{ source = \"…\", quote = \"…\" }}` saying where they come from", shown(&c.id)),
                ),
                None => {}
            }
            self.notes(refs, &at, &c.notes);
        }
    }

    pub(super) fn check_people(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, p) in k.people.iter().enumerate() {
            let at = self.origins.of(Kind::Person)[i];
            self.nonempty(&at.key("name"), "person name", &p.name);
            for (j, r) in p.roles.iter().enumerate() {
                let at = at.item("role", j);
                if let Some(c) = &r.council {
                    self.reference(&at.key("council"), Kind::Council, c, refs.councils);
                }
                if r.leads_social_services && r.council.is_none() {
                    self.error(
                        &at,
                        "a role with `leads_social_services = true` needs `council = \"…\"`",
                    );
                }
                let gives = [Gives::Surname(quote::surname(&p.name))];
                self.citation(refs, &at, Quoted::of(r), Rule::giving(&gives));
            }
            for (j, s) in p.quotes.iter().enumerate() {
                let at = at.item("said", j);
                self.citation(refs, &at, Quoted::of(s), Rule::giving(&[]));
            }
            self.notes(refs, &at, &p.notes);
        }
    }

    pub(super) fn check_schemes(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, s) in k.schemes.iter().enumerate() {
            let at = self.origins.of(Kind::Scheme)[i];
            self.nonempty(&at.key("name"), "scheme name", &s.name);
            self.reference(&at.key("council"), Kind::Council, &s.council, refs.councils);
            self.reference(&at.key("source"), Kind::Source, &s.source, refs.sources);
            if let Some(c) = &s.inspired_by {
                self.reference(&at.key("inspired_by"), Kind::Council, c, refs.councils);
            }
            let named = [
                ("description", Some(&s.description)),
                ("started", s.started.as_ref()),
                ("cost", s.cost.as_ref()),
                ("reach", s.reach.as_ref()),
                ("outcome", s.outcome.as_ref()),
            ];
            let name = [Gives::Scheme(&s.name, &s.aliases)];
            for (key, d) in named {
                if let Some(d) = d {
                    let gives: &[Gives] = if key == "description" { &name } else { &[] };
                    self.detail(refs, &at.key(key), d, &s.source, gives);
                }
            }
            for (j, d) in s.details.iter().enumerate() {
                self.detail(refs, &at.item("detail", j), d, &s.source, &[]);
            }
        }
    }

    pub(super) fn check_ratings(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, r) in k.ratings.iter().enumerate() {
            let at = self.origins.of(Kind::Rating)[i];
            self.reference(&at.key("council"), Kind::Council, &r.council, refs.councils);
            if !(0..=3).contains(&r.stars) {
                self.error(&at.key("stars"), format!("stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found {}", r.stars));
            }
            if !(1900..=2100).contains(&r.year) {
                let message = format!(
                    "year must be a four-digit year such as 2004, found {}",
                    r.year
                );
                self.error(&at.key("year"), message);
            }
            // Stars out of range are reported above; the quote cannot give them.
            let stars = [Gives::Stars(r.stars)];
            let gives: &[Gives] = if (0..=3).contains(&r.stars) {
                &stars
            } else {
                &[]
            };
            self.citation(refs, &at, Quoted::of(r), Rule::giving(gives));
        }
    }

    pub(super) fn check_figures(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, f) in k.figures.iter().enumerate() {
            let at = self.origins.of(Kind::Figure)[i];
            match (&f.council, &f.region) {
                (Some(c), None) => {
                    self.reference(&at.key("council"), Kind::Council, c, refs.councils)
                }
                (None, Some(r)) => self.reference(&at.key("region"), Kind::Region, r, refs.regions),
                _ => self.error(
                    &at,
                    format!(
                        "figure `{}` needs exactly one of `council = \"…\"` and `region = \"…\"`",
                        shown(&f.id)
                    ),
                ),
            }
            if !f.value.is_finite() || f.value < 0.0 {
                let message = format!(
                    "value must be a finite number of zero or more, found {}",
                    f.value
                );
                self.error(&at.key("value"), message);
            }
            if f.unit == Unit::Percent && f.value > 100.0 {
                let message = format!("a percentage must be at most 100, found {}", f.value);
                self.error(&at.key("value"), message);
            }
            // A value out of range is reported above.
            let valid = f.value.is_finite() && f.value >= 0.0;
            let valid = valid && !(f.unit == Unit::Percent && f.value > 100.0);
            let gives: Vec<Gives> = (valid.then_some(f.value).into_iter())
                .chain(f.previous)
                .map(Gives::Number)
                .collect();
            self.citation(refs, &at, Quoted::of(f), Rule::giving(&gives));
        }
    }

    pub(super) fn check_regions(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, r) in k.regions.iter().enumerate() {
            let at = self.origins.of(Kind::Region)[i];
            self.nonempty(&at.key("name"), "region name", &r.name);
            self.notes(refs, &at, &r.notes);
        }
    }

    pub(super) fn nonempty(&mut self, at: &Origin, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(at, format!("{what} must not be empty"));
        }
    }

    pub(super) fn reference(
        &mut self,
        at: &Origin,
        kind: Kind,
        id: &str,
        known: &HashMap<&str, usize>,
    ) {
        if !known.contains_key(id) {
            if id.len() > 4 * limits::ID {
                // Too long to be an id: reported as too long.
                return;
            }
            if self.full() {
                // Looking for a close id costs a pass over the known ones.
                self.more += 1;
                return;
            }
            let kind = kind.key();
            let hint = match closest(id, known.keys().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => format!("; add a [[{kind}]] with id = \"{id}\" or use an existing id"),
            };
            let id = shown(id);
            self.error(at, format!("unknown {kind} `{id}`{hint}"));
        }
    }

    /// Names and aliases must not collide within a kind.
    pub(super) fn check_names(&mut self, k: &mut Knowledge) {
        for (kind, clash) in k.build_indexes() {
            self.clash(k, kind, &clash);
        }
    }

    pub(super) fn clash(&mut self, k: &Knowledge, kind: Kind, clash: &Clash) {
        let (name, filler) = match kind {
            Kind::Council => (k.councils[clash.entity].name.as_str(), COUNCIL_FILLER),
            Kind::Region => (k.regions[clash.entity].name.as_str(), COUNCIL_FILLER),
            Kind::Person => (k.people[clash.entity].name.as_str(), PERSON_FILLER),
            _ => (k.schemes[clash.entity].name.as_str(), SCHEME_FILLER),
        };
        let id = |i: usize| match kind {
            Kind::Council => k.councils[i].id.as_str(),
            Kind::Region => k.regions[i].id.as_str(),
            Kind::Person => k.people[i].id.as_str(),
            _ => k.schemes[i].id.as_str(),
        };
        // Point at the name when it is the name that clashes, else at the aliases.
        let key = if name_key(name, filler) == clash.key {
            "name"
        } else {
            "aliases"
        };
        let at = self.origins.of(kind)[clash.entity].key(key);
        let message = format!(
            "{} `{}` has a name or alias that reads as `{}`, already a name of {} `{}`; names and aliases must tell {} apart",
            kind.key(),
            id(clash.entity),
            clash.key,
            kind.key(),
            id(clash.other),
            kind.plural(),
        );
        self.error(&at, message);
    }
}

/// The known id closest to `id`, if any is close.
fn closest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::damerau_levenshtein(id, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

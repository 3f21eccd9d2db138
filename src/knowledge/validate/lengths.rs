//! Caps on text fields and aliases.

use super::*;
use crate::knowledge::limits::{self, Capped};

impl Validator<'_> {
    /// Every text field is within its cap, and no entry has too many aliases.
    pub(super) fn check_lengths(&mut self, k: &Knowledge) {
        for (i, s) in k.sources.iter().enumerate() {
            let at = self.origins.of(Kind::Source)[i];
            self.capped(&at, s);
        }
        for (i, c) in k.councils.iter().enumerate() {
            let at = self.origins.of(Kind::Council)[i];
            self.capped(&at, c);
            self.aliases(&at, &c.aliases);
            if let Some(r) = &c.register {
                self.capped(&at.key("register"), r);
            }
            self.capped_list(&at, "note", &c.notes);
        }
        for (i, p) in k.people.iter().enumerate() {
            let at = self.origins.of(Kind::Person)[i];
            self.capped(&at, p);
            self.aliases(&at, &p.aliases);
            self.capped_list(&at, "role", &p.roles);
            self.capped_list(&at, "said", &p.quotes);
            self.capped_list(&at, "note", &p.notes);
        }
        for (i, s) in k.schemes.iter().enumerate() {
            let at = self.origins.of(Kind::Scheme)[i];
            self.capped(&at, s);
            self.aliases(&at, &s.aliases);
            self.capped(&at.key("description"), &s.description);
            let named = [
                ("started", &s.started),
                ("cost", &s.cost),
                ("reach", &s.reach),
                ("outcome", &s.outcome),
            ];
            for (key, d) in named {
                if let Some(d) = d {
                    self.capped(&at.key(key), d);
                }
            }
            self.capped_list(&at, "detail", &s.details);
        }
        for (i, r) in k.ratings.iter().enumerate() {
            let at = self.origins.of(Kind::Rating)[i];
            self.capped(&at, r);
        }
        for (i, f) in k.figures.iter().enumerate() {
            let at = self.origins.of(Kind::Figure)[i];
            self.capped(&at, f);
        }
        for (i, r) in k.regions.iter().enumerate() {
            let at = self.origins.of(Kind::Region)[i];
            self.capped(&at, r);
            self.aliases(&at, &r.aliases);
            self.capped_list(&at, "note", &r.notes);
        }
    }

    pub(super) fn capped(&mut self, at: &Origin, fact: &impl Capped) {
        for (key, value, max) in fact.fields() {
            if let Some(message) = value.and_then(|v| limits::too_long(key, v, max)) {
                self.error(&at.key(key), message);
            }
        }
    }

    pub(super) fn capped_list(&mut self, at: &Origin, key: &'static str, list: &[impl Capped]) {
        for (j, fact) in list.iter().enumerate() {
            self.capped(&at.item(key, j), fact);
        }
    }

    pub(super) fn aliases(&mut self, at: &Origin, aliases: &[String]) {
        if aliases.len() > limits::ALIASES {
            let message = format!(
                "more than {} aliases; keep the names people use",
                limits::ALIASES
            );
            self.error(&at.key("aliases"), message);
        }
        for (j, a) in aliases.iter().enumerate() {
            if let Some(message) = limits::too_long("alias", a, limits::SHORT) {
                self.error(&at.item("aliases", j), message);
            }
        }
    }
}

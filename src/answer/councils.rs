//! Councils: `!council` (one council's profile) and `!councils` (the councils known, or those
//! in a region).

use super::lookup::Lookup;
use super::phrase::{bullets, more, region_phrase, upper_first};
use super::resolve::{resolve, Kind};
use super::stars::compact_rating;
use super::{Correction, Field, Miss, NoAnswer, Reply};
use crate::knowledge::normalize::name_key;
use crate::knowledge::{Council, Resolved};
use crate::query::registry::CommandId;

impl<'k> Lookup<'k> {
    /// `!council`: a council's profile.
    pub(super) fn council(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        Ok(self.council_reply(found.index, found.corrected))
    }

    /// Council `c`'s profile: who it is, its rating, people, figures, schemes and notes.
    pub(super) fn council_reply(&mut self, c: usize, corrected: Option<Correction>) -> Reply {
        let k = self.k;
        let council = &k.councils[c];
        let links = k.links(c);
        let mut r = Reply {
            title: council.name.clone(),
            description: identity(council),
            corrected,
            ..Reply::default()
        };
        if let Some(reg) = &council.register {
            self.cite(&reg.source);
        }
        if !links.ratings.is_empty() {
            let then = format!(
                "{} shows each claim with the source's words.",
                self.suggest(CommandId::Stars, &council.name)
            );
            let summary = self.rating_summary(c, &then);
            for &i in &links.ratings {
                self.cite(&k.ratings[i].source);
            }
            r.conflict = summary.conflict;
            r.fields.push(Field::new("Star rating", summary.text));
        }
        if !links.roles.is_empty() {
            let lines: Vec<String> = links
                .roles
                .iter()
                .map(|&(p, ri)| {
                    let role = &k.people[p].roles[ri];
                    self.cite(&role.source);
                    format!("{}, {}", k.people[p].name, role.title)
                })
                .collect();
            r.fields.push(Field::new(
                "People",
                bullets(lines.iter().map(String::as_str)),
            ));
        }
        r.fields
            .extend(self.figures_field(links.figures.iter().map(|&f| &k.figures[f])));
        if !links.schemes.is_empty() {
            let names = self.scheme_names(c);
            r.fields.push(Field::new("Schemes", names.join(", ")));
        }
        r.fields.extend(self.notes_field(&council.notes));
        r
    }

    /// `!councils`: every council (the first `list_limit`), or those in a region.
    pub(super) fn councils(&mut self, region: Option<&str>) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let listed = match region {
            None => Listed {
                title: "Councils in the knowledge base".into(),
                councils: (0..k.councils.len().min(self.list_limit)).collect(),
                total: k.councils.len(),
            },
            Some(typed) => self.councils_in(typed)?,
        };
        let lines: Vec<String> = listed
            .councils
            .iter()
            .map(|&c| {
                let council = &k.councils[c];
                if let Some(reg) = &council.register {
                    self.cite(&reg.source);
                }
                let mut line = council.name.clone();
                let id = identity(council);
                if !id.is_empty() {
                    line.push_str(&format!(" — {}", id.trim_end_matches('.')));
                }
                if !k.links(c).ratings.is_empty() {
                    for r in k.ratings_of(c) {
                        self.cite(&r.source);
                    }
                    line.push_str(&format!(" · {}", compact_rating(k, c)));
                }
                line
            })
            .collect();
        Ok(Reply {
            title: listed.title,
            description: bullets(lines.iter().map(String::as_str))
                + &more(listed.total, self.list_limit),
            ..Reply::default()
        })
    }

    /// The councils in the region `typed` names, or why there are none.
    fn councils_in(&self, typed: &str) -> Result<Listed, NoAnswer> {
        let k = self.k;
        // "councils in the West Midlands" reaches here as "in the West Midlands".
        let typed = typed.trim();
        let typed = match typed.split_once(' ') {
            Some((first, rest)) if first.eq_ignore_ascii_case("in") => rest.trim(),
            _ => typed,
        };
        let region = match k.find_region(typed) {
            Resolved::Exact(i) | Resolved::Corrected(i) => Some(&k.regions[i]),
            Resolved::Unknown(_) => None,
        };
        let named = region.map_or(typed, |r| r.name.as_str());
        let key = name_key(named, &["the"]);
        let (councils, total) = k.councils_in(named, self.list_limit);
        if councils.is_empty() {
            let mut n = NoAnswer::new(Miss::Unknown {
                kind: "councils in",
                typed: typed.to_string(),
            });
            n.known = k.council_region_names();
            return Err(n);
        }
        // The region as the knowledge base names it when the user named it whole.
        let whole = k.councils[councils[0]]
            .region
            .as_deref()
            .filter(|r| name_key(r, &["the"]) == key);
        let place = match (region, whole) {
            (Some(r), _) => r.name.clone(),
            (None, Some(r)) => region_phrase(r),
            (None, None) => upper_first(typed),
        };
        Ok(Listed {
            title: format!("Councils in {place}"),
            councils,
            total,
        })
    }
}

/// A list of councils to show.
struct Listed {
    title: String,
    /// The councils shown, at most the list limit.
    councils: Vec<usize>,
    /// How many there are in all.
    total: usize,
}

/// "Metropolitan borough in the West Midlands, GSS code E08000025."
fn identity(c: &Council) -> String {
    let mut s = String::new();
    if let Some(kind) = c.kind {
        s.push_str(&upper_first(kind.label()));
    }
    if let Some(region) = &c.region {
        if s.is_empty() {
            s.push_str(&format!("In {}", region_phrase(region)));
        } else {
            s.push_str(&format!(" in {}", region_phrase(region)));
        }
    }
    if let Some(gss) = &c.gss {
        if s.is_empty() {
            s.push_str(&format!("GSS code {gss}"));
        } else {
            s.push_str(&format!(", GSS code {gss}"));
        }
    }
    if !s.is_empty() {
        s.push('.');
    }
    s
}

//! The register joined to the curated councils: every authority is one council, found by its
//! names, with its Ofsted inspection, star ratings, predecessors and successors beside it.
//!
//! A curated `[[council]]` and the register's authority with the same id are one council: the
//! curated facts stay, the register's names and facts join them.

use std::collections::HashMap;

use super::normalize::name_key;
use super::register::{Authority, Inspection, StarRating, StarTotal, ROUNDS};
use super::{Council, Knowledge, COUNCIL_FILLER};

/// What the register gives each council, as indices into [`Knowledge::register`].
#[derive(Debug, Default)]
pub(super) struct Joined {
    /// Each council's authority.
    authority: Vec<Option<usize>>,
    /// Each council's latest Ofsted inspection.
    inspection: Vec<Option<usize>>,
    /// Each council's star ratings, newest round first.
    stars: Vec<Vec<usize>>,
    /// Each council's predecessors: the councils it replaced.
    predecessors: Vec<Vec<usize>>,
    /// Each council's successors: the councils that replaced it.
    successors: Vec<Vec<usize>>,
    /// Councils by the DfE's three-digit code.
    la_codes: HashMap<String, usize>,
    /// Star ratings by round (as in [`ROUNDS`]), each list in register order.
    by_round: Vec<Vec<usize>>,
}

impl Knowledge {
    /// Adds a council for every authority no curated council stands for, and gives curated
    /// councils their authority's names. Authorities of today come before abolished ones, so a
    /// name two of them share ("Cornwall") is today's council's; the older one is reached
    /// through its successor.
    pub(super) fn join_register(&mut self) {
        let ids: HashMap<String, usize> = (self.councils.iter().enumerate())
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut order: Vec<&Authority> = self.register.authorities.iter().collect();
        order.sort_by_key(|a| a.ended.is_some());
        // Each name's key and the council it names, so that no name names two councils.
        let mut taken: HashMap<String, String> = HashMap::new();
        for c in &self.councils {
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                taken.insert(name_key(n, COUNCIL_FILLER), c.id.clone());
            }
        }
        let mut added = Vec::new();
        for a in order {
            let mut names = vec![a.short_name.clone(), a.name.clone()];
            names.extend(a.aliases.iter().cloned());
            names.retain(|n| {
                let owner = taken
                    .entry(name_key(n, COUNCIL_FILLER))
                    .or_insert(a.id.clone());
                *owner == a.id
            });
            if names.is_empty() {
                // Every name is a later council's ("Cornwall"): this one is named with its
                // years, and reached through its successor.
                let year = a.ended.as_deref().map_or("", |e| e.get(..4).unwrap_or(e));
                names.push(format!("{} (until {year})", a.name));
            }
            match ids.get(&a.id) {
                Some(&i) => {
                    let c = &mut self.councils[i];
                    for n in names {
                        if n != c.name && !c.aliases.contains(&n) {
                            c.aliases.push(n);
                        }
                    }
                }
                None => added.push(Council {
                    id: a.id.clone(),
                    name: names.remove(0),
                    aliases: names,
                    kind: None,
                    region: a.region.clone().filter(|_| a.ended.is_none()),
                    gss: None,
                    register: None,
                    notes: Vec::new(),
                }),
            }
        }
        self.councils.extend(added);
    }

    /// The lookups of [`Joined`]; needs `council_ids`.
    pub(super) fn joined(&self) -> Joined {
        let n = self.councils.len();
        let reg = &self.register;
        let mut j = Joined {
            authority: vec![None; n],
            inspection: vec![None; n],
            stars: vec![Vec::new(); n],
            predecessors: vec![Vec::new(); n],
            successors: vec![Vec::new(); n],
            la_codes: HashMap::new(),
            by_round: vec![Vec::new(); ROUNDS.len()],
        };
        for (i, a) in reg.authorities.iter().enumerate() {
            let Some(&c) = self.council_ids.get(&a.id) else {
                continue;
            };
            j.authority[c] = Some(i);
            for s in &a.replaced_by {
                if let Some(&sc) = self.council_ids.get(s) {
                    j.successors[c].push(sc);
                    j.predecessors[sc].push(c);
                }
            }
        }
        for (i, ins) in reg.inspections.iter().enumerate() {
            if let Some(&c) = self.council_ids.get(&ins.council) {
                j.inspection[c] = Some(i);
                j.la_codes.insert(ins.la_code.clone(), c);
            }
        }
        for (i, s) in reg.star_ratings.iter().enumerate() {
            if let Some(&c) = self.council_ids.get(&s.council) {
                j.stars[c].push(i);
            }
            if let Some(r) = ROUNDS.iter().position(|r| *r == s.round) {
                j.by_round[r].push(i);
            }
        }
        for list in &mut j.stars {
            list.sort_by(|&a, &b| reg.star_ratings[b].round.cmp(&reg.star_ratings[a].round));
        }
        j
    }

    /// Council `c`'s entry in the register, if it has one.
    pub fn authority_of(&self, c: usize) -> Option<&Authority> {
        let i = (self.joined.authority.get(c).copied().flatten())?;
        Some(&self.register.authorities[i])
    }

    /// Council `c`'s latest Ofsted inspection of children's services, if it has one.
    pub fn inspection_of(&self, c: usize) -> Option<&Inspection> {
        let i = (self.joined.inspection.get(c).copied().flatten())?;
        Some(&self.register.inspections[i])
    }

    /// Council `c`'s star ratings from press reports, newest round first.
    pub fn star_ratings_of(&self, c: usize) -> impl Iterator<Item = &StarRating> {
        self.joined
            .stars
            .get(c)
            .into_iter()
            .flatten()
            .map(|&i| &self.register.star_ratings[i])
    }

    /// The councils council `c` replaced.
    pub fn predecessors(&self, c: usize) -> &[usize] {
        self.joined.predecessors.get(c).map_or(&[], Vec::as_slice)
    }

    /// The councils that replaced council `c`.
    pub fn successors(&self, c: usize) -> &[usize] {
        self.joined.successors.get(c).map_or(&[], Vec::as_slice)
    }

    /// The council with this DfE three-digit code.
    pub fn council_by_la_code(&self, code: &str) -> Option<usize> {
        self.joined.la_codes.get(code).copied()
    }

    /// How many councils had each number of stars in `round`.
    pub fn star_total(&self, round: &str) -> Option<&StarTotal> {
        self.register.star_totals.iter().find(|t| t.round == round)
    }

    /// The star ratings given in `round` (one of [`ROUNDS`]), in register order.
    pub fn star_ratings_in(&self, round: &str) -> impl Iterator<Item = &StarRating> {
        let at = ROUNDS.iter().position(|r| *r == round);
        at.and_then(|r| self.joined.by_round.get(r))
            .into_iter()
            .flatten()
            .map(|&i| &self.register.star_ratings[i])
    }

    /// The council with this id, by index.
    pub fn council_index(&self, id: &str) -> Option<usize> {
        self.council_ids.get(id).copied()
    }
}

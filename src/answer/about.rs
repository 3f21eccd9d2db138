//! `!about`: anything by name, a council, person, scheme or region.

use super::lookup::Lookup;
use super::resolve::{checked, Found, Kind};
use super::{Miss, NoAnswer, Reply};
use crate::knowledge::index::MAX_SUGGESTIONS;
use crate::knowledge::Resolved;

impl<'k> Lookup<'k> {
    /// `!about`: the first kind whose names match `typed` exactly, else the first that matches
    /// it corrected. `guessed` is true when the whole message was taken as a name.
    pub(super) fn about(&mut self, typed: &str, guessed: bool) -> Result<Reply, NoAnswer> {
        let k = self.k;
        // Looked up in this order until one matches exactly: an exact match wins whatever the
        // kinds after it give, so they are not looked up (a miss is a fuzzy lookup, the dearest).
        let mut tries: Vec<(Kind, Resolved)> = Vec::with_capacity(Kind::ALL.len());
        for kind in Kind::ALL {
            let found = checked(k, kind, typed, kind.find(k, typed));
            let exact = matches!(found, Resolved::Exact(_));
            tries.push((kind, found));
            if exact {
                break;
            }
        }
        let mut found = tries
            .iter()
            .filter_map(|(kind, r)| Some((*kind, Found::of(k, *kind, typed, r)?)));
        // An exact match (with no correction) first, else the first corrected one.
        let pick = found
            .clone()
            .find(|(_, f)| f.corrected.is_none())
            .or_else(|| found.next());
        if let Some((kind, Found { index, corrected })) = pick {
            return Ok(match kind {
                Kind::Council => self.council_reply(index, corrected),
                Kind::Person => self.person_reply(index, corrected),
                Kind::Scheme => self.scheme_reply(index, corrected),
                Kind::Region => self.region_reply(index, corrected),
            });
        }
        // One region of the register that no curated entry describes: its councils.
        if k.regions_named(typed).len() == 1 {
            return self.councils(Some(typed));
        }
        let mut n = NoAnswer::new(Miss::Unknown {
            kind: "anything called",
            typed: typed.trim().to_string(),
        });
        for (kind, r) in &tries {
            if let Resolved::Unknown(close) = r {
                for &i in close {
                    if n.suggestions.len() < MAX_SUGGESTIONS {
                        n.suggestions.push(kind.name(k, i).to_string());
                    }
                }
            }
        }
        if guessed && n.suggestions.is_empty() {
            // A whole message taken as a name that is close to nothing: likely not a name.
            return Err(self.not_understood());
        }
        if n.suggestions.is_empty() {
            n.known = Kind::Council.first_names(k);
        }
        Err(n)
    }
}

//! Regions, as `!about` answers them: the councils in one, its figures and notes.

use super::lookup::Lookup;
use super::phrase::{number, upper_first};
use super::{Correction, Reply};

impl<'k> Lookup<'k> {
    /// Everything the knowledge base holds on region `i`.
    pub(super) fn region_reply(&mut self, i: usize, corrected: Option<Correction>) -> Reply {
        let k = self.k;
        let region = &k.regions[i];
        let mut r = Reply {
            title: upper_first(&region.name),
            corrected,
            ..Reply::default()
        };
        let (councils, total) = k.councils_in(&region.name, self.list_limit);
        if !councils.is_empty() {
            let names: Vec<&str> = councils
                .iter()
                .map(|&c| k.councils[c].name.as_str())
                .collect();
            let rest = match total - councils.len() {
                0 => String::new(),
                rest => format!(" and {} more", number(rest as f64)),
            };
            r.description = format!("Councils recorded here: {}{rest}.", names.join(", "));
        }
        r.fields.extend(self.figures_field(k.region_figures(i)));
        r.fields.extend(self.notes_field(&region.notes));
        r
    }
}

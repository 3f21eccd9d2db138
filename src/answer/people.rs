//! People: `!director` (who leads a council's social services) and `!person`.

use super::lookup::Lookup;
use super::phrase::{bullets, long_date, upper_first};
use super::resolve::{resolve, Kind};
use super::{Correction, Field, NoAnswer, Reply};
use crate::knowledge::{Knowledge, Note, Role};

impl<'k> Lookup<'k> {
    /// `!director`: the people the sources name as leading a council's social services.
    pub(super) fn director(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let k = self.k;
        let council = &k.councils[c];
        let leaders = leaders(k, c);
        if leaders.is_empty() {
            return Err(self.no_facts(&council.name, "who leads social services", c));
        }
        let mut r = Reply {
            title: format!("{}: who leads social services", council.name),
            corrected: found.corrected,
            ..Reply::default()
        };
        // The month the newest source speaks of: a role is as of its source, never today.
        let when = leaders
            .iter()
            .filter_map(|l| k.source(&l.role.source).date.as_deref())
            .max()
            .map(|d| long_date(&d[..d.len().min(7)]));
        for Leader { name, role } in leaders {
            let value = format!(
                "{}\n{}",
                role_line(role),
                self.quoted(&role.source, &role.quote)
            );
            r.fields.push(Field::new(name, value));
        }
        let when = match &when {
            Some(w) => format!(" in {w}"),
            None => ", as an undated source gives it".to_string(),
        };
        r.description = match r.fields.as_slice() {
            [f] => format!("{} led social services at {}{when}.", f.name, council.name),
            _ => format!(
                "The sources name {} people leading social services at {}{when}.",
                r.fields.len(),
                council.name
            ),
        };
        Ok(r)
    }

    /// `!person`: someone's roles, notes, statements and quotes.
    pub(super) fn person(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Person, typed)?;
        Ok(self.person_reply(found.index, found.corrected))
    }

    /// Everything the knowledge base holds on person `p`.
    pub(super) fn person_reply(&mut self, p: usize, corrected: Option<Correction>) -> Reply {
        let k = self.k;
        let person = &k.people[p];
        let mut r = Reply {
            title: person.name.clone(),
            corrected,
            ..Reply::default()
        };
        let roles: Vec<String> = person.roles.iter().map(role_line).collect();
        r.description = roles.join("\n");
        for role in &person.roles {
            self.cite(&role.source);
        }
        for n in &person.notes {
            self.cite(&n.source);
        }
        if !person.notes.is_empty() {
            r.fields.push(Field::new(
                "What the sources say",
                bullets(person.notes.iter().map(|n| n.text.as_str())),
            ));
        }
        // Statements about councils and regions that the sources attribute to this person.
        for (subject, notes) in k.attributed(p) {
            let by: Vec<&'k Note> = notes
                .iter()
                .filter(|n| n.by.as_deref() == Some(person.id.as_str()))
                .collect();
            if by.is_empty() {
                continue;
            }
            for n in &by {
                self.cite(&n.source);
            }
            r.fields.push(Field::new(
                format!("{} on {subject}", person.name),
                bullets(by.iter().map(|n| n.text.as_str())),
            ));
        }
        for s in &person.quotes {
            let quote = self.quoted(&s.source, &s.quote);
            let name = match &s.topic {
                Some(t) => format!("On {t}"),
                None => "Quoted".into(),
            };
            r.fields.push(Field::new(name, quote));
        }
        r
    }
}

/// Someone the sources name as leading a council's social services.
pub(super) struct Leader<'k> {
    pub name: &'k str,
    /// The role in which they lead.
    pub role: &'k Role,
}

/// The people leading council `c`'s social services, in knowledge-base order.
pub(super) fn leaders(k: &Knowledge, c: usize) -> Vec<Leader<'_>> {
    k.links(c)
        .roles
        .iter()
        .map(|&(p, ri)| Leader {
            name: &k.people[p].name,
            role: &k.people[p].roles[ri],
        })
        .filter(|l| l.role.leads_social_services)
        .collect()
}

/// "Director of social services, Solihull Council (since 2001)".
fn role_line(role: &Role) -> String {
    let mut s = format!("{}, {}", upper_first(&role.title), role.organisation);
    if let Some(p) = &role.period {
        s.push_str(&format!(" ({p})"));
    }
    s
}

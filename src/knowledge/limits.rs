//! Caps on the text of every field, so that a careless or hostile edit cannot make the
//! knowledge base, its answers or its error messages grow without bound.

use std::borrow::Cow;

use super::model::*;

/// The most characters in an id.
pub const ID: usize = 100;
/// The most characters in a name, title, alias, period or other short field.
pub const SHORT: usize = 200;
/// The most characters in a quote, a note's or detail's text or a `quote_note`.
pub const TEXT: usize = 1000;
/// The most characters in a URL.
pub const URL: usize = 2000;
/// The most aliases of one entry.
pub const ALIASES: usize = 50;

/// A text field of a fact: its key, its value if given, and its cap in characters.
pub type Field<'x> = (&'static str, Option<&'x str>, usize);

/// A fact whose text fields are capped.
pub trait Capped {
    /// The fact's own text fields (not those of tables inside it).
    fn fields(&self) -> Vec<Field<'_>>;
}

impl Capped for Source {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("id", Some(&self.id), ID),
            ("title", Some(&self.title), SHORT),
            ("publisher", Some(&self.publisher), SHORT),
            ("date", self.date.as_deref(), SHORT),
            ("file", self.file.as_deref(), SHORT),
            ("url", self.url.as_deref(), URL),
        ]
    }
}

impl Capped for Council {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("id", Some(&self.id), ID),
            ("name", Some(&self.name), SHORT),
            ("region", self.region.as_deref(), SHORT),
            ("gss", self.gss.as_deref(), SHORT),
        ]
    }
}

impl Capped for Citation {
    fn fields(&self) -> Vec<Field<'_>> {
        cited(&self.source, &self.quote, &self.quote_note)
    }
}

impl Capped for Note {
    fn fields(&self) -> Vec<Field<'_>> {
        let mut f = cited(&self.source, &self.quote, &self.quote_note);
        f.extend([
            ("text", Some(&*self.text), TEXT),
            ("by", self.by.as_deref(), ID),
        ]);
        f
    }
}

impl Capped for Region {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("id", Some(&self.id), ID),
            ("name", Some(&self.name), SHORT),
        ]
    }
}

impl Capped for Person {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("id", Some(&self.id), ID),
            ("name", Some(&self.name), SHORT),
        ]
    }
}

impl Capped for Role {
    fn fields(&self) -> Vec<Field<'_>> {
        let mut f = cited(&self.source, &self.quote, &self.quote_note);
        f.extend([
            ("title", Some(&*self.title), SHORT),
            ("organisation", Some(&self.organisation), SHORT),
            ("council", self.council.as_deref(), ID),
            ("period", self.period.as_deref(), SHORT),
        ]);
        f
    }
}

impl Capped for Said {
    fn fields(&self) -> Vec<Field<'_>> {
        let mut f = cited(&self.source, &self.quote, &self.quote_note);
        f.push(("topic", self.topic.as_deref(), SHORT));
        f
    }
}

impl Capped for Scheme {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("id", Some(&self.id), ID),
            ("name", Some(&self.name), SHORT),
            ("council", Some(&self.council), ID),
            ("source", Some(&self.source), ID),
            ("inspired_by", self.inspired_by.as_deref(), ID),
        ]
    }
}

impl Capped for Detail {
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            ("text", Some(&self.text), TEXT),
            ("quote", Some(&self.quote), TEXT),
            ("quote_note", self.quote_note.as_deref(), TEXT),
            ("source", self.source.as_deref(), ID),
        ]
    }
}

impl Capped for Rating {
    fn fields(&self) -> Vec<Field<'_>> {
        let mut f = cited(&self.source, &self.quote, &self.quote_note);
        f.extend([
            ("council", Some(&*self.council), ID),
            ("when", Some(&self.when), SHORT),
            ("body", self.body.as_deref(), SHORT),
        ]);
        f
    }
}

impl Capped for Figure {
    fn fields(&self) -> Vec<Field<'_>> {
        let mut f = cited(&self.source, &self.quote, &self.quote_note);
        f.extend([
            ("id", Some(&*self.id), ID),
            ("council", self.council.as_deref(), ID),
            ("region", self.region.as_deref(), ID),
            ("what", Some(&self.what), SHORT),
            ("topic", Some(&self.topic), SHORT),
            ("qualifier", self.qualifier.as_deref(), SHORT),
            ("period", Some(&self.period), SHORT),
            ("previous_period", self.previous_period.as_deref(), SHORT),
        ]);
        f
    }
}

/// The fields every citation has.
fn cited<'x>(source: &'x str, quote: &'x str, note: &'x Option<String>) -> Vec<Field<'x>> {
    vec![
        ("source", Some(source), ID),
        ("quote", Some(quote), TEXT),
        ("quote_note", note.as_deref(), TEXT),
    ]
}

/// Why `value` is too long for a cap of `max` characters, if it is.
pub fn too_long(key: &str, value: &str, max: usize) -> Option<String> {
    // Counting stops past the cap, so a huge value costs no more than a short one.
    let n = value.chars().take(max + 1).count();
    (n > max).then(|| format!("{key} is longer than {max} characters; shorten it"))
}

/// A value as messages show it: whole when short, else its start and an ellipsis.
pub fn shown(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(ID) {
        Some((end, _)) => Cow::Owned(format!("{}…", &value[..end])),
        None => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_refused_and_shown_short() {
        assert_eq!(too_long("name", &"x".repeat(SHORT), SHORT), None);
        assert_eq!(
            too_long("name", &"é".repeat(SHORT + 1), SHORT).as_deref(),
            Some("name is longer than 200 characters; shorten it")
        );
        assert_eq!(shown("short"), "short");
        assert_eq!(shown(&"a".repeat(500)), format!("{}…", "a".repeat(ID)));
    }
}

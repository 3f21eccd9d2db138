//! Stored messages: edits and embeds as Discord stores them.

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::clock::iso_timestamp;

/// Applies a PATCH body to a stored message.
pub(crate) fn apply_edit(msg: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags", "attachments"] {
        if let Some(v) = body.get(key) {
            msg[key] = match (key, v) {
                ("content", Value::Null) => json!(""),
                ("embeds" | "components" | "attachments", Value::Null) => json!([]),
                ("embeds", Value::Array(a)) => Value::Array(a.iter().map(rich_embed).collect()),
                _ => v.clone(),
            };
        }
    }
    msg["edited_timestamp"] = json!(iso_timestamp(SystemTime::now()));
}

pub(crate) fn rich_embed(e: &Value) -> Value {
    serde_json::to_value(RichEmbed(e)).expect("an embed serialises")
}

/// An embed as Discord stores it: `type` "rich" unless given, and every field's `inline` set.
/// Written from the request's embed without copying it.
pub(crate) struct RichEmbed<'a>(pub(crate) &'a Value);

impl serde::Serialize for RichEmbed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(e) = self.0.as_object() else {
            return self.0.serialize(s);
        };
        let mut m = s.serialize_map(None)?;
        if !e.contains_key("type") {
            m.serialize_entry("type", "rich")?;
        }
        for (k, v) in e {
            match (k.as_str(), v.as_array()) {
                ("fields", Some(fields)) => m.serialize_entry(k, &Inline(fields))?,
                _ => m.serialize_entry(k, v)?,
            }
        }
        m.end()
    }
}

/// An embed's fields, each with `inline` false unless given.
pub(crate) struct Inline<'a>(&'a [Value]);

impl serde::Serialize for Inline<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Field<'a>(&'a Value);
        impl serde::Serialize for Field<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0.as_object() {
                    Some(f) if !f.contains_key("inline") => {
                        let mut m = s.serialize_map(Some(f.len() + 1))?;
                        for (k, v) in f {
                            m.serialize_entry(k, v)?;
                        }
                        m.serialize_entry("inline", &false)?;
                        m.end()
                    }
                    _ => self.0.serialize(s),
                }
            }
        }
        s.collect_seq(self.0.iter().map(Field))
    }
}

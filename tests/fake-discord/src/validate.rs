//! Message bodies, autocomplete choices and command registrations checked against Discord's
//! documented limits.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::reply::Reply;

pub(crate) type FormError = (Vec<String>, &'static str, String);

/// `{"a":{"0":{"b":{"_errors":[{"code","message"}]}}}}` from paths.
pub(crate) fn form_errors(list: &[FormError]) -> Value {
    let mut root = Value::Object(Map::new());
    for (path, code, message) in list {
        let mut node = &mut root;
        for key in path {
            node = node
                .as_object_mut()
                .expect("object")
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        let errs = node
            .as_object_mut()
            .expect("object")
            .entry("_errors")
            .or_insert_with(|| json!([]));
        if let Some(a) = errs.as_array_mut() {
            a.push(json!({ "code": code, "message": message }));
        }
    }
    root
}

pub(crate) fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

pub(crate) fn max_len(errs: &mut Vec<FormError>, path: Vec<String>, v: &Value, max: usize) {
    if chars(v) > max {
        errs.push((
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        ));
    }
}

pub(crate) fn p(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Checks a message body (create, edit, interaction data, follow-up). `create` requires
/// something to send.
pub(crate) fn validate_message(body: &Value, create: bool, raw: Option<&str>) -> Result<(), Reply> {
    let mut errs = Vec::new();
    max_len(&mut errs, p(&["content"]), &body["content"], 2000);
    max_len(&mut errs, p(&["nonce"]), &body["nonce"], 25);
    let embeds = body["embeds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if embeds.len() > 10 {
        errs.push((
            p(&["embeds"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.".into(),
        ));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let i = i.to_string();
        let at = |rest: &[&str]| {
            let mut v = p(&["embeds", &i]);
            v.extend(p(rest));
            v
        };
        max_len(&mut errs, at(&["title"]), &e["title"], 256);
        max_len(&mut errs, at(&["description"]), &e["description"], 4096);
        max_len(
            &mut errs,
            at(&["footer", "text"]),
            &e["footer"]["text"],
            2048,
        );
        max_len(
            &mut errs,
            at(&["author", "name"]),
            &e["author"]["name"],
            256,
        );
        total += chars(&e["title"])
            + chars(&e["description"])
            + chars(&e["footer"]["text"])
            + chars(&e["author"]["name"]);
        let fields = e["fields"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if fields.len() > 25 {
            errs.push((
                at(&["fields"]),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
        for (j, f) in fields.iter().enumerate() {
            let j = j.to_string();
            for (key, max) in [("name", 256), ("value", 1024)] {
                let path = at(&["fields", &j, key]);
                if chars(&f[key]) == 0 {
                    errs.push((path, "BASE_TYPE_REQUIRED", "This field is required".into()));
                } else {
                    max_len(&mut errs, path, &f[key], max);
                }
            }
            total += chars(&f["name"]) + chars(&f["value"]);
        }
    }
    if total > 6000 {
        errs.push((
            p(&["embeds"]),
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000".into(),
        ));
    }
    validate_components(&mut errs, &body["components"]);
    if !errs.is_empty() {
        return Err(Reply::form_error(form_errors(&errs)));
    }
    let nonempty = |k: &str| body[k].as_array().is_some_and(|a| !a.is_empty());
    let has_files = raw.is_some_and(|r| r.contains("name=\"files["));
    let empty = body["content"].as_str().is_none_or(|c| c.trim().is_empty())
        && !nonempty("embeds")
        && !nonempty("attachments")
        && !nonempty("sticker_ids")
        && !nonempty("components")
        && body["poll"].is_null()
        && !has_files;
    if create && empty {
        return Err(Reply::error(400, 50006, "Cannot send an empty message"));
    }
    Ok(())
}

/// Checks a message's action rows of buttons (the components carebot's kind of bot sends):
/// at most 5 rows of 1 to 5 buttons, each with a style 1-5, a label of at most 80 characters
/// and, unless a link (style 5), a custom id of 1-100 characters unique in the message.
fn validate_components(errs: &mut Vec<FormError>, components: &Value) {
    let rows = components.as_array().map(Vec::as_slice).unwrap_or_default();
    if rows.len() > 5 {
        errs.push((
            p(&["components"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 5 or fewer in length.".into(),
        ));
    }
    let mut ids = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let i = i.to_string();
        let buttons = row["components"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if row["type"] != 1 || !(1..=5).contains(&buttons.len()) {
            errs.push((
                p(&["components", &i]),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "An action row holds 1 to 5 components.".into(),
            ));
        }
        for (j, b) in buttons.iter().enumerate() {
            let at = |k: &str| p(&["components", &i, "components", &j.to_string(), k]);
            let style = b["style"].as_u64().unwrap_or(0);
            if b["type"] != 2 || !(1..=5).contains(&style) {
                errs.push((
                    at("style"),
                    "BASE_TYPE_CHOICES",
                    "Value must be one of {1, 2, 3, 4, 5}.".into(),
                ));
            }
            max_len(errs, at("label"), &b["label"], 80);
            if style == 5 {
                continue;
            }
            let id = b["custom_id"].as_str().unwrap_or_default();
            if id.is_empty() {
                errs.push((
                    at("custom_id"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required".into(),
                ));
            }
            max_len(errs, at("custom_id"), &b["custom_id"], 100);
            if !ids.insert(id.to_string()) {
                errs.push((
                    at("custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated".into(),
                ));
            }
        }
    }
}

/// Message flags an interaction response may set: SUPPRESS_EMBEDS, EPHEMERAL,
/// SUPPRESS_NOTIFICATIONS and IS_COMPONENTS_V2.
pub(crate) const RESPONSE_FLAGS: u64 = 4 | 64 | 4096 | 32768;

/// Checks an interaction response message's flags.
pub(crate) fn validate_flags(data: &Value) -> Result<(), Reply> {
    match data["flags"].as_u64() {
        Some(f) if f & !RESPONSE_FLAGS != 0 => Err(Reply::form_error(form_errors(&[(
            p(&["flags"]),
            "MESSAGE_FLAGS_INVALID",
            format!("Invalid flags {f}"),
        )]))),
        _ => Ok(()),
    }
}

/// Checks an autocomplete result's choices.
pub(crate) fn validate_choices(data: &Value) -> Result<(), Reply> {
    let mut errs = Vec::new();
    let choices = data["choices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if choices.len() > 25 {
        errs.push((
            p(&["choices"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        let i = i.to_string();
        check_choice(&mut errs, p(&["choices", &i]), c);
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Reply::form_error(form_errors(&errs)))
    }
}

pub(crate) fn check_choice(errs: &mut Vec<FormError>, at: Vec<String>, c: &Value) {
    let mut path = at.clone();
    path.push("name".into());
    let n = chars(&c["name"]);
    if !(1..=100).contains(&n) {
        errs.push((
            path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.".into(),
        ));
    }
    let mut path = at;
    path.push("value".into());
    if c["value"].is_null() {
        errs.push((path, "BASE_TYPE_REQUIRED", "This field is required".into()));
    } else {
        max_len(errs, path, &c["value"], 100);
    }
}

pub(crate) fn valid_command_name(name: &str, chat_input: bool) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && (!chat_input
            || name
                .chars()
                .all(|ch| ch == '-' || ch == '_' || (ch.is_alphanumeric() && !ch.is_uppercase())))
}

/// Checks a bulk command registration.
pub(crate) fn validate_commands(list: &[Value]) -> Result<(), Reply> {
    let mut errs = Vec::new();
    if list.len() > 100 {
        errs.push((
            vec![],
            "BASE_TYPE_MAX_LENGTH",
            "Must be 100 or fewer in length.".into(),
        ));
    }
    let mut seen = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        let i = i.to_string();
        let kind = c["type"].as_u64().unwrap_or(1);
        let name = c["name"].as_str().unwrap_or_default();
        if !valid_command_name(name, kind == 1) {
            errs.push((
                p(&[&i, "name"]),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Command name is invalid: {name:?}"),
            ));
        }
        if seen.insert((kind, name.to_string()), ()).is_some() {
            errs.push((
                p(&[&i, "name"]),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique".into(),
            ));
        }
        let mut size = name.chars().count();
        if kind == 1 {
            let d = chars(&c["description"]);
            size += d;
            if !(1..=100).contains(&d) {
                errs.push((
                    p(&[&i, "description"]),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.".into(),
                ));
            }
        }
        size += check_options(&mut errs, p(&[&i]), &c["options"]);
        if size > 4000 {
            errs.push((
                p(&[&i]),
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (4000)".into(),
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Reply::form_error(form_errors(&errs)))
    }
}

/// Checks `options` under `at`; returns their size in characters.
pub(crate) fn check_options(errs: &mut Vec<FormError>, at: Vec<String>, options: &Value) -> usize {
    let opts = options.as_array().map(Vec::as_slice).unwrap_or_default();
    let path = |rest: &[&str]| {
        let mut v = at.clone();
        v.push("options".into());
        v.extend(p(rest));
        v
    };
    if opts.len() > 25 {
        errs.push((
            path(&[]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    let mut size = 0;
    let mut optional_seen = false;
    let mut names = HashMap::new();
    for (j, o) in opts.iter().enumerate() {
        let j = j.to_string();
        let name = o["name"].as_str().unwrap_or_default();
        size += name.chars().count() + chars(&o["description"]);
        if !valid_command_name(name, true) {
            errs.push((
                path(&[&j, "name"]),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Option name is invalid: {name:?}"),
            ));
        }
        if names.insert(name.to_string(), ()).is_some() {
            errs.push((
                path(&[&j, "name"]),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique".into(),
            ));
        }
        if !(1..=100).contains(&chars(&o["description"])) {
            errs.push((
                path(&[&j, "description"]),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.".into(),
            ));
        }
        let required = o["required"].as_bool().unwrap_or(false);
        if required && optional_seen {
            errs.push((
                path(&[]),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options".into(),
            ));
        }
        optional_seen |= !required;
        let choices = o["choices"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if choices.len() > 25 {
            errs.push((
                path(&[&j, "choices"]),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
        if !choices.is_empty() && o["autocomplete"].as_bool() == Some(true) {
            errs.push((
                path(&[&j, "autocomplete"]),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set on options with choices".into(),
            ));
        }
        for (k, c) in choices.iter().enumerate() {
            let k = k.to_string();
            check_choice(errs, path(&[&j, "choices", &k]), c);
            size += chars(&c["name"]) + c["value"].as_str().map_or(0, |s| s.chars().count());
        }
        // Sub-commands (1) and groups (2) nest options.
        if matches!(o["type"].as_u64(), Some(1 | 2)) {
            size += check_options(errs, path(&[&j]), &o["options"]);
        }
    }
    size
}

//! Slash commands, generated from the command registry: definitions, options read back
//! into queries, `/help`, page buttons' custom ids, and autocomplete.

use serenity::all::{CommandDataOption, CommandDataOptionValue, CommandOptionType};
use serenity::builder::{CreateCommand, CreateCommandOption};

use super::embed::clip;
use crate::answer::{Answer, Miss, NoAnswer, Reply};
use crate::knowledge::normalize::fold;
use crate::knowledge::Knowledge;
use crate::query::registry::Topic;
use crate::query::{registry, Arg, ArgKind, Command, Query, COMMANDS};

/// Most choices Discord accepts in an autocomplete answer.
pub const MAX_CHOICES: usize = 25;
/// Options a many-valued argument becomes (`council1` … `council4`).
const MANY_OPTIONS: usize = 4;
/// Many-valued options that are required.
const MANY_REQUIRED: usize = 2;

/// The option names one registry argument becomes.
fn option_names(a: &Arg) -> Vec<String> {
    if a.many {
        let singular = a.name.trim_end_matches('s');
        (1..=MANY_OPTIONS)
            .map(|i| format!("{singular}{i}"))
            .collect()
    } else {
        vec![a.name.to_string()]
    }
}

/// The application command definitions for every registry command.
pub fn definitions() -> Vec<CreateCommand> {
    COMMANDS.iter().map(definition).collect()
}

fn definition(c: &Command) -> CreateCommand {
    let mut cmd = CreateCommand::new(c.name).description(c.summary);
    for a in c.args {
        for (i, name) in option_names(a).into_iter().enumerate() {
            let required = a.required && (!a.many || i < MANY_REQUIRED);
            let kind = if a.kind == ArgKind::Stars {
                CommandOptionType::Integer
            } else {
                CommandOptionType::String
            };
            let description = if a.many && i > 0 {
                format!(
                    "Another council{}",
                    if required { "" } else { " (optional)" }
                )
            } else {
                a.description.to_string()
            };
            let mut opt = CreateCommandOption::new(kind, name, description).required(required);
            opt = match a.kind {
                ArgKind::Stars => opt.min_int_value(0).max_int_value(3),
                ArgKind::Command => COMMANDS
                    .iter()
                    .fold(opt, |o, c| o.add_string_choice(c.name, c.name)),
                ArgKind::Topic => Topic::ALL
                    .iter()
                    .fold(opt, |o, t| o.add_string_choice(t.word(), t.word())),
                ArgKind::Text => opt.max_length(200),
                ArgKind::Council
                | ArgKind::Person
                | ArgKind::Scheme
                | ArgKind::Name
                | ArgKind::Region => opt.set_autocomplete(true).max_length(100),
            };
            cmd = cmd.add_option(opt);
        }
    }
    cmd
}

/// The query a slash command asks, or why it can't be built.
pub fn query(name: &str, options: &[CommandDataOption]) -> Result<Query, String> {
    let values = values(name, options)?;
    build(name, values)
}

/// The values of a slash command's options, in registry order: what a page button keeps to
/// ask the same question again.
pub fn values(name: &str, options: &[CommandDataOption]) -> Result<Vec<String>, String> {
    let c = registry::find(name).ok_or_else(|| format!("unknown command /{name}"))?;
    let mut values = Vec::new();
    for a in c.args {
        for n in option_names(a) {
            if let Some(v) = options
                .iter()
                .find(|o| o.name == n)
                .and_then(|o| value(&o.value))
            {
                values.push(v);
            }
        }
    }
    Ok(values)
}

/// The query command `name` asks with `values`.
pub fn build(name: &str, values: Vec<String>) -> Result<Query, String> {
    let c = registry::find(name).ok_or_else(|| format!("unknown command /{name}"))?;
    (c.build)(values)
}

fn value(v: &CommandDataOptionValue) -> Option<String> {
    match v {
        CommandDataOptionValue::String(s) => Some(s.clone()),
        CommandDataOptionValue::Integer(i) => Some(i.to_string()),
        CommandDataOptionValue::Number(n) => Some(n.to_string()),
        CommandDataOptionValue::Autocomplete { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// What `/help` says: every slash command with its options, or one command in full.
pub fn help(command: Option<&str>) -> Answer {
    let usage = |c: &Command| {
        let mut s = format!("/{}", c.name);
        for a in c.args {
            let names = option_names(a);
            let shown = if a.many {
                &names[..MANY_REQUIRED]
            } else {
                &names[..]
            };
            for n in shown {
                if a.required {
                    s.push_str(&format!(" {n}"));
                } else {
                    s.push_str(&format!(" [{n}]"));
                }
            }
        }
        s
    };
    match command.map(|c| (c, registry::find(c))) {
        None => Answer::Reply(Reply {
            title: "Slash commands".into(),
            description: COMMANDS
                .iter()
                .map(|c| format!("`{}` {}", usage(c), c.summary))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n\n`/help command` tells more about one.",
            ..Reply::default()
        }),
        Some((_, Some(c))) => {
            let mut lines = vec![format!("`{}`", usage(c)), c.summary.to_string()];
            for a in c.args {
                let names = option_names(a).join(", ");
                let need = if a.required { "" } else { " (optional)" };
                lines.push(format!("`{names}`{need}: {}", a.description));
            }
            Answer::Reply(Reply {
                title: format!("/{}", c.name),
                description: lines.join("\n"),
                ..Reply::default()
            })
        }
        Some((typed, None)) => Answer::NoAnswer(NoAnswer {
            miss: Miss::Usage(format!(
                "There is no command /{typed}. `/help` lists the commands."
            )),
            suggestions: Vec::new(),
            known: Vec::new(),
        }),
    }
}

/// Starts the custom id of a page button.
const PAGE_ID: &str = "page";
/// The longest custom id Discord accepts.
const MAX_CUSTOM_ID: usize = 100;

/// The custom id of a button showing page `page` (from 1) of the answer to `/command`
/// with `values`: everything needed to answer again and pick the page, so no state is kept.
/// `None` when it would be longer than Discord allows.
pub fn page_id(command: &str, values: &[String], page: usize) -> Option<String> {
    let mut id = format!("{PAGE_ID};{page};{command}");
    for v in values {
        id.push(';');
        for ch in v.chars() {
            if matches!(ch, ';' | '\\') {
                id.push('\\');
            }
            id.push(ch);
        }
    }
    (id.chars().count() <= MAX_CUSTOM_ID).then_some(id)
}

/// A page button's custom id read back: the command, its values and the page (from 1).
pub fn read_page_id(id: &str) -> Option<(String, Vec<String>, usize)> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = id.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => part.push(chars.next()?),
            ';' => parts.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    parts.push(part);
    let mut parts = parts.into_iter();
    if parts.next()? != PAGE_ID {
        return None;
    }
    let page = parts.next()?.parse().ok().filter(|&p| p >= 1)?;
    let command = parts.next()?;
    registry::find(&command)?;
    Some((command, parts.collect(), page))
}

/// One autocomplete choice: what the user sees, and the value sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub value: String,
}

/// Choices for the option being typed: names from the knowledge base, most relevant first,
/// at most 25. Where the option takes several kinds of name, each is labelled with its kind:
/// "Bolton (council)", "John Bolton (person)".
pub fn autocomplete(k: &Knowledge, command: &str, option: &str, typed: &str) -> Vec<Choice> {
    let Some(c) = registry::find(command) else {
        return Vec::new();
    };
    let Some(arg) = c
        .args
        .iter()
        .find(|a| option_names(a).iter().any(|n| n == option))
    else {
        return Vec::new();
    };
    let typed: String = typed.chars().take(100).collect();
    let councils = || {
        let ids = k.complete_council(&typed, MAX_CHOICES);
        ids.into_iter()
            .map(|i| (k.councils[i].name.as_str(), "council"))
    };
    let people = || {
        let ids = k.complete_person(&typed, MAX_CHOICES);
        ids.into_iter()
            .map(|i| (k.people[i].name.as_str(), "person"))
    };
    let schemes = || {
        let ids = k.complete_scheme(&typed, MAX_CHOICES);
        ids.into_iter()
            .map(|i| (k.schemes[i].name.as_str(), "scheme"))
    };
    let (found, labelled): (Vec<(&str, &str)>, bool) = match arg.kind {
        ArgKind::Council => (councils().collect(), false),
        ArgKind::Person => (people().collect(), false),
        ArgKind::Scheme => (schemes().collect(), false),
        ArgKind::Name => {
            let mut all: Vec<(&str, &str)> = councils().chain(people()).chain(schemes()).collect();
            all.extend(regions(k, &typed).into_iter().map(|r| (r, "region")));
            (all, true)
        }
        ArgKind::Region => (
            regions(k, &typed)
                .into_iter()
                .map(|r| (r, "region"))
                .collect(),
            false,
        ),
        ArgKind::Stars | ArgKind::Text | ArgKind::Command | ArgKind::Topic => (Vec::new(), false),
    };
    // Each kind's own order is kept among equals; the sort is stable.
    let mut ranked: Vec<(usize, &str, &str)> = found
        .into_iter()
        .map(|(name, kind)| (relevance(name, &typed), name, kind))
        .collect();
    ranked.sort_by_key(|&(rank, _, _)| rank);
    let mut out: Vec<Choice> = Vec::new();
    for (_, name, kind) in ranked {
        let value = clip(name, 100);
        if out.iter().any(|c| c.value == value) && !labelled {
            continue;
        }
        let label = if labelled {
            // The kind stays readable however long the name.
            let suffix = format!(" ({kind})");
            format!("{}{suffix}", clip(name, 100 - suffix.chars().count()))
        } else {
            value.clone()
        };
        if out.iter().any(|c| c.label == label) {
            continue;
        }
        out.push(Choice { label, value });
        if out.len() == MAX_CHOICES {
            break;
        }
    }
    out
}

/// Regions and council regions containing `typed`, in name order.
fn regions<'k>(k: &'k Knowledge, typed: &str) -> Vec<&'k str> {
    let typed = fold(typed);
    let mut regions: Vec<&str> = k
        .councils
        .iter()
        .filter_map(|c| c.region.as_deref())
        .chain(k.regions.iter().map(|r| r.name.as_str()))
        .filter(|r| fold(r).contains(&typed))
        .collect();
    regions.sort_unstable();
    regions.dedup();
    regions
}

/// How well `name` matches what was typed, best 0: the whole name, its start, the start of
/// one of its words, anywhere in it, or only roughly.
fn relevance(name: &str, typed: &str) -> usize {
    let (name, typed) = (fold(name), fold(typed.trim()));
    if typed.is_empty() {
        1
    } else if name == typed {
        0
    } else if name.starts_with(&typed) {
        1
    } else if name
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(&typed))
    {
        2
    } else if name.contains(&typed) {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ids_hold_the_question_and_page_within_100_characters() {
        let values = vec!["a;b\\c".to_string(), String::new(), "West Midlands".into()];
        let id = page_id("compare", &values, 12).unwrap();
        assert_eq!(id, "page;12;compare;a\\;b\\\\c;;West Midlands");
        assert_eq!(read_page_id(&id), Some(("compare".into(), values, 12)));
        assert_eq!(
            read_page_id(&page_id("councils", &[], 1).unwrap()),
            Some(("councils".into(), Vec::new(), 1))
        );
        assert_eq!(page_id("stars", &["x".repeat(90)], 1), None);
        for bad in [
            "",
            "page",
            "page;0;stars",
            "page;1;nosuch",
            "other;1;stars",
            "page;1;stars;\\",
        ] {
            assert_eq!(read_page_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn definitions_meet_discords_rules() {
        let name = regex::Regex::new(r"^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$").unwrap();
        for def in definitions() {
            let v = serde_json::to_value(&def).unwrap();
            assert!(name.is_match(v["name"].as_str().unwrap()), "{v}");
            let d = v["description"].as_str().unwrap().chars().count();
            assert!((1..=100).contains(&d), "{v}");
            let options = v["options"].as_array().cloned().unwrap_or_default();
            assert!(options.len() <= 25);
            let mut seen_optional = false;
            for o in options {
                assert!(name.is_match(o["name"].as_str().unwrap()), "{o}");
                let d = o["description"].as_str().unwrap().chars().count();
                assert!((1..=100).contains(&d), "{o}");
                let required = o["required"].as_bool().unwrap_or(false);
                assert!(
                    !(required && seen_optional),
                    "required option after optional: {o}"
                );
                seen_optional |= !required;
            }
        }
    }
}

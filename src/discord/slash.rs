//! Slash commands, generated from the command registry, and their autocomplete.

use serenity::all::{CommandDataOption, CommandDataOptionValue, CommandOptionType};
use serenity::builder::{CreateCommand, CreateCommandOption};

use crate::knowledge::Knowledge;
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

/// Choices for the option being typed: names from the knowledge base, best first, at most 25.
pub fn autocomplete(k: &Knowledge, command: &str, option: &str, typed: &str) -> Vec<String> {
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
    let mut out: Vec<String> = match arg.kind {
        ArgKind::Council => names(k.complete_council(&typed, MAX_CHOICES), |i| {
            &k.councils[i].name
        }),
        ArgKind::Person => names(k.complete_person(&typed, MAX_CHOICES), |i| {
            &k.people[i].name
        }),
        ArgKind::Scheme => names(k.complete_scheme(&typed, MAX_CHOICES), |i| {
            &k.schemes[i].name
        }),
        ArgKind::Name => {
            let mut all = names(k.complete_council(&typed, MAX_CHOICES), |i| {
                &k.councils[i].name
            });
            all.extend(names(k.complete_person(&typed, MAX_CHOICES), |i| {
                &k.people[i].name
            }));
            all.extend(names(k.complete_scheme(&typed, MAX_CHOICES), |i| {
                &k.schemes[i].name
            }));
            all
        }
        ArgKind::Region => {
            let mut regions: Vec<String> = k
                .councils
                .iter()
                .filter_map(|c| c.region.clone())
                .chain(k.regions.iter().map(|r| r.name.clone()))
                .filter(|r| r.to_lowercase().contains(&typed.to_lowercase()))
                .collect();
            regions.sort();
            regions.dedup();
            regions
        }
        ArgKind::Stars | ArgKind::Text | ArgKind::Command => Vec::new(),
    };
    out.dedup();
    out.truncate(MAX_CHOICES);
    out
}

fn names<'k>(ids: Vec<usize>, name: impl Fn(usize) -> &'k String) -> Vec<String> {
    ids.into_iter()
        .map(|i| crate::discord::embed::clip(name(i), 100))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

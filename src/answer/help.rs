//! `!help`: the commands, or one in detail, all read from the registry.

use super::lookup::Lookup;
use super::{Field, Miss, NoAnswer, Reply};
use crate::query::registry::{self, Command, CommandId, COMMANDS, EXAMPLE_QUESTION};

impl<'k> Lookup<'k> {
    /// `!help`: every command's usage and summary, or one command in detail.
    pub(super) fn help(&mut self, command: Option<&str>) -> Result<Reply, NoAnswer> {
        let p = self.prefix;
        let Some(name) = command else {
            let lines: Vec<String> = COMMANDS
                .iter()
                .map(|c| format!("`{p}{}` {}", c.usage(), c.summary))
                .collect();
            let help = CommandId::Help.command();
            let more = format!("`{p}{} <{}>`", help.name, help.args[0].name);
            return Ok(Reply {
                title: "carebot commands".into(),
                description: format!(
                    "{}\n\nOr ask in plain words, e.g. \"{EXAMPLE_QUESTION}\" {more} tells more.",
                    lines.join("\n")
                ),
                ..Reply::default()
            });
        };
        // "help stars Birmingham" asks about `stars`.
        let name = name.split_whitespace().next().unwrap_or_default();
        let name = name.trim_start_matches(p);
        match registry::find(name) {
            Some(c) => Ok(self.command_help(c)),
            None => Err(NoAnswer::new(Miss::UnknownCommand {
                typed: name.to_string(),
                suggestion: None,
                prefix: p.to_string(),
            })),
        }
    }

    /// One command: usage, summary, example, other words for it and its arguments.
    fn command_help(&self, c: &Command) -> Reply {
        let p = self.prefix;
        let mut fields = vec![Field {
            name: "Example".into(),
            value: format!("`{p}{}`", c.example),
            inline: true,
        }];
        if !c.aliases.is_empty() {
            fields.push(Field {
                name: "Also".into(),
                value: c
                    .aliases
                    .iter()
                    .map(|a| format!("`{p}{a}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                inline: true,
            });
        }
        for a in c.args {
            fields.push(Field::new(
                format!(
                    "<{}>{}",
                    a.name,
                    if a.required { "" } else { " (optional)" }
                ),
                a.description,
            ));
        }
        Reply {
            title: format!("{p}{}", c.usage()),
            description: c.summary.to_string(),
            fields,
            ..Reply::default()
        }
    }
}

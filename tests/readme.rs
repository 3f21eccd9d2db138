//! The README's command table lists exactly the registry's commands, in registry order, each
//! with its usage as `help` shows it.

use carebot::query::registry::COMMANDS;

/// The first cell of each row of the table under "### Commands", without its backticks.
fn table_commands(readme: &str) -> Vec<String> {
    let section = readme
        .split_once("### Commands")
        .map(|(_, rest)| rest)
        .expect("README.md has a ### Commands section");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and the |---| line
        .map(|row| {
            let cell = row.split('|').nth(1).expect("a row has cells").trim();
            cell.trim_matches('`').to_string()
        })
        .collect()
}

#[test]
fn the_readme_lists_every_command_with_its_usage() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let listed = table_commands(&readme);
    let registry: Vec<String> = COMMANDS.iter().map(|c| format!("!{}", c.usage())).collect();
    assert_eq!(listed, registry);
}

#[test]
fn the_table_is_read_row_by_row() {
    let readme = "intro\n### Commands\ntext\n\n| command | answers |\n|---|---|\n| `!a <x>` | one |\n| `!b` | two |\n\nafter\n| `!c` | not in the table |\n";
    assert_eq!(table_commands(readme), ["!a <x>", "!b"]);
}

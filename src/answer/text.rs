//! Answers as plain text, for the command line.

use super::{Answer, NoAnswer};

/// Renders an answer as plain text lines.
pub fn render(answer: &Answer) -> String {
    match answer {
        Answer::Reply(r) => {
            let mut out = vec![r.title.clone()];
            if let Some((typed, name)) = &r.corrected {
                out.push(format!("(Showing {name} for “{typed}”.)"));
            }
            if !r.description.is_empty() {
                out.push(r.description.clone());
            }
            for f in &r.fields {
                out.push(String::new());
                out.push(format!("{}:", f.name));
                out.extend(f.value.lines().map(|l| format!("  {l}")));
            }
            if !r.sources.is_empty() {
                out.push(String::new());
                let cites: Vec<String> = r.sources.iter().map(ToString::to_string).collect();
                out.push(format!("Source: {}", cites.join("; ")));
            }
            out.join("\n")
        }
        Answer::NoAnswer(n) => no_answer(n),
    }
}

fn no_answer(n: &NoAnswer) -> String {
    let mut out = vec![n.message(&|t| format!("“{t}”"))];
    if !n.suggestions.is_empty() {
        out.push(format!("Did you mean: {}?", n.suggestions.join(", ")));
    }
    if !n.known.is_empty() {
        out.push(format!("I do know about: {}.", n.known.join(", ")));
    }
    out.join("\n")
}

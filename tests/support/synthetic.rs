//! Synthetic knowledge bases, for answers longer than the bundled knowledge base gives.

use std::path::Path;

use carebot::knowledge::{load_texts, Knowledge, KnowledgeText};

/// A knowledge base of `councils` councils, "Town 1" …, and `schemes` schemes, "Scheme 1" …,
/// all run by Town 1, each described in about 1,000 characters: `!schemes Town 1` then needs
/// several pages.
pub fn towns(councils: usize, schemes: usize) -> Knowledge {
    let mut toml =
        String::from("[[source]]\nid = \"s\"\ntitle = \"Test\"\npublisher = \"Tests\"\n");
    for i in 1..=councils {
        toml.push_str(&format!(
            "[[council]]\nid = \"town-{i}\"\nname = \"Town {i}\"\n"
        ));
    }
    let long = "A long description of the scheme that goes on. ".repeat(20);
    for i in 1..=schemes {
        toml.push_str(&format!(
            "[[scheme]]\nid = \"scheme-{i}\"\nname = \"Scheme {i}\"\ncouncil = \"town-1\"\nsource = \"s\"\ndescription = {{ text = \"{long}\", quote = \"Scheme {i} is run for the people of Town 1\" }}\n"
        ));
    }
    let text = KnowledgeText {
        path: "many.toml".into(),
        text: toml,
    };
    load_texts(Path::new("."), vec![text]).expect("the synthetic knowledge base loads")
}

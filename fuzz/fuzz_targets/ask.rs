//! Fuzzes the whole ask path: parse, look up, render as text and as Discord embeds.
//! Nothing may panic, and every embed must stay within Discord's limits.

#![no_main]

use std::sync::OnceLock;

use carebot::answer::{ask, text};
use carebot::discord::embed::{self, limits};
use carebot::knowledge::{load_dir, Knowledge};
use carebot::query::{Mode, Parser};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static (Knowledge, Parser) {
    static ENGINE: OnceLock<(Knowledge, Parser)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge");
        (load_dir(&dir).expect("bundled knowledge loads"), Parser::new("!"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(message) = std::str::from_utf8(data) else {
        return;
    };
    let (k, parser) = engine();
    for mode in [Mode::Channel, Mode::Direct] {
        if let Some(answer) = ask(k, parser, message, mode, 500) {
            let _ = text::render(&answer);
            for e in embed::render(&answer) {
                assert!(e.title.chars().count() <= limits::TITLE);
                assert!(e.description.chars().count() <= limits::DESCRIPTION);
                assert!(e.fields.len() <= limits::FIELDS);
                assert!(e.total_len() <= limits::TOTAL);
            }
        }
    }
});

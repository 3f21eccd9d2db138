//! Keeps the bot token out of every log line and panic message, whatever library wrote it.

use std::io::{self, Write};
use std::sync::OnceLock;

use tracing_subscriber::fmt::MakeWriter;

static SECRET: OnceLock<String> = OnceLock::new();

/// What the token is replaced with.
pub const MASK: &str = "[redacted]";

/// Registers the token to hide. Only the first call counts.
pub fn hide(secret: &str) {
    if !secret.is_empty() {
        let _ = SECRET.set(secret.to_string());
    }
}

/// `text` with the registered token replaced by [`MASK`].
pub fn redact(text: &str) -> String {
    match SECRET.get() {
        Some(s) if text.contains(s.as_str()) => text.replace(s.as_str(), MASK),
        _ => text.to_string(),
    }
}

/// A log writer to standard error that redacts each event before writing it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stderr;

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Buffered;

    fn make_writer(&'a self) -> Self::Writer {
        Buffered(Vec::new())
    }
}

/// One log event, held until it is complete so the token can't be split across writes.
#[derive(Debug)]
pub struct Buffered(Vec<u8>);

impl Write for Buffered {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.0.is_empty() {
            let text = redact(&String::from_utf8_lossy(&self.0));
            self.0.clear();
            io::stderr().lock().write_all(text.as_bytes())?;
        }
        Ok(())
    }
}

impl Drop for Buffered {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Replaces the panic hook with one that logs the redacted message and location.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(location = %location, "panic: {}", redact(&message));
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_registered_secret() {
        hide("Sekret.Token.XYZ");
        assert_eq!(
            redact("auth Bot Sekret.Token.XYZ ok"),
            "auth Bot [redacted] ok"
        );
        assert_eq!(redact("nothing here"), "nothing here");
    }
}

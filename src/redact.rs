//! Keeps the bot token out of every log line and panic message, whatever library wrote it.

use std::io::{self, Write};
use std::sync::OnceLock;

use tracing_subscriber::fmt::MakeWriter;

/// The forms of the token to hide, see [`forms`].
static SECRET: OnceLock<Vec<String>> = OnceLock::new();

/// What the token is replaced with.
pub const MASK: &str = "[redacted]";

/// Registers the token to hide. Only the first call counts.
pub fn hide(secret: &str) {
    if !secret.is_empty() {
        let _ = SECRET.set(forms(secret));
    }
}

/// The token as text, and as the byte dumps libraries log at trace level: tungstenite prints
/// every frame it sends (IDENTIFY and RESUME carry the token) as hex, and `{:?}` of a byte
/// buffer prints decimal bytes.
fn forms(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let decimal = bytes
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut forms = vec![secret.to_string(), hex.to_uppercase(), hex, decimal];
    forms.dedup();
    forms
}

/// `text` with the registered token, in any of its [`forms`], replaced by [`MASK`].
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    for form in SECRET.get().into_iter().flatten() {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), MASK);
        }
    }
    out
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
        // tungstenite's trace dump of a frame holding "Bot Sekret.Token.XYZ".
        let hex: String = "\"Bot Sekret.Token.XYZ\""
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            redact(&format!("payload: 0x{hex}")),
            "payload: 0x22426f7420[redacted]22"
        );
        assert_eq!(
            redact(&format!("payload: 0x{}", hex.to_uppercase())),
            "payload: 0x22426F7420[redacted]22"
        );
        assert_eq!(
            redact("[66, 111, 116, 32, 83, 101, 107, 114, 101, 116, 46, 84, 111, 107, 101, 110, 46, 88, 89, 90]"),
            "[66, 111, 116, 32, [redacted]]"
        );
    }
}

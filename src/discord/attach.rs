//! A chart attached to a reply: drawn on the blocking pool, then sent as the image of the
//! reply's embed in a `multipart/form-data` message (`payload_json` and `files[0]`).

use hyper::header::HeaderValue;
use serde_json::{json, Value};

use crate::chart::{self, Chart, FILE_NAME};

/// The largest file Discord accepts from a bot without boosts.
pub const MAX_FILE: usize = 10 * 1024 * 1024;

/// Draws `chart` on tokio's blocking pool, so the gateway and other answers never wait for
/// it; `None` (logged) when it cannot be drawn or is over Discord's size limit.
pub async fn draw(chart: Chart) -> Option<Vec<u8>> {
    match tokio::task::spawn_blocking(move || chart::render(&chart)).await {
        Ok(Ok(png)) if png.bytes.len() <= MAX_FILE => Some(png.bytes),
        Ok(Ok(png)) => {
            tracing::warn!(
                bytes = png.bytes.len(),
                "chart over Discord's file limit; sent without it"
            );
            None
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "chart not drawn; sent without it");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "drawing a chart panicked; sent without it");
            None
        }
    }
}

/// The message `json` (a `CreateMessage` with one embed) with `png` attached as its embed's
/// image, as a multipart body and its content type.
pub fn multipart(json: &[u8], png: &[u8]) -> Result<(Vec<u8>, HeaderValue), serde_json::Error> {
    let mut message: Value = serde_json::from_slice(json)?;
    message["attachments"] = json!([{ "id": 0, "filename": FILE_NAME }]);
    if let Some(embed) = message["embeds"].get_mut(0) {
        embed["image"] = json!({ "url": format!("attachment://{FILE_NAME}") });
    }
    let payload = serde_json::to_vec(&message)?;
    // A boundary that occurs in neither part.
    let mut boundary = String::from("carebot-chart-boundary");
    while contains(&payload, boundary.as_bytes()) || contains(png, boundary.as_bytes()) {
        boundary.push('x');
    }
    let mut body = Vec::with_capacity(payload.len() + png.len() + 512);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(b"Content-Disposition: form-data; name=\"payload_json\"\r\n");
    body.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
    body.extend_from_slice(&payload);
    body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"files[0]\"; filename=\"{FILE_NAME}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"Content-Type: image/png\r\n\r\n");
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let kind = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .expect("the boundary is plain ASCII");
    Ok((body, kind))
}

/// True when `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_the_embeds_image_and_the_only_file() {
        let json = br#"{"embeds":[{"title":"Chart: Birmingham"}],"nonce":"7-0"}"#;
        let (body, kind) = multipart(json, b"\x89PNG-bytes").unwrap();
        let kind = kind.to_str().unwrap();
        assert_eq!(kind, "multipart/form-data; boundary=carebot-chart-boundary");
        let text = String::from_utf8_lossy(&body);
        assert_eq!(
            text,
            "--carebot-chart-boundary\r\n\
             Content-Disposition: form-data; name=\"payload_json\"\r\n\
             Content-Type: application/json\r\n\r\n\
             {\"attachments\":[{\"filename\":\"chart.png\",\"id\":0}],\"embeds\":[{\"image\":{\"url\":\"attachment://chart.png\"},\"title\":\"Chart: Birmingham\"}],\"nonce\":\"7-0\"}\r\n\
             --carebot-chart-boundary\r\n\
             Content-Disposition: form-data; name=\"files[0]\"; filename=\"chart.png\"\r\n\
             Content-Type: image/png\r\n\r\n\
             \u{fffd}PNG-bytes\r\n\
             --carebot-chart-boundary--\r\n"
        );
    }

    #[test]
    fn the_boundary_is_never_in_the_file() {
        let png = b"--carebot-chart-boundary and more";
        let (_, kind) = multipart(br#"{"embeds":[{}]}"#, png).unwrap();
        assert_eq!(
            kind.to_str().unwrap(),
            "multipart/form-data; boundary=carebot-chart-boundaryx"
        );
    }
}

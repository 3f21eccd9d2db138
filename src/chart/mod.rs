//! Charts of ratings over time, drawn in-process as PNG images.
//!
//! [`plan`] gathers what a chart shows from the knowledge base (sourced points only: a round
//! no source covers stays empty, conflicting claims are both kept); [`render`] draws it with
//! the bundled DejaVu Sans font, so the same data always gives the same bytes. Three kinds:
//! a council's history (star ratings by round and its Ofsted judgement), the same for several
//! councils side by side, and a region or England (today's Ofsted judgements by grade and the
//! national share of each star rating per round).

mod canvas;
mod data;
mod region;
mod stars;

pub use data::{
    plan, Area, Chart, Claim, Grades, Judgement, PlanError, RoundTotal, Series, StarPoint, ENGLAND,
    GRADES, MAX_COUNCILS,
};

/// The width of every chart, in pixels.
pub const WIDTH: u32 = 960;
/// The height of every chart, in pixels.
pub const HEIGHT: u32 = 540;
/// The name a chart is attached under.
pub const FILE_NAME: &str = "chart.png";

/// A drawn chart: PNG bytes and their size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart: {0}")]
pub struct RenderError(String);

/// Draws `chart` as a PNG of [`WIDTH`] × [`HEIGHT`] pixels.
pub fn render(chart: &Chart) -> Result<Png, RenderError> {
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let area = canvas::area(&mut rgb)?;
        match chart {
            Chart::Councils(series) => stars::draw(&area, series),
            Chart::Area(a) => region::draw(&area, a),
        }
        .map_err(|e| RenderError(e.to_string()))?;
        area.present().map_err(|e| RenderError(e.to_string()))?;
    }
    canvas::encode(&rgb)
}

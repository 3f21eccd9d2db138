//! What every chart shares: the bundled font, the colours, text and markers, and the PNG
//! encoding.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::{Png, RenderError, HEIGHT, WIDTH};
use crate::knowledge::register::{scope_of_round, Grade, Scope, ROUNDS};

/// The drawing surface of one chart.
pub(super) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// The outcome of drawing.
pub(super) type Drawn = Result<(), Box<dyn std::error::Error>>;

/// DejaVu Sans (see `assets/fonts/LICENSE-DejaVu.txt`), so no chart depends on the fonts of
/// the machine it is drawn on.
static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family every text is drawn in.
const FAMILY: &str = "sans-serif";

pub(super) const INK: RGBColor = RGBColor(33, 37, 41);
pub(super) const MUTED: RGBColor = RGBColor(96, 103, 112);
pub(super) const GRID: RGBColor = RGBColor(222, 226, 230);
pub(super) const NO_DATA: RGBColor = RGBColor(206, 212, 218);
pub(super) const CONFLICT: RGBColor = RGBColor(176, 0, 32);

/// One colour a council (Okabe-Ito: told apart with the common colour blindnesses).
pub(super) const SERIES: [RGBColor; super::MAX_COUNCILS] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// The colour of 0, 1, 2 and 3 stars.
pub(super) const STARS: [RGBColor; 4] = [
    RGBColor(192, 57, 43),
    RGBColor(240, 163, 10),
    RGBColor(122, 193, 67),
    RGBColor(26, 127, 55),
];

/// The colour of an Ofsted grade.
pub(super) fn grade_colour(g: Grade) -> RGBColor {
    match g {
        Grade::Outstanding => STARS[3],
        Grade::Good => STARS[2],
        Grade::RequiresImprovement => STARS[1],
        Grade::Inadequate => STARS[0],
    }
}

/// The grade as a chart labels it.
pub(super) fn grade_label(g: Grade) -> &'static str {
    match g {
        Grade::Outstanding => "Outstanding",
        Grade::Good => "Good",
        Grade::RequiresImprovement => "Requires improvement",
        Grade::Inadequate => "Inadequate",
    }
}

/// A round as a chart labels it: month and year ("Nov", "2004").
pub(super) fn round_label(round: &str) -> (&'static str, &str) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (year, month) = round.split_once('-').unwrap_or((round, ""));
    let m = month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    (m.copied().unwrap_or(""), year)
}

/// A round's label under the plot at `x`: its month above its year.
pub(super) fn round_tick(area: &Area, round: &str, x: i32, bottom: i32) -> Drawn {
    let (month, year) = round_label(round);
    text(
        area,
        month,
        (x, bottom + 8),
        Look::plain(14, INK),
        Anchor::Top,
    )?;
    text(
        area,
        year,
        (x, bottom + 26),
        Look::plain(14, INK),
        Anchor::Top,
    )
}

/// A white canvas over `rgb` (`WIDTH` × `HEIGHT` × 3 bytes), with the font registered.
pub(super) fn area(rgb: &mut [u8]) -> Result<Area<'_>, RenderError> {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // The bundled files are valid fonts; a failure here shows as missing text in tests.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD);
    });
    let area = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| RenderError(e.to_string()))?;
    Ok(area)
}

/// How text is placed against its point.
#[derive(Clone, Copy)]
pub(super) enum Anchor {
    /// The point is the text's top left corner.
    TopLeft,
    /// The point is the middle of the text's left edge.
    Left,
    /// The point is the text's centre.
    Centre,
    /// The point is the middle of the text's top edge.
    Top,
    /// The point is the middle of the text's right edge.
    Right,
}

impl Anchor {
    fn pos(self) -> Pos {
        match self {
            Anchor::TopLeft => Pos::new(HPos::Left, VPos::Top),
            Anchor::Left => Pos::new(HPos::Left, VPos::Center),
            Anchor::Centre => Pos::new(HPos::Center, VPos::Center),
            Anchor::Top => Pos::new(HPos::Center, VPos::Top),
            Anchor::Right => Pos::new(HPos::Right, VPos::Center),
        }
    }
}

/// A text's look: size in pixels, colour, weight.
#[derive(Clone, Copy)]
pub(super) struct Look {
    pub size: u32,
    pub colour: RGBColor,
    pub bold: bool,
}

impl Look {
    pub(super) const fn plain(size: u32, colour: RGBColor) -> Self {
        Look {
            size,
            colour,
            bold: false,
        }
    }

    pub(super) const fn bold(size: u32, colour: RGBColor) -> Self {
        Look {
            size,
            colour,
            bold: true,
        }
    }
}

/// Draws `s` at `at`, placed by `anchor`.
pub(super) fn text(area: &Area, s: &str, at: (i32, i32), look: Look, anchor: Anchor) -> Drawn {
    let style = if look.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = (FAMILY, look.size as f64, style).into_font();
    let style = TextStyle::from(font).color(&look.colour).pos(anchor.pos());
    area.draw(&Text::new(s.to_string(), at, style))?;
    Ok(())
}

/// The width `s` takes in pixels drawn with `look`.
pub(super) fn text_width(area: &Area, s: &str, look: Look) -> u32 {
    let style = if look.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = (FAMILY, look.size as f64, style).into_font();
    area.estimate_text_size(s, &TextStyle::from(font))
        .map_or(0, |(w, _)| w)
}

/// A filled rectangle.
pub(super) fn block(area: &Area, from: (i32, i32), to: (i32, i32), colour: RGBColor) -> Drawn {
    area.draw(&Rectangle::new([from, to], colour.filled()))?;
    Ok(())
}

/// A straight line `width` pixels wide.
pub(super) fn line(area: &Area, points: Vec<(i32, i32)>, colour: RGBColor, width: u32) -> Drawn {
    area.draw(&PathElement::new(points, colour.stroke_width(width)))?;
    Ok(())
}

/// A vertical dashed line from `top` to `bottom` at `x`.
pub(super) fn dashed(area: &Area, x: i32, top: i32, bottom: i32, colour: RGBColor) -> Drawn {
    let mut y = top;
    while y < bottom {
        line(area, vec![(x, y), (x, (y + 6).min(bottom))], colour, 2)?;
        y += 11;
    }
    Ok(())
}

/// The change of scope of the star ratings, in a plot of one `column` a round between `left`
/// and `right`: a dashed line from just above `top` to `bottom`, each side named above.
pub(super) fn scope_change(
    area: &Area,
    (left, right): (i32, i32),
    column: i32,
    (top, bottom): (i32, i32),
) -> Drawn {
    let change = ROUNDS
        .iter()
        .position(|r| scope_of_round(r) == Scope::Adults)
        .unwrap_or(ROUNDS.len());
    let split = left + column * change as i32;
    dashed(area, split, top - 28, bottom, MUTED)?;
    let scope = Look::bold(14, MUTED);
    let above = top - 14;
    let sides = [
        ("all social services", (left + split) / 2),
        ("adult social care", (split + right) / 2),
    ];
    for (words, x) in sides {
        text(area, words, (x, above), scope, Anchor::Centre)?;
    }
    Ok(())
}

/// The marker of a claim: a disc for a press report, a diamond for the curated article;
/// hollow (a ring) when `hollow`.
pub(super) fn marker(area: &Area, at: (i32, i32), colour: RGBColor, diamond: bool) -> Drawn {
    let (x, y) = at;
    if diamond {
        let r = 9;
        let points = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
        area.draw(&Polygon::new(points.clone(), colour.filled()))?;
        let mut ring = points;
        ring.push((x, y - r));
        area.draw(&PathElement::new(ring, WHITE.stroke_width(1)))?;
    } else {
        area.draw(&Circle::new(at, 7, colour.filled()))?;
        area.draw(&Circle::new(at, 7, WHITE.stroke_width(1)))?;
    }
    Ok(())
}

/// A legend entry: a small swatch of `colour` and its label; returns where the next starts.
pub(super) fn swatch(
    area: &Area,
    at: (i32, i32),
    colour: RGBColor,
    label: &str,
) -> Result<i32, Box<dyn std::error::Error>> {
    let (x, y) = at;
    block(area, (x, y - 7), (x + 14, y + 7), colour)?;
    text(area, label, (x + 20, y), Look::plain(14, INK), Anchor::Left)?;
    Ok(x + 20 + text_width(area, label, Look::plain(14, INK)) as i32 + 22)
}

/// Encodes the canvas's RGB bytes as a PNG; the same pixels give the same bytes.
pub(super) fn encode(rgb: &[u8]) -> Result<Png, RenderError> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let fail = |e: png::EncodingError| RenderError(e.to_string());
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(rgb).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(Png {
        bytes,
        width: WIDTH,
        height: HEIGHT,
    })
}

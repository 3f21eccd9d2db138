//! The chart of a region or England: today's Ofsted grades of its councils on the left, the
//! national share of each star rating per round, from the published totals, on the right.

use plotters::style::{RGBColor, WHITE};

use super::canvas::{
    block, grade_colour, grade_label, line, round_tick, scope_change, swatch, text, Anchor, Area,
    Drawn, Look, GRID, INK, MUTED, NO_DATA, STARS,
};
use super::data::{Area as Place, RoundTotal, ENGLAND, GRADES};
use crate::knowledge::register::ROUNDS;

/// The Ofsted bars' edges.
const BAR_LEFT: i32 = 196;
const BAR_RIGHT: i32 = 410;
/// The share panel's edges.
const LEFT: i32 = 530;
const RIGHT: i32 = 936;
const TOP: i32 = 112;
const BOTTOM: i32 = 400;
/// The width of one round's column.
const COLUMN: i32 = (RIGHT - LEFT) / ROUNDS.len() as i32;

/// Draws the chart of `place`.
pub(super) fn draw(area: &Area, place: &Place) -> Drawn {
    let heading = format!("{}: Ofsted today and star ratings 2002-2008", place.name);
    text(
        area,
        &heading,
        (24, 16),
        Look::bold(24, INK),
        Anchor::TopLeft,
    )?;
    text(
        area,
        "Councils by latest Ofsted grade · share of England's councils with each star rating",
        (24, 50),
        Look::plain(15, MUTED),
        Anchor::TopLeft,
    )?;
    grades(area, place)?;
    shares(area, &place.totals)?;
    let mut x = LEFT - 60;
    for (stars, colour) in STARS.iter().enumerate() {
        let label = if stars == 1 {
            "1 star"
        } else {
            &format!("{stars} stars")[..]
        };
        x = swatch(area, (x, 466), *colour, label)?;
    }
    swatch(area, (x, 466), NO_DATA, "count not published")?;
    let scope = if place.name == ENGLAND {
        "every council of today"
    } else {
        "the region's councils of today"
    };
    text(
        area,
        &format!("Ofsted: {scope}. Stars: national totals as published each round."),
        (24, 524),
        Look::plain(13, MUTED),
        Anchor::Left,
    )
}

/// One bar per Ofsted grade (and for councils with none), with its count.
fn grades(area: &Area, place: &Place) -> Drawn {
    let g = &place.grades;
    let total = g.counts.iter().sum::<u32>() + g.no_overall + g.not_inspected;
    let heading = format!("Ofsted, children's services: {total} councils");
    text(
        area,
        &heading,
        (24, TOP - 14),
        Look::bold(14, MUTED),
        Anchor::Left,
    )?;
    let mut rows: Vec<(&str, u32, RGBColor)> = GRADES
        .iter()
        .zip(g.counts)
        .map(|(grade, n)| (grade_label(*grade), n, grade_colour(*grade)))
        .collect();
    rows.push(("No overall grade", g.no_overall, NO_DATA));
    if g.not_inspected > 0 {
        rows.push(("Not inspected", g.not_inspected, NO_DATA));
    }
    let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = (BOTTOM - TOP) / 6;
    for (i, (label, n, colour)) in rows.iter().enumerate() {
        let y = TOP + height * i as i32 + height / 2;
        text(
            area,
            label,
            (BAR_LEFT - 10, y),
            Look::plain(14, INK),
            Anchor::Right,
        )?;
        let end = BAR_LEFT + ((BAR_RIGHT - BAR_LEFT) as u32 * n / most) as i32;
        if *n > 0 {
            block(area, (BAR_LEFT, y - 13), (end, y + 13), *colour)?;
        }
        line(area, vec![(BAR_LEFT, y - 16), (BAR_LEFT, y + 16)], MUTED, 1)?;
        text(
            area,
            &n.to_string(),
            (end + 8, y),
            Look::bold(14, INK),
            Anchor::Left,
        )?;
    }
    Ok(())
}

/// The y of `share` (0 to 1) in the share panel.
fn share_y(share: f64) -> i32 {
    BOTTOM - (share * f64::from(BOTTOM - TOP)).round() as i32
}

/// One column per round: the share of 0, 1, 2 and 3 stars, bottom to top; what no source
/// counts is grey.
fn shares(area: &Area, totals: &[RoundTotal]) -> Drawn {
    for pct in [0, 25, 50, 75, 100] {
        let y = share_y(f64::from(pct) / 100.0);
        line(area, vec![(LEFT, y), (RIGHT, y)], GRID, 1)?;
        text(
            area,
            &format!("{pct}%"),
            (LEFT - 8, y),
            Look::plain(14, INK),
            Anchor::Right,
        )?;
    }
    for (i, round) in ROUNDS.iter().enumerate() {
        let x = LEFT + COLUMN * i as i32 + COLUMN / 2;
        round_tick(area, round, x, BOTTOM)?;
        match totals.iter().find(|t| t.round == i) {
            Some(t) => column(area, x, t)?,
            None => text(
                area,
                "no total",
                (x, (TOP + BOTTOM) / 2),
                Look::plain(12, MUTED),
                Anchor::Centre,
            )?,
        }
    }
    scope_change(area, (LEFT, RIGHT), COLUMN, (TOP, BOTTOM))
}

/// One round's stacked column centred on `x`.
fn column(area: &Area, x: i32, t: &RoundTotal) -> Drawn {
    let stated: u32 = t.counts.iter().flatten().sum();
    let whole = f64::from(t.rated.max(stated).max(1));
    let unstated = t.rated.saturating_sub(stated);
    let half = COLUMN / 2 - 6;
    let mut below = 0u32;
    let mut grey_done = false;
    for (stars, count) in t.counts.iter().enumerate() {
        let (n, colour) = match count {
            Some(n) => (*n, STARS[stars]),
            None if !grey_done && unstated > 0 => {
                grey_done = true;
                (unstated, NO_DATA)
            }
            None => continue,
        };
        if n == 0 {
            continue;
        }
        let (from, to) = (
            share_y(f64::from(below) / whole),
            share_y(f64::from(below + n) / whole),
        );
        block(area, (x - half, to), (x + half, from), colour)?;
        if from - to >= 18 {
            let pct = format!("{}%", (f64::from(n) * 100.0 / whole).round());
            let ink = if stars == 0 || stars == 3 { WHITE } else { INK };
            text(
                area,
                &pct,
                (x, (from + to) / 2),
                Look::plain(12, ink),
                Anchor::Centre,
            )?;
        }
        below += n;
    }
    Ok(())
}

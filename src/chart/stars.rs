//! The chart of one or several councils: star ratings by round on the left, the latest Ofsted
//! judgement by date on the right.

use plotters::style::RGBColor;

use super::canvas::{
    block, grade_colour, grade_label, line, marker, round_label, round_tick, scope_change, swatch,
    text, text_width, Anchor, Area, Drawn, Look, CONFLICT, GRID, INK, MUTED, SERIES,
};
use super::data::{Claim, Series, GRADES};
use crate::knowledge::register::{scope_of_round, ROUNDS};

/// The star panel's edges.
const LEFT: i32 = 96;
const RIGHT: i32 = 640;
const TOP: i32 = 112;
const BOTTOM: i32 = 400;
/// The Ofsted panel's edges (same top and bottom).
const O_LEFT: i32 = 700;
const O_RIGHT: i32 = 936;

/// The width of one round's column.
const COLUMN: i32 = (RIGHT - LEFT) / ROUNDS.len() as i32;

/// The centre of round `i`'s column.
fn round_x(i: usize) -> i32 {
    LEFT + COLUMN * i as i32 + COLUMN / 2
}

/// The middle of the row of `stars` stars.
fn stars_y(stars: u8) -> i32 {
    BOTTOM - (2 * i32::from(stars) + 1) * (BOTTOM - TOP) / 8
}

/// The middle of the row of grade `g` (0 is outstanding, at the top).
fn grade_y(g: usize) -> i32 {
    TOP + (2 * g as i32 + 1) * (BOTTOM - TOP) / 8
}

/// Draws the chart of `series` (at most [`super::MAX_COUNCILS`]).
pub(super) fn draw(area: &Area, series: &[Series]) -> Drawn {
    title(area, series)?;
    star_axes(area, series)?;
    for (s, one) in series.iter().enumerate() {
        star_series(area, one, SERIES[s % SERIES.len()], offset(s, series.len()))?;
    }
    ofsted(area, series)?;
    legend(area, series)
}

/// The horizontal shift of series `s` of `n` within a round's column, so that councils with
/// the same rating stay apart.
fn offset(s: usize, n: usize) -> i32 {
    (2 * s as i32 - (n as i32 - 1)) * 5
}

fn title(area: &Area, series: &[Series]) -> Drawn {
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let mut heading = match names.as_slice() {
        [one] => format!("{one}: star ratings and Ofsted"),
        [rest @ .., last] => format!("{} and {last}: star ratings and Ofsted", rest.join(", ")),
        [] => String::new(),
    };
    if text_width(area, &heading, Look::bold(24, INK)) > 900 {
        heading = format!("{} councils: star ratings and Ofsted", names.len());
    }
    text(
        area,
        &heading,
        (24, 16),
        Look::bold(24, INK),
        Anchor::TopLeft,
    )?;
    text(
        area,
        "Social services star ratings by publication round (0 to 3) · latest Ofsted judgement",
        (24, 50),
        Look::plain(15, MUTED),
        Anchor::TopLeft,
    )
}

/// Grid, row and round labels, the change of scope, and the rounds no source covers.
fn star_axes(area: &Area, series: &[Series]) -> Drawn {
    for stars in 0..=3u8 {
        let y = stars_y(stars);
        line(area, vec![(LEFT, y), (RIGHT, y)], GRID, 1)?;
        let label = if stars == 1 {
            "1 star"
        } else {
            &format!("{stars} stars")[..]
        };
        text(
            area,
            label,
            (LEFT - 10, y),
            Look::plain(14, INK),
            Anchor::Right,
        )?;
    }
    for (i, round) in ROUNDS.iter().enumerate() {
        let x = round_x(i);
        round_tick(area, round, x, BOTTOM)?;
        if series.iter().all(|s| s.stars.iter().all(|p| p.round != i)) {
            let left = LEFT + COLUMN * i as i32 + 3;
            block(
                area,
                (left, TOP),
                (left + COLUMN - 6, BOTTOM),
                RGBColor(241, 243, 245),
            )?;
            let look = Look::plain(13, MUTED);
            text(
                area,
                "no",
                (x, (TOP + BOTTOM) / 2 - 9),
                look,
                Anchor::Centre,
            )?;
            text(
                area,
                "source",
                (x, (TOP + BOTTOM) / 2 + 9),
                look,
                Anchor::Centre,
            )?;
        }
    }
    scope_change(area, (LEFT, RIGHT), COLUMN, (TOP, BOTTOM))
}

/// The distinct numbers of stars claimed for `s` in round `i`, lowest first.
fn values(s: &Series, i: usize) -> Vec<u8> {
    let mut v: Vec<u8> = s
        .stars
        .iter()
        .filter(|p| p.round == i)
        .filter_map(|p| p.stars)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One council's claims: lines between neighbouring rounds of one claim and one scope,
/// markers, "not rated", and disagreements.
fn star_series(area: &Area, s: &Series, colour: RGBColor, dx: i32) -> Drawn {
    for i in 1..ROUNDS.len() {
        let same_scope = scope_of_round(ROUNDS[i - 1]) == scope_of_round(ROUNDS[i]);
        if let ([a], [b], true) = (&values(s, i - 1)[..], &values(s, i)[..], same_scope) {
            let from = (round_x(i - 1) + dx, stars_y(*a));
            line(area, vec![from, (round_x(i) + dx, stars_y(*b))], colour, 2)?;
        }
    }
    for i in 0..ROUNDS.len() {
        let here: Vec<_> = s.stars.iter().filter(|p| p.round == i).collect();
        let x = round_x(i) + dx;
        let v = values(s, i);
        if let [low, .., high] = v[..] {
            line(
                area,
                vec![(x, stars_y(low)), (x, stars_y(high))],
                CONFLICT,
                2,
            )?;
            let y = stars_y(high) - 22;
            text(
                area,
                "sources disagree",
                (x, y),
                Look::bold(12, CONFLICT),
                Anchor::Centre,
            )?;
        }
        let both = here.iter().any(|p| p.claim == Claim::Press)
            && here.iter().any(|p| p.claim == Claim::Article);
        for p in &here {
            let Some(stars) = p.stars else {
                let look = Look::plain(12, colour);
                text(area, "not rated", (x, BOTTOM - 12), look, Anchor::Centre)?;
                continue;
            };
            let article = p.claim == Claim::Article;
            let shift = match (both, article) {
                (false, _) => 0,
                (true, false) => -6,
                (true, true) => 6,
            };
            marker(area, (x + shift, stars_y(stars)), colour, article)?;
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` as a year with its fraction.
fn year_of(date: &str) -> Option<f64> {
    let mut parts = date.split('-').map(|p| p.parse::<f64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

/// The first and last year of the Ofsted axis: whole years around `dates`, at least three.
fn years(dates: &[f64]) -> (i32, i32) {
    let low = dates.iter().copied().reduce(f64::min);
    let high = dates.iter().copied().reduce(f64::max);
    match (low, high) {
        (Some(low), Some(high)) => {
            let last = high.floor() as i32 + 1;
            ((low.floor() as i32).min(last - 3), last)
        }
        _ => (0, 3),
    }
}

/// `YYYY-MM-DD` as "Apr 2023".
fn month_year(date: &str) -> String {
    let mut parts = date.split('-');
    let (y, m) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (month, _) = round_label(&format!("{y}-{m}"));
    format!("{month} {y}")
}

/// The Ofsted panel: one row per grade, each council's latest judgement placed by the date
/// its report was published.
fn ofsted(area: &Area, series: &[Series]) -> Drawn {
    text(
        area,
        "Ofsted, children's services",
        ((O_LEFT + O_RIGHT) / 2, TOP - 14),
        Look::bold(14, MUTED),
        Anchor::Centre,
    )?;
    for (g, grade) in GRADES.iter().enumerate() {
        let top = TOP + g as i32 * (BOTTOM - TOP) / 4;
        block(
            area,
            (O_LEFT, top + 2),
            (O_RIGHT, top + (BOTTOM - TOP) / 4 - 2),
            tint(grade_colour(*grade)),
        )?;
        text(
            area,
            grade_label(*grade),
            (O_LEFT + 6, top + 6),
            Look::plain(12, INK),
            Anchor::TopLeft,
        )?;
    }
    let dates: Vec<f64> = series
        .iter()
        .filter_map(|s| s.judgement.as_ref())
        .filter_map(|j| year_of(&j.published))
        .collect();
    let (first, last) = years(&dates);
    let span = f64::from((last - first).max(1));
    let x_of = |t: f64| {
        O_LEFT + 12 + ((t - f64::from(first)) / span * f64::from(O_RIGHT - O_LEFT - 24)) as i32
    };
    if !dates.is_empty() {
        let step = if last - first > 4 { 2 } else { 1 };
        for year in (first..=last).step_by(step) {
            let x = x_of(f64::from(year));
            line(area, vec![(x, BOTTOM), (x, BOTTOM + 5)], MUTED, 1)?;
            text(
                area,
                &year.to_string(),
                (x, BOTTOM + 8),
                Look::plain(14, INK),
                Anchor::Top,
            )?;
        }
    }
    let mut missing: Vec<String> = Vec::new();
    for (s, one) in series.iter().enumerate() {
        let colour = SERIES[s % SERIES.len()];
        let judged = one.judgement.as_ref().and_then(|j| {
            let g = GRADES.iter().position(|g| Some(*g) == j.overall)?;
            Some((year_of(&j.published)?, g, &j.published))
        });
        let Some((t, g, published)) = judged else {
            missing.push(match (&one.judgement, &one.ended) {
                (Some(_), _) => format!("{}: no overall grade", one.name),
                (None, Some(ended)) => {
                    format!("{}: abolished {}", one.name, &ended[..4.min(ended.len())])
                }
                (None, None) => format!("{}: no inspection", one.name),
            });
            continue;
        };
        let at = (x_of(t), grade_y(g) + 6);
        marker(area, at, colour, false)?;
        if series.len() == 1 {
            let label = format!("published {}", month_year(published));
            text(
                area,
                &label,
                (at.0, at.1 + 12),
                Look::plain(12, INK),
                Anchor::Top,
            )?;
        }
    }
    for (i, m) in missing.iter().enumerate() {
        let at = (O_LEFT, BOTTOM + 44 + 16 * i as i32);
        text(area, m, at, Look::plain(13, INK), Anchor::Left)?;
    }
    Ok(())
}

/// A light tint of `c`, for the background of a grade's row.
fn tint(c: RGBColor) -> RGBColor {
    let mix = |v: u8| ((u16::from(v) + 5 * 255) / 6) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The councils' colours, what the markers mean, and that empty means unsourced.
fn legend(area: &Area, series: &[Series]) -> Drawn {
    let mut x = 24;
    let y = 466;
    if series.len() > 1 {
        for (s, one) in series.iter().enumerate() {
            x = swatch(area, (x, y), SERIES[s % SERIES.len()], &one.name)?;
        }
    }
    let y = if series.len() > 1 { 496 } else { 466 };
    let colour = if series.len() > 1 { MUTED } else { SERIES[0] };
    let x = 30;
    marker(area, (x, y), colour, false)?;
    text(
        area,
        "press report of the round",
        (x + 14, y),
        Look::plain(14, INK),
        Anchor::Left,
    )?;
    let x =
        x + 14 + text_width(area, "press report of the round", Look::plain(14, INK)) as i32 + 28;
    if series
        .iter()
        .any(|s| s.stars.iter().any(|p| p.claim == Claim::Article))
    {
        marker(area, (x, y), colour, true)?;
        let label = "Community Care article, 19 Nov 2004";
        text(area, label, (x + 14, y), Look::plain(14, INK), Anchor::Left)?;
    }
    text(
        area,
        "Only sourced ratings are drawn: a round with no source is left empty, never filled in.",
        (24, 524),
        Look::plain(13, MUTED),
        Anchor::Left,
    )
}

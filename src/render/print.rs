//! Printing a tall flowchart: cut into page-sized parts between its layers, so
//! that its text keeps the size it has on screen instead of shrinking to fit.

use serde::Serialize;

use super::svg::ChartSize;
use crate::config::Paper;

/// CSS pixels per millimetre (96 per inch).
const PX_PER_MM: f64 = 96.0 / 25.4;

/// A page's printable area in CSS pixels under the site's `@page` margins
/// (15 mm top and bottom, 12 mm at the sides).
fn area(paper: Paper) -> (f64, f64) {
    let (w, h) = match paper {
        Paper::A4 => (210.0, 297.0),
        Paper::A3 => (297.0, 420.0),
    };
    ((w - 24.0) * PX_PER_MM, (h - 30.0) * PX_PER_MM)
}

/// The height a part's own line (「续」) and the browser's rounding take.
const PART_LINE: f64 = 40.0;

/// How far a chart may shrink below its width's scale to fit on one page: its
/// 11-unit text stays above 7 pt.
const SHRINK: f64 = 0.85;

/// One page's part of a chart: from `y`, `h` high, in the chart's units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Part {
    pub y: f64,
    pub h: f64,
}

/// The parts a chart prints in on `paper`, the first page also holding
/// `heading` pixels above it; empty when the whole chart fits that first page
/// (shrunk by at most `SHRINK`).
/// The chart prints at its own size, or narrower to fit the page's width; each
/// cut falls in a gap between layers (or footer lines) when one is far enough
/// down the page, and through the chart only when none is.
pub fn parts(size: &ChartSize, paper: Paper, heading: f64) -> Vec<Part> {
    let (page_w, page_h) = area(paper);
    if size.width <= 0.0 || size.height <= 0.0 {
        return Vec::new();
    }
    let scale = (page_w / size.width).min(1.0);
    // Shrinking a little to keep the chart whole beats cutting it.
    if (page_h - heading) / size.height >= scale * SHRINK {
        return Vec::new();
    }
    let first = (page_h - heading) / scale;
    let rest = (page_h - PART_LINE) / scale;
    let mut out = Vec::new();
    let mut start = 0.0;
    let mut room = first;
    while size.height - start > room {
        let limit = start + room;
        let cut = size
            .cuts
            .iter()
            .copied()
            .filter(|&c| c > start + room * 0.4 && c <= limit)
            .fold(None, |best: Option<f64>, c| {
                Some(best.map_or(c, |b| b.max(c)))
            })
            .unwrap_or(limit.floor());
        out.push(Part {
            y: start,
            h: cut - start,
        });
        start = cut;
        room = rest;
    }
    out.push(Part {
        y: start,
        h: size.height - start,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(height: f64, cuts: &[f64]) -> ChartSize {
        ChartSize {
            width: 600.0,
            height,
            cuts: cuts.to_vec(),
        }
    }

    #[test]
    fn a_chart_that_fits_is_not_cut() {
        assert!(parts(&size(900.0, &[300.0, 600.0]), Paper::A4, 40.0).is_empty());
        // 1100 px shrinks to the 969 px under the heading at 0.88: still whole.
        assert!(parts(&size(1100.0, &[300.0, 600.0]), Paper::A4, 40.0).is_empty());
        assert_eq!(
            parts(&size(1200.0, &[300.0, 600.0]), Paper::A4, 40.0).len(),
            2
        );
    }

    #[test]
    fn cuts_fall_in_gaps_and_cover_the_chart() {
        let s = size(
            2500.0,
            &[300.0, 600.0, 900.0, 1200.0, 1500.0, 1800.0, 2100.0],
        );
        let p = parts(&s, Paper::A4, 40.0);
        // An A4 page holds about 1009 px: 969 under the heading or the 「续」 line.
        assert_eq!(
            p,
            vec![
                Part { y: 0.0, h: 900.0 },
                Part { y: 900.0, h: 900.0 },
                Part {
                    y: 1800.0,
                    h: 700.0
                }
            ]
        );
        assert!(parts(&s, Paper::A3, 40.0).len() == 2, "A3 pages are taller");
    }

    #[test]
    fn without_a_gap_the_cut_is_at_the_page_end() {
        let p = parts(&size(2000.0, &[50.0]), Paper::A4, 40.0);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].y + p[0].h, p[1].y);
        assert_eq!(p[2].y + p[2].h, 2000.0);
        assert!(p[0].h > 900.0);
    }
}

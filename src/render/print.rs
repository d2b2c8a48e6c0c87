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

/// The printable height of a page of `paper` in CSS pixels.
pub fn page_height(paper: Paper) -> f64 {
    area(paper).1
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
pub fn parts(size: &ChartSize, paper: Paper, heading: f64) -> Vec<Part> {
    parts_with(size, paper, heading, 0.0)
}

/// The parts a chart prints in when `legend` pixels of notes follow it on the
/// page of its last part: no page holds the notes alone, and the parts are
/// about equal, so that no page holds only a last row of boxes.
/// The chart prints at its own size, or narrower to fit the page's width; each
/// cut falls in a gap between layers when one is far enough down the page,
/// and through the chart only when none is.
pub fn parts_with(size: &ChartSize, paper: Paper, heading: f64, legend: f64) -> Vec<Part> {
    let (page_w, page_h) = area(paper);
    if size.width <= 0.0 || size.height <= 0.0 {
        return Vec::new();
    }
    let scale = (page_w / size.width).min(1.0);
    // Shrinking a little to keep the chart whole beats cutting it.
    if (page_h - heading - legend) / size.height >= scale * SHRINK {
        return Vec::new();
    }
    let rooms = Rooms {
        first: (page_h - heading) / scale,
        rest: (page_h - PART_LINE) / scale,
        legend: legend / scale,
    };
    let greedy = cut(size, &rooms, f64::INFINITY);
    if greedy.len() < 2 {
        return greedy;
    }
    // The same number of pages, each as evenly filled as the gaps allow.
    balanced(size, &rooms, greedy.len()).unwrap_or(greedy)
}

/// The `n` parts, cut only in the chart's gaps, whose fullest page (its part's
/// height over the page's room, the legend counted on the last) is the least
/// full; `None` when the gaps allow no such cut.
fn balanced(size: &ChartSize, rooms: &Rooms, n: usize) -> Option<Vec<Part>> {
    let mut at: Vec<f64> = size
        .cuts
        .iter()
        .copied()
        .filter(|&c| c > 0.0 && c < size.height)
        .collect();
    at.sort_by(f64::total_cmp);
    at.dedup();
    at.insert(0, 0.0);
    at.push(size.height);
    let m = at.len();
    // fill[k][j]: the least fullest page covering the chart down to at[j] in k + 1 parts.
    let mut fill = vec![vec![f64::INFINITY; m]; n];
    let mut from = vec![vec![0usize; m]; n];
    for k in 0..n {
        let room = if k == 0 { rooms.first } else { rooms.rest };
        for j in 1..m {
            let last = j == m - 1;
            for i in 0..j {
                let before = if k == 0 {
                    if i == 0 {
                        0.0
                    } else {
                        continue;
                    }
                } else {
                    fill[k - 1][i]
                };
                let h = at[j] - at[i]
                    + if last && k == n - 1 {
                        rooms.legend
                    } else {
                        0.0
                    };
                let f = before.max(h / room);
                if h <= room && f < fill[k][j] {
                    fill[k][j] = f;
                    from[k][j] = i;
                }
            }
        }
    }
    if !fill[n - 1][m - 1].is_finite() {
        return None;
    }
    let mut ends = vec![m - 1];
    for k in (1..n).rev() {
        ends.push(from[k][*ends.last()?]);
    }
    ends.push(0);
    ends.reverse();
    Some(
        ends.windows(2)
            .map(|w| Part {
                y: at[w[0]],
                h: at[w[1]] - at[w[0]],
            })
            .collect(),
    )
}

/// The room on a chart's first page and on the pages after it, and the room
/// its legend takes on its last page, in the chart's units.
struct Rooms {
    first: f64,
    rest: f64,
    legend: f64,
}

/// Cuts the chart greedily, no part taller than `cap`; the last part leaves
/// room for the legend.
fn cut(size: &ChartSize, rooms: &Rooms, cap: f64) -> Vec<Part> {
    let mut out = Vec::new();
    let mut start = 0.0;
    let mut page = rooms.first;
    while size.height - start + rooms.legend > page {
        let room = page.min(cap).min(size.height - start);
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
        if cut <= start || out.len() > 64 {
            break;
        }
        out.push(Part {
            y: start,
            h: cut - start,
        });
        start = cut;
        page = rooms.rest;
    }
    out.push(Part {
        y: start,
        h: size.height - start,
    });
    out
}

/// How tall a chart's legend prints (the notes under it, `lines` of text at
/// `size` pixels wrapped to the page's width, `blocks` paragraphs), with a
/// margin for the browser's own wrapping.
pub fn legend_height(lines: &[String], blocks: usize, paper: Paper) -> f64 {
    let (page_w, _) = area(paper);
    let wrapped: usize = lines
        .iter()
        .map(|l| super::text::wrap_greedy(l, LEGEND_SIZE, page_w - 4.0).len())
        .sum();
    (wrapped as f64 * LEGEND_SIZE * 1.5 + blocks as f64 * 8.0) * 1.1 + 16.0
}

/// The printed legend's text size in CSS pixels (9 pt).
pub const LEGEND_SIZE: f64 = 12.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn size(height: f64, cuts: &[f64]) -> ChartSize {
        ChartSize {
            width: 600.0,
            height,
            cuts: cuts.to_vec(),
            ..ChartSize::default()
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
    fn parts_are_balanced_and_leave_room_for_the_legend() {
        // Greedy would give 900 + 300: a page holding only the last row.
        let s = size(1200.0, &[150.0, 300.0, 450.0, 600.0, 750.0, 900.0, 1050.0]);
        let p = parts(&s, Paper::A4, 40.0);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], Part { y: 0.0, h: 600.0 });
        // 400 px of notes after the chart: its last part leaves them room.
        let p = parts_with(&s, Paper::A4, 40.0, 400.0);
        assert_eq!(p.len(), 2);
        assert!(p[1].h + 400.0 <= 969.0, "{p:?}");
        // A chart that fits whole but not with its notes is cut, so that the
        // notes never print alone on a page.
        let fits = size(900.0, &[300.0, 600.0]);
        assert!(parts_with(&fits, Paper::A4, 40.0, 0.0).is_empty());
        assert_eq!(parts_with(&fits, Paper::A4, 40.0, 300.0).len(), 2);
        let tall = legend_height(&["长".repeat(120)], 1, Paper::A4);
        assert!(
            tall > 3.0 * LEGEND_SIZE * 1.5,
            "120 characters take three lines: {tall}"
        );
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

//! A layered (Sugiyama-style) layout of a flowchart: ranks, crossing reduction,
//! coordinates, edge routes. Pure geometry, so tests can measure what SVG draws.
//!
//! Invariants the tests hold us to: boxes never overlap (coordinates are placed
//! with a minimum separation in every layer), text wraps inside its box (`text`
//! measures and wraps it), edges run vertically inside layers and diagonally
//! only in the gaps between them, and back edges go round the right of the
//! whole chart. A note under a box (a step's 责任事项) is part of its node: the
//! box and its note are as wide as each other and as tall as both together in
//! the layer's band, edges leave from under the note, labels keep off it.

use std::collections::{HashMap, VecDeque};

use super::text::{text_width, widest_unbreakable, wrap, wrap_greedy, LEADING, MAX_LINES};

/// Font sizes in px of a step's name and of its detail lines.
pub const NAME_SIZE: f64 = 13.0;
pub const DETAIL_SIZE: f64 = 11.0;
pub const LABEL_SIZE: f64 = 11.0;
/// Widest a line of a step's text may be, in px.
const TEXT_WIDTH: f64 = 15.0 * NAME_SIZE;
const LABEL_WIDTH: f64 = 8.0 * LABEL_SIZE;
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const MIN_BOX_WIDTH: f64 = 96.0;
/// Horizontal gap between neighbours in a layer.
const SEP: f64 = 40.0;
/// Smallest vertical gap between layers.
const MIN_GAP: f64 = 44.0;
const MARGIN: f64 = 24.0;
/// A note's text size and its padding.
pub const NOTE_SIZE: f64 = 10.0;
const NOTE_PAD: f64 = 5.0;
/// A note is as wide as its box, within these bounds; a box narrower than
/// its note widens to it. A long note grows down, not sideways, so the chart
/// keeps its print size.
const NOTE_MIN_W: f64 = 13.0 * NOTE_SIZE + 2.0 * NOTE_PAD;
const NOTE_MAX_W: f64 = TEXT_WIDTH + 2.0 * PAD_X;
/// Most lines a note shows; the page's 责任事项 table has all of it.
const NOTE_MAX_LINES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Start and end: a box with rounded corners.
    Rounded,
    Box,
    Diamond,
}

/// One step to draw: its name, the lines under it (post, time, marks), its shape.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub details: Vec<String>,
    pub shape: Shape,
}

#[derive(Debug, Clone)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
    pub back: bool,
}

/// A line of text placed in the chart: `x` is its centre, `y` its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub size: f64,
    pub x: f64,
    pub y: f64,
}

impl TextLine {
    pub fn width(&self) -> f64 {
        text_width(&self.text, self.size)
    }
}

/// A placed node: centre `(x, y)`, size `w × h`.
#[derive(Debug, Clone)]
pub struct NodeBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub shape: Shape,
    pub lines: Vec<TextLine>,
}

impl NodeBox {
    pub fn left(&self) -> f64 {
        self.x - self.w / 2.0
    }
    pub fn right(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn top(&self) -> f64 {
        self.y - self.h / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

/// An edge label: its box (centre, size) and its wrapped lines.
#[derive(Debug, Clone)]
pub struct LabelBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<TextLine>,
}

#[derive(Debug, Clone)]
pub struct EdgePath {
    pub from: usize,
    pub to: usize,
    pub back: bool,
    /// The route, from the source's border to the target's border.
    pub points: Vec<(f64, f64)>,
    pub label: Option<LabelBox>,
}

/// A note placed under a node's box: centre `(x, y)`, size `w × h`, its top
/// on the box's bottom. Its lines are left-aligned: each `TextLine`'s `x` is
/// where the line starts.
#[derive(Debug, Clone)]
pub struct NoteBox {
    /// The node it belongs to.
    pub node: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<TextLine>,
}

impl NoteBox {
    /// (left, right, top, bottom).
    pub fn rect(&self) -> (f64, f64, f64, f64) {
        (
            self.x - self.w / 2.0,
            self.x + self.w / 2.0,
            self.y - self.h / 2.0,
            self.y + self.h / 2.0,
        )
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    /// Notes beside boxes, in node order (none unless asked for).
    pub notes: Vec<NoteBox>,
}

/// A note's size and wrapped lines, `w` wide: balanced like a box's text
/// when short, else filled line by line and cut with 「…」 after `NOTE_MAX_LINES`.
fn measure_note(text: &str, w: f64) -> (f64, f64, Vec<String>) {
    let max = w - 2.0 * NOTE_PAD;
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|p| p.chars().filter(|c| !c.is_control()).collect::<String>())
        .flat_map(|p| wrap_greedy(&p, NOTE_SIZE, max))
        .collect();
    if lines.len() <= MAX_LINES {
        lines = wrap(text, NOTE_SIZE, max);
    } else if lines.len() > NOTE_MAX_LINES {
        lines.truncate(NOTE_MAX_LINES);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last, NOTE_SIZE) + NOTE_SIZE > max {
                last.pop();
            }
            last.push('…');
        }
    }
    let h = lines.len() as f64 * NOTE_SIZE * LEADING + 2.0 * NOTE_PAD;
    (w, h.ceil(), lines)
}

/// The notes placed under their boxes, per node.
fn place_notes(
    boxes: &[NodeBox],
    notes: &[Option<(f64, f64, Vec<String>)>],
) -> Vec<Option<NoteBox>> {
    boxes
        .iter()
        .zip(notes)
        .enumerate()
        .map(|(v, (b, m))| {
            let (w, h, lines) = m.as_ref()?;
            let (x, y) = (b.x, b.bottom() + h / 2.0);
            let (left, top) = (x - w / 2.0 + NOTE_PAD, b.bottom() + NOTE_PAD);
            let lines = lines
                .iter()
                .enumerate()
                .map(|(i, t)| TextLine {
                    text: t.clone(),
                    size: NOTE_SIZE,
                    x: round1(left),
                    y: round1(top + (i as f64 + 0.78) * NOTE_SIZE * LEADING),
                })
                .collect();
            Some(NoteBox {
                node: v,
                x,
                y,
                w: *w,
                h: *h,
                lines,
            })
        })
        .collect()
}

/// Node sizes and text lines relative to the node's centre.
fn measure(spec: &NodeSpec) -> (f64, f64, Vec<TextLine>) {
    let mut lines: Vec<(String, f64)> = wrap(&spec.name, NAME_SIZE, TEXT_WIDTH)
        .into_iter()
        .map(|l| (l, NAME_SIZE))
        .collect();
    for d in &spec.details {
        lines.extend(
            wrap(d, DETAIL_SIZE, TEXT_WIDTH)
                .into_iter()
                .map(|l| (l, DETAIL_SIZE)),
        );
    }
    let text_w = lines
        .iter()
        .map(|(l, s)| text_width(l, *s))
        .fold(0.0, f64::max);
    let text_h: f64 = lines.iter().map(|(_, s)| s * LEADING).sum();
    let (w, h) = match spec.shape {
        // A rhombus with half-diagonals (a, b) holds a rectangle of half-size (x, y)
        // when x/a + y/b <= 1; doubling both sides gives exactly 1/2 + 1/2.
        Shape::Diamond => (
            (2.0 * text_w + 2.0 * PAD_X).max(MIN_BOX_WIDTH * 1.4),
            2.0 * text_h + 2.0 * PAD_Y,
        ),
        _ => (
            (text_w + 2.0 * PAD_X).max(MIN_BOX_WIDTH),
            text_h + 2.0 * PAD_Y,
        ),
    };
    let mut y = -text_h / 2.0;
    let placed = lines
        .into_iter()
        .map(|(text, size)| {
            let line_h = size * LEADING;
            // Baseline sits about 0.8 of the line height down from its top.
            let baseline = y + line_h * 0.78;
            y += line_h;
            TextLine {
                text,
                size,
                x: 0.0,
                y: baseline,
            }
        })
        .collect();
    (w, h, placed)
}

/// The layered graph: real nodes 0..n, then dummies for edges spanning several ranks.
struct Layered {
    vrank: Vec<usize>,
    down: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    /// For each edge, the chain of layered vertices it passes through.
    chains: Vec<Vec<usize>>,
}

fn layered(n: usize, edges: &[&EdgeSpec], forward: &[bool], rank: &[usize]) -> Layered {
    let mut l = Layered {
        vrank: rank.to_vec(),
        down: vec![Vec::new(); n],
        up: vec![Vec::new(); n],
        chains: Vec::with_capacity(edges.len()),
    };
    for (k, e) in edges.iter().enumerate() {
        if !forward[k] {
            l.chains.push(vec![e.from, e.to]);
            continue;
        }
        let mut chain = vec![e.from];
        for r in rank[e.from] + 1..rank[e.to] {
            let d = l.vrank.len();
            l.vrank.push(r);
            l.down.push(Vec::new());
            l.up.push(Vec::new());
            chain.push(d);
        }
        chain.push(e.to);
        for w in chain.windows(2) {
            l.down[w[0]].push(w[1]);
            l.up[w[1]].push(w[0]);
        }
        l.chains.push(chain);
    }
    l
}

/// Each edge label wrapped and measured: (width, height, lines).
fn measure_labels(edges: &[&EdgeSpec]) -> Vec<Measured> {
    edges
        .iter()
        .map(|e| {
            e.label.as_ref().filter(|l| !l.trim().is_empty()).map(|l| {
                // A label widens to keep a short parenthetical or a number whole.
                let max = LABEL_WIDTH.max(widest_unbreakable(l, LABEL_SIZE).min(TEXT_WIDTH));
                let lines = wrap(l, LABEL_SIZE, max);
                let w = lines
                    .iter()
                    .map(|x| text_width(x, LABEL_SIZE))
                    .fold(0.0, f64::max)
                    + 8.0;
                let h = lines.len() as f64 * LABEL_SIZE * LEADING + 4.0;
                (w, h, lines)
            })
        })
        .collect()
}

/// How much a labelled branch's gap rises per pixel it runs sideways.
const FAN_RISE: f64 = 0.5;

/// Gaps below each layer grow to hold their labels: two rows of them where one
/// step has several labelled branches, so sibling labels can dodge each other,
/// and taller where branches fan out far, so that a slanted branch leaves room
/// beside it for its label without running under its neighbour's.
fn gaps(
    layers: usize,
    n: usize,
    edges: &[&EdgeSpec],
    forward: &[bool],
    rank: &[usize],
    labels: &[Measured],
    spread: &dyn Fn(usize) -> f64,
) -> Vec<f64> {
    let mut gap = vec![MIN_GAP; layers];
    let mut labelled = vec![0usize; n];
    for (k, e) in edges.iter().enumerate() {
        if forward[k] && labels[k].is_some() {
            labelled[e.from] += 1;
        }
    }
    for (k, e) in edges.iter().enumerate() {
        if let (true, Some((_, h, _))) = (forward[k], &labels[k]) {
            let r = rank[e.from];
            let rows = if labelled[e.from] > 1 { 2.0 } else { 1.0 };
            let fan = if labelled[e.from] > 1 {
                spread(k) * FAN_RISE
            } else {
                0.0
            };
            gap[r] = gap[r].max(rows * (h + 6.0) + 24.0).max(fan);
        }
    }
    gap
}

/// Where everything sits once ranks, order and coordinates are known.
struct Frame {
    rank: Vec<usize>,
    layered: Layered,
    x: Vec<f64>,
    band_top: Vec<f64>,
    band_h: Vec<f64>,
    boxes: Vec<NodeBox>,
    /// Per node, its note.
    notes: Vec<Option<NoteBox>>,
}

impl Frame {
    fn band_bottom(&self, r: usize) -> f64 {
        self.band_top[r] + self.band_h[r]
    }

    fn right_of_nodes(&self) -> f64 {
        let boxes = self.boxes.iter().map(NodeBox::right).fold(MARGIN, f64::max);
        self.notes
            .iter()
            .flatten()
            .map(|n| n.rect().1)
            .fold(boxes, f64::max)
    }

    /// Where an edge leaves node `v`, `dx` right of its centre: under its note,
    /// if it has one, else its box's bottom.
    fn exit(&self, v: usize, dx: f64) -> (f64, f64) {
        let b = &self.boxes[v];
        match &self.notes[v] {
            Some(n) => (b.x + dx.min(n.w / 4.0), n.rect().3),
            None => exit_bottom(b, dx),
        }
    }

    /// What a label must not cover: the boxes and the notes, as (left, right, top, bottom).
    fn obstacles(&self) -> Vec<(f64, f64, f64, f64)> {
        self.boxes
            .iter()
            .map(|b| (b.left(), b.right(), b.top(), b.bottom()))
            .chain(self.notes.iter().flatten().map(NoteBox::rect))
            .collect()
    }
}

/// Vertical bands: every node of a layer is centred in its band. Returns the
/// bands' tops and heights and the bottom of the chart.
fn bands(
    layers: &[Vec<usize>],
    n: usize,
    heights: &[f64],
    gap: &[f64],
) -> (Vec<f64>, Vec<f64>, f64) {
    let mut band_top = vec![0.0; layers.len()];
    let mut band_h = vec![0.0; layers.len()];
    let mut y = MARGIN;
    for (r, layer) in layers.iter().enumerate() {
        band_top[r] = y;
        band_h[r] = layer
            .iter()
            .filter(|&&v| v < n)
            .map(|&v| heights[v])
            .fold(0.0, f64::max);
        y += band_h[r] + gap[r];
    }
    (band_top, band_h, y - gap.last().copied().unwrap_or(0.0))
}

/// Boxes centred in their bands; a box with a note (`under[v]` high) and its
/// note centred together.
fn place_boxes(
    nodes: &[NodeSpec],
    measured: &[(f64, f64, Vec<TextLine>)],
    under: &[f64],
    f: &Frame,
) -> Vec<NodeBox> {
    (0..nodes.len())
        .map(|v| {
            let (w, h, lines) = &measured[v];
            let r = f.rank[v];
            let cy = match under.get(v) {
                Some(&u) if u > 0.0 => {
                    round1(f.band_top[r] + (f.band_h[r] - h - u) / 2.0 + h / 2.0)
                }
                _ => round1(f.band_top[r] + f.band_h[r] / 2.0),
            };
            NodeBox {
                x: f.x[v],
                y: cy,
                w: *w,
                h: *h,
                shape: nodes[v].shape,
                lines: lines
                    .iter()
                    .map(|l| TextLine {
                        x: f.x[v],
                        y: cy + l.y,
                        ..l.clone()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The route of a forward edge: down its chain of layers, through the gaps.
fn forward_route(f: &Frame, e: &EdgeSpec, chain: &[usize]) -> Vec<(f64, f64)> {
    let (src, dst) = (&f.boxes[e.from], &f.boxes[e.to]);
    let mut points = vec![f.exit(e.from, 0.0), (src.x, f.band_bottom(f.rank[e.from]))];
    for &d in &chain[1..chain.len() - 1] {
        let r = f.layered.vrank[d];
        points.push((f.x[d], f.band_top[r]));
        points.push((f.x[d], f.band_bottom(r)));
    }
    points.push((dst.x, f.band_top[f.rank[e.to]]));
    points.push(enter_top(dst, 0.0));
    points
}

/// The route of a back edge round the right of the chart: down into the gap
/// under the source, out to a lane of its own, up to the gap above the target,
/// in from above. Its label is placed with the others, beside the lane first.
fn back_route(f: &Frame, e: &EdgeSpec, lane: usize) -> Vec<(f64, f64)> {
    let (src, dst) = (&f.boxes[e.from], &f.boxes[e.to]);
    let lane_x = f.right_of_nodes() + 20.0 + 14.0 * lane as f64;
    let nudge = 5.0 * (lane % 3) as f64;
    let (sx, sy) = f.exit(e.from, src.w / 4.0);
    let (tx, ty) = enter_top(dst, dst.w / 4.0);
    let below = f.band_bottom(f.rank[e.from]) + 6.0 + nudge;
    let above = f.band_top[f.rank[e.to]] - 6.0 - nudge;
    let points = vec![
        (sx, sy),
        (sx, below),
        (lane_x, below),
        (lane_x, above),
        (tx, above),
        (tx, ty),
    ];
    points
}

/// Lays out `nodes` and `edges`. Deterministic: ties go to file order.
pub fn layout(nodes: &[NodeSpec], edges: &[EdgeSpec]) -> Layout {
    layout_with_notes(nodes, edges, &[])
}

/// Lays out `nodes` and `edges` with a note beside each node that has one in
/// `notes` (by node index; blank or missing notes are none). Without notes the
/// layout is exactly `layout`'s.
pub fn layout_with_notes(
    nodes: &[NodeSpec],
    edges: &[EdgeSpec],
    notes: &[Option<String>],
) -> Layout {
    let n = nodes.len();
    let edges: Vec<&EdgeSpec> = edges.iter().filter(|e| e.from < n && e.to < n).collect();
    let forward = forward_edges(n, &edges);
    let rank = ranks(n, &edges, &forward);
    let layered = layered(n, &edges, &forward, &rank);
    let layers = order_layers(n, &layered.vrank, &layered.down, &layered.up);

    let mut measured: Vec<(f64, f64, Vec<TextLine>)> = nodes.iter().map(measure).collect();
    let noted: Vec<Option<(f64, f64, Vec<String>)>> = (0..n)
        .map(|v| {
            let text = notes.get(v)?.as_deref().filter(|t| !t.trim().is_empty())?;
            let w = measured[v].0.clamp(NOTE_MIN_W, NOTE_MAX_W);
            // A box and its note make one card; a diamond's note hangs under its point.
            if nodes[v].shape != Shape::Diamond {
                measured[v].0 = measured[v].0.max(w);
            }
            Some(measure_note(text, w))
        })
        .collect();
    let under: Vec<f64> = noted
        .iter()
        .map(|m| m.as_ref().map_or(0.0, |m| m.1))
        .collect();
    // A node with a note is as tall as its box and its note together.
    let heights: Vec<f64> = measured
        .iter()
        .zip(&noted)
        .map(|(m, note)| match note {
            Some((_, h, _)) => m.1 + h,
            None => m.1,
        })
        .collect();
    let width_of = |v: usize| if v < n { measured[v].0 } else { 0.0 };
    let labels = measure_labels(&edges);
    let x = place_x(&layers, &layered.down, &layered.up, &width_of);
    let spread = |k: usize| {
        let chain = &layered.chains[k];
        (x[chain[1]] - x[chain[0]]).abs()
    };
    let mut gap = gaps(layers.len(), n, &edges, &forward, &rank, &labels, &spread);
    let (band_top, band_h, mut bottom_of_chart) = bands(&layers, n, &heights, &gap);
    let mut frame = Frame {
        rank,
        layered,
        x,
        band_top,
        band_h,
        boxes: Vec::new(),
        notes: Vec::new(),
    };
    frame.boxes = place_boxes(nodes, &measured, &under, &frame);
    frame.notes = place_notes(&frame.boxes, &noted);
    let (mut paths, mut pending) = route(&frame, &edges, &forward, &labels);
    // A gap too crowded for a label to sit clear of every route gets another row.
    for tries in 0.. {
        let crowded = place_labels(&mut paths, &pending, &labels, &frame.obstacles());
        if crowded.is_empty() || tries == 4 {
            break;
        }
        for &k in &crowded {
            let (r, h) = (
                frame.rank[edges[k].from],
                labels[k].as_ref().map_or(0.0, |l| l.1),
            );
            gap[r] += h + 6.0;
        }
        let (top, hgt, bottom) = bands(&layers, n, &heights, &gap);
        (frame.band_top, frame.band_h, bottom_of_chart) = (top, hgt, bottom);
        frame.boxes = place_boxes(nodes, &measured, &under, &frame);
        frame.notes = place_notes(&frame.boxes, &noted);
        (paths, pending) = route(&frame, &edges, &forward, &labels);
    }
    let right_of_nodes = frame.right_of_nodes();

    let width = paths
        .iter()
        .flat_map(|p| {
            p.points
                .iter()
                .map(|pt| pt.0)
                .chain(p.label.iter().map(|l| l.x + l.w / 2.0))
        })
        .fold(right_of_nodes, f64::max)
        + MARGIN;
    Layout {
        width,
        height: bottom_of_chart + MARGIN,
        nodes: frame.boxes,
        edges: paths,
        notes: frame.notes.into_iter().flatten().collect(),
    }
}

/// Every edge's route; forward labels wait (edge, path index, the stretch of the
/// route across the gap under the source) until every route is known.
fn route(
    frame: &Frame,
    edges: &[&EdgeSpec],
    forward: &[bool],
    labels: &[Measured],
) -> (Vec<EdgePath>, Vec<Pending>) {
    let mut paths = Vec::with_capacity(edges.len());
    let mut lane = 0usize;
    let mut pending: Vec<Pending> = Vec::new();
    for (k, e) in edges.iter().enumerate() {
        let mut points = if forward[k] {
            let points = forward_route(frame, e, &frame.layered.chains[k]);
            if labels[k].is_some() {
                pending.push((k, paths.len(), points[1], points[2]));
            }
            points
        } else {
            lane += 1;
            let points = back_route(frame, e, lane - 1);
            if labels[k].is_some() {
                // The lane, top to bottom.
                pending.push((k, paths.len(), points[3], points[2]));
            }
            points
        };
        // Rounded to a tenth of a pixel, as drawn; then repeated points go.
        for p in points.iter_mut() {
            *p = (round1(p.0), round1(p.1));
        }
        simplify(&mut points);
        paths.push(EdgePath {
            from: e.from,
            to: e.to,
            back: !forward[k],
            points,
            label: None,
        });
    }
    (paths, pending)
}

type Measured = Option<(f64, f64, Vec<String>)>;
type Pending = (usize, usize, (f64, f64), (f64, f64));

/// Puts each forward edge's label beside the first stretch of its route across
/// the gap under its source, 4px clear of that stretch over the label's whole
/// height (a slanted stretch would otherwise run under the label's corner): to
/// the left of a route that heads left, else to the right. Candidates slide up
/// the gap from just above the arrowhead's layer, on the preferred side and then
/// the other; a label takes the first that covers no placed label, no box and no
/// stretch of any route. Returns the edges whose label found no such place.
fn place_labels(
    paths: &mut [EdgePath],
    pending: &[Pending],
    labels: &[Measured],
    obstacles: &[(f64, f64, f64, f64)],
) -> Vec<usize> {
    let mut crowded = Vec::new();
    let mut order: Vec<Pending> = pending.to_vec();
    order.sort_by(|a, b| {
        (a.2)
            .1
            .total_cmp(&(b.2).1)
            .then((a.2).0.total_cmp(&(b.2).0))
            .then((a.3).0.total_cmp(&(b.3).0))
    });
    let routes: Vec<Vec<(f64, f64)>> = paths.iter().map(|p| p.points.clone()).collect();
    let segments = Segments::of(&routes);
    let mut placed = Rects::default();
    let mut walls = Rects::default();
    for &(l, r, t, b) in obstacles {
        walls.add((l, r, t, b));
    }
    for (k, p, (x0, y0), (x1, y1)) in order {
        let Some((w, h, lines)) = &labels[k] else {
            continue;
        };
        let (w, h) = (*w, *h);
        let rect = |(cx, cy): (f64, f64)| (cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0);
        // Clear of the chart's edge, the labels already placed, the boxes and notes.
        let free = |c: (f64, f64)| {
            let (l, r, t, b) = rect(c);
            // Labels keep 2px between them; boxes may touch.
            l >= 1.0
                && !placed.any(
                    |pl, pr, pt, pb| pl < r + 2.0 && pr > l - 2.0 && pt < b + 2.0 && pb > t - 2.0,
                    (l - 2.0, r + 2.0, t - 2.0, b + 2.0),
                )
                && !walls.any(
                    |ol, or, ot, ob| or > l && ol < r && ob > t && ot < b,
                    (l, r, t, b),
                )
        };
        // The routes passing under a label there (its own counts too: a label
        // sits beside its edge, not on it).
        let under = |c: (f64, f64)| segments.crossing(rect(c));
        let clear = |c: (f64, f64)| segments.crossing_any(rect(c));
        let first = ((x0, y0), (x1, y1));
        // The first stretch (under the source; a back edge's lane) first; then
        // the route's other stretches: beside a vertical one, above or below a
        // horizontal one.
        let later = routes[p]
            .windows(2)
            .map(|s| (s[0], s[1]))
            .filter(move |&(a, b)| (a, b) != first && (b, a) != first)
            // A later vertical stretch needs room for the label beside it.
            .filter(move |&(a, b)| (b.1 - a.1).abs() < 1.0 || (b.1 - a.1).abs() > h + 16.0);
        // At most MAX_CANDIDATES places in all: a route crossing hundreds of
        // layers offers more than any label needs.
        let candidates = std::iter::once(first)
            .chain(later)
            .flat_map(|seg| spots(seg, w, h))
            .take(MAX_CANDIDATES);
        // The first spot clear of everything, as a rule found early; only a
        // crowded label looks at every spot.
        let chosen = candidates.clone().find(|&c| free(c) && clear(c));
        let (cx, cy) = chosen.unwrap_or_else(|| {
            crowded.push(k);
            // Where fewest routes pass under it; without a free spot, beside
            // the first stretch.
            candidates
                .filter(|&c| free(c))
                .take(MAX_SPOTS)
                .min_by_key(|&c| under(c))
                .unwrap_or_else(|| {
                    let low = slides(first, h).next().unwrap_or(y1);
                    beside(first, w, h, low, x1 < x0 - 0.5)
                })
        });
        placed.add((cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0));
        paths[p].label = Some(label_box(cx, cy, w, h, lines));
    }
    crowded
}

/// A sparse grid of cells (`CELL_W` × `CELL_H` px) holding the indices of the
/// items whose bounding box meets each cell, so that what lies near a label is
/// read from the cells under it only: a fan-out's routes cross many layers and
/// spread wide (O(N²) stretches in all), but few pass any one place.
#[derive(Default)]
struct Grid {
    cells: HashMap<(i64, i64), Vec<usize>, foldhash::fast::FixedState>,
}

const CELL_W: f64 = 64.0;
const CELL_H: f64 = 32.0;

impl Grid {
    fn span((l, r, t, b): (f64, f64, f64, f64)) -> impl Iterator<Item = (i64, i64)> {
        let (x0, x1) = ((l / CELL_W).floor() as i64, (r / CELL_W).floor() as i64);
        let (y0, y1) = ((t / CELL_H).floor() as i64, (b / CELL_H).floor() as i64);
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| (x, y)))
    }

    fn add(&mut self, i: usize, bbox: (f64, f64, f64, f64)) {
        for cell in Self::span(bbox) {
            self.cells.entry(cell).or_default().push(i);
        }
    }

    /// A stretch goes into the cells it passes (with 6px around each point
    /// sampled every 8px: every point of it is in a cell it is in), not into
    /// every cell of its bounding box: a long slanted stretch is near few places.
    fn add_line(&mut self, i: usize, a: (f64, f64), b: (f64, f64)) {
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        let steps = (len / 8.0).ceil() as usize;
        let mut last: Vec<(i64, i64)> = Vec::new();
        for k in 0..=steps {
            let t = if steps == 0 {
                0.0
            } else {
                k as f64 / steps as f64
            };
            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            for cell in Self::span((x - 6.0, x + 6.0, y - 6.0, y + 6.0)) {
                if !last.contains(&cell) {
                    self.cells.entry(cell).or_default().push(i);
                    last.push(cell);
                    if last.len() > 8 {
                        last.remove(0);
                    }
                }
            }
        }
    }

    /// The items whose cells meet the rectangle (an item may come more than once).
    fn near(&self, rect: (f64, f64, f64, f64)) -> impl Iterator<Item = usize> + '_ {
        Self::span(rect)
            .filter_map(|c| self.cells.get(&c))
            .flatten()
            .copied()
    }
}

type Stretch = (usize, (f64, f64), (f64, f64));

/// The stretches of every route, in a grid.
struct Segments {
    /// (route, one end, the other end).
    stretches: Vec<Stretch>,
    grid: Grid,
    routes: usize,
}

impl Segments {
    fn of(routes: &[Vec<(f64, f64)>]) -> Segments {
        let mut stretches = Vec::new();
        let mut grid = Grid::default();
        for (i, route) in routes.iter().enumerate() {
            for s in route.windows(2) {
                grid.add_line(stretches.len(), s[0], s[1]);
                stretches.push((i, s[0], s[1]));
            }
        }
        Segments {
            stretches,
            grid,
            routes: routes.len(),
        }
    }

    /// How many routes pass under the rectangle (1px around it).
    fn crossing(&self, (l, r, t, b): (f64, f64, f64, f64)) -> usize {
        let grown = (l - 1.0, r + 1.0, t - 1.0, b + 1.0);
        let mut seen = vec![false; self.routes];
        let mut count = 0;
        for k in self.grid.near(grown) {
            let (i, a, z) = self.stretches[k];
            if !seen[i] && segment_meets_rect(a, z, grown) {
                seen[i] = true;
                count += 1;
            }
        }
        count
    }

    /// Whether no route passes under the rectangle.
    fn crossing_any(&self, (l, r, t, b): (f64, f64, f64, f64)) -> bool {
        let grown = (l - 1.0, r + 1.0, t - 1.0, b + 1.0);
        !self.grid.near(grown).any(|k| {
            let (_, a, z) = self.stretches[k];
            segment_meets_rect(a, z, grown)
        })
    }
}

/// Rectangles (left, right, top, bottom) in a grid.
#[derive(Default)]
struct Rects {
    rects: Vec<(f64, f64, f64, f64)>,
    grid: Grid,
}

impl Rects {
    fn add(&mut self, r: (f64, f64, f64, f64)) {
        self.grid.add(self.rects.len(), r);
        self.rects.push(r);
    }

    /// Whether a rectangle whose cells meet `area` satisfies `hit`.
    fn any(&self, hit: impl Fn(f64, f64, f64, f64) -> bool, area: (f64, f64, f64, f64)) -> bool {
        self.grid.near(area).any(|k| {
            let (l, r, t, b) = self.rects[k];
            hit(l, r, t, b)
        })
    }
}

/// Where a label may sit along one stretch of route, best first: beside a
/// stretch that runs down or up (slanted or not), on the side it heads to
/// first; above, then below, a level one. Each keeps 3–4px from the stretch.
fn spots(seg: ((f64, f64), (f64, f64)), w: f64, h: f64) -> Vec<(f64, f64)> {
    let ((ax, ay), (bx, by)) = seg;
    if (by - ay).abs() >= 1.0 {
        let seg = if ay <= by { seg } else { ((bx, by), (ax, ay)) };
        let prefer_left = seg.1 .0 < seg.0 .0 - 0.5;
        [prefer_left, !prefer_left]
            .into_iter()
            .flat_map(|left| slides(seg, h).map(move |ly| beside(seg, w, h, ly, left)))
            .collect()
    } else {
        let (l, r) = (ax.min(bx) + w / 2.0 + 6.0, ax.max(bx) - w / 2.0 - 6.0);
        if r < l {
            return Vec::new();
        }
        // Every 4px; a stretch longer than MAX_SPOTS such steps is tried at
        // MAX_SPOTS even places, so that a wide fan-out stays near-linear.
        let step = ((r - l) / MAX_SPOTS as f64).max(4.0);
        let steps = ((r - l) / step).floor() as usize;
        let y = (ay + by) / 2.0;
        // From the end nearer the start of the stretch.
        let xs: Vec<f64> = (0..=steps)
            .map(|i| {
                if ax <= bx {
                    l + step * i as f64
                } else {
                    r - step * i as f64
                }
            })
            .collect();
        [-1.0, 1.0]
            .into_iter()
            .flat_map(|side| xs.iter().map(move |&x| (x, y + side * (3.0 + h / 2.0))))
            .collect()
    }
}

/// A label's centre beside a stretch of route at height `ly`: 4px clear of the
/// stretch over the label's whole height, to its left or right.
fn beside(seg: ((f64, f64), (f64, f64)), w: f64, h: f64, ly: f64, left: bool) -> (f64, f64) {
    let ((x0, y0), (x1, y1)) = seg;
    let line_x = |y: f64| {
        let t = if y1 > y0 {
            ((y - y0) / (y1 - y0)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        x0 + (x1 - x0) * t
    };
    let (a, b) = (line_x(ly - h / 2.0), line_x(ly + h / 2.0));
    let cx = if left {
        a.min(b) - 4.0 - w / 2.0
    } else {
        a.max(b) + 4.0 + w / 2.0
    };
    (cx, ly)
}

/// Heights for a label beside a stretch: from just above its lower end up to
/// just below its upper end, 4px apart.
fn slides(seg: ((f64, f64), (f64, f64)), h: f64) -> impl Iterator<Item = f64> {
    let ((_, y0), (_, y1)) = seg;
    let low = y1 - 8.0 - h / 2.0;
    let high = (y0 + 8.0 + h / 2.0).min(low);
    let step = ((low - high) / MAX_SPOTS as f64).max(4.0);
    let steps = ((low - high) / step).floor().max(0.0) as usize;
    (0..=steps).map(move |i| low - step * i as f64)
}

/// The most places a label is tried at along one stretch of route.
const MAX_SPOTS: usize = 256;

/// The most places a label is tried at in all.
const MAX_CANDIDATES: usize = 2048;

/// Whether the segment a–b passes through the rectangle (left, right, top, bottom).
fn segment_meets_rect(a: (f64, f64), b: (f64, f64), (l, r, t, bt): (f64, f64, f64, f64)) -> bool {
    // Liang–Barsky clipping: the part of the segment inside the rectangle.
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - l),
        (dx, r - a.0),
        (-dy, a.1 - t),
        (dy, bt - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let u = q / p;
            if p < 0.0 {
                lo = lo.max(u);
            } else {
                hi = hi.min(u);
            }
        }
    }
    lo < hi
}

/// Drops repeated points, points within a pixel of a neighbour (rounding noise
/// that would turn an arrowhead round) and points in the middle of a straight run.
fn simplify(points: &mut Vec<(f64, f64)>) {
    points.dedup();
    let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() < 1.0;
    let mut i = 1;
    while i + 1 < points.len() {
        let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        let straight = ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).abs() < 0.05;
        if straight || close(a, b) || close(b, c) {
            points.remove(i);
        } else {
            i += 1;
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn label_box(x: f64, y: f64, w: f64, h: f64, lines: &[String]) -> LabelBox {
    let top = y - h / 2.0 + 2.0;
    LabelBox {
        x,
        y,
        w,
        h,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, t)| TextLine {
                text: t.clone(),
                size: LABEL_SIZE,
                x,
                y: top + (i as f64 + 0.78) * LABEL_SIZE * LEADING,
            })
            .collect(),
    }
}

/// Where an edge leaves a node's bottom, `dx` right of its centre.
fn exit_bottom(b: &NodeBox, dx: f64) -> (f64, f64) {
    match b.shape {
        Shape::Diamond => (b.x + dx, b.bottom() - b.h * dx / b.w),
        _ => (b.x + dx, b.bottom()),
    }
}

/// Where an edge enters a node's top, `dx` right of its centre.
fn enter_top(b: &NodeBox, dx: f64) -> (f64, f64) {
    match b.shape {
        Shape::Diamond => (b.x + dx, b.top() + b.h * dx / b.w),
        _ => (b.x + dx, b.top()),
    }
}

/// Which edges point forward: not marked back and not closing a cycle that the
/// author left unmarked (check reports those; the drawing still terminates).
fn forward_edges(n: usize, edges: &[&EdgeSpec]) -> Vec<bool> {
    let mut forward: Vec<bool> = edges.iter().map(|e| !e.back && e.from != e.to).collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in edges.iter().enumerate() {
        if forward[k] {
            out[e.from].push(k);
        }
    }
    // Iterative DFS in file order; an edge into a node on the stack closes a cycle.
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&k) = out[v].get(*i) {
                *i += 1;
                let w = edges[k].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => forward[k] = false,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    forward
}

/// Longest-path ranks over forward edges: every step sits below all its predecessors.
fn ranks(n: usize, edges: &[&EdgeSpec], forward: &[bool]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in edges.iter().enumerate() {
        if forward[k] {
            indeg[e.to] += 1;
            out[e.from].push(e.to);
        }
    }
    let mut rank = vec![0usize; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &out[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    rank
}

/// Orders each layer: first by depth-first discovery from the roots in file order,
/// then a few barycentre sweeps to reduce crossings. Where a sweep left more
/// crossings than an earlier one, the earlier order is kept; then neighbours
/// in a layer trade places while that removes crossings.
fn order_layers(
    n: usize,
    vrank: &[usize],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
) -> Vec<Vec<usize>> {
    let mut layers = discovery_order(n, vrank, down);
    let depth = layers.len();
    let mut pos = vec![0.0f64; vrank.len()];
    set_positions(&layers, &mut pos);
    let mut best = (layer_crossings(&layers, &pos, down), layers.clone());
    for sweep in 0..6 {
        let downward = sweep % 2 == 0;
        let range: Vec<usize> = if downward {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for r in range {
            let adj = if downward { up } else { down };
            let mut keyed: Vec<(f64, f64, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let ns = &adj[v];
                    let bary = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    };
                    (bary, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i as f64;
            }
        }
        let c = layer_crossings(&layers, &pos, down);
        if c < best.0 {
            best = (c, layers.clone());
        }
    }
    if layer_crossings(&layers, &pos, down) > best.0 {
        layers = best.1;
        set_positions(&layers, &mut pos);
    }
    transpose(&mut layers, &mut pos, down, up);
    layers
}

/// Each layer in the order a depth-first walk from the roots, in file order,
/// first reaches its vertices. Dummies are always reached from the real step
/// their edge leaves.
fn discovery_order(n: usize, vrank: &[usize], down: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let depth = vrank.iter().copied().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    let mut seen = vec![false; vrank.len()];
    for root in 0..n {
        if seen[root] {
            continue;
        }
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[vrank[v]].push(v);
            for &w in down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    layers
}

fn set_positions(layers: &[Vec<usize>], pos: &mut [f64]) {
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i as f64;
        }
    }
}

/// How many pairs of edges cross between consecutive layers, with vertices
/// at `pos` in their layers. Edges that share an end do not cross.
fn layer_crossings(layers: &[Vec<usize>], pos: &[f64], down: &[Vec<usize>]) -> usize {
    let mut total = 0;
    let mut ends: Vec<f64> = Vec::new();
    for layer in layers {
        // The lower ends of the edges, in the order of their upper ends (and
        // of their lower ends under one upper end): crossings are inversions.
        ends.clear();
        for &u in layer {
            let start = ends.len();
            ends.extend(down[u].iter().map(|&w| pos[w]));
            ends[start..].sort_by(f64::total_cmp);
        }
        total += inversions(&mut ends);
    }
    total
}

/// Pairs `i < j` with `xs[i] > xs[j]` (equal values do not count); sorts `xs`.
fn inversions(xs: &mut [f64]) -> usize {
    if xs.len() < 2 {
        return 0;
    }
    let mid = xs.len() / 2;
    let mut count = inversions(&mut xs[..mid]) + inversions(&mut xs[mid..]);
    let mut merged = Vec::with_capacity(xs.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < xs.len() {
        if xs[j] < xs[i] {
            // Every element left in the first half is greater than xs[j].
            count += mid - i;
            merged.push(xs[j]);
            j += 1;
        } else {
            merged.push(xs[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&xs[i..mid]);
    merged.extend_from_slice(&xs[j..]);
    xs.copy_from_slice(&merged);
    count
}

/// How many crossings the edges of `v` make with those of `w`, `v` left of
/// `w`, on one side (`adj` is the upper or the lower neighbours).
fn pair_crossings(v: usize, w: usize, adj: &[Vec<usize>], pos: &[f64]) -> usize {
    let mut a: Vec<f64> = adj[v].iter().map(|&x| pos[x]).collect();
    let mut b: Vec<f64> = adj[w].iter().map(|&x| pos[x]).collect();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    // For each end of `v`, the ends of `w` strictly left of it.
    let (mut j, mut count) = (0, 0);
    for x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        count += j;
    }
    count
}

/// Neighbours in a layer trade places while that removes crossings (with the
/// layers above and below together), a few rounds at most.
fn transpose(layers: &mut [Vec<usize>], pos: &mut [f64], down: &[Vec<usize>], up: &[Vec<usize>]) {
    let cost = |v: usize, w: usize, pos: &[f64]| {
        pair_crossings(v, w, up, pos) + pair_crossings(v, w, down, pos)
    };
    for _ in 0..4 {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 1..layer.len() {
                let (v, w) = (layer[i - 1], layer[i]);
                if cost(v, w, pos) > cost(w, v, pos) {
                    layer.swap(i - 1, i);
                    (pos[v], pos[w]) = (i as f64, (i - 1) as f64);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Horizontal centres. Each pass asks every node to sit over the mean of its
/// neighbours in the layer just placed, then makes the layer feasible twice (packing
/// left to right and right to left) and averages: both satisfy the separation
/// constraints, so their mean does too and no two boxes can overlap.
fn place_x(
    layers: &[Vec<usize>],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
    width_of: &dyn Fn(usize) -> f64,
) -> Vec<f64> {
    let total = layers.iter().map(Vec::len).sum::<usize>();
    let mut x = vec![0.0f64; total];
    let min_gap =
        |a: usize, b: usize| (width_of(a) + width_of(b)) / 2.0 + gap_between(a, b, width_of);
    for layer in layers {
        let mut cur = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                cur += min_gap(layer[i - 1], v);
            }
            x[v] = cur;
        }
    }
    let passes = [true, false, true, false, true];
    for &downward in &passes {
        let order: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in order {
            let layer = &layers[r];
            let adj = if downward { up } else { down };
            let want: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let ns = &adj[v];
                    if ns.is_empty() {
                        x[v]
                    } else {
                        ns.iter().map(|&u| x[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let m = layer.len();
            let mut left = want.clone();
            for i in 1..m {
                left[i] = left[i].max(left[i - 1] + min_gap(layer[i - 1], layer[i]));
            }
            let mut right = want.clone();
            for i in (0..m.saturating_sub(1)).rev() {
                right[i] = right[i].min(right[i + 1] - min_gap(layer[i], layer[i + 1]));
            }
            for (i, &v) in layer.iter().enumerate() {
                x[v] = (left[i] + right[i]) / 2.0;
            }
        }
    }
    // Shift so the leftmost box starts at the margin.
    let min_left = layers
        .iter()
        .flatten()
        .map(|&v| x[v] - width_of(v) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = if min_left.is_finite() {
        MARGIN - min_left
    } else {
        0.0
    };
    for v in x.iter_mut() {
        // Rounded to a tenth of a pixel so output does not depend on float noise.
        *v = ((*v + shift) * 10.0).round() / 10.0;
    }
    x
}

/// Dummy vertices (edges passing through a layer) need less room than boxes.
fn gap_between(a: usize, b: usize, width_of: &dyn Fn(usize) -> f64) -> f64 {
    if width_of(a) == 0.0 || width_of(b) == 0.0 {
        SEP / 2.0
    } else {
        SEP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A label is tried at a bounded number of places along one stretch,
    /// however long: a 250-branch fan-out's 30,000px stretches stay cheap.
    #[test]
    fn label_spots_along_a_stretch_are_bounded() {
        let level = ((0.0, 100.0), (30_000.0, 100.0));
        assert!(spots(level, 80.0, 14.0).len() <= 2 * (MAX_SPOTS + 1));
        let tall = ((0.0, 0.0), (0.0, 30_000.0));
        assert!(spots(tall, 80.0, 14.0).len() <= 2 * (MAX_SPOTS + 1));
        // A short stretch keeps its 4px steps.
        let short = ((0.0, 100.0), (200.0, 100.0));
        let steps = ((200.0 - 2.0 * (40.0 + 6.0)) / 4.0) as usize;
        assert_eq!(spots(short, 80.0, 14.0).len(), 2 * (steps + 1));
    }
}

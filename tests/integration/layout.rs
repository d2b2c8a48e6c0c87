//! Geometry of the built-in flowchart layout, on the shipped powers and on
//! generated graphs: boxes never overlap, labels sit by their edges, routes do
//! not cross boxes, wrapped text fits its box.

use std::path::Path;

use powerlist::config::FlowchartConfig;
use powerlist::load::load_catalogue;
use powerlist::render::layout::{layout, EdgeSpec, Layout, NodeBox, NodeSpec, Shape};
use powerlist::render::svg::Chart;
use powerlist::render::view::PowerView;

/// Strictly inside the node's drawn shape, `inset` px from its border.
fn inside(b: &NodeBox, (x, y): (f64, f64), inset: f64) -> bool {
    let (dx, dy) = ((x - b.x).abs(), (y - b.y).abs());
    match b.shape {
        Shape::Diamond => {
            let (a, c) = (b.w / 2.0 - inset, b.h / 2.0 - inset);
            a > 0.0 && c > 0.0 && dx / a + dy / c < 1.0
        }
        _ => dx < b.w / 2.0 - inset && dy < b.h / 2.0 - inset,
    }
}

fn segments(points: &[(f64, f64)]) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
    points.windows(2).map(|w| (w[0], w[1]))
}

/// Points every half pixel along a segment.
fn samples(((x0, y0), (x1, y1)): ((f64, f64), (f64, f64))) -> Vec<(f64, f64)> {
    let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
    let n = (len * 2.0).ceil().max(1.0) as usize;
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        })
        .collect()
}

fn distance_to_segment(p: (f64, f64), ((x0, y0), (x1, y1)): ((f64, f64), (f64, f64))) -> f64 {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - x0) * dx + (p.1 - y0) * dy) / len2).clamp(0.0, 1.0)
    };
    ((p.0 - x0 - t * dx).powi(2) + (p.1 - y0 - t * dy).powi(2)).sqrt()
}

fn rects_overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    // (centre x, centre y, w, h)
    (a.0 - b.0).abs() < (a.2 + b.2) / 2.0 && (a.1 - b.1).abs() < (a.3 + b.3) / 2.0
}

/// Every property the SPEC and issue ask of a drawing; `what` names the graph.
/// The edges (its own or others) that pass under the white box of edge `k`'s label.
fn labels_covering(lay: &Layout, k: usize) -> Vec<usize> {
    let Some(l) = &lay.edges[k].label else {
        return Vec::new();
    };
    (0..lay.edges.len())
        .filter(|&m| {
            segments(&lay.edges[m].points).any(|seg| {
                samples(seg).into_iter().any(|(px, py)| {
                    (px - l.x).abs() < l.w / 2.0 - 0.5 && (py - l.y).abs() < l.h / 2.0 - 0.5
                })
            })
        })
        .collect()
}

/// Labels with any route under them, as (label's edge, edges under it).
fn covered_labels(lay: &Layout) -> Vec<(usize, Vec<usize>)> {
    (0..lay.edges.len())
        .map(|k| (k, labels_covering(lay, k)))
        .filter(|(_, under)| !under.is_empty())
        .collect()
}

fn assert_geometry(what: &str, lay: &Layout) {
    let n = lay.nodes.len();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&lay.nodes[i], &lay.nodes[j]);
            assert!(
                !rects_overlap((a.x, a.y, a.w, a.h), (b.x, b.y, b.w, b.h)),
                "{what}: boxes {i} and {j} overlap: {a:?} {b:?}"
            );
        }
        let b = &lay.nodes[i];
        assert!(
            b.left() >= 0.0 && b.right() <= lay.width,
            "{what}: box {i} leaves the chart"
        );
        assert!(
            b.top() >= 0.0 && b.bottom() <= lay.height,
            "{what}: box {i} leaves the chart"
        );
        for line in &b.lines {
            // The line's ink: baseline minus ascent to baseline plus descent.
            let (half, top, bottom) = (
                line.width() / 2.0,
                line.y - 0.8 * line.size,
                line.y + 0.2 * line.size,
            );
            for corner in [
                (line.x - half, top),
                (line.x + half, top),
                (line.x - half, bottom),
                (line.x + half, bottom),
            ] {
                assert!(
                    inside(b, corner, 1.0),
                    "{what}: text {:?} does not fit box {i} ({:?} {}x{})",
                    line.text,
                    b.shape,
                    b.w,
                    b.h
                );
            }
        }
    }
    for (k, e) in lay.edges.iter().enumerate() {
        assert!(e.points.len() >= 2, "{what}: edge {k} has no route");
        let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
        assert!(
            !inside(&lay.nodes[e.from], first, 0.5),
            "{what}: edge {k} starts inside its source"
        );
        assert!(
            !inside(&lay.nodes[e.to], last, 0.5),
            "{what}: edge {k} ends inside its target"
        );
        for seg in segments(&e.points) {
            for p in samples(seg) {
                for (i, b) in lay.nodes.iter().enumerate() {
                    assert!(
                        !inside(b, p, 0.5),
                        "{what}: {} edge {k} ({}→{}) crosses box {i} at {p:?}",
                        if e.back { "back" } else { "forward" },
                        e.from,
                        e.to
                    );
                }
            }
        }
        if let Some(l) = &e.label {
            let near = segments(&e.points)
                .map(|s| {
                    // Distance from the label's box (not its centre) to the route.
                    let (hw, hh) = (l.w / 2.0, l.h / 2.0);
                    let corners = [
                        (l.x, l.y),
                        (l.x - hw, l.y),
                        (l.x + hw, l.y),
                        (l.x - hw, l.y - hh),
                        (l.x + hw, l.y - hh),
                        (l.x - hw, l.y + hh),
                        (l.x + hw, l.y + hh),
                    ];
                    corners
                        .iter()
                        .map(|&c| distance_to_segment(c, s))
                        .fold(f64::INFINITY, f64::min)
                })
                .fold(f64::INFINITY, f64::min);
            assert!(
                near <= 6.0,
                "{what}: label of edge {k} is {near:.1}px from its edge"
            );
            for (i, b) in lay.nodes.iter().enumerate() {
                assert!(
                    !rects_overlap((l.x, l.y, l.w, l.h), (b.x, b.y, b.w, b.h)),
                    "{what}: label of edge {k} covers box {i}"
                );
            }
            for line in &l.lines {
                assert!(line.width() <= l.w, "{what}: label text wider than its box");
            }
            // Its own edge never passes under the label's white box.
            assert!(
                !labels_covering(lay, k).contains(&k),
                "{what}: edge {k} passes under its own label"
            );
        }
    }
}

#[test]
fn shipped_flowcharts_are_well_formed() {
    let cat = load_catalogue(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")).unwrap();
    let mut seen = 0;
    for (file, power) in cat.powers() {
        let lay = Chart::of(power).layout();
        assert_eq!(lay.nodes.len(), power.steps().len());
        assert_geometry(&file.rel, &lay);
        // Bug #6 of issue 12: no branch line runs under a label's white box.
        let covered = covered_labels(&lay);
        assert!(
            covered.is_empty(),
            "{}: labels over routes {covered:?}",
            file.rel
        );
        seen += 1;
    }
    assert!(seen >= 14);
}

fn node(name: &str, shape: Shape) -> NodeSpec {
    NodeSpec {
        name: name.to_string(),
        details: vec!["县民政局社会救助股 · 5个工作日".to_string()],
        shape,
    }
}

fn edge(from: usize, to: usize, label: Option<&str>, back: bool) -> EdgeSpec {
    EdgeSpec {
        from,
        to,
        label: label.map(str::to_string),
        back,
    }
}

#[test]
fn long_chain() {
    let nodes: Vec<NodeSpec> = (0..60)
        .map(|i| node(&format!("第{i}步审查"), Shape::Box))
        .collect();
    let edges: Vec<EdgeSpec> = (0..59).map(|i| edge(i, i + 1, None, false)).collect();
    let lay = layout(&nodes, &edges);
    assert_geometry("chain", &lay);
    // A chain is drawn as one straight column.
    assert!(lay.nodes.windows(2).all(|w| (w[0].x - w[1].x).abs() < 0.5));
}

#[test]
fn wide_decision_with_long_labels() {
    let mut nodes = vec![node("是否符合法定条件并经集体讨论决定", Shape::Diamond)];
    let mut edges = Vec::new();
    for i in 1..=15 {
        nodes.push(node(&format!("情形{i}的处理"), Shape::Rounded));
        edges.push(edge(
            0,
            i,
            Some("材料齐全、符合法定形式，予以受理并出具受理通知书"),
            false,
        ));
    }
    let lay = layout(&nodes, &edges);
    assert_geometry("wide", &lay);
    assert_eq!(
        covered_labels(&lay),
        vec![],
        "a wide fan leaves room for every label"
    );
}

#[test]
fn nested_loops_and_skips() {
    // 0 → 1 → … → 11, loops back two and five steps, and branches that skip ahead.
    let nodes: Vec<NodeSpec> = (0..12)
        .map(|i| {
            node(
                &format!("环节{i}"),
                if i % 3 == 1 {
                    Shape::Diamond
                } else {
                    Shape::Box
                },
            )
        })
        .collect();
    let mut edges: Vec<EdgeSpec> = (0..11).map(|i| edge(i, i + 1, None, false)).collect();
    for i in (2..12).step_by(2) {
        edges.push(edge(i, i - 2, Some("退回补正"), true));
    }
    edges.push(edge(10, 5, Some("重新调查"), true));
    edges.push(edge(1, 7, Some("简易程序"), false));
    edges.push(edge(4, 11, Some("不予处罚"), false));
    edges.push(edge(3, 3, Some("自环"), true));
    let lay = layout(&nodes, &edges);
    assert_geometry("loops", &lay);
    let backs: Vec<_> = lay.edges.iter().filter(|e| e.back).collect();
    assert_eq!(backs.len(), 7);
    let right = lay.nodes.iter().map(NodeBox::right).fold(0.0, f64::max);
    for b in backs {
        assert!(
            b.points.iter().any(|p| p.0 > right),
            "a back edge goes round the right of every box"
        );
    }
}

#[test]
fn long_chinese_names_wrap_inside_their_boxes() {
    let long = "对违反《殡葬管理条例》规定在公墓和农村公益性墓地以外的其他地方建造坟墓、将应当火化的遗体土葬或者在公墓外埋葬骨灰的行为依法责令限期改正并处以罚款的行政处罚决定".repeat(2);
    let nodes = vec![
        node(&long, Shape::Rounded),
        node(&long, Shape::Diamond),
        node("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 Latin words wrap at spaces", Shape::Box),
        node(&long, Shape::Box),
    ];
    let edges = vec![
        edge(0, 1, None, false),
        edge(1, 2, Some(&long), false),
        edge(1, 3, Some("否"), false),
        edge(3, 0, Some(&long), true),
    ];
    let lay = layout(&nodes, &edges);
    assert_geometry("long names", &lay);
    assert!(lay.nodes[0].lines.len() > 3, "a long name wraps");
}

/// The crossings of the generated graphs below, in all (most are back edges
/// going round the right across forward ones).
const GENERATED_CROSSINGS: usize = 2093;

/// Deterministic pseudo-random graphs: forward edges, unmarked cycles, back edges.
#[test]
fn generated_graphs() {
    let mut seed: u64 = 0x5eed;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let (mut labels, mut covered, mut crossed) = (0, 0, 0);
    for g in 0..40 {
        let n = 2 + next(25) as usize;
        let nodes: Vec<NodeSpec> = (0..n)
            .map(|i| {
                let shape = [Shape::Box, Shape::Diamond, Shape::Rounded][next(3) as usize];
                node(
                    &"审查"
                        .repeat(1 + next(12) as usize)
                        .replace("审查审", &format!("{i}审")),
                    shape,
                )
            })
            .collect();
        let mut edges = Vec::new();
        for i in 0..n - 1 {
            edges.push(edge(
                i,
                i + 1 + next((n - i - 1) as u64) as usize,
                None,
                false,
            ));
        }
        for _ in 0..next(2 * n as u64) {
            let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
            let label = if next(2) == 0 { Some("准予") } else { None };
            // Some edges point upwards without `back`: the layout must still cope.
            edges.push(edge(a, b, label, next(3) == 0));
        }
        let lay = layout(&nodes, &edges);
        assert_geometry(&format!("generated graph {g}"), &lay);
        let drawn = lay.edges.iter().filter(|e| e.label.is_some()).count();
        let asked = edges.iter().filter(|e| e.label.is_some()).count();
        assert_eq!(drawn, asked, "generated graph {g}: every label is drawn");
        labels += drawn;
        covered += covered_labels(&lay).len();
        crossed += crossings(&lay);

        let again = layout(&nodes, &edges);
        assert_eq!(
            format!("{lay:?}"),
            format!("{again:?}"),
            "layout is deterministic"
        );
    }
    // Random tangles (labelled edges running many layers side by side with
    // others, upward edges without `back`, edges converging on one port) are
    // held to the same bar as the shipped charts: no route under a label.
    assert_eq!(covered, 0, "{covered} of {labels} labels over other routes");
    assert!(labels > 150, "the graphs have labels to place ({labels})");
    // A ratchet, like the shipped charts' (2,110 before neighbours traded places).
    assert!(
        crossed <= GENERATED_CROSSINGS,
        "{crossed} crossings, recorded {GENERATED_CROSSINGS}"
    );
}

/// Where two segments cross: a point inside both (not at an end of either),
/// the segments not parallel. Routes that share a port or run together from
/// one source meet at ends or overlap; they do not cross.
fn segments_cross(a: ((f64, f64), (f64, f64)), b: ((f64, f64), (f64, f64))) -> bool {
    let (((ax, ay), (bx, by)), ((cx, cy), (dx, dy))) = (a, b);
    let (rx, ry, sx, sy) = (bx - ax, by - ay, dx - cx, dy - cy);
    let den = rx * sy - ry * sx;
    if den.abs() < 1e-9 {
        return false;
    }
    let t = ((cx - ax) * sy - (cy - ay) * sx) / den;
    let u = ((cx - ax) * ry - (cy - ay) * rx) / den;
    let eps = 1e-6;
    t > eps && t < 1.0 - eps && u > eps && u < 1.0 - eps
}

/// How many times the drawn routes cross one another: every pair of edges,
/// every pair of their segments.
fn crossings(lay: &Layout) -> usize {
    let mut count = 0;
    for (i, a) in lay.edges.iter().enumerate() {
        for b in &lay.edges[i + 1..] {
            for s in segments(&a.points) {
                count += segments(&b.points)
                    .filter(|&t| segments_cross(s, t))
                    .count();
            }
        }
    }
    count
}

#[test]
fn crossings_are_counted_where_routes_cross_not_where_they_meet() {
    let x = ((0.0, 0.0), (10.0, 10.0));
    assert!(segments_cross(x, ((0.0, 10.0), (10.0, 0.0))));
    // Sharing an end (two routes into one port), a T, running together.
    assert!(!segments_cross(x, ((10.0, 10.0), (20.0, 0.0))));
    assert!(!segments_cross(x, ((5.0, 5.0), (10.0, 0.0))));
    assert!(!segments_cross(x, ((2.0, 2.0), (8.0, 8.0))));
}

/// The crossings each shipped chart may have, as drawn plain and with its
/// duties as notes (`[flowchart] duties`). A ratchet: lower a number when the
/// layout does better, never raise one. Issue 24, item 5: RS-CF-0001's
/// 决定撤销立案 → 结案归档 crossed 负责人审查 → 书面告知不予行政处罚.
const RECORDED_CROSSINGS: &[(&str, usize)] = &[];
const RECORDED_TOTAL: usize = 0;

#[test]
// The ratchet stands at zero today, so `<=` reads as `==` to clippy.
#[allow(clippy::absurd_extreme_comparisons)]
fn shipped_flowcharts_cross_no_more_than_recorded() {
    let cat = load_catalogue(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")).unwrap();
    let duties = FlowchartConfig { duties: true };
    let mut total = 0;
    let mut codes = Vec::new();
    for (_, power) in cat.powers() {
        let view = PowerView::of(power);
        let plain = crossings(&Chart::from_view(&view).layout());
        let noted = crossings(&Chart::from_view_with(&view, &duties).layout());
        let code = power.code().to_string();
        let allowed = RECORDED_CROSSINGS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |r| r.1);
        assert!(
            plain <= allowed && noted <= allowed,
            "{code}: {plain} crossings ({noted} with duties), recorded {allowed}"
        );
        total += plain + noted;
        codes.push(code);
    }
    assert!(codes.iter().any(|c| c == "RS-CF-0001"), "{codes:?}");
    assert!(
        total <= RECORDED_TOTAL,
        "{total} crossings in all, recorded {RECORDED_TOTAL}"
    );
}

//! A power's flowchart (权力运行流程图) as SVG, laid out by `layout` — no Graphviz.
//!
//! Risk levels are shown by colour and by a text mark, so a black-and-white print
//! still tells them apart; the risk and supervision details are listed under the
//! chart, and the footer carries limits, rights and complaint channels.

use std::fmt::Write as _;

use super::layout::{
    self, layout_with_notes, EdgeSpec, Layout, NodeBox, NodeSpec, Shape, TextLine,
};
use super::text;
use super::view::{LegendBlock, PowerView, RiskStyle, StepView};
use crate::config::FlowchartConfig;
use crate::model::Power;

/// Common CJK system fonts first; nothing is downloaded.
pub const FONT_STACK: &str = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei','SimHei','WenQuanYi Micro Hei',sans-serif";

const MIN_WIDTH: f64 = 560.0;
const TITLE_SIZE: f64 = 16.0;
const NOTE_SIZE: f64 = 12.0;

/// Escapes text for XML content and attribute values; line breaks become spaces.
pub fn escape(text: &str) -> String {
    super::escape_markup(text, false)
}

/// What is drawn for one power: the nodes and edges for the layout, plus the marks.
pub struct Chart {
    pub nodes: Vec<NodeSpec>,
    pub edges: Vec<EdgeSpec>,
    /// Per node: the style of its risk level, if it has a risk point.
    pub risks: Vec<Option<RiskStyle>>,
    pub supervised: Vec<bool>,
    pub ids: Vec<String>,
    /// Per node: the note beside its box (its 责任事项, with `[flowchart] duties`).
    pub notes: Vec<Option<String>>,
}

/// A step's 责任事项 as its note reads: 「受理责任：……」.
pub fn duty_note(s: &StepView) -> Option<String> {
    let duty = s.duty.as_ref()?;
    Some(format!("{}：{duty}", s.stage.unwrap_or("责任事项")))
}

impl Chart {
    pub fn of(power: &Power) -> Chart {
        Chart::from_view(&PowerView::of(power))
    }

    pub fn from_view(view: &PowerView) -> Chart {
        Chart::from_view_with(view, &FlowchartConfig::default())
    }

    /// The chart with what `[flowchart]` asks for besides the steps.
    pub fn from_view_with(view: &PowerView, settings: &FlowchartConfig) -> Chart {
        let mut chart = Chart {
            nodes: Vec::with_capacity(view.steps.len()),
            edges: Vec::new(),
            risks: Vec::with_capacity(view.steps.len()),
            supervised: Vec::with_capacity(view.steps.len()),
            ids: Vec::with_capacity(view.steps.len()),
            notes: Vec::with_capacity(view.steps.len()),
        };
        for (i, s) in view.steps.iter().enumerate() {
            chart.nodes.push(NodeSpec {
                name: s.name.clone(),
                details: s.detail.iter().chain(&s.marks).cloned().collect(),
                shape: s.shape,
            });
            chart.risks.push(s.risk.map(|no| view.risks[no - 1].style));
            chart.supervised.push(s.supervised);
            chart.ids.push(s.id.clone());
            chart.notes.push(duty_note(s).filter(|_| settings.duties));
            for e in &s.next {
                if let Some(to) = e.target {
                    chart.edges.push(EdgeSpec {
                        from: i,
                        to,
                        label: e.when.clone(),
                        back: e.back,
                    });
                }
            }
        }
        chart
    }

    pub fn layout(&self) -> Layout {
        layout_with_notes(&self.nodes, &self.edges, &self.notes)
    }
}

/// Paragraphs under the chart: risk points, supervision, then the footer.
fn notes(view: &PowerView) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for block in view.legend() {
        match block.heading {
            Some(h) => out.push((h.to_string(), true)),
            None => out.push((String::new(), false)),
        }
        out.extend(block.lines.into_iter().map(|l| (l, false)));
    }
    out
}

/// A length to the whole pixel, as `{:.0}` writes it (halves to even): from
/// an integer where the two agree, since `{:.0}` often takes its slow exact
/// path (a sign or a value past 2^53 goes to `{:.0}` itself).
struct Whole(f64);

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if x.is_sign_positive() && x < 9.0e15 {
            write!(f, "{}", x.round_ties_even() as u64)
        } else {
            write!(f, "{x:.0}")
        }
    }
}

/// A coordinate to a tenth of a pixel, written from an integer: as `{:.1}` writes
/// it, without the cost of float formatting (a large share of drawing time).
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        // Written backwards into a buffer and passed on in one piece.
        let mut buf = [0u8; 24];
        let mut at = buf.len() - 2;
        let mut t = tenths.unsigned_abs();
        buf[at] = b'.';
        buf[at + 1] = b'0' + (t % 10) as u8;
        t /= 10;
        loop {
            at -= 1;
            buf[at] = b'0' + (t % 10) as u8;
            t /= 10;
            if t == 0 {
                break;
            }
        }
        if tenths < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| std::fmt::Error)?)
    }
}

fn text(out: &mut String, line: &TextLine, dx: f64, dy: f64, attrs: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{attrs}>{}</text>",
        Px(line.x + dx),
        Px(line.y + dy),
        line.size,
        escape(&line.text)
    );
}

/// The SVG document of one power's flowchart.
pub fn render(power: &Power) -> String {
    render_view(&PowerView::of(power))
}

/// The SVG document of one power's flowchart as `[flowchart]` asks.
pub fn render_with(power: &Power, settings: &FlowchartConfig) -> String {
    draw(&PowerView::of(power), settings).svg
}

/// The SVG document of a power's flowchart from its view.
pub fn render_view(view: &PowerView) -> String {
    draw(view, &FlowchartConfig::default()).svg
}

/// A drawn chart: its SVG document and where it may be cut across pages.
pub struct Drawn {
    pub svg: String,
    pub size: ChartSize,
}

/// A chart's size and the heights where a horizontal cut crosses no box, label
/// or line of text (only edges): between layers. It describes the chart as
/// pages and the book show it (`figure`: the boxes and edges only, the title
/// and the notes being HTML around it there).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartSize {
    pub width: f64,
    pub height: f64,
    pub cuts: Vec<f64>,
    /// The chart without its title and notes, as an SVG document: the book
    /// inlines its parts (an SVG drawn as an image prints its text as glyphs
    /// only, which PDF readers map back to Kangxi radicals: ⼈ for 人).
    pub figure: String,
    /// The notes under the chart, which the book writes as text.
    pub legend: Vec<LegendBlock>,
    /// Enough to make the figure again from the chart's file (`figure_in`)
    /// once `figure` is gone.
    pub at: FigureAt,
}

/// Where a figure's boxes and edges are in the whole chart's SVG document,
/// and what its head says: its width as drawn, its label, how far right.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureAt {
    pub body: std::ops::Range<usize>,
    pub width: f64,
    pub aria: String,
    pub dx: f64,
}

impl ChartSize {
    /// The figure made again from the whole chart's SVG document (`svg`, as
    /// `draw` wrote it): a build holds no figure while the list is read, the
    /// book taking each from the chart's file. `None` if `svg` is not that
    /// document.
    pub fn figure_in(&self, svg: &str) -> Option<String> {
        let at = &self.at;
        let body = svg.get(at.body.clone())?;
        let mut figure = String::with_capacity(body.len() + 1024);
        figure_head(&mut figure, at.width, self.height, &at.aria, at.dx);
        figure.push_str(body);
        figure.push_str("</svg>\n");
        Some(figure)
    }

    /// The part of the figure from `y`, `h` high, as its own SVG document (for
    /// printing a tall chart page by page). Its ids carry `part`, so that the
    /// parts and the whole can share one HTML page.
    pub fn part(&self, y: f64, h: f64, part: &str) -> String {
        let body = self.figure.split_once(">\n").map_or("", |(_, b)| b);
        let (width, y, h) = (Whole(self.width), Whole(y), Whole(h));
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pl-flowchart part\" width=\"{width}\" height=\"{h}\" viewBox=\"0 {y} {width} {h}\" font-family=\"{FONT_STACK}\" aria-hidden=\"true\">\n"
        );
        out.push_str(&body.replace("pl-arrow", &format!("pl-arrow-{part}")));
        out
    }

    /// The figure with its boxes and edges in a group of that `id`, which the
    /// printed parts show by reference (`part_of`) instead of repeating it.
    pub fn figure_with_id(&self, id: &str) -> String {
        with_group(&self.figure, id)
    }

    /// The first part (`part`) holding the figure in a group of that `id`, for
    /// the later parts to show by reference.
    pub fn first_part(&self, y: f64, h: f64, part: &str, id: &str) -> String {
        with_group(&self.part(y, h, part), id)
    }

    /// The part of the figure from `y`, `h` high, showing the group `id` of
    /// the same document: the chart is in the page once, however many parts.
    pub fn part_of(&self, y: f64, h: f64, id: &str) -> String {
        let (width, y, h) = (Whole(self.width), Whole(y), Whole(h));
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pl-flowchart part\" width=\"{width}\" height=\"{h}\" viewBox=\"0 {y} {width} {h}\" font-family=\"{FONT_STACK}\" aria-hidden=\"true\"><use href=\"#{id}\"/></svg>\n"
        )
    }
}

/// An SVG document with everything inside its root in `<g id="…">`.
fn with_group(svg: &str, id: &str) -> String {
    let Some((head, body)) = svg.split_once(">\n") else {
        return svg.to_string();
    };
    let trimmed = body.trim_end();
    let inner = trimmed.strip_suffix("</svg>").unwrap_or(trimmed);
    format!("{head}>\n<g id=\"{id}\">\n{inner}</g>\n</svg>\n")
}

impl Drawn {
    /// The chart as a page shows it: boxes and edges, without title and notes.
    pub fn figure(&self) -> &str {
        &self.size.figure
    }

    /// A part of the figure (`ChartSize::part`).
    pub fn part(&self, y: f64, h: f64, part: usize) -> String {
        self.size.part(y, h, &part.to_string())
    }
}

/// Space above and below the boxes of a figure.
const FIGURE_PAD: f64 = 8.0;

/// The chart drawn as `[flowchart]` asks, with its size and clean cuts.
pub fn draw(view: &PowerView, settings: &FlowchartConfig) -> Drawn {
    let chart = Chart::from_view_with(view, settings);
    let lay = chart.layout();
    let width = lay.width.max(MIN_WIDTH);
    // Centre a narrow chart under the title.
    let dx = ((width - lay.width) / 2.0).round();
    let title = view.title();
    let title_lines = text::wrap(&title, TITLE_SIZE, width - 48.0);
    let header = 20.0 + title_lines.len() as f64 * TITLE_SIZE * text::LEADING + 8.0;

    let mut note_lines: Vec<(String, bool)> = Vec::new();
    for (para, heading) in notes(view) {
        for l in text::wrap_greedy(&para, NOTE_SIZE, width - 48.0) {
            note_lines.push((l, heading));
        }
    }
    let note_h = note_lines.len() as f64 * NOTE_SIZE * 1.5;
    let height = (header + lay.height + note_h + 24.0).round();
    let aria = escape(&format!("{} 权力运行流程图", view.name));
    let mut body = String::with_capacity(4096 + 600 * lay.nodes.len());
    chart_body(&mut body, &chart, &lay);

    let mut out = String::with_capacity(body.len() + 4096);
    open_svg(&mut out, "pl-flowchart", width, height, &aria);
    for (i, l) in title_lines.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\" text-anchor=\"middle\">{}</text>",
            Px(width / 2.0),
            Px(20.0 + (i as f64 + 0.8) * TITLE_SIZE * text::LEADING),
            escape(l)
        );
    }
    let _ = writeln!(
        out,
        "<g class=\"chart\" transform=\"translate({},{})\">",
        Whole(dx),
        Whole(header)
    );
    let at = out.len();
    out.push_str(&body);
    let body_at = at..out.len();
    notes_block(&mut out, &note_lines, header + lay.height + 8.0);
    out.push_str("</svg>\n");

    let fig_h = (lay.height + 2.0 * FIGURE_PAD).round();
    let mut figure = String::with_capacity(body.len() + 1024);
    figure_head(&mut figure, width, fig_h, &aria, dx);
    figure.push_str(&body);
    figure.push_str("</svg>\n");
    Drawn {
        svg: out,
        size: ChartSize {
            width: width.round(),
            height: fig_h,
            cuts: layer_cuts(&lay, FIGURE_PAD),
            figure,
            legend: view.legend(),
            at: FigureAt {
                body: body_at,
                width,
                aria,
                dx,
            },
        },
    }
}

/// The figure's root and the opening of its chart group: the boxes and edges
/// `FIGURE_PAD` below its top, `dx` right.
fn figure_head(out: &mut String, width: f64, height: f64, aria: &str, dx: f64) {
    open_svg(out, "pl-flowchart figure", width, height, aria);
    let _ = writeln!(
        out,
        "<g class=\"chart\" transform=\"translate({},{})\">",
        Whole(dx),
        Whole(FIGURE_PAD)
    );
}

/// The root element, its title, the arrow head and the white ground.
fn open_svg(out: &mut String, class: &str, width: f64, height: f64, aria: &str) {
    let (width, height) = (Whole(width), Whole(height));
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{FONT_STACK}\" role=\"img\" aria-label=\"{aria}\">"
    );
    let _ = writeln!(out, "<title>{aria}</title>");
    out.push_str("<defs><marker id=\"pl-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n");
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>"
    );
}

/// The edges, labels, notes and boxes, closing the chart's group.
fn chart_body(out: &mut String, chart: &Chart, lay: &Layout) {
    edges(out, lay);
    labels(out, lay);
    // Under the boxes, whose borders are drawn over the notes' top edges.
    duty_notes(out, chart, lay);
    out.push_str("<g class=\"nodes\" text-anchor=\"middle\">\n");
    for (i, b) in lay.nodes.iter().enumerate() {
        node(out, chart, i, b);
    }
    out.push_str("</g>\n</g>\n");
}

/// The heights (in the document) of the gaps between rows of boxes and labels.
fn layer_cuts(lay: &Layout, header: f64) -> Vec<f64> {
    let mut spans: Vec<(f64, f64)> = lay
        .nodes
        .iter()
        .map(|b| (b.top(), b.bottom()))
        .chain(
            lay.edges
                .iter()
                .filter_map(|e| e.label.as_ref())
                .map(|l| (l.y - l.h / 2.0, l.y + l.h / 2.0)),
        )
        .chain(lay.notes.iter().map(|n| (n.rect().2, n.rect().3)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cuts = Vec::new();
    let mut end = f64::NEG_INFINITY;
    for (top, bottom) in spans {
        if end.is_finite() && top > end + 4.0 {
            cuts.push((header + (end + top) / 2.0).round());
        }
        end = end.max(bottom);
    }
    cuts
}

/// The notes under the boxes: grey text on a light panel, left-aligned.
fn duty_notes(out: &mut String, chart: &Chart, lay: &Layout) {
    if lay.notes.is_empty() {
        return;
    }
    out.push_str("<g class=\"duties\" fill=\"#555\">\n");
    for n in &lay.notes {
        let (l, _, t, _) = n.rect();
        let id = chart.ids.get(n.node).map_or(String::new(), |i| escape(i));
        let _ = writeln!(out, "<g class=\"duty\" data-step=\"{id}\">");
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f5f5f5\" stroke=\"#9e9e9e\" stroke-width=\"0.8\"/>",
            Px(l),
            Px(t),
            Px(n.w),
            Px(n.h)
        );
        for line in &n.lines {
            text(out, line, 0.0, 0.0, "");
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn edges(out: &mut String, lay: &Layout) {
    out.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\">\n");
    for e in &lay.edges {
        let d: Vec<String> = e
            .points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{},{}", if i == 0 { 'M' } else { 'L' }, Px(*x), Px(*y)))
            .collect();
        let dash = if e.back {
            " stroke-dasharray=\"5 3\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<path class=\"{}\" d=\"{}\"{dash} marker-end=\"url(#pl-arrow)\"/>",
            if e.back { "edge back" } else { "edge" },
            d.join(" ")
        );
    }
    out.push_str("</g>\n");
}

fn labels(out: &mut String, lay: &Layout) {
    out.push_str("<g class=\"labels\" text-anchor=\"middle\" fill=\"#333\">\n");
    for l in lay.edges.iter().filter_map(|e| e.label.as_ref()) {
        let _ = writeln!(
            out,
            "<rect class=\"label\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\"0.9\"/>",
            Px(l.x - l.w / 2.0),
            Px(l.y - l.h / 2.0),
            Px(l.w),
            Px(l.h)
        );
        for line in &l.lines {
            text(out, line, 0.0, 0.0, "");
        }
    }
    out.push_str("</g>\n");
}

/// A box's outline, `inset` inside its edge (for the supervision point's second border).
fn outline(b: &NodeBox, inset: f64) -> String {
    match b.shape {
        Shape::Diamond => format!(
            "<polygon points=\"{},{} {},{} {},{} {},{}\"",
            Px(b.x),
            Px(b.top() + inset),
            Px(b.right() - inset * 1.6),
            Px(b.y),
            Px(b.x),
            Px(b.bottom() - inset),
            Px(b.left() + inset * 1.6),
            Px(b.y)
        ),
        _ => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}",
            Px(b.left() + inset),
            Px(b.top() + inset),
            Px(b.w - 2.0 * inset),
            Px(b.h - 2.0 * inset),
            if b.shape == Shape::Rounded {
                format!(" rx=\"{}\"", Px((b.h / 2.0 - inset).min(16.0)))
            } else {
                String::new()
            }
        ),
    }
}

fn node(out: &mut String, chart: &Chart, i: usize, b: &NodeBox) {
    let (fill, stroke) = match chart.risks[i] {
        Some(style) => (style.fill, style.stroke),
        None if b.shape == Shape::Rounded => ("#eaf2fb", "#1f4e79"),
        None => ("#ffffff", "#333333"),
    };
    let sw = if chart.risks[i].is_some() { 2.0 } else { 1.2 };
    let _ = writeln!(
        out,
        "<g class=\"node\" data-step=\"{}\">",
        escape(&chart.ids[i])
    );
    let _ = writeln!(
        out,
        "{} class=\"box\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>",
        outline(b, 0.0)
    );
    if chart.supervised[i] {
        // A second border marks a supervision point, in print as on screen.
        let _ = writeln!(
            out,
            "{} fill=\"none\" stroke=\"{stroke}\" stroke-width=\"0.8\"/>",
            outline(b, 3.0)
        );
    }
    // Every line of the name is bold (not only the first of a wrapped one).
    for line in &b.lines {
        let attrs = if line.size == layout::NAME_SIZE {
            " font-weight=\"bold\""
        } else {
            ""
        };
        text(out, line, 0.0, 0.0, attrs);
    }
    out.push_str("</g>\n");
}

/// The lines under the chart, from `top`; headings bold.
fn notes_block(out: &mut String, lines: &[(String, bool)], top: f64) {
    let mut y = top;
    out.push_str("<g class=\"notes\" fill=\"#222\">\n");
    for (l, heading) in lines {
        y += NOTE_SIZE * 1.5;
        if l.is_empty() {
            continue;
        }
        let bold = if *heading {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<text x=\"24\" y=\"{}\" font-size=\"{NOTE_SIZE}\"{bold}>{}</text>",
            Px(y),
            escape(l)
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
    }

    /// The book makes each figure again from the chart's file: it must be
    /// the figure `draw` made, for every chart of the shipped catalogue, with
    /// and without the 责任事项 notes.
    #[test]
    fn the_figure_is_made_again_from_the_charts_file() {
        let cat = crate::load::load_catalogue(std::path::Path::new("catalogue")).unwrap();
        let mut charts = 0;
        for f in &cat.files {
            let crate::load::Loaded::Ok(p) = &f.power else {
                continue;
            };
            for duties in [false, true] {
                let drawn = draw(&PowerView::of(p), &FlowchartConfig { duties });
                assert_eq!(
                    drawn.size.figure_in(&drawn.svg).as_deref(),
                    Some(drawn.size.figure.as_str()),
                    "{} (duties: {duties})",
                    f.rel
                );
                // Not the document it was drawn as: no figure, not a wrong one.
                assert_eq!(drawn.size.figure_in("<svg/>"), None);
                charts += 1;
            }
        }
        assert!(charts > 20, "only {charts} charts");
    }

    #[test]
    fn px_writes_tenths() {
        assert_eq!(Px(172.65).to_string(), "172.7");
        assert_eq!(Px(3.0).to_string(), "3.0");
        assert_eq!(Px(-0.04).to_string(), "0.0");
        assert_eq!(Px(-2.25).to_string(), "-2.3");
        assert_eq!(Px(12345.66).to_string(), "12345.7");
        assert_eq!(Px(-9.0e17).to_string(), "-900000000000000000.0");
    }

    /// `Whole` writes what `{:.0}` writes: halves, their neighbours, the
    /// signs, values past 2^53 and an even spread between.
    #[test]
    fn whole_writes_what_format_writes() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            -2.5,
            0.49999999999999994,
            9.0e15,
            1e300,
        ];
        xs.extend([
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            2f64.powi(53) + 1.0,
        ]);
        for i in 0..200_000 {
            let x = f64::from(i) * 0.0625 - 100.0;
            xs.extend([x, x + f64::EPSILON * x, x * 1.000_001, x * 137.31]);
        }
        for x in xs {
            assert_eq!(Whole(x).to_string(), format!("{x:.0}"), "{x:e}");
        }
    }
}

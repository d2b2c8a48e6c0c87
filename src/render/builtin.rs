//! The shipped `power.html`, `print-power.html` and `group.html`, with the
//! `base.html`, `duties.html` and `macros.html` they read, written straight from
//! the values, byte for byte as tera renders those templates. Through tera, a
//! power's page and book section were about a third of a build's instructions:
//! each `{{ a.b }}` is a lookup through tera's frames, and the context is a JSON
//! copy of the power, made and freed again for every page.
//!
//! A catalogue that brings any of those templates of its own gets tera for the
//! pages that read it, as before (`Builtin::of`). The templates stay the
//! reference: the test `the_builtin_pages_are_teras_bytes` (site.rs) renders
//! every power and group page of the shipped catalogue and of every fixture
//! both ways, with hostile site texts, and requires the same bytes.

use serde::Serialize;

use super::escape_markup_into;
use super::view::{DutiesView, LegendBlock, PowerView};

/// Which pages are written here: those none of whose templates the catalogue replaces.
#[derive(Debug, Clone, Copy)]
pub(super) struct Builtin {
    pub(super) page: bool,
    pub(super) book: bool,
    pub(super) group: bool,
}

impl Builtin {
    /// From the names of the templates the catalogue replaces.
    pub(super) fn of(overridden: &[String]) -> Builtin {
        let own = |names: &[&str]| overridden.iter().any(|n| names.contains(&n.as_str()));
        Builtin {
            page: !own(&["base.html", "power.html", "duties.html", "macros.html"]),
            book: !own(&["print-power.html", "duties.html", "macros.html"]),
            group: !own(&["base.html", "group.html", "macros.html"]),
        }
    }
}

/// One cell of a power's row as its page shows it (`table` in the templates).
#[derive(Serialize)]
pub(super) struct Cell<'a> {
    pub(super) label: &'static str,
    pub(super) lines: Vec<&'a str>,
}

/// What `base.html` reads of the site.
pub(super) struct Frame<'a> {
    pub(super) title: &'a str,
    pub(super) organisation: &'a str,
    pub(super) count: Option<usize>,
}

/// What `power.html` gets (see `Theme::power`).
pub(super) struct Page<'a> {
    pub(super) site: Frame<'a>,
    pub(super) power: &'a PowerView,
    pub(super) table: &'a [Cell<'a>],
    pub(super) svg: &'a str,
    pub(super) legend: &'a [LegendBlock],
    pub(super) chart_max: f64,
    pub(super) parts: &'a [&'a str],
}

/// What `print-power.html` gets as `p` (see `Theme::book_section`).
pub(super) struct Section<'a> {
    pub(super) no: &'a str,
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    pub(super) table: &'a [Cell<'a>],
    /// The whole chart, empty when the power has none.
    pub(super) svg: &'a str,
    pub(super) parts: &'a [&'a str],
    pub(super) chart_max: f64,
    pub(super) legend: &'a [LegendBlock],
    pub(super) list: &'a DutiesView,
}

/// Text as the templates write `{{ value }}`: escaped.
fn text(out: &mut String, value: &str) {
    escape_markup_into(out, value, true);
}

/// An optional text as `{{ value }}` writes it: nothing for none.
fn opt(out: &mut String, value: &Option<String>) {
    if let Some(v) = value {
        text(out, v);
    }
}

/// Whether tera counts the optional text as true (`{% if value %}`).
fn truthy(value: &Option<String>) -> bool {
    value.as_ref().is_some_and(|v| !v.is_empty())
}

/// A number as `{{ number }}` writes a float; nothing where JSON has none.
fn number(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    if value.is_finite() {
        let _ = write!(out, "{value}");
    }
}

/// tera's `int` filter on a string, in base 10 with the default 0.
fn int_of(value: &str) -> i64 {
    let s = value.trim();
    s.parse::<i64>().unwrap_or_else(|_| {
        if s.contains('.') {
            s.parse::<f64>().map_or(0, |f| f as i64)
        } else {
            0
        }
    })
}

/// `power.html` in `base.html`.
pub(super) fn power_page(out: &mut String, page: &Page<'_>) {
    base(
        out,
        &page.site,
        |out| {
            text(out, &page.power.name);
            out.push_str(" · ");
            text(out, page.site.title);
        },
        |out| page_main(out, page),
        PAGE_SCRIPT,
    );
}

/// `base.html` for a page one folder down (`root` is `../`): `title` and
/// `main` write those blocks, `scripts` is the page's own.
fn base(
    out: &mut String,
    site: &Frame<'_>,
    title: impl FnOnce(&mut String),
    main: impl FnOnce(&mut String),
    scripts: &str,
) {
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>",
    );
    title(out);
    out.push_str("</title>\n<link rel=\"stylesheet\" href=\"");
    text(out, "../");
    out.push_str("assets/style.css\" />\n</head>\n<body>\n<header class=\"site-header\">\n");
    if !site.organisation.is_empty() {
        out.push_str("<p class=\"org\">");
        text(out, site.organisation);
        out.push_str("</p>\n");
    }
    out.push_str("<p class=\"site-title\"><a href=\"");
    text(out, "../");
    out.push_str("index.html\">");
    text(out, site.title);
    out.push_str("</a></p>\n</header>\n<main>\n");
    main(out);
    out.push_str("\n</main>\n<footer class=\"site-footer\">\n<p>");
    if !site.organisation.is_empty() {
        text(out, site.organisation);
        out.push_str(" · ");
    }
    text(out, site.title);
    if let Some(count) = site.count.filter(|&c| c != 0) {
        out.push_str(" · 共 ");
        out.push_str(&count.to_string());
        out.push_str(" 项公开职权");
    }
    out.push_str("</p>\n</footer>\n");
    out.push_str(scripts);
    out.push_str("\n</body>\n</html>\n");
}

/// A power's line on a group page (`group.powers` in `group.html`).
pub(super) struct Line<'a> {
    pub(super) no: usize,
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    pub(super) category: &'a str,
    pub(super) department: &'a str,
    pub(super) statutory: &'a str,
    pub(super) promised: &'a str,
    pub(super) search: &'a str,
}

/// What `group.html` gets (see `Theme::group_page`).
pub(super) struct Group<'a> {
    pub(super) site: Frame<'a>,
    pub(super) name: &'a str,
    pub(super) count: usize,
    pub(super) kind: &'a str,
    pub(super) other: &'a str,
    pub(super) powers: Vec<Line<'a>>,
}

/// `group.html` in `base.html`: a category's or a department's powers.
pub(super) fn group_page(out: &mut String, g: &Group<'_>) {
    base(
        out,
        &g.site,
        |out| {
            text(out, g.name);
            out.push_str(" · ");
            text(out, g.site.title);
        },
        |out| {
            out.push_str("\n<nav class=\"crumbs\"><a href=\"../index.html\">职权目录</a> › ");
            text(out, g.kind);
            out.push_str("</nav>\n<h1>");
            text(out, g.name);
            out.push_str("</h1>\n<p class=\"summary\">");
            text(out, g.kind);
            out.push('「');
            text(out, g.name);
            out.push_str("」的公开职权 <strong>");
            out.push_str(&g.count.to_string());
            out.push_str("</strong> 项。</p>\n");
            list_table(out, &g.powers, g.other);
            out.push('\n');
        },
        "",
    );
}

/// `m::table` with `root="../"`: the group pages' table.
fn list_table(out: &mut String, powers: &[Line<'_>], other: &str) {
    out.push_str(
        "\n<table class=\"list\">\n<thead><tr><th>序号</th><th>权力编码</th><th>职权名称</th><th>",
    );
    text(out, other);
    out.push_str("</th><th>法定时限</th><th>承诺时限</th></tr></thead>\n<tbody>\n");
    for p in powers {
        out.push_str("<tr class=\"power\" data-code=\"");
        text(out, p.code);
        out.push_str("\" data-search=\"");
        text(out, p.search);
        out.push_str("\">\n<td class=\"no\">");
        out.push_str(&p.no.to_string());
        out.push_str("</td><td class=\"code\"><code>");
        text(out, p.code);
        out.push_str("</code></td><td class=\"name\"><a href=\"");
        text(out, "../");
        out.push_str("powers/");
        text(out, p.code);
        out.push_str(".html\">");
        text(out, p.name);
        out.push_str("</a></td><td data-label=\"");
        text(out, other);
        out.push_str("\">");
        text(
            out,
            if other == "实施主体" {
                p.department
            } else {
                p.category
            },
        );
        out.push_str("</td><td data-label=\"法定时限\">");
        text(out, p.statutory);
        out.push_str("</td><td data-label=\"承诺时限\">");
        text(out, p.promised);
        out.push_str("</td>\n</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// `power.html`'s `scripts` block, as the template writes it.
const PAGE_SCRIPT: &str = r#"<script>
// No less-than or ampersand here: the page stays well-formed XML.
// On a narrow screen the chart scrolls sideways: it opens on its first step.
for (const f of document.querySelectorAll(".chart-scroll")) {
  if (f.clientWidth >= f.scrollWidth) continue;
  let first = null;
  for (const n of f.querySelectorAll("g.node")) {
    const r = n.getBoundingClientRect();
    if (!first || first.top - 1 > r.top) first = r;
  }
  if (!first) continue;
  const box = f.getBoundingClientRect();
  f.scrollLeft += first.left + first.width / 2 - (box.left + box.width / 2);
}
</script>"#;

/// `power.html`'s `main` block.
fn page_main(out: &mut String, page: &Page<'_>) {
    let p = page.power;
    out.push_str("\n<nav class=\"crumbs\"><a href=\"../index.html\">职权目录</a> › ");
    text(out, &p.category);
    out.push_str(" › ");
    text(out, &p.code);
    out.push_str("</nav>\n<article class=\"power\">\n");
    main_item(out, &p.list);
    out.push_str("<h1>");
    text(out, &p.name);
    out.push_str("</h1>\n");
    elements(out, page.table);
    sections(out, &p.list);
    out.push_str("<section class=\"chart-block");
    if !page.parts.is_empty() {
        out.push_str(" in-parts");
    }
    out.push_str("\">\n<h2>权力运行流程图</h2>\n<p class=\"chart-title\">");
    text(out, &p.name);
    out.push('　');
    text(out, &p.code);
    out.push_str("</p>\n<figure class=\"flowchart whole\" style=\"--chart-max: ");
    number(out, page.chart_max);
    out.push_str("px\">\n<div class=\"chart-scroll\">");
    out.push_str(page.svg);
    out.push_str("</div>\n<figcaption><a href=\"../flowcharts/");
    text(out, &p.code);
    out.push_str(".svg\">SVG 图</a>（打开原图可放大）</figcaption>\n</figure>\n");
    for (i, part) in page.parts.iter().enumerate() {
        out.push_str("<figure class=\"flowchart part\">");
        if i > 0 {
            out.push_str("<p class=\"cont\">");
            text(out, &p.name);
            out.push_str("权力运行流程图（续）</p>");
        }
        out.push_str(part);
        out.push_str("</figure>\n");
    }
    legend(out, page.legend);
    out.push_str("</section>\n");
    under_chart(out, p);
    out.push_str("</article>\n");
}

/// The steps, risks and supervision tables under the chart.
fn under_chart(out: &mut String, p: &PowerView) {
    out.push_str(
        "<section class=\"under-chart\">\n<h2>运行流程</h2>\n<table class=\"steps cards\">\n\
         <thead><tr><th>环节</th><th>承办岗位</th><th>时限</th><th>下一环节</th></tr></thead>\n<tbody>\n",
    );
    for s in &p.steps {
        out.push_str("<tr><td class=\"name\">");
        text(out, &s.name);
        out.push_str("</td><td data-label=\"承办岗位\">");
        opt(out, &s.owner);
        out.push_str("</td><td data-label=\"时限\">");
        opt(out, &s.time);
        if truthy(&s.not_counted) {
            out.push_str("<small>不计入时限：");
            opt(out, &s.not_counted);
            out.push_str("</small>");
        }
        out.push_str("</td><td data-label=\"下一环节\">");
        for (i, e) in s.next.iter().enumerate() {
            text(out, &e.to_name);
            if truthy(&e.when) {
                out.push('（');
                opt(out, &e.when);
                out.push('）');
            }
            if i + 1 < s.next.len() {
                out.push('；');
            }
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    if !p.risks.is_empty() {
        out.push_str(
            "<section class=\"under-chart\">\n<h2>风险点及防控措施</h2>\n<table class=\"risks cards\">\n\
             <thead><tr><th>环节</th><th>风险等级</th><th>风险点</th><th>防控措施</th></tr></thead>\n<tbody>\n",
        );
        for r in &p.risks {
            out.push_str("<tr class=\"risk-");
            text(out, r.class);
            out.push_str("\"><td class=\"name\">");
            text(out, &r.mark);
            out.push(' ');
            text(out, &r.step);
            out.push_str("</td><td class=\"level\" data-label=\"风险等级\"><strong>");
            text(out, r.level);
            out.push_str("</strong></td><td data-label=\"风险点\">");
            opt(out, &r.point);
            out.push_str("</td><td data-label=\"防控措施\">");
            opt(out, &r.control);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>");
    }
    out.push('\n');
    if !p.supervision.is_empty() {
        out.push_str(
            "<section class=\"under-chart\">\n<h2>监督制约</h2>\n<table class=\"supervision cards\">\n\
             <thead><tr><th>环节</th><th>监督主体</th><th>监督方式</th><th>联系方式</th></tr></thead>\n<tbody>\n",
        );
        for s in &p.supervision {
            out.push_str("<tr><td class=\"name\">");
            text(out, &s.step);
            out.push_str("</td><td data-label=\"监督主体\">");
            opt(out, &s.by);
            out.push_str("</td><td data-label=\"监督方式\">");
            opt(out, &s.how);
            out.push_str("</td><td data-label=\"联系方式\">");
            opt(out, &s.contact);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>");
    }
    out.push('\n');
}

/// The row's cells as the 职权要素 table.
fn elements(out: &mut String, table: &[Cell<'_>]) {
    out.push_str("<table class=\"elements\">\n<tbody>\n");
    for cell in table {
        out.push_str("<tr><th scope=\"row\">");
        text(out, cell.label);
        out.push_str("</th><td>");
        for (i, line) in cell.lines.iter().enumerate() {
            text(out, line);
            if i + 1 < cell.lines.len() {
                out.push_str("<br />");
            }
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// `duties::main_item`.
fn main_item(out: &mut String, d: &DutiesView) {
    if truthy(&d.main_item) {
        out.push_str("<p class=\"main-item\">主项：<span class=\"item\">");
        opt(out, &d.main_item);
        out.push_str("</span><span class=\"sub\">（本项为其子项）</span></p>\n");
    }
}

/// `duties::sections`: 责任事项, their bases and 追责情形.
fn sections(out: &mut String, d: &DutiesView) {
    if !d.duties.is_empty() || !d.duty_basis.is_empty() {
        out.push_str("<section class=\"duties\">\n<h2>责任事项</h2>\n");
        if !d.duties.is_empty() {
            out.push_str(
                "<table class=\"duties\">\n<thead><tr><th scope=\"col\" class=\"stage\">责任环节</th>\
                 <th scope=\"col\" class=\"owner\">承办岗位</th><th scope=\"col\" class=\"duty\">责任事项</th>\
                 <th scope=\"col\" class=\"time\">时限</th></tr></thead>\n<tbody>\n",
            );
            for r in &d.duties {
                out.push_str("<tr><td class=\"stage\">");
                text(out, &r.stage);
                out.push_str("</td><td class=\"owner\" data-label=\"承办岗位\">");
                text(out, &r.owner);
                out.push_str("</td><td class=\"duty\">");
                text(out, &r.duty);
                out.push_str("</td><td class=\"time\" data-label=\"时限\">");
                text(out, &r.time);
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        if !d.duty_basis.is_empty() {
            out.push_str("<h3>责任事项依据</h3>\n<ol class=\"basis-lines\">\n");
            lines(out, &d.duty_basis);
            out.push_str("</ol>\n");
        }
        out.push_str("</section>\n");
    }
    if !d.accountability.is_empty() {
        out.push_str(
            "<section class=\"accountability\">\n<h2>追责情形</h2>\n<ol class=\"cases\">\n",
        );
        for a in &d.accountability {
            out.push_str("<li>");
            if !a.case.is_empty() {
                out.push_str("<p class=\"case\">");
                text(out, &a.case);
                out.push_str("</p>");
            }
            if !a.basis.is_empty() {
                out.push_str("<div class=\"cited\"><span class=\"label\">追责依据</span><ul>\n");
                lines(out, &a.basis);
                out.push_str("</ul></div>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
}

/// Each line as `<li>…</li>`, one a line.
fn lines(out: &mut String, lines: &[String]) {
    for b in lines {
        out.push_str("<li>");
        text(out, b);
        out.push_str("</li>\n");
    }
}

/// `m::legend`: the notes under a chart.
fn legend(out: &mut String, blocks: &[LegendBlock]) {
    out.push_str("<div class=\"legend\">\n");
    for b in blocks {
        out.push_str("<div class=\"");
        text(out, b.class);
        out.push_str("\">");
        if let Some(h) = b.heading.filter(|h| !h.is_empty()) {
            out.push_str("<p class=\"heading\">");
            text(out, h);
            out.push_str("</p>");
        }
        for l in &b.lines {
            out.push_str("<p>");
            text(out, l);
            out.push_str("</p>");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

/// `print-power.html`: one power's section of the book.
pub(super) fn book_section(out: &mut String, p: &Section<'_>) {
    let n = int_of(p.no).to_string();
    out.push_str("<style>@page power-");
    out.push_str(&n);
    out.push_str(" { counter-increment: power-");
    out.push_str(&n);
    out.push_str("; @bottom-center { content: \"");
    out.push_str(&n);
    out.push_str("-\" counter(power-");
    out.push_str(&n);
    out.push_str(
        "); } @bottom-right { content: \"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"; \
         font-size: 8pt; color: #5b6270; } }</style>\n<article class=\"power\" id=\"p-",
    );
    text(out, p.code);
    out.push_str("\" style=\"page: power-");
    out.push_str(&n);
    out.push_str("\">\n");
    main_item(out, p.list);
    out.push_str("<h1><span class=\"no\">");
    text(out, p.no);
    out.push_str("</span> ");
    text(out, p.name);
    out.push_str("</h1>\n");
    elements(out, p.table);
    sections(out, p.list);
    if !p.svg.is_empty() {
        out.push_str("<section class=\"chart-block");
        if !p.parts.is_empty() {
            out.push_str(" in-parts");
        }
        out.push_str("\">\n<h2>权力运行流程图</h2>\n<p class=\"chart-title\">");
        text(out, p.name);
        out.push('　');
        text(out, p.code);
        out.push_str("</p>\n");
        if p.parts.is_empty() {
            out.push_str("<figure class=\"flowchart whole\" style=\"--chart-max: ");
            number(out, p.chart_max);
            out.push_str("px\">");
            out.push_str(p.svg);
            out.push_str("</figure>\n");
        } else {
            for (i, part) in p.parts.iter().enumerate() {
                out.push_str("<figure class=\"flowchart part\">");
                if i > 0 {
                    out.push_str("<p class=\"cont\">");
                    text(out, p.name);
                    out.push_str("权力运行流程图（续）</p>");
                }
                out.push_str(part);
                out.push_str("</figure>\n");
            }
        }
        legend(out, p.legend);
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_reads_a_number_as_teras_filter_does() {
        for (s, n) in [
            ("12", 12),
            (" 7 ", 7),
            ("3.9", 3),
            ("3-1", 0),
            ("", 0),
            ("-2", -2),
        ] {
            assert_eq!(int_of(s), n, "{s:?}");
        }
    }

    #[test]
    fn a_catalogues_own_template_turns_its_pages_back_to_tera() {
        let of =
            |names: &[&str]| Builtin::of(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        let b = of(&["index.html", "style.css"]);
        assert!(b.page && b.book && b.group);
        let b = of(&["group.html"]);
        assert!(b.page && b.book && !b.group);
        let b = of(&["base.html"]);
        assert!(!b.page && b.book && !b.group);
        let b = of(&["print-power.html"]);
        assert!(b.page && !b.book);
        let b = of(&["duties.html"]);
        assert!(!b.page && !b.book);
        let b = of(&["macros.html"]);
        assert!(!b.page && !b.book && !b.group);
        let b = of(&["power.html"]);
        assert!(!b.page && b.book);
    }
}

// Opens a built site from the file system in headless Chromium and checks what a
// reader would see: no console errors, the search filters, flowchart boxes do not
// overlap. Saves screenshots. Usage: node check.mjs SITE_DIR SHOTS_DIR
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [site, shots] = process.argv.slice(2).map((p) => resolve(p));
if (!site || !shots) {
  console.error("usage: node check.mjs SITE_DIR SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const errors = [];
page.on("console", (m) => {
  if (m.type() === "error") errors.push(m.text());
});
page.on("pageerror", (e) => errors.push(String(e)));
page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
// Nothing may be fetched from elsewhere: the site works offline.
page.on("request", (r) => {
  if (!r.url().startsWith("file:")) errors.push(`external request: ${r.url()}`);
});

const open = async (rel) => {
  await page.goto(pathToFileURL(`${site}/${rel}`).href, { waitUntil: "load" });
};
const resultCodes = () =>
  page.$$eval("#results tbody tr.power", (rows) =>
    rows.filter((r) => r.offsetParent !== null).map((r) => r.dataset.code),
  );
// Types a query and waits for the search (its data loads on first use) to answer.
const search = async (q) => {
  await page.fill("#q", q);
  await page.waitForFunction(() => /找到/.test(document.getElementById("shown").textContent) || !document.getElementById("q").value);
};

// The front page: counts by category and department, no power listed until asked.
await open("index.html");
const chips = await page.$$eval("#by-category a[data-name]", (a) => a.length);
check(chips === 6, `the front page links each category's page (${chips})`);
check((await page.$$("tr.power")).length === 0, "the front page lists no power before a search");
const givePage = await page.getAttribute('#by-category a[data-name="行政给付"]', "href");
await page.screenshot({ path: `${shots}/index.png`, fullPage: true });

await search("最低生活");
const found = await resultCodes();
check(found.length === 1 && found[0] === "MZ-JF-0001", `search "最低生活" finds its power (${found})`);
check((await page.textContent("#shown")).includes("找到 1 项"), "search reports one power found");
const chip = await page.textContent('#by-category a[data-name="行政给付"] .count');
check(chip.trim() === "1 / 6 项", `the category chips follow the search (${chip})`);
await page.screenshot({ path: `${shots}/index-search.png`, fullPage: true });

await search("行政确认");
check((await resultCodes()).length === 3, "search by category finds its 3 powers");

// A law's name finds the powers that cite it (social organisations: one power).
await search("社会团体登记管理条例");
const byLaw = await resultCodes();
check(byLaw.length === 1 && byLaw[0] === "MZ-XK-0001", `search by a law's name finds the power citing it (${byLaw})`);
await search("劳动保障监察条例");
check((await resultCodes()).length === 3, "a law cited by three powers finds all three");

await search("没有这样的职权");
check((await resultCodes()).length === 0, "a search without a match lists nothing");
check(await page.isVisible("#none"), "and says nothing matched");

await page.fill("#q", "");
check(!(await page.isVisible("#results")), "clearing the search hides the results");
const codes = await page.evaluate(() => window.POWERLIST_INDEX.map((p) => p[0]));
const total = codes.length;

// A category's own page lists its powers and links to them.
await page.click('#by-category a[data-name="行政给付"]');
await page.waitForLoadState("load");
const listedHere = await page.$$eval("tr.power a", (a) => a.map((x) => x.getAttribute("href")));
check(listedHere.length === 6 && listedHere.every((h) => h.startsWith("../powers/")), `the category page lists its 6 powers (${listedHere.length})`);
await page.screenshot({ path: `${shots}/category.png`, fullPage: true });
await page.click("tr.power a");
await page.waitForLoadState("load");
check(page.url().includes("/powers/"), "and its links open the power's page");

// Power pages: the inline flowchart's boxes, measured as laid out by the browser.
const withDuties = [];
for (const code of codes) {
  await open(`powers/${code}.html`);
  const boxes = await page.$$eval("svg.pl-flowchart:not(.part) g.node .box", (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5) overlaps++;
    }
  }
  check(boxes.length > 2 && boxes.every((b) => b.w > 0 && b.h > 0), `${code}: flowchart drawn (${boxes.length} boxes)`);
  check(overlaps === 0, `${code}: no two boxes overlap`);
  // Text wider than its box would show in the browser's own measure.
  const spill = await page.$$eval("svg.pl-flowchart:not(.part) g.node", (gs) =>
    gs.filter((g) => {
      const box = g.querySelector(".box").getBBox();
      return [...g.querySelectorAll("text")].some((t) => {
        const r = t.getBBox();
        return r.x < box.x - 1 || r.x + r.width > box.x + box.width + 1;
      });
    }).length,
  );
  check(spill === 0, `${code}: every line of text stays inside its box's width`);
  // The 责任事项 table (when the power has one): its columns in the 权责清单's
  // order, each wide enough to read.
  const duties = await page.$$eval("table.duties", (ts) =>
    ts.map((t) => ({
      heads: [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim()).join("|"),
      narrow: [...t.querySelectorAll("td")].filter((td) => td.getBoundingClientRect().width < 40).length,
    })),
  );
  if (duties.length) {
    withDuties.push(code);
    check(duties[0].heads === "责任环节|承办岗位|责任事项|时限", `${code}: the 责任事项 columns (${duties[0].heads})`);
    check(duties[0].narrow === 0, `${code}: every 责任事项 column keeps a readable width`);
  }
  if (code === "MZ-XK-0001" || code === "MZ-CF-0001") {
    await page.screenshot({ path: `${shots}/${code}.png`, fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: `${shots}/${code}-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });
  }
}

// A phone, 375 px wide: no page scrolls sideways, no two lines of text overlap,
// and the chart keeps readable text in its own sideways scroll.
await page.setViewportSize({ width: 375, height: 800 });
for (const rel of ["index.html", givePage, "powers/MZ-JF-0001.html"]) {
  await open(rel);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 376, `${rel} at 375 px: nothing runs off the side (${wide} px)`);
  const overlaps = await page.evaluate(() => {
    const boxes = [];
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest("svg, [hidden]")) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push(r);
    }
    let count = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (ox > 2 && oy > 2) count++;
      }
    return count;
  });
  check(overlaps === 0, `${rel} at 375 px: no two pieces of text overlap (${overlaps})`);
  await page.screenshot({ path: `${shots}/phone-${rel.replace(/\W+/g, "-")}.png`, fullPage: true });
}
// A phone lands on the chart's start, reads its legend whole and every table
// without scrolling sideways: no cell narrower than two characters.
const narrowCells = () =>
  page.evaluate(() =>
    [...document.querySelectorAll("main td, main th")]
      .filter((c) => c.getClientRects().length && c.textContent.trim())
      .filter((c) => {
        // The room for text: the cell's width without its padding.
        const st = getComputedStyle(c);
        const room = c.getBoundingClientRect().width - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - parseFloat(st.borderLeftWidth) - parseFloat(st.borderRightWidth);
        return room < 2 * parseFloat(st.fontSize);
      })
      .map((c) => c.textContent.trim().slice(0, 12)),
  );
for (const code of ["RS-CF-0001", "MZ-XK-0001", "MZ-JF-0001"]) {
  await open(`powers/${code}.html`);
  const start = await page.evaluate(() => {
    const nodes = [...document.querySelectorAll("svg.pl-flowchart:not(.part) g.node")].map((n) => n.getBoundingClientRect());
    const top = Math.min(...nodes.map((r) => r.top));
    const first = nodes.find((r) => r.top === top);
    return { left: first.left, right: first.right, width: innerWidth };
  });
  check(start.left >= 0 && start.right <= start.width, `${code} at 375 px: the chart opens on its start box (${start.left.toFixed(0)}–${start.right.toFixed(0)} px)`);
  const narrow = await narrowCells();
  check(narrow.length === 0, `${code} at 375 px: no table cell is narrower than two characters (${narrow.slice(0, 5).join(" | ")})`);
  const legend = await page.evaluate(() => {
    const l = document.querySelector(".chart-block .legend");
    if (!l) return { ok: false, text: "" };
    const inside = [...l.querySelectorAll("p")].filter((p) => p.getClientRects().length).every((p) => p.getBoundingClientRect().right <= innerWidth + 0.5);
    return { ok: inside && l.scrollWidth <= l.clientWidth, text: l.innerText };
  });
  check(legend.ok && legend.text.includes("承办机构："), `${code} at 375 px: the chart's legend is read whole, within the screen`);
  const tall = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`     ${code} at 375 px is ${tall} px tall`);
  await page.screenshot({ path: `${shots}/phone-${code}.png`, fullPage: true });
}
for (const rel of ["index.html", givePage]) {
  await open(rel);
  const narrow = await narrowCells();
  check(narrow.length === 0, `${rel} at 375 px: no table cell is narrower than two characters (${narrow.slice(0, 5).join(" | ")})`);
}

// The 责任事项 on a phone: one card a stage, nothing wider than the screen.
for (const code of withDuties.slice(0, 3)) {
  await open(`powers/${code}.html`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const cards = await page.$eval("table.duties", (t) => getComputedStyle(t.querySelector("thead")).display === "none" && getComputedStyle(t.querySelector("tr")).display === "block");
  check(wide <= 376 && cards, `${code} at 375 px: the 责任事项 are cards within the screen (${wide} px)`);
}
if (withDuties.length) await open("powers/MZ-JF-0001.html");
const chartText = await page.$eval("svg.pl-flowchart text", (t) => t.getBoundingClientRect().height);
check(chartText >= 10, `the chart's text stays readable on a phone (${chartText.toFixed(1)} px)`);
await page.setViewportSize({ width: 1200, height: 900 });

// Printed to A4: the heading 权力运行流程图 starts the page its chart is on, and
// risks and supervision are printed once (in the chart's footer).
await page.emulateMedia({ media: "print" });
await open("powers/MZ-JF-0001.html");
const pdf = `${shots}/MZ-JF-0001.pdf`;
await page.pdf({ path: pdf, format: "A4", printBackground: true });
const pages = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).split("\f");
const chartPage = pages.findIndex((p) => p.includes("权力运行流程图"));
check(chartPage >= 0, `the printed page has the chart heading (${pages.length} pages)`);
const onIt = pages[chartPage] || "";
// The chart's title and first step at its top, its footer's last lines at its bottom.
check(
  onIt.includes("MZ-JF-0001") && onIt.includes("向乡镇人民政府") && onIt.includes("投诉举报：") && onIt.includes("承办机构："),
  `the whole chart is on the printed page of its heading (page ${chartPage + 1})`,
);
const all = pages.join("");
const times = (s) => all.split(s).length - 1;
check(times("风险点及防控措施") === 1 && times("监督制约") <= 1, "risks and supervision print once, under the chart");
execFileSync("pdftoppm", ["-png", "-r", "50", pdf, `${shots}/MZ-JF-0001-print`]);
// A chart too tall for one page prints in parts cut between its layers: the
// heading's page starts the chart, a later page goes on with 「（续）」 and ends
// with the footer, and the text keeps a readable size (no shrinking to fit).
await open("powers/MZ-QR-0002.html");
const tallPdf = `${shots}/MZ-QR-0002.pdf`;
await page.pdf({ path: tallPdf, format: "A4", printBackground: true });
const tallPages = execFileSync("pdftotext", ["-layout", tallPdf, "-"], { encoding: "utf8" }).split("\f");
const headingPage = tallPages.findIndex((p) => p.includes("权力运行流程图") && !p.includes("（续）"));
const goesOn = tallPages.findIndex((p) => p.includes("权力运行流程图（续）"));
check(
  headingPage >= 0 && tallPages[headingPage].includes("查验材料") && tallPages[headingPage].includes("MZ-QR-0002"),
  `a tall chart starts on its heading's printed page (page ${headingPage + 1})`,
);
check(
  goesOn === headingPage + 1 && tallPages[goesOn].includes("承办机构："),
  `a tall chart goes on, marked 续, on the next page down to its footer (page ${goesOn + 1})`,
);
const sizes = execFileSync("pdftotext", ["-bbox", "-f", `${headingPage + 1}`, "-l", `${headingPage + 1}`, tallPdf, "-"], { encoding: "utf8" })
  .split("\n")
  .filter((l) => l.includes(">公告查找被收养人的生父母<"))
  .map((l) => {
    // A CJK character is one em wide: the word's width over its 12 characters is the font size.
    const m = l.match(/xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/);
    return m ? (Number(m[2]) - Number(m[1])) / 12 : 0;
  });
check(sizes.length > 0 && sizes[0] >= 7, `a tall chart's step names print at 7 pt or more (${sizes.map((s) => s.toFixed(1))} pt)`);
execFileSync("pdftoppm", ["-png", "-r", "40", tallPdf, `${shots}/MZ-QR-0002-print`]);
// The chart shows the steps: their table is not printed a second time.
const printedSteps = await page.$$eval("table.steps td", (tds) => tds.filter((td) => td.getClientRects().length).length);
check(printedSteps === 0, `printed, the steps are the chart's, not a second table (${printedSteps} cells, ${tallPages.length} pages)`);

// Printed powers take the pages their content needs (table, 责任事项, their
// 依据 and 追责情形, the chart and its notes: nothing twice), and no page
// holds a lone row or a lone footer: every page has at least six lines of
// text besides its page number (a row, an item or the chart's footer alone
// takes fewer), and every page is numbered.
const bodyLines = (text) =>
  text.split("\n").filter((l) => l.trim() && !/^\s*(第\s*\d+\s*页\s*共\s*\d+\s*页|\d+-\d+)(\s+第\s*\d+\s*页\s*共\s*\d+\s*页)?\s*$/.test(l));
const numbered = (text) => /第\s*\d+\s*页\s*共\s*\d+\s*页/.test(text);
const radicals = (text) => [...text].filter((c) => (c.codePointAt(0) >= 0x2e80 && c.codePointAt(0) <= 0x2eff) || (c.codePointAt(0) >= 0x2f00 && c.codePointAt(0) <= 0x2fdf)).length;
for (const [code, most] of [["RS-CF-0001", 8], ["MZ-XK-0001", 7], ["MZ-JF-0001", 5]]) {
  await open(`powers/${code}.html`);
  const file = `${shots}/${code}.pdf`;
  await page.pdf({ path: file, format: "A4", printBackground: true });
  const printed = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").slice(0, -1);
  check(printed.length <= most, `${code} prints in ${printed.length} pages (at most ${most})`);
  const thin = printed.map((p, i) => [i + 1, bodyLines(p).length]).filter(([, n]) => n < 6);
  check(thin.length === 0, `${code}: no printed page holds a lone row or a lone footer (${thin.map(([i, n]) => `page ${i}: ${n} lines`).join(", ")})`);
  check(printed.every(numbered), `${code}: every printed page is numbered`);
  check(radicals(printed.join("")) === 0, `${code}: the printed text extracts as written (no Kangxi radicals)`);
  execFileSync("pdftoppm", ["-png", "-r", "40", file, `${shots}/${code}-print`]);
}

await page.emulateMedia({ media: "screen" });

// The book: cover, contents, each power from a new page.
await open("print.html");
check((await page.textContent(".cover h1")).length > 0, "print.html has a cover with the title");
const listed = await page.$$eval(".contents li", (l) => l.length);
const articles = await page.$$eval("article.power", (a) => a.length);
check(listed === total && articles === listed, `print.html: contents and one section per power (${listed}, ${articles})`);
await page.emulateMedia({ media: "print" });
const book = `${shots}/print.pdf`;
await page.pdf({ path: book, format: "A4", printBackground: true });
const bookPages = execFileSync("pdftotext", ["-layout", book, "-"], { encoding: "utf8" }).split("\f");
check(bookPages.length > articles + 2, `the book prints each power from a new page (${bookPages.length} pages)`);
const bookGoesOn = bookPages.findIndex((p) => p.includes("收养登记权力运行流程图（续）"));
check(bookGoesOn > 0 && bookPages[bookGoesOn - 1].includes("权力运行流程图"), `the book prints a tall chart in parts, the second marked 续 (page ${bookGoesOn + 1})`);
// Every page of the book is numbered, each power's pages also within it
// (3-1, 3-2 …), and its contents give the page each power starts on.
check(bookPages.slice(0, -1).every(numbered), `every page of the book is numbered (${bookPages.length - 1} pages)`);
const contents = bookPages.findIndex((p) => p.includes("页码"));
const entries = [...(bookPages[contents] || "").matchAll(/([A-Z]{2}-[A-Z]{2}-\d{4})\s+(\d+-1)\s*$/gm)].map((m) => [m[1], m[2]]);
const lands = entries.filter(([code, no]) => {
  const at = bookPages.findIndex((p) => new RegExp(`^\\s*${no}(\\s|$)`, "m").test(p));
  return at >= 0 && bookPages[at].includes(code);
});
check(entries.length === articles && lands.length === entries.length, `the book's contents give each power's first page, and it is there (${lands.length} of ${entries.length})`);
const bookRadicals = radicals(bookPages.join(""));
check(bookRadicals === 0 && bookPages.join("").includes("人民"), `the book's text extracts as written: 「人民」, no Kangxi radicals (${bookRadicals})`);
// (The cover holds its title, organisation and count: no more.)
const thinBook = bookPages.slice(1, -1).map((p, i) => [i + 2, bodyLines(p).length]).filter(([, n]) => n < 6);
check(thinBook.length === 0, `no page of the book holds a lone row or a lone footer (${thinBook.map(([i, n]) => `page ${i}: ${n} lines`).join(", ")})`);
execFileSync("pdftoppm", ["-png", "-r", "40", "-l", "4", book, `${shots}/print`]);
await page.emulateMedia({ media: "screen" });

check(errors.length === 0, `no console errors or outside requests${errors.length ? ": " + errors.join("; ") : ""}`);
await browser.close();
if (failures.length) {
  console.error(`${failures.length} browser check(s) failed`);
  process.exit(1);
}

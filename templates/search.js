// Search of the 职权目录 from the front page. The data (search-data.js, one
// entry per public power) is loaded only when the reader first types; it works
// from the file system, and nothing is fetched from elsewhere. Results are built
// with textContent, so no text from the catalogue is ever read as markup.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input) { return; }
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  var results = document.getElementById("results");
  var body = results.querySelector("tbody");
  var more = document.getElementById("more");
  var chips = Array.prototype.slice.call(document.querySelectorAll("a[data-name]"));
  var LIMIT = 200;
  var data = null;
  var loading = false;

  function terms() {
    return input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function load() {
    if (loading) { return; }
    loading = true;
    var s = document.createElement("script");
    s.src = "search-data.js";
    s.onload = function () {
      data = (window.POWERLIST_INDEX || []).map(function (p) {
        return { p: p, hay: p.join(" ").toLowerCase() };
      });
      render();
    };
    document.head.appendChild(s);
  }

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  // The chips and department links show how many of their powers match.
  function counts(byName) {
    chips.forEach(function (chip) {
      var count = chip.querySelector(".count");
      var total = count.getAttribute("data-total");
      var name = chip.getAttribute("data-name");
      if (byName) {
        var n = byName[name] || 0;
        count.textContent = n + " / " + total + " 项";
        chip.classList.toggle("dim", n === 0);
      } else {
        count.textContent = total + " 项";
        chip.classList.remove("dim");
      }
    });
  }

  function render() {
    var t = terms();
    if (!t.length) {
      results.hidden = true;
      none.hidden = true;
      shown.textContent = "";
      counts(null);
      return;
    }
    if (!data) { shown.textContent = "正在载入……"; load(); return; }
    var hits = data.filter(function (d) {
      return t.every(function (term) { return d.hay.indexOf(term) >= 0; });
    });
    var byName = {};
    hits.forEach(function (d) {
      byName[d.p[2]] = (byName[d.p[2]] || 0) + 1;
      byName[d.p[3]] = (byName[d.p[3]] || 0) + 1;
    });
    counts(byName);
    while (body.firstChild) { body.removeChild(body.firstChild); }
    hits.slice(0, LIMIT).forEach(function (d) {
      var row = document.createElement("tr");
      row.className = "power";
      row.setAttribute("data-code", d.p[0]);
      cell(row, d.p[0]);
      cell(row, d.p[1], "powers/" + encodeURIComponent(d.p[0]) + ".html");
      cell(row, d.p[2]);
      cell(row, d.p[3]);
      body.appendChild(row);
    });
    more.hidden = hits.length <= LIMIT;
    more.textContent = "只列出前 " + LIMIT + " 项，请再输入关键词缩小范围。";
    results.hidden = hits.length === 0;
    none.hidden = hits.length > 0;
    shown.textContent = "找到 " + hits.length + " 项";
  }

  input.addEventListener("input", render);
  var form = document.getElementById("search");
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); }); }
  render();
})();

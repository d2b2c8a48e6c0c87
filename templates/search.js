// In-page search of the 职权目录: hides the rows that do not match and keeps the
// group counts right. Works from the file system; nothing is fetched.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.power"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  if (!input) { return; }
  function apply() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
    var codes = {};
    rows.forEach(function (row) {
      var hay = (row.getAttribute("data-search") || "").toLowerCase();
      var hit = terms.every(function (t) { return hay.indexOf(t) >= 0; });
      row.hidden = !hit;
      // Every power is listed twice (by category, by department): count it once.
      if (hit) { codes[row.getAttribute("data-code")] = true; }
    });
    groups.forEach(function (g) {
      var visible = g.querySelectorAll("tr.power:not([hidden])").length;
      var count = g.querySelector(".count");
      if (count) {
        var total = count.getAttribute("data-total");
        count.textContent = terms.length ? visible + " / " + total + " 项" : total + " 项";
      }
      g.hidden = visible === 0;
    });
    var n = Object.keys(codes).length;
    shown.textContent = terms.length ? "找到 " + n + " 项" : "";
    none.hidden = !(terms.length && n === 0);
  }
  input.addEventListener("input", apply);
  var form = document.getElementById("search");
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); }); }
  apply();
})();

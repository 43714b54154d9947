// A sortable, filterable table over data a generated script put in window.TIFA_TABLES
// (see analysis/slogan_pages.py). No library, no network: it works from file:// too.
(function () {
  var PAGE = 200;
  function build(root) {
    var data = (window.TIFA_TABLES || {})[root.getAttribute("data-table")];
    if (!data || root.getAttribute("data-built")) return;
    root.setAttribute("data-built", "1");
    var state = { sort: data.sort || 0, desc: true, text: "", kind: "", shown: PAGE };
    var bar = document.createElement("div");
    bar.className = "tifa-table-bar";
    var input = document.createElement("input");
    input.type = "search"; input.placeholder = data.placeholder || "筛选：输入提法中的字词"; input.className = "md-input";
    var select = document.createElement("select");
    select.innerHTML = '<option value="">全部类型</option>' + data.kinds.map(function (k) {
      return "<option>" + esc(k) + "</option>"; }).join("");
    var count = document.createElement("span");
    bar.appendChild(input); bar.appendChild(select); bar.appendChild(count);
    var table = document.createElement("table");
    var more = document.createElement("button");
    more.className = "md-button"; more.textContent = "显示更多";
    root.appendChild(bar); root.appendChild(table); root.appendChild(more);
    input.addEventListener("input", function () { state.text = input.value.trim(); state.shown = PAGE; draw(); });
    select.addEventListener("change", function () { state.kind = select.value; state.shown = PAGE; draw(); });
    more.addEventListener("click", function () { state.shown += PAGE; draw(); });
    function draw() {
      var rows = data.rows.filter(function (r) {
        return (!state.text || r[0].indexOf(state.text) >= 0) && (!state.kind || r[1] === state.kind);
      });
      var i = state.sort, sign = state.desc ? -1 : 1;
      rows.sort(function (a, b) { return (a[i] > b[i] ? 1 : a[i] < b[i] ? -1 : 0) * sign; });
      var head = "<thead><tr>" + data.columns.map(function (c, j) {
        var mark = j === state.sort ? (state.desc ? " ▼" : " ▲") : "";
        return '<th data-col="' + j + '" style="cursor:pointer">' + esc(c) + mark + "</th>"; }).join("") + "</tr></thead>";
      var body = rows.slice(0, state.shown).map(function (r) {
        return "<tr>" + r.slice(0, data.columns.length).map(function (v, j) {
          var cell = v === null ? "—" : esc(String(v));
          if (j === 0 && r[data.columns.length]) cell = '<a href="' + esc(r[data.columns.length]) + '">' + cell + "</a>";
          return "<td>" + cell + "</td>"; }).join("") + "</tr>"; }).join("");
      table.innerHTML = head + "<tbody>" + body + "</tbody>";
      count.textContent = "共 " + rows.length + " 个，显示 " + Math.min(rows.length, state.shown) + " 个";
      more.style.display = rows.length > state.shown ? "" : "none";
      table.querySelectorAll("th").forEach(function (th) {
        th.addEventListener("click", function () {
          var j = +th.getAttribute("data-col");
          state.desc = j === state.sort ? !state.desc : j !== 0 && j !== 1;
          state.sort = j; draw(); }); });
    }
    draw();
  }
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  // ---- Markdown tables made sortable (and filterable) in place: <div class="tifa-sortable" markdown> ----
  // Text sorts in natural order (第十届 before 第十二届; numbers in Arabic or Chinese numerals by value, as
  // analysis/names.natural_key), numbers (1,234 or a year range's first year) by value; empty cells last.
  var CN = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNITS = { "十": 10, "百": 100, "千": 1000 };
  function chineseNumber(t) {
    var total = 0, digit = null, units = false, i;
    for (i = 0; i < t.length; i++) if (UNITS[t[i]]) units = true;
    if (!units) { for (i = 0; i < t.length; i++) total = total * 10 + CN[t[i]]; return total; }
    for (i = 0; i < t.length; i++) {
      if (UNITS[t[i]]) { total += (digit === null ? 1 : digit) * UNITS[t[i]]; digit = null; }
      else digit = CN[t[i]];
    }
    return total + (digit || 0);
  }
  function naturalKey(text) {
    return text.replace(/\d+|[〇零一二两三四五六七八九十百千]+/g, function (n) {
      var v = /^\d+$/.test(n) ? parseInt(n, 10) : chineseNumber(n);
      return ("000000000000" + v).slice(-12); });
  }
  var NUMERIC = /^-?[\d,]+(\.\d+)?%?(\s*[–-]\s*\d+)?$/;
  function cellKey(td) {
    var text = td.textContent.trim();
    if (text === "" || text === "—" || text === "不详") return null;
    if (NUMERIC.test(text)) return parseFloat(text.replace(/,/g, ""));
    return naturalKey(text);
  }
  function sortable(root) {
    var table = root.querySelector("table");
    if (!table || !table.tBodies.length || !table.tHead || root.getAttribute("data-built")) return;
    root.setAttribute("data-built", "1");
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (tr) { return Array.prototype.map.call(tr.cells, cellKey); });
    rows.forEach(function (tr, i) { tr._tifaKeys = keys[i]; tr._tifaOrder = i; });
    var state = { col: -1, desc: false, text: "", value: "" };
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var bar = document.createElement("div"), count = document.createElement("span"), input, select;
    bar.className = "tifa-table-bar";
    var filterCol = root.hasAttribute("data-select") ? +root.getAttribute("data-select") : -1;
    if (root.hasAttribute("data-filter")) {
      input = document.createElement("input");
      input.type = "search"; input.className = "md-input"; input.placeholder = root.getAttribute("data-filter");
      input.addEventListener("input", function () { state.text = input.value.trim(); draw(); });
      bar.appendChild(input);
    }
    if (filterCol >= 0) {
      var seen = {};
      rows.forEach(function (tr) { seen[tr.cells[filterCol].textContent.trim()] = 1; });
      select = document.createElement("select");
      select.innerHTML = '<option value="">全部' + esc(heads[filterCol].textContent.trim()) + "</option>" +
        Object.keys(seen).sort().map(function (v) { return "<option>" + esc(v) + "</option>"; }).join("");
      select.addEventListener("change", function () { state.value = select.value; draw(); });
      bar.appendChild(select);
    }
    if (input || select) { bar.appendChild(count); root.insertBefore(bar, root.firstChild); }
    heads.forEach(function (th, j) {
      th.style.cursor = "pointer";
      th.title = "点击排序";
      th.setAttribute("aria-sort", "none");
      th.appendChild(document.createElement("span")).className = "tifa-sort-mark";
      th.addEventListener("click", function () {
        // numbers start from the largest, text from the first; a second click turns the order round
        state.desc = j === state.col ? !state.desc : typeof firstKey(j) === "number";
        state.col = j; draw(); });
    });
    function firstKey(j) {
      for (var i = 0; i < rows.length; i++) if (rows[i]._tifaKeys[j] !== null) return rows[i]._tifaKeys[j];
      return null;
    }
    function compare(a, b) {
      var x = a._tifaKeys[state.col], y = b._tifaKeys[state.col];
      if (x === null || y === null) return x === y ? a._tifaOrder - b._tifaOrder : x === null ? 1 : -1;
      var c = x < y ? -1 : x > y ? 1 : 0;
      return (state.desc ? -c : c) || a._tifaOrder - b._tifaOrder;
    }
    function draw() {
      var sorted = state.col < 0 ? rows.slice() : rows.slice().sort(compare), shown = 0;
      sorted.forEach(function (tr) {
        var ok = (!state.text || tr.textContent.indexOf(state.text) >= 0) &&
                 (!state.value || tr.cells[filterCol].textContent.trim() === state.value);
        tr.style.display = ok ? "" : "none";
        if (ok) shown++;
        body.appendChild(tr);
      });
      heads.forEach(function (th, j) {
        th.setAttribute("aria-sort", j !== state.col ? "none" : state.desc ? "descending" : "ascending");
        th.querySelector(".tifa-sort-mark").textContent = j !== state.col ? "" : state.desc ? " ▼" : " ▲";
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 行";
    }
    draw();
  }
  window.TIFA_NATURAL_KEY = naturalKey;
  function all() {
    document.querySelectorAll("div.tifa-table").forEach(build);
    document.querySelectorAll("div.tifa-sortable").forEach(sortable);
  }
  if (typeof document$ !== "undefined") document$.subscribe(all);
  else document.addEventListener("DOMContentLoaded", all);
})();

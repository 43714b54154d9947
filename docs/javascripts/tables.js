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
  function all() { document.querySelectorAll("div.tifa-table").forEach(build); }
  if (typeof document$ !== "undefined") document$.subscribe(all);
  else document.addEventListener("DOMContentLoaded", all);
})();

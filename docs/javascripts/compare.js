// The compare page's own comparisons: the reader picks two periods or groups and the keyness table is
// computed here with the statistics of analysis/keyness.py (G², log ratio, Benjamini–Hochberg q-values,
// minimum document frequency). The data (compare-data.js, written by analysis/compare_page.py) is a
// script, loaded once on first use: pages opened from file:// may not fetch local files.
(function () {
  var FDR = 0.05;
  var RED = "#c0392b", BLUE = "#2471a3";

  // ---- statistics (the same formulas as analysis/keyness.py) ----
  function logLikelihood(a, b, sizeA, sizeB) {
    var total = sizeA + sizeB;
    if (total <= 0) return 0;
    var expA = sizeA * (a + b) / total, expB = sizeB * (a + b) / total, g2 = 0;
    if (a > 0) g2 += a * Math.log(a / expA);
    if (b > 0) g2 += b * Math.log(b / expB);
    return 2 * g2;
  }
  function logRatio(a, b, sizeA, sizeB) {
    return Math.log2(((a || 0.5) / sizeA) / ((b || 0.5) / sizeB));
  }
  // erfc(x) for x >= 0: the power series of erf below 2.5, a continued fraction above (both ~1e-13)
  function erfc(x) {
    if (x < 2.5) {
      var sum = x, term = x, x2 = x * x;
      for (var n = 1; n < 200; n++) {
        term *= -x2 / n;
        var t = term / (2 * n + 1);
        sum += t;
        if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
      }
      return 1 - 2 / Math.sqrt(Math.PI) * sum;
    }
    var f = x;
    for (var k = 80; k >= 1; k--) f = x + (k / 2) / f;
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
  function pValue(g2) { return erfc(Math.sqrt(Math.max(g2, 0) / 2)); }
  function qValues(p) {
    var m = p.length, order = p.map(function (_, i) { return i; });
    order.sort(function (i, j) { return p[i] - p[j] || i - j; });
    var q = new Array(m), running = 1;
    for (var rank = m; rank >= 1; rank--) {
      var i = order[rank - 1];
      running = Math.min(running, p[i] * m / rank);
      q[i] = running;
    }
    return q;
  }

  // ---- groups of documents ----
  function groupOf(by, spec) {
    if (by === "year") {
      var m = /^\s*(\d{4})\s*(?:[-–—~～至到]\s*(\d{4})\s*)?$/.exec(spec);
      if (!m) return null;
      var low = +m[1], high = m[2] ? +m[2] : low;
      return { spec: spec, test: function (v) { return v !== null && v >= low && v <= high; } };
    }
    return { spec: spec, test: function (v) { return v !== null && String(v).trim() === spec; } };
  }
  function yearSpec(low, high) { return low === high ? String(low) : low + "-" + high; }

  function keyness(data, by, ga, gb, minDocs) {
    var docs = data.documents, values = docs[by], n = docs.characters.length;
    var inA = [], inB = [], sizeA = 0, sizeB = 0, nA = 0, nB = 0;
    for (var d = 0; d < n; d++) {
      inA.push(ga.test(values[d])); inB.push(gb.test(values[d]));
      if (inA[d]) { sizeA += docs.characters[d]; nA++; }
      if (inB[d]) { sizeB += docs.characters[d]; nB++; }
    }
    var out = { docsA: nA, docsB: nB, sizeA: sizeA, sizeB: sizeB, rows: [] };
    if (!nA || !nB || sizeA <= 0 || sizeB <= 0) return out;
    data.slogans.forEach(function (slogan, s) {
      var pairs = data.counts[s], a = 0, b = 0, da = 0, db = 0;
      for (var k = 0; k < pairs.length; k += 2) {
        if (inA[pairs[k]]) { a += pairs[k + 1]; da++; }
        if (inB[pairs[k]]) { b += pairs[k + 1]; db++; }
      }
      if (a + b === 0 || da + db < minDocs) return;
      var g2 = logLikelihood(a, b, sizeA, sizeB), lr = logRatio(a, b, sizeA, sizeB);
      out.rows.push({ slogan: slogan, link: data.links[s], count_a: a, count_b: b, docs_a: da, docs_b: db,
                      rate_a: a / sizeA * 10000, rate_b: b / sizeB * 10000, g2: g2, p_value: pValue(g2),
                      log_ratio: lr, key_for: lr > 0 ? "A" : "B" });
    });
    var q = qValues(out.rows.map(function (r) { return r.p_value; }));
    out.rows.forEach(function (r, i) { r.q_value = q[i]; r.significant = q[i] < FDR; });
    out.rows.sort(function (x, y) {
      return y.g2 - x.g2 || (x.slogan < y.slogan ? -1 : x.slogan > y.slogan ? 1 : 0); });
    return out;
  }

  // ---- showing it ----
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function formatQ(q) {   // as analysis/compare_page.format_q
    if (q >= 0.001) return q.toFixed(3);
    var parts = q.toExponential(1).split("e");
    return parts[0] + "e" + (+parts[1]);
  }
  var COLUMNS = [["count_a", "A 次数", String], ["count_b", "B 次数", String], ["docs_a", "A 篇", String],
                 ["docs_b", "B 篇", String], ["rate_a", "A 每万字", function (v) { return v.toFixed(2); }],
                 ["rate_b", "B 每万字", function (v) { return v.toFixed(2); }],
                 ["g2", "G²", function (v) { return v.toFixed(1); }], ["q_value", "q", formatQ],
                 ["log_ratio", "log ratio", function (v) { return v.toFixed(2); }]];
  function table(rows, side) {
    var head = "<tr><th>提法</th>" + COLUMNS.map(function (c) {
      return '<th style="text-align:right">' + c[1] + "</th>"; }).join("") + "</tr>";
    var body = rows.map(function (r) {
      var name = r.link ? '<a href="slogans/' + esc(r.link) + '">' + esc(r.slogan) + "</a>" : esc(r.slogan);
      return '<tr data-slogan="' + esc(r.slogan) + '"><td style="white-space:nowrap">' + name + "</td>" + COLUMNS.map(function (c) {
        return '<td style="text-align:right" data-column="' + c[0] + '" data-value="' + r[c[0]] + '">' +
          c[2](r[c[0]]) + "</td>"; }).join("") + "</tr>"; }).join("");
    return '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table data-side="' + side + '"><thead>' + head + "</thead><tbody>" + body + "</tbody></table></div></div>";
  }
  function render(root, result, labels, by, minDocs, top) {
    var sig = result.rows.filter(function (r) { return r.significant; });
    var keyA = sig.filter(function (r) { return r.key_for === "A"; }).slice(0, top);
    var keyB = sig.filter(function (r) { return r.key_for === "B"; }).slice(0, top);
    var summary = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table data-groups>' +
      "<thead><tr><th>组</th><th>选择</th><th>文档</th><th>字数</th></tr></thead><tbody>" +
      [["A", labels[0], result.docsA, result.sizeA], ["B", labels[1], result.docsB, result.sizeB]].map(function (g) {
        return "<tr><td>" + g[0] + "</td><td>" + esc(by + " " + g[1]) + '</td><td data-value="' + g[2] + '">' + g[2] +
          '</td><td data-value="' + g[3] + '">' + g[3].toLocaleString("en-US") + "</td></tr>"; }).join("") +
      "</tbody></table></div></div>";
    var html = summary;
    if (!result.docsA || !result.docsB) {
      html += "<p>" + (!result.docsA ? "A" : "B") + " 组没有文档，请换一个选择。</p>";
    } else {
      html += '<p class="tifa-compare-note">检验了 <span data-tested>' + result.rows.length + "</span> 个提法（两组合计至少见于 " +
        minDocs + " 篇文档），其中 <span data-significant>" + sig.length + "</span> 个显著（q ＜ 0.05）。下表各列出前 " +
        Math.max(keyA.length, keyB.length) + " 个（按 G² 排列）。</p>" +
        '<div class="tifa-compare-chart" style="min-height:700px"></div>' +
        "<h2>A 组（" + esc(labels[0]) + "）的关键提法</h2>" + table(keyA, "A") +
        "<h2>B 组（" + esc(labels[1]) + "）的关键提法</h2>" + table(keyB, "B");
    }
    // the new headings take the ids of the ones they replace, so the page's table of contents still leads there
    var ids = Array.prototype.map.call(root.querySelectorAll("h2[id]"), function (h) { return h.id; });
    root.innerHTML = html;
    Array.prototype.forEach.call(root.querySelectorAll("h2"), function (h, i) {
      if (!ids[i]) return;
      h.id = ids[i];
      document.querySelectorAll('.md-nav--secondary a[href="#' + ids[i] + '"]').forEach(function (a) {
        a.textContent = h.textContent; });
    });
    var chart = root.querySelector(".tifa-compare-chart");
    if (chart) drawChart(chart, keyA.slice(0, 15).concat(keyB.slice(0, 15)), labels);
  }
  function drawChart(div, rows, labels) {   // as analysis/charts.keyness_bars
    if (typeof Plotly === "undefined") {   // plotly.js is loaded on first use (charts.js)
      if (window.tifaPlotly) window.tifaPlotly(function () { drawChart(div, rows, labels); });
      return;
    }
    rows = rows.slice().sort(function (x, y) { return x.log_ratio - y.log_ratio; });
    var layout = { title: { text: "关键提法：右侧偏向 A（" + labels[0] + "），左侧偏向 B（" + labels[1] + "）" },
                   xaxis: { title: { text: "log ratio（log2 频率比）" } }, yaxis: { dtick: 1, automargin: true },
                   height: 700, margin: { l: 50, r: 20, t: 50, b: 50 } };
    if (window.TIFA_PLOTLY_TEMPLATE) layout.template = window.TIFA_PLOTLY_TEMPLATE;
    Plotly.newPlot(div, [{ type: "bar", orientation: "h", x: rows.map(function (r) { return r.log_ratio; }),
      y: rows.map(function (r) { return r.slogan; }),
      marker: { color: rows.map(function (r) { return r.log_ratio > 0 ? RED : BLUE; }) },
      customdata: rows.map(function (r) { return [r.count_a, r.count_b, r.g2]; }),
      hovertemplate: "%{y}<br>A：%{customdata[0]} 次，B：%{customdata[1]} 次<br>G²=%{customdata[2]:.1f}，" +
                     "log ratio=%{x:.2f}<extra></extra>" }], layout, { responsive: true, displaylogo: false });
  }

  // ---- the controls ----
  function load(src, done) {   // the data script, once per page
    if (window.TIFA_COMPARE) return done();
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () { done(); };
    script.onerror = function () { done("数据文件 " + src + " 无法加载"); };
    document.head.appendChild(script);
  }
  function options(values, chosen) {
    return values.map(function (v) {
      return "<option" + (String(v) === String(chosen) ? " selected" : "") + ' value="' + esc(v) + '">' + esc(v) +
        "</option>"; }).join("");
  }
  function distinct(list) {
    var seen = {};
    list.forEach(function (v) { if (v !== null && String(v).trim() !== "") seen[v] = 1; });
    return Object.keys(seen).sort(function (x, y) { return isNaN(x) || isNaN(y) ? (x < y ? -1 : x > y ? 1 : 0) : x - y; });
  }
  function controls(root, setup) {
    var data = window.TIFA_COMPARE, cols = Object.keys(data.columns).filter(function (c) {
      return data.documents[c] && distinct(data.documents[c]).length >= 2; });
    if (!cols.length) { root.textContent = "文档没有可以分组的年份、文体或发言人。"; return; }
    var form = document.createElement("form");
    form.className = "tifa-compare-form";
    form.style.cssText = "display:flex;flex-wrap:wrap;gap:.5em 1.2em;align-items:center;margin:1em 0";
    root.innerHTML = "";
    root.appendChild(form);
    function fields(by, a, b) {
      var values = distinct(data.documents[by]);
      if (by === "year" && values.length) {   // every year of the span: a range may start or end in a gap
        var span = [];
        for (var y = +values[0]; y <= +values[values.length - 1]; y++) span.push(String(y));
        values = span;
      }
      var html = '<label>分组依据 <select name="by">' + cols.map(function (c) {
        return "<option" + (c === by ? " selected" : "") + ' value="' + c + '">' + esc(data.columns[c]) + "</option>";
      }).join("") + "</select></label> ";
      [["a", "A 组", a], ["b", "B 组", b]].forEach(function (g) {
        if (by === "year") {
          var m = /^\s*(\d{4})\s*(?:\D+(\d{4}))?\s*$/.exec(g[2] || "") || [];
          var low = m[1] || values[0], high = m[2] || m[1] || values[values.length - 1];
          html += '<span class="tifa-compare-group">' + g[1] + ' <select name="' + g[0] + '_from">' +
            options(values, low) + '</select>–<select name="' + g[0] + '_to">' + options(values, high) +
            "</select></span> ";
        } else {
          html += '<span class="tifa-compare-group">' + g[1] + ' <select name="' + g[0] + '">' +
            options(values, g[2] || values[g[0] === "a" ? 0 : 1]) + "</select></span> ";
        }
      });
      html += '<label>最少文档数 <input name="min_docs" type="number" min="1" step="1" value="' + setup.minDocs +
        '" style="width:4em;border:1px solid #ccc;padding:2px 4px"></label> <button type="submit" class="md-button md-button--primary">比较</button>';
      form.innerHTML = html;
      form.elements.by.addEventListener("change", function () { fields(form.elements.by.value, "", ""); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var by = form.elements.by.value, specs = ["a", "b"].map(function (g) {
        if (by !== "year") return form.elements[g].value;
        var low = +form.elements[g + "_from"].value, high = +form.elements[g + "_to"].value;
        return yearSpec(Math.min(low, high), Math.max(low, high));
      });
      var minDocs = Math.max(1, Math.floor(+form.elements.min_docs.value || 1));
      setup.minDocs = minDocs;
      var result = keyness(data, by, groupOf(by, specs[0]), groupOf(by, specs[1]), minDocs);
      render(document.querySelector(".tifa-compare-result"), result, specs, data.columns[by], minDocs, setup.top);
    });
    fields(cols.indexOf(setup.by) >= 0 ? setup.by : cols[0], setup.a, setup.b);
  }
  function start() {
    document.querySelectorAll("div.tifa-compare:not([data-built])").forEach(function (root) {
      root.setAttribute("data-built", "1");
      var setup = { by: root.getAttribute("data-by"), a: root.getAttribute("data-a"), b: root.getAttribute("data-b"),
                    minDocs: +root.getAttribute("data-min-docs") || 3, top: +root.getAttribute("data-top") || 50 };
      var button = document.createElement("button");
      button.className = "md-button";
      button.textContent = "选择其他两组比较…";
      button.addEventListener("click", function () {
        button.disabled = true;
        button.textContent = "正在载入数据…";
        load(root.getAttribute("data-src"), function (error) {
          if (error) { button.textContent = error; return; }
          controls(root, setup);
        });
      });
      root.appendChild(button);
    });
  }
  // exposed for the tests and the console: the same computation the page shows
  window.TIFA_KEYNESS = { keyness: keyness, groupOf: groupOf, pValue: pValue, qValues: qValues };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// The explore page (explore.html#q=…): any term's yearly trend, KWIC lines, documents, collocates and
// dispersion, computed in the browser from the shards TIFA loads (see tifa-data.js). On a document page
// it also lands a link #at=START-END (raw character offsets) on the exact passage and highlights it.
// Every text from the corpus or the query is set with textContent: markup in it stays text.
(function () {
  "use strict";
  var KWIC_ROWS = 500, DOC_ROWS = 300, STRIPS = 200, WINDOW = 5;

  var el = TIFA.el;   // an element with attributes (text as textContent) and children

  function queryOfHash() {
    var m = /(?:^#|&)q=([^&]*)/.exec(location.hash);
    if (!m) return "";
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { return m[1]; }
  }

  // ------------------------------------------------------------ computing a result

  function analyse(terms, docs) {
    var result = { terms: terms, lines: [], byDoc: [], docs: docs };
    docs.forEach(function (d) {
      var counts = [], spans = [], byTerm = [];
      terms.forEach(function (t, ti) {
        var found = TIFA.hits(d.raw, t);
        counts.push(found.length);
        byTerm.push(found);
        found.forEach(function (h) {
          spans.push(h);
          result.lines.push({ term: ti, doc: d, start: h[0], end: h[1] });
        });
      });
      var total = spans.length;
      if (total) result.byDoc.push({ doc: d, counts: counts, total: total, spans: spans, byTerm: byTerm });
    });
    return result;
  }

  function yearly(result, manifest) {
    var years = Object.keys(manifest.years).map(Number).sort(function (a, b) { return a - b; });
    var series = result.terms.map(function () { return {}; });
    result.byDoc.forEach(function (r) {
      if (r.doc.year === null) return;
      r.counts.forEach(function (c, ti) {
        if (!c) return;
        var s = series[ti][r.doc.year] = series[ti][r.doc.year] || [0, 0];
        s[0] += c; s[1] += 1;
      });
    });
    return { years: years, series: series, chars: manifest.years };
  }

  // ------------------------------------------------------------ the chart

  function drawChart(box, result, trend, mode) {
    box.textContent = "";
    if (!trend.years.length) {
      box.appendChild(el("p", { "class": "tifa-note", text: "语料中的文档都没有年份，无法画逐年图；上下文、文档与分布见下。" }));
      return;
    }
    if (typeof Plotly === "undefined") {   // plotly.js is loaded on first use (charts.js)
      if (window.tifaPlotly) window.tifaPlotly(function () { drawChart(box, result, trend, mode); });
      return;
    }
    var first = trend.years[0], last = trend.years[trend.years.length - 1], xs = [];
    for (var y = first; y <= last; y++) xs.push(y);
    var data = result.terms.map(function (t, ti) {
      var ys = xs.map(function (y) {
        if (!(String(y) in trend.chars)) return null;          // no document that year: a gap
        var s = trend.series[ti][y] || [0, 0];
        if (mode === "count") return s[0];
        if (mode === "docs") return s[1];
        return Math.round(s[0] / trend.chars[y] * 10000 * 1e4) / 1e4;
      });
      return { type: "scatter", mode: "lines+markers", name: t.label, x: xs, y: ys, connectgaps: false,
               hovertemplate: "%{x}：%{y}<extra>" + t.label.replace(/[<>&]/g, "") + "</extra>" };
    });
    var titles = { rate: "每万字次数", count: "次数", docs: "文档数" };
    var layout = { title: { text: titles[mode] + "（逐年；无文档的年份断开）" }, showlegend: true,
                   legend: { orientation: "h" }, margin: { t: 60, r: 10, l: 50, b: 40 },
                   xaxis: { title: { text: "年份" } }, yaxis: { title: { text: titles[mode] }, rangemode: "tozero" },
                   height: 380 };
    if (mode !== "rate") layout.yaxis.tickformat = ",d";
    if (window.TIFA_PLOTLY_TEMPLATE) layout.template = window.TIFA_PLOTLY_TEMPLATE;
    var div = el("div", { "class": "tifa-explore-chart" });
    box.appendChild(div);
    Plotly.newPlot(div, data, layout, { responsive: true, displaylogo: false, displayModeBar: false });
  }

  // ------------------------------------------------------------ KWIC lines

  // a KWIC line's left and right context, worked out only for the lines shown or sorted on
  function context(r) {
    if (r.left === undefined) {
      var raw = r.doc.raw;
      r.hit = raw.slice(r.start, r.end);
      r.left = TIFA.visible(raw.slice(Math.max(0, r.start - 20), r.start));
      r.right = TIFA.visible(raw.slice(r.end, r.end + 20));
    }
    return r;
  }

  var SORTS = {
    left: function (l) { return Array.from(context(l).left).reverse().join(""); },
    hit: function (l) { return context(l).hit; }, right: function (l) { return context(l).right; },
    doc: function (l) { return l.doc.title; }, year: function (l) { return l.doc.year === null ? 99999 : l.doc.year; }
  };

  function kwicRows(result) {
    return result.lines.map(function (l) {
      return { doc: l.doc, start: l.start, end: l.end, order: l.doc.index * 1e9 + l.start };
    });
  }

  function drawKwic(box, rows, sortKey, descending) {
    box.textContent = "";
    var sorted = rows.slice();
    if (sortKey) {
      var key = SORTS[sortKey], keys = new Map();
      sorted.forEach(function (r) { keys.set(r, key(r)); });
      sorted.sort(function (a, b) {
        var x = keys.get(a), y = keys.get(b);
        var c = x < y ? -1 : x > y ? 1 : a.order - b.order;
        return descending ? -c : c;
      });
    }
    var head = el("tr", {}, [["left", "左文"], ["hit", "检索词"], ["right", "右文"], ["doc", "文档"], ["year", "年份"]]
      .map(function (c) {
        var th = el("th", { "data-sort": c[0], title: "点击排序", text: c[1] + (sortKey === c[0] ? (descending ? " ▼" : " ▲") : "") });
        th.addEventListener("click", function () {
          drawKwic(box, rows, c[0], sortKey === c[0] ? !descending : false);
        });
        return th;
      }));
    var body = el("tbody");
    sorted.slice(0, KWIC_ROWS).forEach(function (r) {
      context(r);
      var link = el("a", { href: TIFA.documentLink(r.doc, r.start, r.end), text: r.hit });
      body.appendChild(el("tr", {}, [el("td", { "class": "kwic-left", text: r.left }), el("td", { "class": "kwic-hit" }, [link]),
        el("td", { "class": "kwic-right", text: r.right }), el("td", { text: r.doc.title }),
        el("td", { text: r.doc.year === null ? "不详" : String(r.doc.year) })]));
    });
    var note = rows.length > KWIC_ROWS ? "共 " + rows.length + " 处，显示前 " + KWIC_ROWS + " 处（点击表头可按其他列排序）。"
                                       : "共 " + rows.length + " 处。点击表头排序，点击检索词到原文。";
    box.appendChild(el("p", { "class": "tifa-note", text: note }));
    box.appendChild(el("div", { "class": "tifa-scroll" }, [el("table", { "class": "tifa-kwic" }, [el("thead", {}, [head]), body])]));
  }

  // ------------------------------------------------------------ documents and dispersion

  function drawDocuments(box, result) {
    box.textContent = "";
    var head = el("tr", {}, ["文档", "年份"].concat(result.terms.map(function (t) { return t.label; }), ["每万字"])
      .map(function (h) { return el("th", { text: h }); }));
    var body = el("tbody");
    result.byDoc.slice(0, DOC_ROWS).forEach(function (r) {
      var cells = [el("td", {}, [el("a", { href: TIFA.root + "documents/" + r.doc.id + ".html", text: r.doc.title })]),
                   el("td", { text: r.doc.year === null ? "不详" : String(r.doc.year) })];
      r.counts.forEach(function (c) { cells.push(el("td", { text: String(c) })); });
      cells.push(el("td", { text: (r.doc.chars ? r.total / r.doc.chars * 10000 : 0).toFixed(2) }));
      body.appendChild(el("tr", {}, cells));
    });
    box.appendChild(el("p", { "class": "tifa-note", text: result.byDoc.length + " 篇文档使用" +
      (result.byDoc.length > DOC_ROWS ? "，显示前 " + DOC_ROWS + " 篇。" : "。") }));
    box.appendChild(el("div", { "class": "tifa-scroll" }, [el("table", { "class": "tifa-docs" }, [el("thead", {}, [head]), body])]));
  }

  function drawDispersion(box, result) {
    box.textContent = "";
    result.byDoc.slice(0, STRIPS).forEach(function (r) {
      var strip = el("div", { "class": "tifa-strip", title: r.doc.title });
      var length = Math.max(1, r.doc.raw.length);
      r.spans.forEach(function (h) {
        var tick = el("a", { "class": "tifa-tick", href: TIFA.documentLink(r.doc, h[0], h[1]) });
        tick.style.left = (h[0] / length * 100).toFixed(2) + "%";
        strip.appendChild(tick);
      });
      box.appendChild(el("div", { "class": "tifa-strip-row" }, [
        el("span", { "class": "tifa-strip-label", text: TIFA.titleWithYear(r.doc) }),
        strip, el("span", { "class": "tifa-strip-count", text: String(r.total) })]));
    });
  }

  // ------------------------------------------------------------ collocates (±5 words, log-likelihood)

  function words(seg) {
    var out = [], at = 0, WORDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (var i = 0; i < seg.length; i++) {
      var c = seg.charCodeAt(i);
      if (c >= 48 && c <= 57) { at += c - 47; continue; }
      var n = WORDS.indexOf(seg.charAt(i)) + 1;
      out.push(at, at + n);
      at += n;
    }
    return out;
  }

  function firstWordEndingAfter(bounds, offset) {
    var lo = 0, hi = bounds.length / 2;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (bounds[2 * mid + 1] <= offset) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function g2(o11, r1, c1, n) {
    var cells = [[o11, r1 * c1 / n], [r1 - o11, r1 * (n - c1) / n], [c1 - o11, (n - r1) * c1 / n],
                 [n - r1 - c1 + o11, (n - r1) * (n - c1) / n]];
    return 2 * cells.reduce(function (s, c) { return s + (c[0] > 0 && c[1] > 0 ? c[0] * Math.log(c[0] / c[1]) : 0); }, 0);
  }

  function collocates(result, ti, minFreq, freq) {
    var counts = {}, windowTotal = 0;
    result.byDoc.forEach(function (r) {
      if (!r.counts[ti]) return;
      var d = r.doc, bounds = d.bounds || (d.bounds = words(d.seg)), n = bounds.length / 2;
      r.byTerm[ti].forEach(function (h) {
        var first = firstWordEndingAfter(bounds, h[0]), last = firstWordEndingAfter(bounds, h[1] - 1);
        for (var k = Math.max(0, first - WINDOW); k < Math.min(n, last + 1 + WINDOW); k++) {
          if (k >= first && k <= last) continue;
          var w = d.raw.slice(bounds[2 * k], bounds[2 * k + 1]);
          counts[w] = (counts[w] || 0) + 1;
          windowTotal++;
        }
      });
    });
    var rows = [];
    Object.keys(counts).forEach(function (w) {
      var o = counts[w], f = freq.words[w] || o;
      if (o < minFreq) return;
      var expected = windowTotal * f / freq.total;
      if (o <= expected) return;                           // only words drawn towards the term
      rows.push({ word: w, count: o, freq: f, g2: g2(o, windowTotal, f, freq.total) });
    });
    rows.sort(function (a, b) { return b.g2 - a.g2 || (a.word < b.word ? -1 : 1); });
    return rows;
  }

  function drawCollocates(box, result, state) {
    box.textContent = "";
    var controls = el("p", { "class": "tifa-controls" });
    var select = el("select", { "aria-label": "检索词" });
    result.terms.forEach(function (t, ti) {
      var o = el("option", { value: String(ti), text: t.label });
      if (ti === state.term) o.selected = true;
      select.appendChild(o);
    });
    var min = el("input", { type: "number", min: "2", value: String(state.min), "aria-label": "最低频次", "class": "tifa-min" });
    controls.appendChild(el("span", { text: "检索词 " })); controls.appendChild(select);
    controls.appendChild(el("span", { text: " 最低共现次数 " })); controls.appendChild(min);
    box.appendChild(controls);
    var table = el("div");
    box.appendChild(table);
    function redraw() {
      state.term = Number(select.value); state.min = Math.max(2, Number(min.value) || 3);
      table.textContent = "计算中 …";
      TIFA.load("words").then(function (freq) {
        var rows = collocates(result, state.term, state.min, freq).slice(0, 50);
        table.textContent = "";
        if (!rows.length) { table.appendChild(el("p", { text: "没有达到最低次数的搭配词。" })); return; }
        var body = el("tbody");
        rows.forEach(function (r) {
          body.appendChild(el("tr", {}, [el("td", { text: r.word }), el("td", { text: String(r.count) }),
            el("td", { text: String(r.freq) }), el("td", { text: r.g2.toFixed(1) })]));
        });
        table.appendChild(el("div", { "class": "tifa-scroll" }, [el("table", { "class": "tifa-colloc" }, [
          el("thead", {}, [el("tr", {}, ["搭配词", "窗口内次数", "全语料次数", "对数似然比 G²"].map(function (h) { return el("th", { text: h }); }))]),
          body])]));
      });
    }
    select.addEventListener("change", redraw);
    min.addEventListener("change", redraw);
    redraw();
  }

  // ------------------------------------------------------------ the page

  function run(root, text) {
    var out = root.querySelector(".tifa-results"), status = root.querySelector(".tifa-status");
    var terms = TIFA.parseQuery(text);
    out.hidden = true;
    if (!terms.length) { status.textContent = "请输入一个或多个检索词。"; return; }
    var started = performance.now();
    status.textContent = "正在检索 …";
    TIFA.shardsFor(terms).then(function (shards) {
      return Promise.all([TIFA.load("docs"), TIFA.documents(shards)]);
    }).then(function (loaded) {
      var phases = [], t = performance.now();
      function phase(name) { var now = performance.now(); phases.push(name + " " + Math.round(now - t)); t = now; }
      phase("load");
      var manifest = loaded[0], result = analyse(terms, loaded[1]);
      var trend = yearly(result, manifest), mode = root.querySelector("input[name=tifa-mode]:checked").value;
      root.tifaResult = { result: result, trend: trend };
      phase("match");
      out.hidden = false;
      drawChart(out.querySelector(".tifa-chart-box"), result, trend, mode);
      phase("chart");
      drawKwic(out.querySelector(".tifa-kwic-box"), kwicRows(result), null, false);
      drawDocuments(out.querySelector(".tifa-docs-box"), result);
      drawDispersion(out.querySelector(".tifa-strips-box"), result);
      phase("tables");
      drawCollocates(out.querySelector(".tifa-colloc-box"), result, { term: 0, min: 3 });
      phase("collocates");
      root.setAttribute("data-phases", phases.join(", "));
      var ms = Math.round(performance.now() - started);
      status.textContent = terms.map(function (t, ti) {
        var n = result.lines.filter(function (l) { return l.term === ti; }).length;
        return "「" + t.label + "」" + n + " 处";
      }).join("，") + "（" + result.byDoc.length + " 篇文档；读取 " + loaded[1].length + " 篇文档的文本，用时 " + ms + " 毫秒）";
      root.setAttribute("data-done", String(Date.now()));
      root.setAttribute("data-ms", String(ms));
    }).catch(function (err) { status.textContent = "检索失败：" + err.message; });
  }

  function setUpPage(root) {
    var form = root.querySelector("form"), input = root.querySelector("input[type=search]");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = input.value.trim();
      if ("#q=" + encodeURIComponent(q) === location.hash) run(root, q);
      else location.hash = "q=" + encodeURIComponent(q);
    });
    root.querySelectorAll("input[name=tifa-mode]").forEach(function (r) {
      r.addEventListener("change", function () {
        if (root.tifaResult) drawChart(root.querySelector(".tifa-chart-box"), root.tifaResult.result, root.tifaResult.trend, r.value);
      });
    });
    function fromHash() {
      var q = queryOfHash();
      if (!q) return;
      input.value = q;
      run(root, q);
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }

  // ------------------------------------------------------------ landing on #at=START-END in a document page

  function landAt() {
    var m = /^#at=(\d+)(?:-(\d+))?$/.exec(location.hash);
    var page = /\/documents\/([^\/]+)\.html$/.exec(location.pathname);
    if (!m || !page) return;
    var id = decodeURIComponent(page[1]);
    TIFA.load("docs").then(function (manifest) {
      var index = manifest.docs.findIndex(function (d) { return d[0] === id; });
      if (index < 0) return null;
      return TIFA.documents([manifest.docs[index][4]]).then(function (docs) {
        return docs.find(function (d) { return d.index === index; });
      });
    }).then(function (doc) {
      if (!doc) return;
      var start = TIFA.jsOffset(doc, Number(m[1]));
      var end = m[2] ? TIFA.jsOffset(doc, Number(m[2])) : start + 1;
      highlight(doc, start, Math.max(end, start + 1));
    });
  }

  function highlight(doc, start, end) {
    var unit = -1, unitStart = 0;
    for (var k = 0; k < doc.units.length; k += 2) if (doc.units[k + 1] <= start) { unit = doc.units[k]; unitStart = doc.units[k + 1]; }
    var box = document.getElementById("u" + unit);
    if (!box) return;
    var want = TIFA.visible(doc.raw.slice(start, end)), text = box.textContent;
    var at = TIFA.visible(doc.raw.slice(unitStart, start)).length;
    if (text.substr(at, want.length) !== want) at = nearest(text, want, at);
    if (at < 0) { box.scrollIntoView({ block: "center" }); return; }
    var range = rangeOf(box, at, at + want.length), mark = el("mark", { "class": "tifa-at", id: "tifa-at" });
    try { range.surroundContents(mark); } catch (e) { mark.appendChild(range.extractContents()); range.insertNode(mark); }
    mark.scrollIntoView({ block: "center" });
  }

  function nearest(text, want, near) {
    var best = -1, i = text.indexOf(want);
    while (i >= 0) { if (best < 0 || Math.abs(i - near) < Math.abs(best - near)) best = i; i = text.indexOf(want, i + 1); }
    return best;
  }

  function rangeOf(box, from, to) {
    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), seen = 0, range = document.createRange(), node;
    var startSet = false;
    while ((node = walker.nextNode())) {
      var len = node.nodeValue.length;
      if (!startSet && from < seen + len) { range.setStart(node, from - seen); startSet = true; }
      if (startSet && to <= seen + len) { range.setEnd(node, to - seen); break; }
      seen += len;
    }
    return range;
  }

  function start() {
    var root = document.getElementById("tifa-explore");
    if (root && !root.getAttribute("data-ready")) { root.setAttribute("data-ready", "1"); setUpPage(root); }
    landAt();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  window.addEventListener("hashchange", landAt);
})();

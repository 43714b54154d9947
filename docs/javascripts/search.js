// The site search: a box in the header that loads nothing until the reader types.
// Then it loads the page titles (explore-data/titles.js) and lists, first, the pages whose title
// matches (a slogan's own page before the rest), then passages holding the words, read from the
// shards the character index names (see tifa-data.js), newest documents first, until enough are found.
// Results are built with textContent: a query or passage with markup shows as text.
(function () {
  "use strict";
  // SHARDS shards are read for passages (twice as many at most while none is found), so what a
  // search downloads does not grow with the corpus; the explore page, one link away, reads them all
  var PAGES = 8, PASSAGES = 10, SHARDS = 3, KINDS = { slogan: 0, document: 1, pattern: 2, page: 3 };
  var KIND_NAMES = { slogan: "提法", document: "文档", pattern: "平行结构", page: "页面" };
  var CONTEXT = 24;

  var el = TIFA.el;   // an element with attributes (text as textContent) and children

  // titles that match: exact first, then those starting with the query, then containing it;
  // within each, slogans before documents, patterns and other pages, then the shorter title
  function rankTitles(titles, query) {
    var q = query.toLowerCase(), found = [];
    titles.forEach(function (t, i) {
      var title = t[0].toLowerCase(), where = title === q ? 0 : title.indexOf(q) === 0 ? 1 : title.indexOf(q) > 0 ? 2 : -1;
      if (where >= 0) found.push({ t: t, key: [where, KINDS[t[2]] || 3, t[0].length, i] });
    });
    found.sort(function (a, b) {
      for (var k = 0; k < 4; k++) if (a.key[k] !== b.key[k]) return a.key[k] - b.key[k];
      return 0;
    });
    return found.slice(0, PAGES).map(function (f) { return f.t; });
  }

  // passages holding the query's first term, newest shards first, loading shards one at a time
  function passages(query) {
    var terms = TIFA.parseQuery(query);
    if (!terms.length) return Promise.resolve([]);
    return Promise.all([TIFA.shardsFor(terms), TIFA.load("docs")]).then(function (got) {
      var found = [], read = 0, newest = {};
      got[1].docs.forEach(function (d) { if (d[2] !== null) newest[d[4]] = Math.max(newest[d[4]] || 0, d[2]); });
      // the newest documents first; shards of undated documents last
      var shards = got[0].slice().sort(function (a, b) { return (newest[b] || 0) - (newest[a] || 0) || b - a; });
      function next() {
        // enough passages, or SHARDS shards read and something found, or twice as many read in vain: stop
        if (!shards.length || found.length >= PASSAGES || (read >= SHARDS && found.length) || read >= 2 * SHARDS) {
          return found.slice(0, PASSAGES);
        }
        read++;
        return TIFA.documents([shards.shift()]).then(function (docs) {
          docs.sort(function (a, b) { return (b.year === null ? -1 : b.year) - (a.year === null ? -1 : a.year); });
          docs.forEach(function (d) {
            if (found.length >= PASSAGES) return;
            var h = TIFA.hits(d.raw, terms[0]);
            h.slice(0, 2).forEach(function (span) {
              if (found.length < PASSAGES) found.push({ doc: d, start: span[0], end: span[1] });
            });
          });
          return next();
        });
      }
      return next();
    });
  }

  function snippet(p) {
    var raw = p.doc.raw;
    return [TIFA.visible(raw.slice(Math.max(0, p.start - CONTEXT), p.start)), raw.slice(p.start, p.end),
            TIFA.visible(raw.slice(p.end, p.end + CONTEXT))];
  }

  function render(panel, query, titles, found) {
    panel.textContent = "";
    var list = el("ol", { "class": "tifa-search-list" });
    titles.forEach(function (t) {
      list.appendChild(el("li", { "class": "tifa-search-page" }, [el("a", { href: TIFA.root + t[1] }, [
        el("span", { "class": "tifa-search-kind", text: KIND_NAMES[t[2]] || "页面" }), el("span", { text: t[0] })])]));
    });
    found.forEach(function (p) {
      var s = snippet(p);
      list.appendChild(el("li", { "class": "tifa-search-passage" }, [el("a", { href: TIFA.documentLink(p.doc, p.start, p.end) }, [
        el("span", { "class": "tifa-search-doc", text: TIFA.titleWithYear(p.doc) }),
        el("span", { "class": "tifa-search-snippet" }, [document.createTextNode("…" + s[0]), el("mark", { text: s[1] }),
                                                        document.createTextNode(s[2] + "…")])])]));
    });
    if (!titles.length && !found.length) panel.appendChild(el("p", { "class": "tifa-search-none", text: "没有找到「" + query + "」。" }));
    panel.appendChild(list);
    panel.appendChild(el("p", { "class": "tifa-search-more" }, [el("a", { href: TIFA.root + "explore.html#q=" + encodeURIComponent(query),
      text: "在检索页查看「" + query + "」的全部出现与逐年频率 →" })]));
  }

  function setUp() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".tifa-search")) return;
    var input = el("input", { type: "search", "class": "tifa-search-input", placeholder: "搜索", "aria-label": "搜索全站",
                              autocomplete: "off" });
    var panel = el("div", { "class": "tifa-search-results", role: "listbox" });
    panel.hidden = true;
    var box = el("div", { "class": "tifa-search" }, [input, panel]);
    header.appendChild(box);
    var timer = null, asked = 0;
    function search() {
      var query = input.value.trim(), ticket = ++asked;
      if (!query) { panel.hidden = true; return; }
      panel.hidden = false;
      if (!panel.firstChild) panel.appendChild(el("p", { text: "正在搜索 …" }));
      TIFA.load("titles").then(function (titles) {
        var pages = rankTitles(titles, query);
        // a document's whole title finds the document; its passages would only repeat the title
        var wholeTitle = pages.length && pages[0][2] === "document" && pages[0][0] === query;
        return Promise.all([pages, wholeTitle ? [] : passages(query)]);
      }).then(function (got) {
        if (ticket !== asked) return;                     // the reader typed on: show only the latest query
        render(panel, query, got[0], got[1]);
        box.setAttribute("data-done", query);
      }).catch(function (err) { if (ticket === asked) panel.textContent = "搜索失败：" + err.message; });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { panel.hidden = true; input.blur(); }
      if (e.key === "Enter") {
        var first = panel.querySelector("a");
        if (first && !panel.hidden) location.href = first.href;
      }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) panel.hidden = true; });
    input.addEventListener("focus", function () { if (input.value.trim() && panel.firstChild) panel.hidden = false; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp); else setUp();
})();

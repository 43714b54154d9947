// The corpus for the explore page and the search box, loaded only when a reader asks.
// Every data file (written by analysis/explore_data.py) is a script calling tifaData(name, value):
// chromium lets a page opened from disk run a <script> but not fetch() a file, so this works from
// file:// and offline. Nothing is loaded until TIFA.load is called.
// The query rules repeat analysis/explore.py: terms split by spaces or commas, alternatives by |,
// hits leftmost and not overlapping, the longest alternative first.
(function () {
  "use strict";
  var own = document.currentScript && document.currentScript.src;
  var root = own ? own.replace(/javascripts\/tifa-data\.js(\?.*)?$/, "") : "";
  var values = {}, waiting = {};
  var HIDDEN = /[\n\r\u3000\u200b\u200c\u200d\u2060\ufeff]/g;

  window.tifaData = function (name, value) {
    values[name] = value;
    (waiting[name] || []).forEach(function (w) { w[0](value); });
    delete waiting[name];
  };

  function load(name) {
    if (name in values) return Promise.resolve(values[name]);
    return new Promise(function (resolve, reject) {
      if (waiting[name]) { waiting[name].push([resolve, reject]); return; }
      waiting[name] = [[resolve, reject]];
      var s = document.createElement("script");
      s.src = root + "explore-data/" + name + ".js";
      s.async = true;
      s.onerror = function () {
        var w = waiting[name] || [];
        delete waiting[name];
        s.remove();
        w.forEach(function (x) { x[1](new Error("无法读取数据文件 " + name + ".js")); });
      };
      document.head.appendChild(s);
    });
  }

  function parseQuery(text) {
    var terms = [], labels = {};
    String(text || "").split(/[\s,，、;；]+/).forEach(function (part) {
      var alts = [];
      part.split("|").forEach(function (a) { a = a.trim(); if (a && alts.indexOf(a) < 0) alts.push(a); });
      if (!alts.length) return;
      var label = alts.join("|");
      if (labels[label]) return;
      labels[label] = true;
      var sorted = alts.slice().sort(function (a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); });
      var source = sorted.map(function (a) { return a.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"); }).join("|");
      terms.push({ label: label, alternatives: sorted, source: source });
    });
    return terms;
  }

  // [start, end) of every hit of a term in a text (UTF-16 offsets)
  function hits(raw, term) {
    var re = new RegExp(term.source, "g"), out = [], m;
    while ((m = re.exec(raw)) !== null) out.push([m.index, m.index + m[0].length]);
    return out;
  }

  function indexFile(key, files) {
    var h = 0;
    for (var ch of key) h = (h * 31 + ch.codePointAt(0)) % 1000003;
    return h % files;
  }

  // the keys that decide which shards can hold a string: one character, or up to four of its pairs
  // (each pair costs an index file; four spread over the string rule out nearly every shard that cannot match)
  function keysOf(text) {
    var chars = Array.from(text);
    if (chars.length === 1) return chars;
    var pairs = [];
    for (var i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
    if (pairs.length <= 4) return pairs;
    var n = pairs.length - 1;
    return [pairs[0], pairs[Math.round(n / 3)], pairs[Math.round(2 * n / 3)], pairs[n]];
  }

  function hasShard(mask, n) {
    if (mask === "*") return true;
    if (!mask) return false;
    var digit = mask.charAt(mask.length - 1 - (n >> 2));
    return digit !== "" && (parseInt(digit, 16) & (1 << (n & 3))) !== 0;
  }

  // the shards that can hold any alternative of any term, in reading order
  function shardsFor(terms) {
    return load("docs").then(function (manifest) {
      var files = manifest.index_files, lookups = [];
      terms.forEach(function (t) {
        t.alternatives.forEach(function (a) { lookups.push(keysOf(a)); });
      });
      var needed = {};
      lookups.forEach(function (keys) { keys.forEach(function (k) { needed[indexFile(k, files)] = true; }); });
      return Promise.all(Object.keys(needed).map(function (k) { return load("i" + k); })).then(function () {
        var wanted = [];
        for (var n = 0; n < manifest.shards; n++) {
          var any = lookups.some(function (keys) {
            return keys.every(function (k) { return hasShard(values["i" + indexFile(k, files)][k], n); });
          });
          if (any) wanted.push(n);
        }
        return wanted;
      });
    });
  }

  // the documents of these shards: {index, id, title, year, chars, raw, seg, units}
  function documents(shards) {
    return Promise.all([load("docs")].concat(shards.map(function (n) { return load("t" + n); })))
      .then(function (loaded) {
        var manifest = loaded[0], out = [];
        loaded.slice(1).forEach(function (rows) {
          rows.forEach(function (r) {
            var d = manifest.docs[r[0]];
            out.push({ index: r[0], id: d[0], title: d[1], year: d[2], chars: d[3], raw: r[1], seg: r[2], units: r[3],
                       astral: ASTRAL.test(r[1]) });
          });
        });
        out.sort(function (a, b) { return a.index - b.index; });
        return out;
      });
  }

  // the raw character offset (as the tables count) of UTF-16 offset i of raw, and back
  function codePointOffset(raw, i) {
    var n = 0;
    for (var k = 0; k < i; k++) { var c = raw.charCodeAt(k); if (c < 0xDC00 || c > 0xDFFF) n++; }
    return n;
  }
  function utf16Offset(raw, cp) {
    var k = 0;
    for (var n = 0; n < cp && k < raw.length; n++) { var c = raw.charCodeAt(k); k += (c >= 0xD800 && c <= 0xDBFF) ? 2 : 1; }
    return k;
  }
  // documents holding characters outside the BMP are rare: only theirs need converting (d.astral, set once)
  var ASTRAL = /[\uD800-\uDBFF]/;
  function rawOffset(d, i) { return d.astral ? codePointOffset(d.raw, i) : i; }
  function jsOffset(d, cp) { return d.astral ? utf16Offset(d.raw, cp) : cp; }

  function visible(text) { return text.replace(HIDDEN, ""); }

  // the address of a passage: the document page at raw offsets START-END (as the tables count)
  function documentLink(d, start, end) {
    return root + "documents/" + d.id + ".html#at=" + rawOffset(d, start) + "-" + rawOffset(d, end);
  }

  // a document's title, its year before it unless the title says it already
  function titleWithYear(d) {
    return d.year === null || d.title.indexOf(String(d.year)) >= 0 ? d.title : d.year + " " + d.title;
  }

  // An element with attributes and children; "text" is set as textContent, so corpus text never becomes markup.
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  window.TIFA = {
    el: el,
    titleWithYear: titleWithYear,
    root: root, load: load, parseQuery: parseQuery, hits: hits, shardsFor: shardsFor, documents: documents,
    visible: visible, documentLink: documentLink, jsOffset: jsOffset, rawOffset: rawOffset, hasShard: hasShard
  };
})();

// Draws every chart of a page from the JSON it carries (see analysis/charts.py).
// Runs on Material's document$ so charts render after instant navigation too.
//
// plotly.js (about 4.8 MB) and the site's chart template are loaded only by a page that draws a
// chart, when it draws it: pages without charts (documents, the shared slogan pages) and the
// explore page before its first query download none of it. The scripts are inserted as <script>
// elements, which also works from file://.
(function () {
  var waiting = null, loaded = false;

  function load(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    s.onerror = function () { console.error("图表库加载失败：" + src); };
    document.head.appendChild(s);
  }

  // Calls ready() once plotly.js and the template are there (at once if they already are).
  window.tifaPlotly = function (ready) {
    if (loaded) { ready(); return; }
    if (waiting) { waiting.push(ready); return; }
    waiting = [ready];
    var me = document.querySelector('script[src*="javascripts/charts.js"]');
    var base = me.src.replace(/javascripts\/charts\.js.*$/, "assets/javascripts/");
    load(base + "plotly.min.js", function () {
      load(base + "plotly-template.js", function () {
        loaded = true;
        var queue = waiting;
        waiting = null;
        queue.forEach(function (f) { f(); });
      });
    });
  };

  function drawAll() {
    document.querySelectorAll("div.tifa-chart:not([data-drawn])").forEach(function (div) {
      var script = div.querySelector('script[type="application/json"]');
      if (!script) return;
      var fig = JSON.parse(script.textContent);
      // the figures carry no template: the site's one (assets/javascripts/plotly-template.js) applies
      if (window.TIFA_PLOTLY_TEMPLATE && !fig.layout.template) fig.layout.template = window.TIFA_PLOTLY_TEMPLATE;
      div.setAttribute("data-drawn", "1");
      Plotly.newPlot(div, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }

  function draw() {
    if (document.querySelector("div.tifa-chart:not([data-drawn])")) window.tifaPlotly(drawAll);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(draw);
  } else {
    document.addEventListener("DOMContentLoaded", draw);
  }
})();

// Draws every chart of a page from the JSON it carries (see analysis/charts.py).
// Runs on Material's document$ so charts render after instant navigation too.
(function () {
  function draw() {
    if (typeof Plotly === "undefined") return;
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
  if (typeof document$ !== "undefined") {
    document$.subscribe(draw);
  } else {
    document.addEventListener("DOMContentLoaded", draw);
  }
})();

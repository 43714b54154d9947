// Draws every chart of a page from the JSON it carries (see analysis/charts.py).
// Runs on Material's document$ so charts render after instant navigation too.
(function () {
  function draw() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("div.tifa-chart:not([data-drawn])").forEach(function (div) {
      var script = div.querySelector('script[type="application/json"]');
      if (!script) return;
      var fig = JSON.parse(script.textContent);
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

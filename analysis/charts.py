"""Charts: plotly figures from tables, embedded as data the site's script draws.

A figure is plotly's JSON form — ``{"data": [traces], "layout": {...}}`` —
built here as plain dicts: plotly's Python figure objects validate every
property, which cost 10 ms a chart on the 1,700 chart pages of the
work-report site. A chart is a ``<div class="tifa-chart">`` holding its
figure as JSON; the site's ``javascripts/charts.js`` draws every such div
with the plotly.js served from the site's own assets (no CDN), also after
instant navigation. The look (plotly's "plotly_white" template) is written
once for the whole site by :func:`template_script`, not into every figure.
"""
from __future__ import annotations

import datetime
import json
import math

import numpy as np
import pandas as pd
import plotly.io as pio
import plotly.utils
from markupsafe import Markup

from analysis.escape import script_json

TEMPLATE = "plotly_white"
FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
RED, PALE_RED, BLUE = "#c0392b", "#e6b0aa", "#2471a3"

Figure = dict  # {"data": [trace, ...], "layout": {...}}, as plotly.js takes it


def _figure(traces: list[dict], title: str, x_title: str = "", y_title: str = "", **layout) -> Figure:
    """A figure with a title and axis titles (plotly.js wants titles as ``{"text": ...}``)."""
    lay = {"title": {"text": title}, "xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}}}
    for key, value in layout.items():
        lay[key] = {**lay[key], **value} if isinstance(lay.get(key), dict) and isinstance(value, dict) else value
    return {"data": traces, "layout": lay}


def embed(fig: Figure, *, height: int = 380) -> Markup:
    """Return the HTML block that the site script turns into ``fig``."""
    # long axis labels get room from the axes' automargin, not from wider fixed margins
    layout = {**fig["layout"], "height": height, "margin": {"l": 50, "r": 20, "t": 50, "b": 50},
              "font": {"family": FONT}}
    data = figure_json({"data": fig["data"], "layout": layout})
    return Markup(f'<div class="tifa-chart" style="min-height:{height}px">'
                  f'<script type="application/json">{data}</script></div>')


def figure_json(fig: Figure) -> str:
    """Compact JSON of a figure for a ``<script>`` block: Chinese kept as it is, NaN and infinities as
    null, and < > & escaped (\\u003c …) so that corpus text inside the script stays inert.

    Written here rather than by plotly.io, whose output depends on whether orjson happens to be
    installed (it then keeps Chinese as it is, and otherwise escapes it): the same tables must give
    the same pages on every machine.
    """
    return script_json(_strict(fig))


def _strict(value):
    """``value`` with numpy and pandas scalars made plain and NaN, infinities and NA made None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    if isinstance(value, np.ndarray):
        return _strict(value.tolist())
    if isinstance(value, np.generic):
        return _strict(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return value.isoformat()
    return value


def template_script() -> str:
    """JavaScript that gives every chart of the site plotly's :data:`TEMPLATE` look."""
    template = pio.templates[TEMPLATE].to_plotly_json()
    return ("// Written by analysis/charts.py: the chart template, shared by every chart of the site.\n"
            f"window.TIFA_PLOTLY_TEMPLATE = {json.dumps(template, cls=plotly.utils.PlotlyJSONEncoder)};\n")


def characters_by_year(documents: pd.DataFrame) -> Figure:
    """Bar chart: characters of each dated document by year; years without documents stay empty."""
    dated = documents.dropna(subset=["year"]).copy()
    dated["year"] = dated["year"].astype(int)
    fig = _figure([{"type": "bar", "x": dated["year"].tolist(), "y": dated["characters"].tolist(),
                    "customdata": dated[["title"]].values.tolist(),
                    "hovertemplate": "%{x}年<br>%{customdata[0]}<br>%{y:,} 字<extra></extra>",
                    "marker": {"color": RED}}],
                  "各年份文档字数", "年份", "字数（清洗后）", bargap=0.15)
    if len(dated):
        fig["layout"]["xaxis"]["range"] = [int(dated["year"].min()) - 1, int(dated["year"].max()) + 1]
    return fig


def characters_by_document(documents: pd.DataFrame) -> Figure:
    """Bar chart: characters of each document, for corpora whose documents carry no year."""
    docs = documents.sort_values("doc_id")
    return _figure([{"type": "bar", "x": docs["title"].tolist(), "y": docs["characters"].tolist(),
                     "marker": {"color": RED}, "hovertemplate": "%{x}<br>%{y:,} 字<extra></extra>"}],
                   "各文档字数（文档没有年份）", "文档", "字数（清洗后）")


def yearly_lines(rows: pd.DataFrame, *, series: str, value: str, years: list[int], title: str,
                 y_title: str) -> Figure:
    """One line per ``series`` over ``years``; years absent from ``rows`` are gaps, never zeros.

    ``years`` is every year the corpus has documents for; a year between
    them without documents breaks the line, so a missing report never reads
    as a drop to zero.
    """
    traces = []
    if years:
        span = list(range(min(years), max(years) + 1))
        for name, g in rows.groupby(series, sort=False):
            values = dict(zip(g["year"].astype(int), g[value]))
            traces.append({"type": "scatter", **_along(span), "y": [_number(values.get(y)) for y in span],
                           "name": str(name), "mode": "lines+markers", "connectgaps": False,
                           "hovertemplate": "%{x}年：%{y:.2f}<extra>" + str(name) + "</extra>"})
    return _figure(traces, title, "年份", y_title, hovermode="closest", legend={"orientation": "h", "y": -0.25})


def top_bars(labels: list[str], values: list[float], *, title: str, x_title: str) -> Figure:
    """Horizontal bars, largest on top; whole-number ticks when the values are counts."""
    numbers = [_number(v) for v in values]
    counts = all(isinstance(v, int) for v in numbers if v is not None)     # rates come as floats
    layout = {"xaxis": count_axis(max((v for v in numbers if v is not None), default=0))} if counts else {}
    return _figure([{"type": "bar", "x": numbers[::-1], "y": labels[::-1], "orientation": "h",
                     "marker": {"color": RED}, "hovertemplate": "%{y}：%{x}<extra></extra>"}],
                   title, x_title, yaxis={"automargin": True, "dtick": 1}, **layout)


# A year without documents: a grey clearly apart from the white of a zero and from every red of the scale.
NO_DOCUMENTS = "#8c9196"
# Zero is white; the reds start only above it, so a count of zero never reads as "a little".
RATE_SCALE = [[0.0, "#ffffff"], [0.001, "#fee5d9"], [0.25, "#fcae91"], [0.5, "#fb6a4a"], [0.75, "#de2d26"],
              [1.0, "#a50f15"]]


def count_axis(max_count, **axis) -> dict:
    """A y or x axis for counts: whole-number ticks only (never 0.5 or 2.01), starting at zero."""
    axis = {"rangemode": "tozero", "tickformat": ",d", **axis}
    top = _number(max_count) or 0
    if top <= 8:    # plotly's own ticks for small counts fall between whole numbers
        axis.update(tickmode="linear", tick0=0, dtick=1)
    return axis


def slogan_heatmap(rows: pd.DataFrame, *, order: list[str], years: list[int]) -> Figure:
    """Slogan × year heatmap of rate per 10,000 characters; years without documents are grey, zeros white."""
    span = list(range(min(years), max(years) + 1)) if years else []
    have = set(years)
    table = {(s, int(y)): r for s, y, r in zip(rows["slogan"].tolist(), rows["year"].tolist(),
                                               rows["rate_per_10k"].tolist())}
    z = [[(_number(table.get((s, y), 0.0)) if y in have else None) for y in span] for s in order]
    # Missing cells (None) show the plot background: grey for "no document that year"; the thin gaps between
    # cells show it too, so a white zero cell stands framed and apart from a grey no-document column.
    return _figure([{"type": "heatmap", "z": z, **_along(span), "y": order, "colorscale": RATE_SCALE, "zmin": 0,
                     "hoverongaps": False, "xgap": 1, "ygap": 1, "colorbar": {"title": {"text": "每万字"}},
                     "hovertemplate": "%{y}<br>%{x}年：%{z:.2f} 次/万字<extra></extra>"}],
                   "常见提法逐年频率（每万字；白色为 0 次，深灰为没有文档的年份）", "年份",
                   plot_bgcolor=NO_DOCUMENTS, yaxis={"autorange": "reversed", "dtick": 1, "automargin": True})


def yearly_counts(rows: pd.DataFrame, *, years: list[int], title: str) -> Figure:
    """Bars of count per year and a line of rate per 10,000 characters; gaps where there are no documents."""
    span = list(range(min(years), max(years) + 1)) if years else []
    have = set(years)
    counts = dict(zip(rows["year"].astype(int), rows["count"]))
    rates = dict(zip(rows["year"].astype(int), rows["rate_per_10k"]))
    # the rate axis gets ticks of its own ("auto"): plotly.js's default for an overlaying axis ("sync") puts
    # them on the count grid, where they read 0.59 / 1.18 or 1 / 2.01 / 3.01
    return _figure([
        {"type": "bar", **_along(span), "y": [_number(counts.get(y, 0)) if y in have else None for y in span],
         "name": "次数", "marker": {"color": PALE_RED}, "hovertemplate": "%{x}年：%{y} 次<extra></extra>"},
        {"type": "scatter", **_along(span), "y": [_number(rates.get(y, 0.0)) if y in have else None for y in span],
         "name": "每万字", "yaxis": "y2", "mode": "lines+markers", "connectgaps": False, "line": {"color": RED},
         "hovertemplate": "%{x}年：%{y:.2f} 次/万字<extra></extra>"}],
        title, "年份", "次数", legend={"orientation": "h", "y": -0.25},
        yaxis=count_axis(max(counts.values(), default=0)),
        yaxis2={"title": {"text": "每万字"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "tickmode": "auto", "tickformat": ".2~f", "showgrid": False})


def keyness_bars(table: pd.DataFrame, *, label_a: str, label_b: str, top: int = 15) -> Figure:
    """Diverging bars of log ratio: the most key slogans of each group (by G²), A to the right."""
    sig = table[table["significant"]]
    part = pd.concat([sig[sig["key_for"] == "A"].head(top), sig[sig["key_for"] == "B"].head(top)])
    part = part.sort_values("log_ratio")
    return _figure([{"type": "bar", "x": part["log_ratio"].tolist(), "y": part["slogan"].tolist(), "orientation": "h",
                     "marker": {"color": [RED if v > 0 else BLUE for v in part["log_ratio"]]},
                     "customdata": part[["count_a", "count_b", "g2"]].values.tolist(),
                     "hovertemplate": "%{y}<br>A：%{customdata[0]} 次，B：%{customdata[1]} 次<br>"
                                      "G²=%{customdata[2]:.1f}，log ratio=%{x:.2f}<extra></extra>"}],
                   f"关键提法：右侧偏向 {label_a}，左侧偏向 {label_b}", "log ratio（log2 频率比）",
                   yaxis={"dtick": 1, "automargin": True})


def _along(span: list[int]) -> dict:
    """The x of a trace over consecutive years: first year and step (``x0``, ``dx``), which plotly.js reads
    as the whole list; a chart per slogan page carried the seventy years twice."""
    return {"x0": span[0], "dx": 1} if span else {"x": []}


# Rates are shown with two decimals; four keep every hover exact and the pages' chart data short.
DECIMALS = 4


def _number(v):
    """A plain Python number (numpy scalars and missing values made JSON-friendly, fractions rounded to
    :data:`DECIMALS`)."""
    if v is None or pd.isna(v):
        return None
    v = v.item() if hasattr(v, "item") else v
    return round(v, DECIMALS) if isinstance(v, float) else v

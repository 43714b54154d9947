"""Charts: plotly figures from tables, embedded as data the site's script draws.

A chart is a ``<div class="tifa-chart">`` holding its figure as JSON; the
site's ``javascripts/charts.js`` draws every such div with the plotly.js
served from the site's own assets (no CDN), also after instant navigation.
The look (plotly's "plotly_white" template) is written once for the whole
site by :func:`template_script`, not into every figure.
"""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.utils
from markupsafe import Markup

# Figures are built without a template: plotly would deep-copy one into every figure (12 ms each,
# and 7 KB of JSON on every one of the 1,700 chart pages of the work-report site). The site applies
# this template once, in the browser (template_script).
TEMPLATE = "plotly_white"
pio.templates.default = "none"

FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"


def embed(fig: go.Figure, *, height: int = 380) -> Markup:
    """Return the HTML block that the site script turns into ``fig``."""
    fig.update_layout(height=height, margin=dict(l=50, r=20, t=50, b=50), font=dict(family=FONT))
    figure = fig.to_plotly_json()
    figure["layout"].pop("template", None)  # charts.js applies the site's template
    # plotly's JSON writer escapes < > & as \\u003c…: corpus text inside the script stays inert
    data = pio.to_json(figure, validate=False, pretty=False).replace("</", "<\\/")
    return Markup(f'<div class="tifa-chart" style="min-height:{height}px">'
                  f'<script type="application/json">{data}</script></div>')


def template_script() -> str:
    """JavaScript that gives every chart of the site plotly's :data:`TEMPLATE` look."""
    template = pio.templates[TEMPLATE].to_plotly_json()
    return ("// Written by analysis/charts.py: the chart template, shared by every chart of the site.\n"
            f"window.TIFA_PLOTLY_TEMPLATE = {json.dumps(template, cls=plotly.utils.PlotlyJSONEncoder)};\n")


def characters_by_year(documents: pd.DataFrame) -> go.Figure:
    """Bar chart: characters of each dated document by year; years without documents stay empty."""
    dated = documents.dropna(subset=["year"]).copy()
    dated["year"] = dated["year"].astype(int)
    fig = go.Figure(go.Bar(
        x=dated["year"], y=dated["characters"],
        customdata=dated[["title"]].values,
        hovertemplate="%{x}年<br>%{customdata[0]}<br>%{y:,} 字<extra></extra>",
        marker_color="#c0392b"))
    fig.update_layout(title="各年份文档字数", xaxis_title="年份", yaxis_title="字数（清洗后）",
                      bargap=0.15)
    if len(dated):
        fig.update_xaxes(range=[dated["year"].min() - 1, dated["year"].max() + 1])
    return fig


def characters_by_document(documents: pd.DataFrame) -> go.Figure:
    """Bar chart: characters of each document, for corpora whose documents carry no year."""
    docs = documents.sort_values("doc_id")
    fig = go.Figure(go.Bar(x=docs["title"], y=docs["characters"], marker_color="#c0392b",
                           hovertemplate="%{x}<br>%{y:,} 字<extra></extra>"))
    fig.update_layout(title="各文档字数（文档没有年份）", xaxis_title="文档", yaxis_title="字数（清洗后）")
    return fig


def yearly_lines(rows: pd.DataFrame, *, series: str, value: str, years: list[int], title: str,
                 y_title: str) -> go.Figure:
    """One line per ``series`` over ``years``; years absent from ``rows`` are gaps, never zeros.

    ``years`` is every year the corpus has documents for; a year between
    them without documents breaks the line, so a missing report never reads
    as a drop to zero.
    """
    fig = go.Figure()
    if years:
        span = list(range(min(years), max(years) + 1))
        for name, g in rows.groupby(series, sort=False):
            values = dict(zip(g["year"].astype(int), g[value]))
            fig.add_trace(go.Scatter(
                x=span, y=[values.get(y) for y in span], name=str(name), mode="lines+markers",
                connectgaps=False, hovertemplate="%{x}年：%{y:.2f}<extra>" + str(name) + "</extra>"))
    fig.update_layout(title=title, xaxis_title="年份", yaxis_title=y_title, hovermode="closest",
                      legend=dict(orientation="h", y=-0.25))
    return fig


def top_bars(labels: list[str], values: list[float], *, title: str, x_title: str) -> go.Figure:
    """Horizontal bars, largest on top."""
    fig = go.Figure(go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color="#c0392b",
                           hovertemplate="%{y}：%{x}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title=x_title, margin=dict(l=220))
    fig.update_yaxes(automargin=True, dtick=1)
    return fig


def slogan_heatmap(rows: pd.DataFrame, *, order: list[str], years: list[int]) -> go.Figure:
    """Slogan × year heatmap of rate per 10,000 characters; years without documents stay blank."""
    span = list(range(min(years), max(years) + 1)) if years else []
    have = set(years)
    table = {(r.slogan, int(r.year)): r.rate_per_10k for r in rows.itertuples()}
    z = [[(table.get((s, y), 0.0) if y in have else None) for y in span] for s in order]
    fig = go.Figure(go.Heatmap(
        z=z, x=span, y=order, colorscale="Reds", hoverongaps=False, colorbar=dict(title="每万字"),
        hovertemplate="%{y}<br>%{x}年：%{z:.2f} 次/万字<extra></extra>"))
    # Grey behind the cells: a year without documents shows as a grey gap, a zero as the palest red.
    fig.update_layout(title="常见提法逐年频率（每万字；灰色为没有文档的年份）", xaxis_title="年份",
                      plot_bgcolor="#d5d8dc")
    fig.update_yaxes(autorange="reversed", dtick=1, automargin=True)
    return fig


def yearly_counts(rows: pd.DataFrame, *, years: list[int], title: str) -> go.Figure:
    """Bars of count per year and a line of rate per 10,000 characters; gaps where there are no documents."""
    span = list(range(min(years), max(years) + 1)) if years else []
    have = set(years)
    counts = dict(zip(rows["year"].astype(int), rows["count"]))
    rates = dict(zip(rows["year"].astype(int), rows["rate_per_10k"]))
    fig = go.Figure()
    fig.add_trace(go.Bar(x=span, y=[counts.get(y, 0) if y in have else None for y in span], name="次数",
                         marker_color="#e6b0aa", hovertemplate="%{x}年：%{y} 次<extra></extra>"))
    fig.add_trace(go.Scatter(x=span, y=[rates.get(y, 0.0) if y in have else None for y in span],
                             name="每万字", yaxis="y2", mode="lines+markers", connectgaps=False,
                             line=dict(color="#c0392b"), hovertemplate="%{x}年：%{y:.2f} 次/万字<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="年份", yaxis=dict(title="次数"),
                      yaxis2=dict(title="每万字", overlaying="y", side="right", rangemode="tozero"),
                      legend=dict(orientation="h", y=-0.25))
    return fig


def keyness_bars(table: pd.DataFrame, *, label_a: str, label_b: str, top: int = 15) -> go.Figure:
    """Diverging bars of log ratio: the most key slogans of each group (by G²), A to the right."""
    sig = table[table["significant"]]
    part = pd.concat([sig[sig["key_for"] == "A"].head(top), sig[sig["key_for"] == "B"].head(top)])
    part = part.sort_values("log_ratio")
    fig = go.Figure(go.Bar(
        x=part["log_ratio"], y=part["slogan"], orientation="h",
        marker_color=["#c0392b" if v > 0 else "#2471a3" for v in part["log_ratio"]],
        customdata=part[["count_a", "count_b", "g2"]].values,
        hovertemplate="%{y}<br>A：%{customdata[0]} 次，B：%{customdata[1]} 次<br>G²=%{customdata[2]:.1f}，"
                      "log ratio=%{x:.2f}<extra></extra>"))
    fig.update_layout(title=f"关键提法：右侧偏向 {label_a}，左侧偏向 {label_b}", xaxis_title="log ratio（log2 频率比）")
    fig.update_yaxes(dtick=1, automargin=True)
    return fig

"""Charts: plotly figures from tables, embedded as data the site's script draws.

A chart is a ``<div class="tifa-chart">`` holding its figure as JSON; the
site's ``javascripts/charts.js`` draws every such div with the plotly.js
served from the site's own assets (no CDN), also after instant navigation.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"


def embed(fig: go.Figure, *, height: int = 380) -> Markup:
    """Return the HTML block that the site script turns into ``fig``."""
    fig.update_layout(height=height, margin=dict(l=50, r=20, t=50, b=50), font=dict(family=FONT),
                      template="plotly_white")
    data = pio.to_json(fig, validate=False, pretty=False).replace("</", "<\\/")
    return Markup(f'<div class="tifa-chart" style="min-height:{height}px">'
                  f'<script type="application/json">{data}</script></div>')


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

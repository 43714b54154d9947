"""A plain-text summary of the slogans table, for the command line."""
from __future__ import annotations

import pandas as pd


def slogan_report(slogans: pd.DataFrame, top: int = 30) -> str:
    """A plain-text summary: slogans per kind, then the ``top`` of the ranking (sloganhood; by rate per
    10,000 characters for a table made before the ranking)."""
    if slogans is None or slogans.empty:
        return "没有找到提法（no slogans found）。"
    lines = [f"提法 {len(slogans)} 个，按类型：" +
             "，".join(f"{k} {n}" for k, n in slogans["kind"].value_counts().items())]
    ranked = "rank" in slogans
    lines.append(f"按提法度前 {top} 个：" if ranked else f"按每万字频率前 {top} 个：")
    lines.append(f"{'#':>3}  {'slogan':<22}{'kind':<12}{'count':>6}{'docs':>6}{'rate':>8}{'score':>7}  years")
    df = (slogans.sort_values("rank") if ranked else slogans.sort_values("rate_per_10k", ascending=False)).head(top)
    for i, r in enumerate(df.itertuples(), 1):
        years = f"{_yr(r.first_year)}–{_yr(r.last_year)}"
        score = f"{r.sloganhood:>7.2f}" if ranked else f"{'':>7}"
        lines.append(f"{i:>3}  {_pad(r.slogan, 22)}{r.kind:<12}{r.count:>6}{r.documents:>6}"
                     f"{r.rate_per_10k:>8.2f}{score}  {years}")
    return "\n".join(lines)


def _yr(v) -> str:
    """A year for the summary, ``?`` where unknown."""
    return "?" if v is None or pd.isna(v) else str(int(v))


def _pad(s: str, width: int) -> str:
    """Pad to a display width where CJK characters take two columns."""
    w = sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)
    return s + " " * max(1, width - w)

"""Genre formulae: wording that documents of one genre repeat in the same place (a resolution's
“会议号召”, “决定批准这个报告”). They are the genre's furniture, not slogans: found here, kept out of the
slogan list and listed on the build report."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.schema import table
from analysis.slogans.counting import Hits
from analysis.slogans.occurrences import Occurrences
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings

FORMULA_COLUMNS = table("genre_formulae").names


def genre_formulae(hits: Hits, occ: Occurrences, analyzed: list[AnalyzedDocument], *,
                   settings: SloganSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The counted slogans that are formulae of a genre (:data:`FORMULA_COLUMNS`, one row each).

    A formula is used in ``formula_doc_share`` of the documents of a genre
    that has ``genre_min_docs`` documents or more, has ``formula_genre_share``
    of its hits in that genre, about once a document (``formula_per_document``),
    and stands in the same place in them (the spread of its paragraph's
    relative number at most ``formula_place_spread``) unless the genre holds
    at most half the documents: there, using it almost only in that genre is enough.
    """
    genre = np.array([a.doc.genre or "" for a in analyzed] + [""], dtype=object)
    df = pd.DataFrame({"slogan": hits.slogan, "doc": hits.doc, "genre": genre[hits.doc],
                       "place": _paragraph_place(occ.start[hits.occ], hits.doc, analyzed)})
    sizes = pd.Series(genre[:-1]).value_counts()
    if not (df["genre"] != "").any():
        return _empty()
    total = df.groupby("slogan").size()
    g = df[df["genre"] != ""].groupby(["slogan", "genre"], sort=True)
    stats = pd.DataFrame({"documents": g["doc"].nunique(), "count": g.size(), "spread": g["place"].std(ddof=0),
                          "mean": g["place"].mean()}).reset_index()
    genre_docs = stats["genre"].map(sizes).fillna(0).astype(int)
    keep = ((genre_docs >= settings.genre_min_docs)
            & (stats["documents"] >= settings.formula_doc_share * genre_docs)
            & (stats["count"] >= settings.formula_genre_share * stats["slogan"].map(total))
            & (stats["count"] <= settings.formula_per_document * stats["documents"])
            # in one place; or, in a genre of few documents, hardly anywhere else (the genre's own wording)
            & ((stats["spread"] <= settings.formula_place_spread) | (genre_docs <= len(analyzed) / 2)))
    if not keep.any():
        return _empty()
    out = stats[keep].assign(genre_documents=genre_docs[keep], place=stats.loc[keep, "mean"].map(_place))
    out = out.rename(columns={"slogan": "formula"})[FORMULA_COLUMNS]
    return out.astype({"documents": "int64", "genre_documents": "int64", "count": "int64"}).reset_index(drop=True)


def _empty() -> pd.DataFrame:
    """No formulae, in the schema's column types."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in table("genre_formulae").columns})


def _paragraph_place(start: np.ndarray, doc: np.ndarray, analyzed: list[AnalyzedDocument]) -> np.ndarray:
    """Where each hit stands in its document: its paragraph's number over the last paragraph's (0 the
    first paragraph, 1 the last), so a closing call of documents of any length has the same place."""
    place = np.zeros(len(start), dtype=float)
    for d in np.unique(doc).tolist():
        at = np.flatnonzero(doc == d)
        text = analyzed[d].clean.text
        breaks = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)   # line by line, not char by char
        place[at] = np.searchsorted(breaks, start[at]) / max(len(breaks), 1)
    return place


def _place(mean: float) -> str:
    """Where in the documents a formula stands, in words."""
    return "开头" if mean < 1 / 3 else "结尾" if mean > 2 / 3 else "中间"

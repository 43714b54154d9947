"""Slogans (提法): candidates from several signals, merged into one counted table.

Detectors are small pure functions over one text (or its tokens), in the
style of textacy's ``extract`` module; each returns plain tuples:

* :func:`quoted_terms` — short quoted strings that read as terms (“三会一课”);
* :func:`numbered_terms` — numeral formulations (两学一做, 四个…, “六稳”);
* :func:`enumerations` — equal-length short phrases joined by 、/，;
* :func:`ngram_counts` + :func:`cohesive_terms` — recurring, strongly
  associated token n-grams with free boundaries (no lexicon needed);
* lexicon entries the user curates.

:func:`slogan_tables` merges the candidates, resolves nested forms (a short
form almost always inside a longer slogan becomes its variant), counts every
slogan once per place with a leftmost-longest scan of the cleaned text, and
returns the tables the pipeline writes. No expected term is listed anywhere:
all filtering is by shape, function words, numerals and statistics.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import ahocorasick  # pyahocorasick: all overlapping matches of thousands of forms in one pass
import pandas as pd
from tqdm import tqdm

from analysis.document import AnalyzedDocument

# ----------------------------------------------------------------------------- character classes

NUMERALS = "一二三四五六七八九十两百千万零〇"
_NUM_SET = set(NUMERALS)
# Characters that never begin or end a term: particles, conjunctions, prepositions, pronouns.
FUNCTION_CHARS = set("的了和在是与及或等也都就而把被对从向以为之其这那此该各每着过吗呢吧啊将于并且但又再很更最所")
# Measure words and units after a numeral: 二个百分点, 三年, 五次 are counts, not formulations.
MEASURE_CHARS = set("个年月日天次号点时分秒岁倍成项条件名位份批届期种类元角斤吨亩里米层")
# Units and counting nouns after numeral + 个 (二个百分点, 三个方面): bookkeeping, not naming.
UNIT_WORDS = ("百分点", "百分比", "方面", "部分", "阶段", "时期", "问题", "环节", "层次", "小时", "月", "星期",
              "单位", "国家", "地区", "省份", "城市", "项目")
# POS tags (jieba) that cannot stand at either edge of a term.
EDGE_BAD_POS = ("u", "p", "c", "r", "y", "e", "o", "m", "q", "f", "d", "x", "w", "zg", "uj", "ul", "ad")
# Nouns that count things rather than name them (三个方面, 两个问题): general bookkeeping words.
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_SENT_PUNCT = "。；！？：\n"
_BREAK = set("，。；！？：、“”‘’《》（）()「」『』\n ·—…,.;:!?\"'")

MIN_COUNT = 2          # a slogan must occur at least this often (quoted and lexicon terms: once)
COHESIVE_MIN_COUNT = 3
COHESIVE_MIN_DOCS = 2
COHESIVE_MIN_PMI = 4.0
COHESIVE_MIN_BINDING = 0.25
QUOTED_SHARE = 0.3     # a quoted term is quoted in at least this share of its uses
LIFE_SPAN = 0.6        # a cohesive expression used across more of the corpus's years is vocabulary
NEST_SHARE = 0.9       # a shorter form this often inside a longer slogan becomes its variant


def is_cjk(s: str) -> bool:
    """True if ``s`` is made only of CJK ideographs."""
    return bool(_CJK.match(s))


def is_numeric_noise(form: str) -> bool:
    """True for numeral + measure/unit strings and repetitions (二个百分点, 一个又一个, 十五)."""
    core = form.replace("、", "")
    if all(ch in _NUM_SET for ch in core):
        return True
    if re.fullmatch(rf"[{NUMERALS}]+[{''.join(MEASURE_CHARS)}]", core):
        return True
    if re.search(r"(.+)又\1", core):
        return True
    m = re.match(rf"^[{NUMERALS}]+个", core)
    if m and (core.startswith("一个") or len(core) - m.end() < 2 or core[m.end():] in UNIT_WORDS):
        return True
    return False


def has_function_edge(form: str) -> bool:
    """True if ``form`` starts or ends with a function word (的, 了, 和, 在, 是 …)."""
    return not form or form[0] in FUNCTION_CHARS or form[-1] in FUNCTION_CHARS


def term_like(form: str, max_len: int = 12) -> bool:
    """True if ``form`` could be a term: CJK (members joined by 、), short, clean edges, not numeric noise."""
    parts = form.split("、")
    if not form or len(form) > max_len or not all(p and is_cjk(p) for p in parts):
        return False
    if any(has_function_edge(p) for p in parts) or is_numeric_noise(form):
        return False
    return len(form) >= 2


# ----------------------------------------------------------------------------- detectors (pure)

_QUOTED = re.compile(r"[“「『‘\"]([^“”「」『』‘’\"\n]{2,16})[”」』’\"]")


def quoted_terms(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, term)`` for quoted strings that read as terms, not quoted speech.

    Offsets cover the term without its quotation marks.
    """
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if term_like(term, max_len=12):
            out.append((m.start(1), m.end(1), term))
    return out


_COMPACT = re.compile(rf"(?:[{NUMERALS}][^{NUMERALS}\W\d]){{2,3}}")
_COUNTED = re.compile(r"([两二三四五六七八九十]+)(个|大)")


def compact_numbered(text: str) -> list[tuple[int, int, str]]:
    """Return numeral-alternating forms such as N X N Y (and N X N Y N Z).

    Rejects forms whose inner characters are measure words (一年一度), whose
    numerals are all 一 (一心一意) or hyperbolic 千/百/万 (千方百计).
    """
    out = []
    for m in _COMPACT.finditer(text):
        form = m.group(0)
        nums, inner = form[0::2], form[1::2]
        if set(nums) <= set("一百千万") or any(ch in MEASURE_CHARS or ch in FUNCTION_CHARS for ch in inner):
            continue
        if m.start() > 0 and text[m.start() - 1] in _NUM_SET:
            continue
        out.append((m.start(), m.end(), form))
    return out


def counted_phrases(tokens: list[tuple[str, int, int]], text: str) -> list[tuple[int, int, str, str]]:
    """Return ``(start, end, phrase, head)`` for numeral + 个/大 + following word (四个意识, 三大攻坚战).

    ``tokens`` are jieba tokens of ``text``; the head is the next CJK word of
    two or more characters. 一个 is never a formulation.
    """
    out = []
    starts = {s: (w, e) for w, s, e in tokens}
    for m in _COUNTED.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _NUM_SET | {"第", "每", "几", "这", "那", "些"}:
            continue
        nxt = starts.get(m.end())
        if nxt is None:  # the numeral token may swallow the measure word (四个 is one token)
            continue
        head, end = nxt
        if len(head) >= 2 and is_cjk(head) and not has_function_edge(head):
            out.append((m.start(), end, text[m.start():end], head))
    return out


def enumerations(text: str, bounds: set[int], min_len: int = 3, max_len: int = 6) -> list[tuple[int, int, str, int]]:
    """Return ``(start, end, form, n_members)`` for runs of equal-length short members.

    Members are joined by 、 (or are whole clauses joined by ，), each
    ``min_len``–``max_len`` characters, with ends on token boundaries
    (``bounds``: offsets where jieba tokens start or end). Where the outer
    members' length is open (two members inside longer clauses), every
    fitting length is returned; the caller keeps the one the corpus repeats.
    """
    out = []
    pieces = _pieces(text)
    i = 0
    while i < len(pieces) - 1:
        j = i
        while j + 1 < len(pieces) and pieces[j][3] == "、" and pieces[j][3] == pieces[i][3]:
            j += 1
        if j == i:
            j = _comma_chain(pieces, i, min_len, max_len)
        if j > i:
            out.extend(_chain_forms(text, pieces[i:j + 1], bounds, min_len, max_len))
            i = j
        else:
            i += 1
    return out


def _pieces(text: str) -> list[tuple[int, int, str, str]]:
    """Split ``text`` at punctuation into ``(start, end, piece, separator-after)``."""
    out, start = [], 0
    for k, ch in enumerate(text):
        if ch in _BREAK:
            out.append((start, k, text[start:k], ch))
            start = k + 1
    out.append((start, len(text), text[start:], ""))
    return out


def _comma_chain(pieces, i, lo, hi) -> int:
    """Last index of a chain of whole clauses of one length joined by ，, starting at ``i``."""
    n = len(pieces[i][2])
    if not (lo <= n <= hi) or pieces[i][3] != "，" or (i > 0 and pieces[i - 1][3] not in _SENT_PUNCT + "”"):
        return i
    j = i
    while j + 1 < len(pieces) and len(pieces[j + 1][2]) == n and pieces[j][3] == "，":
        j += 1
    if j > i and pieces[j][3] in _SENT_PUNCT + "，":
        return j
    return i


def _chain_forms(text, chain, bounds, lo, hi) -> list[tuple[int, int, str, int]]:
    inner = chain[1:-1]
    lengths = {len(p[2]) for p in inner}
    if len(lengths) > 1:
        return []
    cands = lengths or set(range(lo, hi + 1))
    out = []
    first, last = chain[0], chain[-1]
    for n in sorted(cands):
        if not (lo <= n <= hi) or len(first[2]) < n or len(last[2]) < n:
            continue
        s, e = first[1] - n, last[0] + n
        if s not in bounds or e not in bounds:
            continue
        form = text[s:e]
        members = re.split("[、，]", form)
        if all(term_like(mb, max_len=hi) and len(mb) == n for mb in members):
            out.append((s, e, form, len(members)))
    return out


def ngram_counts(token_lists: Iterable[list[str]], max_n: int = 5, max_chars: int = 10,
                 min_count: int = 1, min_docs: int = 1):
    """Count token n-grams (1..max_n) inside punctuation-free runs; return (ngrams, neighbours, docs).

    ``ngrams`` maps a token tuple to its count; ``neighbours`` maps it to
    ``[Counter(left word), Counter(right word)]``, where every punctuation
    or edge neighbour counts as a distinct word; ``docs`` maps it to the
    number of token lists (documents) it occurs in. Neighbours are gathered
    (in a second pass) only for n-grams seen ``min_count`` times in
    ``min_docs`` documents: the rare ones can never be cohesive, and
    counting their neighbours dominated the time.
    """
    token_lists = [(toks, [is_cjk(t) for t in toks]) for toks in token_lists]
    grams: Counter = Counter()
    docs: Counter = Counter()
    for toks, cjk in token_lists:
        seen = set()
        for i, j in _gram_spans(toks, cjk, max_n, max_chars):
            g = tuple(toks[i:j])
            grams[g] += 1
            seen.add(g)
        docs.update(seen)
    wanted = {g for g, c in grams.items() if c >= min_count and docs[g] >= min_docs and (len(g) > 1 or len(g[0]) >= 4)}
    nbrs: dict = defaultdict(lambda: (Counter(), Counter()))
    edge = 0
    for toks, cjk in token_lists:
        n_tok = len(toks)
        for i, j in _gram_spans(toks, cjk, max_n, max_chars):
            g = tuple(toks[i:j])
            if g not in wanted:
                continue
            left = toks[i - 1] if i > 0 and cjk[i - 1] else None
            right = toks[j] if j < n_tok and cjk[j] else None
            if left is None:
                edge += 1
                left = f"\x00{edge}"
            if right is None:
                edge += 1
                right = f"\x00{edge}"
            nb = nbrs[g]
            nb[0][left] += 1
            nb[1][right] += 1
    return grams, nbrs, docs


def _gram_spans(toks: list[str], cjk: list[bool], max_n: int, max_chars: int):
    """Yield ``(i, j)`` for every n-gram toks[i:j] of CJK words, at most max_n words and max_chars characters."""
    n_tok = len(toks)
    for i in range(n_tok):
        if not cjk[i]:
            continue
        chars = 0
        for j in range(i + 1, min(n_tok, i + max_n) + 1):
            if not cjk[j - 1]:
                break
            chars += len(toks[j - 1])
            if chars > max_chars:
                break
            yield i, j


def entropy(counter: Counter) -> float:
    """Shannon entropy (nats) of a counter's distribution."""
    total = sum(counter.values())
    return -sum(c / total * math.log(c / total) for c in counter.values()) if total else 0.0


def cohesive_terms(grams: Counter, nbrs: dict, gram_docs: Counter, tags: dict,
                   *, min_count: int = COHESIVE_MIN_COUNT, min_docs: int = COHESIVE_MIN_DOCS,
                   min_pmi: float = COHESIVE_MIN_PMI, min_binding: float = COHESIVE_MIN_BINDING,
                   min_entropy: float = 0.5) -> dict[str, dict]:
    """Return cohesive multi-word expressions: ``{form: evidence}``.

    A candidate recurs (``min_count``, in ``min_docs`` documents), has a
    weakest internal split with PMI ≥ ``min_pmi`` and :func:`binding`
    ≥ ``min_binding``, free left and right boundaries (entropy ≥
    ``min_entropy``, not mostly followed by 的), 3–10 characters, and no
    function word, numeral or adverb at its edges. ``tags`` maps a word to
    its dictionary POS; single words count only if idiomatic (jieba l/nz/j)
    and four characters or more. Nested candidates are resolved: the
    longer survives only if it covers ``NEST_SHARE`` of the shorter's uses.
    """
    total = sum(c for g, c in grams.items() if len(g) == 1)
    found: dict[tuple, dict] = {}
    for g, c in grams.items():
        if c < min_count or gram_docs.get(g, 0) < min_docs:
            continue
        form = "".join(g)
        if not (3 <= len(form) <= 10) or has_function_edge(form) or is_numeric_noise(form):
            continue
        if _bad_edge(g[0], tags) or _bad_edge(g[-1], tags) or form[0] in _NUM_SET:
            continue
        if any(_function_token(w, tags) for w in g[1:-1]):
            continue
        if len(g) == 1:
            if len(form) < 4 or tags.get(form) not in ("l", "nz", "j"):
                continue
            pmi, bind = float("inf"), 1.0
        else:
            pmi = min(math.log(c * total / (grams[g[:k]] * grams[g[k:]])) for k in range(1, len(g)))
            bind = binding(g, grams)
            if pmi < min_pmi or bind < min_binding:
                continue
        left, right = nbrs[g]
        hl, hr = entropy(left), entropy(right)
        if min(hl, hr) < min_entropy or right.get("的", 0) >= 0.5 * c:
            continue
        found[g] = {"form": form, "count": c, "documents": gram_docs[g], "pmi": pmi,
                    "binding": bind, "left_entropy": hl, "right_entropy": hr}
    return {v["form"]: v for v in _drop_dominated(found, grams).values()}


def binding(g: tuple, grams: Counter) -> float:
    """How tightly the parts of n-gram ``g`` hold: at its weakest split, the larger of P(left | right), P(right | left).

    Two free words that happen to meet (深入 + 推进, 重点 + 领域) score low;
    a term has at least one part that rarely occurs without the other.
    """
    c = grams[g]
    return min(max(c / grams[g[:k]], c / grams[g[k:]]) for k in range(1, len(g)))


def _bad_edge(word: str, tags: dict) -> bool:
    tag = tags.get(word) or ""
    return tag.startswith(EDGE_BAD_POS) or (len(word) == 1 and word in FUNCTION_CHARS)


def _function_token(word: str, tags: dict) -> bool:
    return (len(word) == 1 and word in FUNCTION_CHARS) or (tags.get(word) or "").startswith(("u", "p", "c"))


def _drop_dominated(found: dict, grams: Counter) -> dict:
    """Resolve nested n-grams between a longer ``g`` and a shorter ``sub`` inside it.

    If ``g`` accounts for ``NEST_SHARE`` of the shorter's uses, the shorter
    goes (it is a fragment). Otherwise the longer survives only when the
    rest of it (``g`` minus ``sub``, at either edge) is bound to ``sub``
    just as tightly (供给侧 + 结构性改革); a free word added to a term
    (发展 + 新质生产力) makes a phrase, not a longer term.
    """
    drop = set()
    for g in found:
        for k in range(len(g)):
            for m in range(k + 1, len(g) + 1):
                sub = g[k:m]
                if sub == g or sub not in found:
                    continue
                if grams[g] >= NEST_SHARE * grams[sub]:
                    drop.add(sub)
                    continue
                rest = g[m:] if k == 0 else g[:k] if m == len(g) else None
                if rest is None or grams[g] < NEST_SHARE * grams[rest]:
                    drop.add(g)
    return {g: v for g, v in found.items() if g not in drop}


# ----------------------------------------------------------------------------- candidates and merging

@dataclass
class Candidate:
    """One slogan form and the evidence gathered for it."""

    form: str
    signals: set = field(default_factory=set)
    members: list = field(default_factory=list)
    variants: set = field(default_factory=set)
    category: str = ""
    note: str = ""
    quoted: int = 0
    evidence: dict = field(default_factory=dict)


KIND_ORDER = ("lexicon", "enumeration", "numbered", "quoted", "cohesive")


def main_kind(signals: Iterable[str]) -> str:
    """The kind shown for a slogan: the most specific signal among those that found it."""
    sig = set(signals)
    for kind in ("enumeration", "numbered", "quoted", "cohesive", "lexicon"):
        if kind in sig:
            return kind
    return "cohesive"


def is_numbered(form: str) -> bool:
    """True if the form is a numeral formulation (四个意识, 两学一做, 六稳)."""
    return bool(form) and form[0] in _NUM_SET and not is_numeric_noise(form)


@dataclass
class _Doc:
    a: AnalyzedDocument
    text: str
    tokens: list  # (word, start, end) over the whole clean text
    bounds: set


def _tokenize(analyzed, segmenter, progress) -> list[_Doc]:
    docs = []
    for a in tqdm(analyzed, desc="提法：分词", unit="篇", disable=not progress):
        text = a.clean.text
        if len(a.token_spans):  # segmented already by the per-document stage
            it = iter(a.token_spans)
            toks = [(text[s:e], s, e) for s, e in zip(it, it)]
        else:
            toks, off = [], 0
            for para in text.split("\n"):
                toks += [(w, s + off, e + off) for w, s, e in segmenter.tokens(para)]
                off += len(para) + 1
        bounds = {s for _, s, _ in toks} | {e for _, _, e in toks}
        docs.append(_Doc(a, text, toks, bounds))
    return docs


def gather_candidates(docs: list[_Doc], tags: dict, progress: bool = False) -> dict[str, Candidate]:
    """Run every detector over the documents; return candidates keyed by form."""
    cands: dict[str, Candidate] = {}

    def add(form: str, signal: str) -> Candidate:
        c = cands.get(form) or cands.setdefault(form, Candidate(form))
        c.signals.add(signal)
        return c

    enum_sites, counted, heads, head_of = [], Counter(), defaultdict(Counter), {}
    for d in tqdm(docs, desc="提法：候选", unit="篇", disable=not progress):
        for _, _, term in quoted_terms(d.text):
            c = add(term, "enumeration" if "、" in term else "quoted")
            c.signals.add("quoted")
            c.quoted += 1
            if "、" in term:
                c.members = term.split("、")
        for _, _, form in compact_numbered(d.text):
            add(form, "numbered")
        for _, _, phrase, head in counted_phrases(d.tokens, d.text):
            counted[phrase] += 1
            head_of[phrase] = head
            heads[head][phrase[:-len(head)]] += 1
        enum_sites.append(enumerations(d.text, d.bounds))
    _add_counted(counted, heads, head_of, add)
    _add_enumerations(enum_sites, add)
    token_lists = [[w for w, _, _ in d.tokens] for d in docs]
    grams, nbrs, gram_docs = ngram_counts(token_lists, min_count=COHESIVE_MIN_COUNT, min_docs=COHESIVE_MIN_DOCS)
    for form, ev in cohesive_terms(grams, nbrs, gram_docs, tags).items():
        add(form, "cohesive").evidence.update(ev)
    for form, c in cands.items():
        if is_numbered(form):
            c.signals.add("numbered")
    return cands


def _add_counted(counted: Counter, heads: dict, head_of: dict, add) -> None:
    """Keep numeral + 个/大 + head phrases that recur and whose head is not a counting noun.

    A head seen after three or more different numerals (两个方面, 三个方面,
    四个方面) counts things; a formulation binds its head to one number.
    """
    for phrase, n in counted.items():
        if n >= MIN_COUNT and len(heads[head_of[phrase]]) < 3 and not is_numeric_noise(phrase):
            add(phrase, "numbered")


def _add_enumerations(sites: list[list], add) -> None:
    """Keep, per site, the enumeration length the corpus repeats most; add those that recur."""
    freq = Counter(form for doc_sites in sites for _, _, form, _ in doc_sites)
    docs = Counter(form for doc_sites in sites for form in {f for _, _, f, _ in doc_sites})
    for doc_sites in sites:
        by_site = defaultdict(list)
        for s, e, form, n in doc_sites:
            by_site[s + len(re.split("[、，]", form)[0])].append(form)
        for forms in by_site.values():
            best = max(forms, key=lambda f: (freq[f], len(f)))
            if freq[best] >= MIN_COUNT and (docs[best] >= 2 or _parallel_shape(best)):
                c = add(best, "enumeration")
                c.members, c.evidence["enumerated"] = re.split("[、，]", best), True


def _parallel_shape(form: str) -> bool:
    """True if the members share a character at the same position (大众创业、万众创新)."""
    members = re.split("[、，]", form)
    return any(len({m[k] for m in members}) == 1 for k in range(len(members[0])))


def add_lexicon(cands: dict[str, Candidate], lexicon) -> None:
    """Merge curated entries: canonical forms become candidates, variants are attached."""
    for entry in lexicon or []:
        c = cands.get(entry.canonical) or cands.setdefault(entry.canonical, Candidate(entry.canonical))
        c.signals.add("lexicon")
        c.variants.update(v for v in entry.variants if v != entry.canonical)
        c.category, c.note = entry.category, entry.note
        if "、" in entry.canonical:
            c.members = entry.canonical.split("、")
        for v in entry.variants:
            if v in cands and v != entry.canonical:
                c.signals |= cands.pop(v).signals - {"lexicon"}


# ----------------------------------------------------------------------------- counting

class Matcher:
    """Leftmost-longest matching of many literal forms in one pass per text (Aho–Corasick)."""

    def __init__(self, forms: Iterable[str]):
        self.automaton = ahocorasick.Automaton()
        for f in set(forms):
            if f:
                self.automaton.add_word(f, f)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def longest(self, text: str):
        """Yield ``(start, end, form)`` for non-overlapping matches, longest first, then leftmost.

        Longest-first keeps a long slogan whole where a shorter candidate
        would otherwise cut into it from the left (发展新质 | 新质生产力).
        """
        occ = sorted(self.overlapping(text), key=lambda o: (o[0] - o[1], o[0]))
        taken = bytearray(len(text))
        for s, e, f in occ:
            if not any(taken[s:e]):
                taken[s:e] = b"\x01" * (e - s)
                yield s, e, f

    def overlapping(self, text: str):
        """Yield ``(start, end, form)`` for every occurrence of every form, overlaps included."""
        if self.empty:
            return
        for last, f in self.automaton.iter(text):
            yield last + 1 - len(f), last + 1, f


def resolve_nesting(cands: dict[str, Candidate], docs: list[_Doc]) -> dict[str, Candidate]:
    """Fold a form into a longer slogan when ``NEST_SHARE`` of its occurrences lie inside it.

    Returns the candidates left, the folded forms added to the longer one's variants.
    """
    matcher = Matcher(cands)
    total, inside = Counter(), defaultdict(Counter)
    for d in docs:
        occ = list(matcher.overlapping(d.text))
        ends = defaultdict(list)
        for s, e, f in occ:
            total[f] += 1
            ends[s].append((e, f))
        for s, e, f in occ:
            for k in range(s, e):
                for e2, f2 in ends.get(k, ()):
                    if e2 <= e and f2 != f and (k, e2) != (s, e):
                        inside[f2][f] += 1
    out = {f: c for f, c in cands.items() if _keeps_signals(c, total[f])}
    for f in _free_extensions(out, total, inside, docs):
        del out[f]
    for short in sorted(out, key=len):
        if short not in out or not inside[short]:
            continue
        longer, n = inside[short].most_common(1)[0]
        if longer in out and n >= NEST_SHARE * total[short] and "lexicon" not in cands[short].signals:
            out[longer].variants.add(short)
            out[longer].variants |= cands[short].variants
            del out[short]
    for c in out.values():
        c.evidence["occurrences"] = total[c.form]
    return out


def _free_extensions(cands: dict[str, Candidate], total: Counter, inside: dict, docs: list[_Doc]) -> set[str]:
    """Cohesive forms that are another candidate plus a free word (实现 + 四个…): phrases, not terms.

    A longer form ``L = rest + S`` (or ``S + rest``) is a phrase when ``S``
    is often used without it and ``rest`` is often used without ``S``.
    """
    pairs = []
    for short, longers in inside.items():
        for longer in longers:
            if short in cands and longer in cands and cands[longer].signals == {"cohesive"}:
                if total[longer] < NEST_SHARE * total[short]:
                    rest = (longer[len(short):] if longer.startswith(short)
                            else longer[:-len(short)] if longer.endswith(short) else "")
                    if rest:
                        pairs.append((longer, rest))
    rest_total = Counter()
    matcher = Matcher({r for _, r in pairs})
    for d in docs:
        rest_total.update(f for _, _, f in matcher.overlapping(d.text))
    return {longer for longer, rest in pairs if total[longer] < NEST_SHARE * rest_total[rest]}


def _keeps_signals(c: Candidate, occurrences: int) -> bool:
    """Drop the quoted signal where quotes are rare (scare quotes on a common word); keep if any signal is left."""
    if "quoted" in c.signals and c.quoted < QUOTED_SHARE * occurrences:
        c.signals.discard("quoted")
        if c.signals == {"enumeration"} and not c.evidence.get("enumerated"):
            c.signals.discard("enumeration")
    return bool(c.signals)


def _joined_variants(cands: dict[str, Candidate], docs: list[_Doc]) -> None:
    """Add the 、-less spelling of enumerations (不忘…牢记… written without 、) where the text has it."""
    wanted = {c.form.replace("、", "").replace("，", ""): c for c in cands.values() if c.members}
    if not wanted:
        return
    matcher = Matcher(wanted)
    for d in docs:
        for _, _, f in matcher.longest(d.text):
            wanted[f].variants.add(f)


# ----------------------------------------------------------------------------- tables

def slogan_tables(analyzed: list[AnalyzedDocument], *, lexicon=None, progress: bool = True) -> dict[str, pd.DataFrame]:
    """Extract slogans from analysed documents; return the tables by name.

    ``slogans``, ``slogan_hits``, ``slogan_years``, ``slogan_docs`` and
    ``cooccurrence`` (see the module docstring and DESIGN.md).
    """
    import jieba.posseg
    from analysis.segment import get_segmenter, lexicon_terms
    segmenter = get_segmenter(tuple(lexicon_terms(lexicon or [])))
    tags = jieba.posseg.dt.word_tag_tab
    docs = _tokenize(analyzed, segmenter, progress)
    cands = gather_candidates(docs, tags, progress)
    add_lexicon(cands, lexicon)
    _joined_variants(cands, docs)
    cands = resolve_nesting(cands, docs)
    for _ in range(3):  # dropping a slogan frees its places for others: recount until stable
        hits = find_hits(cands, docs, progress)
        if not _prune(hits, cands, docs):
            break
    return build_tables(cands, hits, docs)


def find_hits(cands: dict[str, Candidate], docs: list[_Doc], progress: bool = False) -> pd.DataFrame:
    """Return one row per slogan occurrence (leftmost-longest, counted once) with raw offsets and KWIC."""
    owner = {}
    for c in cands.values():
        for v in c.variants:
            owner.setdefault(v, c.form)
    for c in cands.values():
        owner[c.form] = c.form
    matcher = Matcher(owner)
    rows = []
    for d in tqdm(docs, desc="提法：计数", unit="篇", disable=not progress):
        text, clean = d.text, d.a.clean
        for s, e, f in sorted(matcher.longest(text)):
            rs, re_ = clean.to_raw(s, e)
            left = text[max(0, s - 20):s].replace("\n", " ")
            right = text[e:e + 20].replace("\n", " ")
            rows.append({"slogan": owner[f], "doc_id": d.a.doc_id, "year": d.a.doc.year,
                         "start": rs, "end": re_, "clean_start": s, "clean_end": e, "hit": f,
                         "left": left, "right": right, "context": f"{left}【{f}】{right}",
                         "paragraph": text.count("\n", 0, s)})
    cols = ["slogan", "doc_id", "year", "start", "end", "clean_start", "clean_end", "hit",
            "left", "right", "context", "paragraph"]
    df = pd.DataFrame(rows, columns=cols)
    df["year"] = df["year"].astype("Int64")
    return df


def _prune(hits: pd.DataFrame, cands: dict[str, Candidate], docs: list[_Doc]) -> int:
    """Drop slogans with too few hits or, if only cohesive, used across the whole period; return how many.

    Quoted, enumerated and lexicon terms need one hit, others ``MIN_COUNT``.
    A cohesive expression whose first and last years span more than
    ``LIFE_SPAN`` of the corpus's years is ordinary vocabulary, not a
    formulation with a life cycle (checked only for corpora of five years or more).
    """
    counts = hits["slogan"].value_counts()
    years = sorted({int(d.a.doc.year) for d in docs if d.a.doc.year is not None})
    spans = hits.dropna(subset=["year"]).groupby("slogan")["year"].agg(["min", "max"])
    whole = (years[-1] - years[0]) if len(years) >= 5 else 0
    drop = []
    for f, c in cands.items():
        n = int(counts.get(f, 0))
        if n < (1 if c.signals & {"quoted", "lexicon", "enumeration"} else MIN_COUNT):
            drop.append(f)
        elif whole and c.signals == {"cohesive"} and f in spans.index:
            if (spans.loc[f, "max"] - spans.loc[f, "min"]) > LIFE_SPAN * whole:
                drop.append(f)
    for f in drop:
        del cands[f]
    return len(drop)


def _characters(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def build_tables(cands: dict[str, Candidate], hits: pd.DataFrame, docs: list[_Doc]) -> dict[str, pd.DataFrame]:
    """Aggregate hits into the slogans, per-year, per-document and co-occurrence tables."""
    doc_chars = {d.a.doc_id: _characters(d.text) for d in docs}
    total_chars = sum(doc_chars.values()) or 1
    year_chars = Counter()
    for d in docs:
        if d.a.doc.year is not None:
            year_chars[int(d.a.doc.year)] += doc_chars[d.a.doc_id]
    per_doc = hits.groupby(["slogan", "doc_id"]).size().rename("count").reset_index()
    slogans = _slogans_table(cands, hits, per_doc, total_chars, year_chars)
    return {"slogans": slogans, "slogan_hits": hits, "slogan_years": _years_table(hits, year_chars),
            "slogan_docs": per_doc, "cooccurrence": cooccurrence(hits)}


def _slogans_table(cands, hits, per_doc, total_chars, year_chars) -> pd.DataFrame:
    counts = hits["slogan"].value_counts()
    ndocs = per_doc.groupby("slogan").size()
    years = hits.dropna(subset=["year"]).groupby("slogan")["year"].agg(["min", "max", "nunique"])
    n_years = max(len(year_chars), 1)
    rows = []
    for form, c in cands.items():
        n = int(counts.get(form, 0))
        if not n:
            continue
        signals = sorted(c.signals, key=KIND_ORDER.index)
        yr = years.loc[form] if form in years.index else None
        spread = (yr["nunique"] / n_years) if yr is not None else 1.0
        rows.append({
            "slogan": form, "kind": main_kind(c.signals), "signals": "、".join(signals),
            "variants": "、".join(sorted(c.variants - {form}, key=lambda v: (-len(v), v))),
            "count": n, "documents": int(ndocs.get(form, 0)),
            "rate_per_10k": n / total_chars * 10000,
            "first_year": int(yr["min"]) if yr is not None else None,
            "last_year": int(yr["max"]) if yr is not None else None,
            "category": c.category, "note": c.note, "members": "、".join(c.members),
            "quoted": c.quoted,
            "score": round(math.log1p(n) * len(signals) * (1.5 - spread) * (1 + 0.1 * len(form)), 4),
        })
    cols = ["slogan", "kind", "signals", "variants", "count", "documents", "rate_per_10k", "first_year",
            "last_year", "category", "note", "members", "quoted", "score"]
    df = pd.DataFrame(rows, columns=cols).sort_values(["rate_per_10k", "slogan"], ascending=[False, True])
    for col in ("first_year", "last_year"):
        df[col] = df[col].astype("Int64")
    return df.reset_index(drop=True)


def _years_table(hits: pd.DataFrame, year_chars: Counter) -> pd.DataFrame:
    """Counts per slogan and year, for every year that has documents (zero where unused)."""
    cols = ["slogan", "year", "count", "characters", "rate_per_10k"]
    years = sorted(year_chars)
    if not len(hits) or not years:
        return pd.DataFrame(columns=cols).astype({"year": "Int64"})
    dated = hits.dropna(subset=["year"]).astype({"year": int})
    counts = dated.groupby(["slogan", "year"]).size()
    grid = pd.MultiIndex.from_product([sorted(hits["slogan"].unique()), years], names=["slogan", "year"])
    df = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    df["characters"] = df["year"].map(year_chars).astype(int)
    df["rate_per_10k"] = (df["count"] / df["characters"].where(df["characters"] > 0) * 10000).fillna(0.0)
    df["year"] = df["year"].astype("Int64")
    return df[cols]


def cooccurrence(hits: pd.DataFrame, min_paragraphs: int = 2) -> pd.DataFrame:
    """Pairs of slogans sharing paragraphs: ``slogan_a, slogan_b, paragraphs, pmi``."""
    paras = hits.groupby(["doc_id", "paragraph"])["slogan"].agg(lambda s: sorted(set(s)))
    n_par = max(len(paras), 1)
    single, pairs = Counter(), Counter()
    for group in paras:
        single.update(group)
        pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1:])
    rows = [{"slogan_a": a, "slogan_b": b, "paragraphs": n,
             "pmi": math.log(n * n_par / (single[a] * single[b]))}
            for (a, b), n in pairs.items() if n >= min_paragraphs]
    df = pd.DataFrame(rows, columns=["slogan_a", "slogan_b", "paragraphs", "pmi"])
    return df.sort_values(["paragraphs", "pmi"], ascending=False).reset_index(drop=True)


# ----------------------------------------------------------------------------- report

def slogan_report(slogans: pd.DataFrame, top: int = 30) -> str:
    """A plain-text summary: slogans per kind, then the ``top`` by rate per 10,000 characters."""
    if slogans is None or slogans.empty:
        return "没有找到提法（no slogans found）。"
    lines = [f"提法 {len(slogans)} 个，按类型：" +
             "，".join(f"{k} {n}" for k, n in slogans["kind"].value_counts().items())]
    lines.append(f"按每万字频率前 {top} 个：")
    lines.append(f"{'#':>3}  {'slogan':<22}{'kind':<12}{'count':>6}{'docs':>6}{'rate':>8}  years")
    df = slogans.sort_values("rate_per_10k", ascending=False).head(top)
    for i, r in enumerate(df.itertuples(), 1):
        years = f"{_yr(r.first_year)}–{_yr(r.last_year)}"
        lines.append(f"{i:>3}  {_pad(r.slogan, 22)}{r.kind:<12}{r.count:>6}{r.documents:>6}"
                     f"{r.rate_per_10k:>8.2f}  {years}")
    return "\n".join(lines)


def _yr(v) -> str:
    return "?" if v is None or pd.isna(v) else str(int(v))


def _pad(s: str, width: int) -> str:
    """Pad to a display width where CJK characters take two columns."""
    w = sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)
    return s + " " * max(1, width - w)

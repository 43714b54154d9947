"""The slogan detector's thresholds and switches, in one frozen settings object.

Every number that decides what counts as a slogan lives here, named for
what it does. Functions take it keyword-only as ``settings`` with this
default instance, so a caller changes a threshold in one place.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SloganSettings:
    """What the slogan detector accepts; the defaults are tuned on the work reports."""

    # shapes of a term
    term_min_chars: int = 2             # shortest term
    term_max_chars: int = 16            # longest quoted term, enumeration member set aside
    quote_max_chars: int = 18           # longest text between quotation marks looked at (longer: speech)
    numbered_min_pairs: int = 2         # numeral-word pairs of the shortest compact form (两学一做: 2)
    numbered_max_pairs: int = 3         # ... and of the longest (N X N Y N Z: 3)
    counted_head_min_chars: int = 2     # shortest word after numeral + 个/大 that names (四个意识; not 三个月)
    member_min_chars: int = 3           # shortest member of an enumeration (抓基层)
    member_max_chars: int = 6           # longest member of an enumeration

    # per-document n-grams (the cohesive signal's raw material; they shape the cached evidence)
    gram_max_words: int = 5             # most words in an n-gram
    gram_max_chars: int = 10            # most characters in an n-gram
    gram_min_chars: int = 3             # fewest characters of a term-shaped n-gram
    single_word_min_chars: int = 4      # an idiomatic word (l/nz/j) stands alone as a term from this length

    # cohesive expressions, across the corpus
    cohesive_min_count: int = 3         # uses in the corpus
    cohesive_min_docs: int = 2          # documents it is used in
    coinage_min_count: int = 5          # a term of one document only: uses there (a report's own coinage)
    coinage_min_binding: float = 0.6    # ... and its binding at the weakest split
    cohesive_min_pmi: float = 4.0       # PMI at its weakest internal split
    cohesive_min_binding: float = 0.25  # larger of P(left | right), P(right | left) at that split ...
    cohesive_strong_pmi: float = 6.0    # ... unless the PMI is this high (精准 + 扶贫: both parts common)
    cohesive_min_entropy: float = 0.5   # boundary entropy on the less free side
    phrase_rest_share: float = 0.35     # a longer form keeps its part if the rest is used with it this often
    de_max_share: float = 0.5           # a form followed by 的 more often is a modifier, not a term

    # keeping a slogan
    min_count: int = 2                  # hits a slogan needs (quoted, enumerated and lexicon terms: one)
    counting_noun_numerals: int = 3     # a head seen after this many numerals counts things (三个方面)
    enumeration_min_docs: int = 2       # documents an enumeration recurs in, unless its members rhyme
    quoted_share: float = 0.3           # share of its uses a term must be quoted in to keep the quoted signal
    nest_share: float = 0.9             # a shorter form this often inside a longer slogan becomes its variant
    life_span: float = 1.0              # a cohesive form spanning more of the corpus's years is dropped (1: none; the ranking demotes vocabulary)
    life_span_min_years: int = 5        # the life-span test needs a corpus of this many years
    max_recounts: int = 3               # rounds of dropping slogans and recounting their freed places

    # genre formulae (text a genre repeats in one place: a resolution's 会议号召)
    genre_min_docs: int = 3             # a genre needs this many documents
    formula_doc_share: float = 0.5      # a formula is used in this share of the genre's documents ...
    formula_genre_share: float = 0.9    # ... has this share of its hits in the genre ...
    formula_per_document: float = 1.5   # ... is used about once a document (hits per document at most) ...
    formula_place_spread: float = 0.1   # ... and its relative place in the text varies at most this much

    # tables
    context_chars: int = 20             # characters of keyword-in-context on each side of a hit
    min_shared_paragraphs: int = 2      # paragraphs two slogans share before they are a co-occurring pair
    score_spread_base: float = 1.5      # score: (this − share of years used) rewards slogans of their time
    score_length_weight: float = 0.1    # score: weight of each character of the form

    # ranking (sloganhood, see analysis.slogans.ranking): rewards …
    rank_numbered: float = 2.0          # a numbered form (四个意识)
    rank_quoted: float = 2.5            # quoted in half its uses or more (scaled below that)
    rank_enumeration: float = 1.0       # an enumeration; doubled when its members are parallel
    rank_lexicon: float = 2.0           # a lexicon entry
    rank_burst: float = 2.0             # used in fewer years than an even spread would reach
    rank_count_weight: float = 0.6      # per log(1 + count)
    rank_length_weight: float = 0.15    # per character, up to 10
    # … and penalties
    rank_figures: float = 3.0           # its clauses report figures (国内生产总值增长…)
    rank_fragment: float = 2.5          # mostly inside a longer slogan, or always continued the same way
    rank_administrative: float = 1.5    # led by an adverb or verb, or only verbs (深入推进, 取得新进展)
    rank_common: float = 2.0            # ordinary in general Chinese (jieba's dictionary frequencies)

    def evidence_key(self) -> tuple:
        """The values per-document evidence depends on: evidence made under other values is recomputed."""
        return tuple(getattr(self, name) for name in EVIDENCE_FIELDS)


# What the per-document stage reads (shapes and n-grams); the corpus-wide thresholds can change freely.
EVIDENCE_FIELDS = ("term_min_chars", "term_max_chars", "quote_max_chars", "numbered_min_pairs",
                   "numbered_max_pairs", "counted_head_min_chars", "member_min_chars", "member_max_chars",
                   "gram_max_words", "gram_max_chars", "gram_min_chars", "single_word_min_chars")

DEFAULT_SETTINGS = SloganSettings()

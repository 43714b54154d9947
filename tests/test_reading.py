"""The reading view's HTML: spans on raw offsets, anchors as ids of the marked elements themselves."""
from analysis.reading import Mark, render


def test_an_anchor_is_the_id_of_its_own_link():
    raw = "要坚持三会一课制度。"
    html = render(raw, 0, len(raw), [Mark(3, 7, "slogan", href="../slogans/x.html", anchor="s3")])
    assert html == '要坚持<a id="s3" href="../slogans/x.html" class="slogan">三会一课</a>制度。'
    assert 'class="anchor"' not in html


def test_a_branch_and_a_slogan_starting_together_each_keep_their_anchor():
    raw = "三会一课要坚持，主题党日要落实。"
    marks = [Mark(0, 7, "branch pc0", title="分句排比", anchor="par0"),
             Mark(0, 4, "slogan", href="../slogans/x.html", anchor="s0")]
    html = render(raw, 0, len(raw), marks)
    assert html.startswith('<span id="par0" class="branch pc0" title="分句排比">'
                           '<a id="s0" href="../slogans/x.html" class="slogan">三会一课</a></span>')
    assert html.count(' id="') == 2 and 'class="anchor"' not in html


def test_an_anchor_over_hidden_characters_only_is_still_placed():
    raw = "\u3000\u3000正文开始。"
    html = render(raw, 0, len(raw), [Mark(0, 2, "lead", anchor="u0")])
    assert '<span id="u0" class="anchor"></span>' in html and html.endswith("正文开始。")


def test_with_a_tips_list_each_tooltip_is_written_once_and_named_by_number():
    raw = "稳增长、促改革、调结构。"
    marks = [Mark(0, 3, "branch pc0", title="词语排列"), Mark(4, 7, "branch pc0", title="词语排列"),
             Mark(8, 11, "branch pc1", title="分句排比")]
    tips: dict[str, int] = {}
    html = render(raw, 0, len(raw), marks, tips)
    assert tips == {"词语排列": 0, "分句排比": 1}
    assert html.count('data-t="0"') == 2 and html.count('data-t="1"') == 1 and "title=" not in html

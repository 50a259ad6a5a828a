"""The agreement page: admins see the figures, what each stands on and the claims behind
them; reviewers are refused; undefined figures and bad filters give words, never a 500."""

from __future__ import annotations

import html as html_module
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from annotator_testkit.constants import ARTICLE_TEXT, SECOND_ARTICLE
from annotator_testkit.pages import (
    assert_escaped,
    assert_no_raw_markup,
    assert_safe_links,
    html_of,
    links,
)
from annotator_testkit.team import decide, judge

S, D, U = "supported", "disputed", "unclear"


@pytest.fixture
def judged(app, make_article, claim_ids, reviewer_id, reviewer2_id, admin_id):
    """alice and bob on two articles: they agree on claims 1 and 3 of the first article,
    differ on claim 2 (decided "disputed"), and agree on the second article's claim 1.

    By hand: 4 claims, 8 verdicts; alice & bob agree on 3 of 4 (75%); their labels:
    alice S, S, U, U and bob S, D, U, U, so p_e = (2*1 + 0*1 + 2*2) / 16 = 6/16 and
    Cohen's kappa = (3/4 - 6/16) / (10/16) = 3/5.
    """
    first = make_article(ARTICLE_TEXT, "first.txt")
    second = make_article(SECOND_ARTICLE, "second.txt")
    a, b = claim_ids(first), claim_ids(second)
    for claim, alice_label, bob_label in ((a[0], S, S), (a[1], S, D), (a[2], U, U),
                                          (b[0], U, U)):
        judge(app, claim, reviewer_id, alice_label)
        judge(app, claim, reviewer2_id, bob_label)
    decide(app, a[1], admin_id, D)
    return {"first": first, "second": second, "a": a, "b": b,
            "alice": reviewer_id, "bob": reviewer2_id}


def text_of(html: str) -> str:
    """The page's words without tags, whitespace squeezed (for sentence checks)."""
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, anchor: str) -> str:
    """The HTML of the ``<section>`` whose heading has id ``anchor``."""
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</section>", start)]


def test_admin_sees_the_figures_what_they_stand_on_and_the_charts(admin_client, judged):
    response = admin_client.get("/admin/agreement")
    assert response.status_code == 200
    html = html_of(response)
    words = text_of(html)
    assert "Counted: 8 verdicts on 4 claims with at least two verdicts, by 2 reviewers" in words
    assert "1 of the claims counted has a final verdict" in words
    figures = section(html, "overall")
    for name in ("Krippendorff's alpha", "Fleiss' kappa", "Percent agreement"):
        assert name in html_module.unescape(figures)
    assert "75.0%" in figures
    assert "8 verdicts on 4 claims with at least two verdicts" in figures
    assert "what chance would give" in text_of(figures)  # the plain-sentence explanation
    pairs = section(html, "pairs")
    assert "0.600" in pairs  # 3/5
    assert "<svg" in pairs and "<title>Agreement between reviewer pairs</title>" in pairs
    assert "<svg" in section(html, "labels")
    assert "<script" not in pairs
    assert 'aria-current="page">Agreement</a>' in html
    assert_safe_links(html)


def test_the_confusion_matrix_is_a_table_rows_first_reviewer(admin_client, judged):
    html = html_of(admin_client.get("/admin/agreement"))
    table = re.search(r'<table class="confusion">.*?</table>', section(html, "pairs"), re.S)
    assert "rows: alice, columns: bob" in table.group(0)
    cells = [re.findall(r"<td(?: class=\"same\")?>(\d+)</td>", row)
             for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table.group(0), re.S)]
    assert cells == [["1", "1", "0"], ["0", "0", "0"], ["0", "0", "2"]]


def test_the_disagreement_list_leads_to_each_claim_and_its_article(admin_client, judged):
    html = html_of(admin_client.get("/admin/agreement"))
    claims = section(html, "claims")
    assert "Claims whose verdicts differ (1)" in html_module.unescape(claims)
    assert f'href="/claims/{judged["a"][1]}"' in claims
    assert f'href="/articles/{judged["first"]}"' in claims
    assert "Officials praised the result." in claims
    assert "Final verdict:" in claims
    for other in (judged["a"][0], judged["a"][2], judged["b"][0]):
        assert f'href="/claims/{other}"' not in claims


def test_each_figure_links_to_its_claims(admin_client, judged):
    html = html_of(admin_client.get("/admin/agreement"))
    alice, bob = judged["alice"], judged["bob"]
    pair_link = f"/admin/agreement?focus=pair-{alice}-{bob}#claims"
    assert f'href="{pair_link}"' in section(html, "pairs")
    assert '/admin/agreement?focus=label-disputed#claims' in section(html, "labels")
    assert f"/admin/agreement?focus=final-{alice}#claims" in section(html, "reviewers")
    assert f'/admin/agreement?article={judged["first"]}#claims' in section(html, "articles")

    focused = section(html_of(admin_client.get(pair_link)), "claims")
    assert "Claims where alice and bob differ (1)" in html_module.unescape(focused)
    assert f'href="/claims/{judged["a"][1]}"' in focused
    final = section(html_of(admin_client.get(f"/admin/agreement?focus=final-{alice}")),
                    "claims")
    assert "Claims where alice differs from the final verdict (1)" in html_module.unescape(final)
    assert f'href="/claims/{judged["a"][1]}"' in final


def test_the_article_filter_recomputes_and_keeps_itself_in_the_links(admin_client, judged):
    first, second = judged["first"], judged["second"]
    html = html_of(admin_client.get(f"/admin/agreement?article={second}&since=2000-01-01"))
    words = text_of(html)
    assert "Counted: 2 verdicts on 1 claim with at least two verdicts" in words
    assert "Every verdict counted carries the same label" in words  # alpha undefined, in words
    assert f'<option value="{second}" selected>Budget report</option>' in html
    assert 'value="2000-01-01"' in html
    html = html_of(admin_client.get(f"/admin/agreement?article={first}"))
    assert "Counted: 6 verdicts on 3 claims" in text_of(html)
    alice, bob = judged["alice"], judged["bob"]
    assert {"article": [str(first)], "focus": [f"pair-{alice}-{bob}"]} in [
        parse_qs(urlsplit(url).query) for url in links(section(html, "pairs"))]


@pytest.mark.parametrize(("query", "message"), [
    ("article=abc", "“abc” is not an article number"),
    ("article=-3", "“-3” is not an article number"),
    ("article=99999999999999999999", "is not an article number"),
    ("article=999999", "There is no article 999999."),
    ("since=yesterday", "“yesterday” is not a date written YYYY-MM-DD"),
    ("since=2026-02-30", "“2026-02-30” is not a date written YYYY-MM-DD"),
    ("focus=pair-1-2-3", "That figure is not in this report"),
])
def test_bad_filters_give_a_message_not_an_error(admin_client, judged, query, message):
    response = admin_client.get(f"/admin/agreement?{query}")
    assert response.status_code == 200
    html = html_module.unescape(html_of(response))
    assert message in html
    counted = re.search(r"Counted: (\d+) verdicts", text_of(html)).group(1)
    # An unreadable filter is left out (every verdict counted); an unknown article counts none.
    assert counted == ("0" if query == "article=999999" else "8")


def test_no_verdicts_at_all_gives_words(admin_client):
    response = admin_client.get("/admin/agreement")
    assert response.status_code == 200
    words = text_of(html_of(response))
    assert "No verdict is counted yet" in words
    assert "n/a" in words
    assert "No two reviewers have judged the same claim" in words
    assert "Claims whose verdicts differ (0)" in words


def test_one_reviewer_only_gives_words(app, admin_client, claims, reviewer_id):
    for claim in claims:
        judge(app, claim, reviewer_id, S)
    words = text_of(html_of(admin_client.get("/admin/agreement")))
    assert "Only one reviewer's verdicts are counted" in words
    assert "Only one reviewer has given verdicts, so there is no one to agree with." in words
    assert "3 claims have a single verdict so far and are left out" in words


def test_reviewers_are_refused(reviewer_client, judged):
    assert reviewer_client.get("/admin/agreement").status_code == 403
    assert "/admin/agreement" not in html_of(reviewer_client.get("/"))


def test_anonymous_visitors_are_sent_to_log_in(client, admin_id):
    response = client.get("/admin/agreement?article=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_text_from_articles_is_shown_escaped(app, admin_client, make_article, claim_ids,
                                             reviewer_id, reviewer2_id):
    title = "<b>Budget</b> & <script>alert(1)</script>"
    article = make_article(f"title: {title}\n\nThe deficit fell to <i>3%</i> of GDP.\n",
                           "hostile.txt")
    claim = claim_ids(article)[0]
    judge(app, claim, reviewer_id, S)
    judge(app, claim, reviewer2_id, D)
    html = html_of(admin_client.get("/admin/agreement"))
    assert_escaped(html, title)
    assert_escaped(html, "<i>3%</i>")
    assert_no_raw_markup(html)


def test_the_page_reads_in_a_fixed_number_of_queries(app, admin_client, make_article,
                                                      claim_ids, count_queries, reviewer_id,
                                                      reviewer2_id):
    def measure() -> list[str]:
        assert admin_client.get("/admin/agreement").status_code == 200
        with count_queries() as queries:
            assert admin_client.get("/admin/agreement").status_code == 200
        return queries.statements

    def judge_article(tag: str) -> None:
        text = "".join(f"Item {i} of batch {tag} rose by {i + 1}% in May.\n" for i in range(6))
        for position, claim in enumerate(claim_ids(make_article(text, f"{tag}.txt"))):
            judge(app, claim, reviewer_id, S)
            judge(app, claim, reviewer2_id, S if position % 2 else D)

    judge_article("small")
    small = measure()
    for tag in ("b", "c", "d"):
        judge_article(tag)
    large = measure()
    assert len(large) == len(small), large
    assert len(large) <= 10, large

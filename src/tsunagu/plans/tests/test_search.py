"""The plan search runs on textsearch: variants, kana, synonyms, explanations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.plans.models import Initiative, Responsibility
from tsunagu.textsearch.search import search

pytestmark = pytest.mark.django_db
KIND = "plans.initiative"


def codes(text: str, limit: int = 10) -> list[str]:
    pks = search(KIND, text, limit=limit).pks
    by_pk = Initiative.objects.in_bulk(pks)
    return [by_pk[pk].code for pk in pks]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ダブルケア", "4-1-5-7"),
        ("ＤＶ", "1-1-2-8"),
        ("ドメスティック・バイオレンス", "1-1-2-8"),
        ("物忘れ", "4-1-5-19"),  # synonym of 認知症
        ("かいご", "4-1-5-5"),  # kana finds 介護
        ("こども 貧困", "4-1-5-18"),
        ("社会資源", "5-2-1-4"),
        ("成年後見", "4-2-2-2"),
    ],
)
def test_seed_queries_find_their_initiative(kamakura_plan: Any, query: str, code: str) -> None:
    assert code in codes(query)


def test_the_seed_plan_is_indexed_with_its_departments(kamakura_plan: Any) -> None:
    found = codes("障害福祉課", limit=300)
    expected = set(
        Responsibility.objects.filter(organization__name="障害福祉課").values_list(
            "initiative__code", flat=True
        )
    )
    assert expected <= set(found)


def test_changing_a_department_reindexes_its_initiative(kamakura_plan: Any) -> None:
    responsibility = Responsibility.objects.filter(initiative__code="4-1-5-7").first()
    assert responsibility is not None
    from tsunagu.core.models import Organization

    new = Organization.objects.create(name="ケア連携推進室", kind=Organization.Kind.CITY_DIVISION)
    responsibility.organization = new
    responsibility.save()
    assert codes("ケア連携推進室") == ["4-1-5-7"]


def test_search_page_explains_and_highlights(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    client.force_login(plan_owner_officer)
    response = client.get(reverse("plans:search"), {"q": "だぶるけあ"})
    page = response.content.decode()
    assert "4-1-5-7" in page
    assert "<mark>" in page


def test_search_by_code_puts_the_initiative_first(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    client.force_login(plan_owner_officer)
    response = client.get(reverse("plans:search"), {"q": "４-１-５-７"})
    assert response.context["results"][0]["initiative"].code == "4-1-5-7"


def test_sentence_query_is_relaxed_and_says_so(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    client.force_login(plan_owner_officer)
    response = client.get(reverse("plans:search"), {"q": "母の介護と子育てが重なって大変です"})
    assert response.context["relaxed"]
    assert response.context["results"]


def test_search_page_query_count_is_constant(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    client.force_login(plan_owner_officer)

    def count(q: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("plans:search"), {"q": q})
        return len(context.captured_queries), len(response.context["results"])

    few_queries, few_results = count("ダブルケア")
    many_queries, many_results = count("地域")
    assert many_results > few_results * 10
    assert many_queries == few_queries

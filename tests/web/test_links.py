"""URLs reversed once per process (tremplin/web/links.py) give Django's URLs."""

from decimal import Decimal

import pytest
from django.template import Context, engines
from django.urls import NoReverseMatch, set_script_prefix
from django.urls import reverse as django_reverse

from tremplin.web import links


@pytest.fixture(autouse=True)
def empty_cache():
    links._kept.cache_clear()
    yield
    links._kept.cache_clear()
    set_script_prefix("/")


def test_a_url_with_arguments_is_django_s_and_is_reversed_once():
    first = links.reverse("registry:beneficiary_detail", args=[36])
    again = links.reverse("registry:beneficiary_detail", args=[36])
    assert first == again == django_reverse("registry:beneficiary_detail", args=[36])
    info = links._kept.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_another_argument_is_another_url():
    assert links.reverse("registry:beneficiary_detail", args=[36]) != links.reverse(
        "registry:beneficiary_detail", args=[37]
    )
    assert links.reverse("registry:beneficiary_detail", kwargs={"pk": 37}) == django_reverse(
        "registry:beneficiary_detail", args=[37]
    )


def test_the_deployment_prefix_is_part_of_the_key():
    at_root = links.reverse("home")
    set_script_prefix("/departement/")
    assert links.reverse("home") == "/departement" + at_root
    set_script_prefix("/")
    assert links.reverse("home") == at_root


def test_an_argument_that_is_not_a_plain_number_or_text_is_reversed_each_time():
    url = links.reverse("registry:beneficiary_detail", args=[Decimal("36")])
    assert url == django_reverse("registry:beneficiary_detail", args=[36])
    assert links._kept.cache_info().currsize == 0


def test_an_unknown_name_raises_as_django_s_does():
    with pytest.raises(NoReverseMatch):
        links.reverse("registry:no_such_page")


def test_the_url_tag_is_the_kept_one_with_django_s_syntax():
    engine = engines["django"].engine
    page = engine.from_string(
        "{% url 'registry:beneficiary_detail' pk %}|"
        "{% url 'registry:beneficiary_detail' pk=pk %}|"
        "{% url 'registry:no_such_page' as missing %}[{{ missing }}]|"
        "{% url 'home' as home %}{{ home }}"
    )
    expected = django_reverse("registry:beneficiary_detail", args=[5])
    assert page.render(Context({"pk": 5})) == f"{expected}|{expected}|[]|/"
    assert links._kept.cache_info().hits == 0
    assert page.render(Context({"pk": 5})) == f"{expected}|{expected}|[]|/"
    assert links._kept.cache_info().hits == 3  # the unknown name is never kept


def test_the_url_tag_still_refuses_an_unknown_name():
    with pytest.raises(NoReverseMatch):
        engines["django"].engine.from_string("{% url 'registry:no_such_page' %}").render(Context())

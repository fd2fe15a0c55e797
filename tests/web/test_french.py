"""French counts and elision, in Python and in every template."""

import datetime as dt

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import dateformat, formats
from hypothesis import given
from hypothesis import strategies as st

from tremplin.web import dates
from tremplin.web.french import of, plural
from tremplin.web.templatetags import french as french_filters


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 personne comptée"), (1, "1 personne comptée"), (2, "2 personnes comptées")],
)
def test_plural_follows_the_french_rule(count, text):
    assert plural(count, "%(count)s personne comptée", "%(count)s personnes comptées") == text


def test_plural_takes_other_values():
    assert plural(3, "%(count)s point à %(who)s", "%(count)s points à %(who)s", who="Léa") == (
        "3 points à Léa"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ALLARD Jeanne", "d'ALLARD Jeanne"),
        ("Élodie Weber", "d'Élodie Weber"),
        ("Hélène Roth", "d'Hélène Roth"),
        ("Martin Paul", "de Martin Paul"),
        ("Hugo Lang", "de Hugo Lang"),
    ],
)
def test_of_elides_before_a_vowel(name, text):
    assert of(name) == text


def test_templates_pluralize_the_french_way_and_elide():
    template = Template(
        "{% for n in counts %}{{ n }} bloquant{{ n|pluralize }} "
        "{{ n }} cheva{{ n|pluralize:'l,ux' }}; {% endfor %}{{ name|de }}"
    )
    text = template.render(Context({"counts": [0, 1, 2], "name": "ALLARD Jeanne"}))
    assert text == (
        "0 bloquant 0 cheval; 1 bloquant 1 cheval; 2 bloquants 2 chevaux; d&#x27;ALLARD Jeanne"
    )


FORMATS = ["d/m/Y", "d/m/Y H:i", "d/m/Y à H:i"]


@given(
    moment=st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    pattern=st.sampled_from(FORMATS),
)
def test_the_date_filter_writes_what_django_s_writes(moment, pattern):
    assert french_filters.date(moment, pattern) == defaultfilters.date(moment, pattern)
    day = moment.date()
    if pattern == "d/m/Y":
        assert french_filters.date(day, pattern) == defaultfilters.date(day, pattern)


def test_the_date_filter_leaves_other_formats_and_values_to_django():
    day = dt.date(1986, 4, 17)
    assert french_filters.date(day, "F Y") == defaultfilters.date(day, "F Y")
    with pytest.raises(TypeError):  # a day has no hour: Django's refuses it
        french_filters.date(day, "d/m/Y H:i")
    assert french_filters.date(None, "d/m/Y") == ""
    assert french_filters.date("", "d/m/Y") == ""


def test_templates_show_a_moment_as_its_day_and_hour_in_paris():
    # 2026-03-29 00:30 UTC is 01:30 in Paris (winter time, UTC+1, until 02:00 that night).
    moment = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    text = Template('{{ moment|date:"d/m/Y à H:i" }}|{{ day|date:"d/m/Y" }}').render(
        Context({"moment": moment, "day": dt.date(2026, 3, 29)})
    )
    assert text == "29/03/2026 à 01:30|29/03/2026"


@given(moment=st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)))
def test_the_python_helpers_write_django_s_french_short_formats(moment):
    short_date = formats.get_format("SHORT_DATE_FORMAT", lang=dates.LANGUAGE)
    time = formats.get_format("TIME_FORMAT", lang=dates.LANGUAGE)
    assert dates.numeric_date(moment.date()) == dateformat.format(moment.date(), short_date)
    assert dates.numeric_date_time(moment) == (
        f"{dateformat.format(moment, short_date)} à {dateformat.time_format(moment, time)}"
    )


def test_a_moment_is_written_in_paris_time():
    # 2026-07-01 22:30 UTC is 00:30 on 2 July in Paris (summer time, UTC+2).
    moment = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
    assert dates.french_date(moment) == "02/07/2026"
    assert dates.french_datetime(moment) == "02/07/2026 à 00:30"

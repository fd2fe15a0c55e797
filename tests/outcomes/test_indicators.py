"""The indicator page: numbers checked against hand-built data, targets beside them, the
people behind each number, exports, the chart, access, and constant query counts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.outcomes.factories import SituationFactory
from tremplin.accounts.models import AuditEntry, Role
from tremplin.outcomes.models import AgreementTarget, Indicator

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:indicators")
PEOPLE_URL = reverse("outcomes:indicator_people")
FIRST_HALF_2025 = {"du": "2025-01-01", "au": "2025-06-30"}


def day(month, day_of_month, year=2025):
    return datetime.date(year, month, day_of_month)


@pytest.fixture
def people(territory, operator, other_operator, referent_user):
    """Eight people of the operator, one of another operator; situations worked by hand.

    In the first half of 2025:
      A  CDI 20 h from 10/02                    employment, CDI >= half of 35 h, activity
      B  CDI 15 h from 01/03                    employment (15 < 17.5), activity
      C  CDD 24 h 15/01-14/07; RNCP training from 01/08 (after the period)
                                                employment, activity
      D  RNCP qualifying training from 01/04; exam with appointment 01/05
                                                training A4 d, activity
      E  CAPE from 30/06 (last day, included)   activity creation A4 e, activity
      F  job search from 01/02                  nothing
      G  CDI from 31/12/2024 (before)           nothing
      H  subsidised contract in CDI, 15 h of a company full time of 28 h, from 05/05
                                                employment, CDI >= half time (15 >= 14), activity
    and X, of the other operator, a CDI in the period: never counted for the operator.
    """

    def person(operator_=operator, referent=referent_user):
        return factories.BeneficiaryFactory(
            territory=territory, operator=operator_, referent=referent
        )

    a, b, c, d, e, f, g, h = (person() for _ in range(8))
    SituationFactory(beneficiary=a, cdi=True, start=day(2, 10), weekly_hours=Decimal(20))
    SituationFactory(beneficiary=b, cdi=True, start=day(3, 1), weekly_hours=Decimal(15))
    SituationFactory(beneficiary=c, cdd=True, start=day(1, 15), end=day(7, 14))
    SituationFactory(beneficiary=c, qualifying_training=True, start=day(8, 1))
    SituationFactory(beneficiary=d, qualifying_training=True, start=day(4, 1), end=day(4, 30))
    SituationFactory(beneficiary=d, kind="competitive_exam", appointment=True, start=day(5, 1))
    SituationFactory(beneficiary=e, kind="cape", start=day(6, 30))
    SituationFactory(beneficiary=f, start=day(2, 1))
    SituationFactory(beneficiary=g, cdi=True, start=day(12, 31, 2024))
    SituationFactory(
        beneficiary=h,
        kind="subsidised_contract",
        permanent_contract=True,
        start=day(5, 5),
        weekly_hours=Decimal(15),
        company_full_time_hours=Decimal(28),
    )
    x = person(other_operator, factories.referent(other_operator))
    SituationFactory(beneficiary=x, cdi=True, start=day(3, 3))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g, "H": h, "X": x}


def get_page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def started_by_code(response):
    return {row.code: (row.people, row.share) for row in response.context["started"].rows}


def test_the_numbers_are_those_worked_by_hand(client, coordinator_user, operator, people):
    response = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)

    assert response.status_code == 200
    assert response.context["started"].population == 8
    assert started_by_code(response) == {
        "emploi": (4, Decimal("50.0")),  # A, B, C, H
        "cdi-mi-temps": (2, Decimal("25.0")),  # A, H
        "formation-rncp": (1, Decimal("12.5")),  # D
        "creation": (1, Decimal("12.5")),  # E
        "activite": (6, Decimal("75.0")),  # A, B, C, D, E, H
    }


def test_by_month_each_person_counts_once_a_month(client, coordinator_user, operator, people):
    response = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)

    months = [(m.month.month, m.employment, m.activity) for m in response.context["months"]]
    assert months == [(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 0, 1), (5, 1, 2), (6, 0, 1)]


def test_the_chart_is_an_inline_svg_with_a_text_alternative(
    client, coordinator_user, operator, people
):
    page = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)
    html = page.content.decode()

    assert '<svg role="img" aria-labelledby="graphique-mois-titre"' in html
    assert '<title id="graphique-mois-titre">Personnes ayant commencé' in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Les données du graphique" in html
    assert "<td>2</td>" in html  # May: D's appointment and H's contract
    # No supports ended in the period: the rates' chart is a sentence, not a huge SVG label.
    assert "Aucun accompagnement terminé dans la période" in html
    assert 'class="no_data"' not in html


def test_the_indicator_page_shows_no_raw_rule_number_nor_internal_reference(
    client, coordinator_user, operator, people
):
    html = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)
    text = html.content.decode()
    assert "issue" not in text
    assert "(A3)" not in text and "<td>A12</td>" not in text
    # The rule is behind a help marker that carries its sentence.
    assert 'class="rule-ref" href="/aide/regles/#regle-A3"' in text
    assert "Règle A3 : 70 % des accompagnements terminés" in text


def test_each_number_links_to_the_people_behind_it(client, coordinator_user, operator, people):
    page = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)
    assert (
        f'href="{PEOPLE_URL}?structure={operator.pk}&amp;du=2025-01-01&amp;au=2025-06-30&amp;indicateur=cdi-mi-temps"'
        in page.content.decode()
    )

    listing = client.get(
        PEOPLE_URL, {"structure": operator.pk, **FIRST_HALF_2025, "indicateur": "cdi-mi-temps"}
    )

    assert {person.pk for person in listing.context["object_list"]} == {
        people["A"].pk,
        people["H"].pk,
    }


def test_the_people_behind_a_number_export_to_xlsx(client, coordinator_user, operator, people):
    client.force_login(coordinator_user)
    response = client.get(
        PEOPLE_URL,
        {"structure": operator.pk, **FIRST_HALF_2025, "indicateur": "emploi", "format": "xlsx"},
    )

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][:3] == ("Dossier", "Nom", "Prénoms")
    assert {row[0] for row in rows[1:]} == {people[key].pk for key in "ABCH"}


def test_the_agreement_rates_without_ended_supports_say_so_with_their_targets(
    client, coordinator_user, operator, people
):
    # The people have situations but no support ended in the period: no rate, a sentence
    # saying why (bad input: "a period filter with no data ... never a silent zero").
    response = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)

    rows = {row.indicator: row for row in response.context["agreement"]}
    assert rows[Indicator.DURABLE_PLACEMENT].target.value == Decimal(70)
    assert rows[Indicator.RETURN_TO_ACTIVITY].target.value == Decimal(50)
    assert rows[Indicator.EXITS_LINKED_TO_EMPLOYMENT].target.value == Decimal(40)
    assert rows[Indicator.CV_ONLINE].target.value == Decimal(100)
    assert rows[Indicator.PORTFOLIO_PER_FTE].target.value == Decimal(60)
    for indicator in (
        Indicator.DURABLE_PLACEMENT,
        Indicator.RETURN_TO_ACTIVITY,
        Indicator.EXITS_LINKED_TO_EMPLOYMENT,
    ):
        assert not rows[indicator].available
        assert rows[indicator].value is None
        assert "terminé entre le 01/01/2025 et le 30/06/2025" in rows[indicator].detail
        assert "pas de taux" in rows[indicator].detail
    assert not rows[Indicator.CV_ONLINE].available
    assert "prête à l'emploi : pas de taux" in rows[Indicator.CV_ONLINE].detail
    assert "pas de taux" in response.content.decode()


def professional_support(person, started_on, ended_on=None, referent=None, **fields):
    from tremplin.support.models import SupportEpisode
    from tremplin.support.services import save_episode

    return save_episode(
        SupportEpisode(
            beneficiary=person,
            **({"programme": "professional"} | fields),
            operator=person.operator,
            referent=referent or person.referent,
            started_on=started_on,
            ended_on=ended_on,
        )
    )


def test_portfolio_per_fte_counts_the_active_file_over_referents_fte(
    client, coordinator_user, operator, people
):
    factories.MembershipFactory(
        organisation=operator, role=Role.REFERENT, full_time_equivalent=Decimal("0.5")
    )
    # Running on 30/06/2025: A, B (open), C (ends that day); D ended on 31/05: not counted.
    # E is followed in employment: the active file holds both programmes (P9).
    professional_support(people["A"], day(1, 6))
    professional_support(people["B"], day(3, 1))
    professional_support(people["C"], day(1, 6), ended_on=day(6, 30))
    professional_support(people["D"], day(1, 6), ended_on=day(5, 31))
    professional_support(
        people["E"],
        day(2, 1),
        programme="in_employment",
        contract_start=day(2, 1),
        contract_type="CDI",
    )

    response = get_page(client, coordinator_user, structure=operator.pk, **FIRST_HALF_2025)

    row = response.context["agreement"][-1]
    assert row.indicator == Indicator.PORTFOLIO_PER_FTE
    assert row.value == Decimal("2.7")  # 4 people / 1.5 FTE
    assert "4 personnes accompagnées le 30/06/2025 (file active, les deux programmes)" in (
        row.detail
    )
    assert "pour 1,5 ETP" in row.detail


def test_an_operators_own_dated_target_replaces_the_default(
    client, coordinator_user, operator, people
):
    AgreementTarget.objects.create(
        operator=operator,
        indicator=Indicator.DURABLE_PLACEMENT,
        valid_from=day(3, 1),
        value=Decimal(65),
        source="Convention 2025 avec l'Association Passerelle",
    )

    march = get_page(
        client, coordinator_user, structure=operator.pk, du="2025-01-01", au="2025-03-31"
    )
    february = client.get(URL, {"structure": operator.pk, "du": "2025-01-01", "au": "2025-02-28"})

    assert march.context["agreement"][0].target.value == Decimal(65)
    assert february.context["agreement"][0].target.value == Decimal(70)


def test_the_indicators_export_to_csv_with_the_filters(client, coordinator_user, operator, people):
    client.force_login(coordinator_user)
    response = client.get(URL, {"structure": operator.pk, **FIRST_HALF_2025, "format": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Indicateur;Règle;Structure;Du;Au;Valeur")
    assert any(
        line.startswith("Taux de placement pérenne (A3);") and ";pas de taux;" in line
        for line in lines
    )
    assert any(
        "dont un CDI au moins à mi-temps;A4 a;" in line and ";25;%;2;8;" in line for line in lines
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_a_coordinator_cannot_choose_another_operator(
    client, coordinator_user, other_operator, people
):
    response = get_page(client, coordinator_user, structure=other_operator.pk, **FIRST_HALF_2025)

    assert "structure" in response.context["form"].errors
    assert "started" not in response.context
    listing = client.get(
        PEOPLE_URL, {"structure": other_operator.pk, **FIRST_HALF_2025, "indicateur": "emploi"}
    )
    assert listing.status_code == 404


def test_the_department_sees_every_operator_of_its_territory(
    client, agent_user, other_operator, people
):
    everyone = get_page(client, agent_user, **FIRST_HALF_2025)
    other = client.get(URL, {"structure": other_operator.pk, **FIRST_HALF_2025})

    assert everyone.context["started"].population == 9
    assert started_by_code(other)["emploi"] == (1, Decimal("100.0"))


def test_a_referent_is_refused(client, referent_user, people):
    assert get_page(client, referent_user, **FIRST_HALF_2025).status_code == 403
    assert client.get(PEOPLE_URL, {**FIRST_HALF_2025, "indicateur": "emploi"}).status_code == 403


def test_a_period_ending_before_it_starts_is_a_french_error(client, coordinator_user, people):
    response = get_page(client, coordinator_user, du="2025-06-30", au="2025-01-01")

    assert response.context["form"].errors["au"] == [
        "La fin de la période (01/01/2025) précède son début (30/06/2025) : corrigez les dates."
    ]


def test_a_period_with_no_data_says_so_instead_of_a_silent_zero(
    client, coordinator_user, operator, people
):
    response = get_page(
        client, coordinator_user, structure=operator.pk, du="2019-01-01", au="2019-12-31"
    )

    assert response.context["started"].nothing_started
    assert (
        "Aucune situation d'emploi, de formation ou d'activité enregistrée ne commence"
        in response.content.decode()
    )


def test_an_operator_without_people_says_so(client, admin_user, territory):
    empty = factories.OrganisationFactory(territory=territory, name="Structure nouvelle")

    response = get_page(client, admin_user, structure=empty.pk, **FIRST_HALF_2025)

    assert response.context["started"].population == 0
    assert "Aucune personne n'est suivie par cette structure" in response.content.decode()


def test_an_unknown_indicator_code_is_404(client, coordinator_user, people):
    client.force_login(coordinator_user)

    assert client.get(PEOPLE_URL, {**FIRST_HALF_2025, "indicateur": "bonheur"}).status_code == 404


def test_default_targets_are_shipped_with_their_sources():
    defaults = {t.indicator: t for t in AgreementTarget.objects.filter(operator__isnull=True)}

    assert {k: v.value for k, v in defaults.items()} == {
        "durable_placement": Decimal(70),
        "return_to_activity": Decimal(50),
        "exits_linked_to_employment": Decimal(40),
        "cv_online": Decimal(100),
        "portfolio_per_fte": Decimal(60),
    }
    assert "A3" in defaults["durable_placement"].source
    assert "P9" in defaults["portfolio_per_fte"].source


def _build_population(territory, operator, size):
    referent = factories.referent(operator)
    for index in range(size):
        person = factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent
        )
        SituationFactory(beneficiary=person, cdi=True, start=day(1 + index % 6, 1))
        SituationFactory(beneficiary=person, qualifying_training=True, start=day(1 + index % 6, 2))


@pytest.mark.parametrize("url_name", ["outcomes:indicators", "outcomes:indicator_people"])
def test_query_count_does_not_grow_with_the_people(client, territory, url_name):
    counts = []
    for size in (5, 30):
        operator = factories.OrganisationFactory(territory=territory)
        coordinator = factories.coordinator(operator)
        _build_population(territory, operator, size)
        client.force_login(coordinator)
        params = {"structure": operator.pk, **FIRST_HALF_2025, "indicateur": "emploi"}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), params)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_referent_filter_counts_their_people_and_their_fte(
    client, coordinator_user, operator, people
):
    colleague = factories.MembershipFactory(
        organisation=operator, role=Role.REFERENT, full_time_equivalent=Decimal("0.5")
    ).user
    for key in "AB":
        people[key].referent = colleague
        people[key].save()
        professional_support(people[key], day(1, 6))
    professional_support(people["C"], day(1, 6))  # referent_user's: not the colleague's

    response = get_page(
        client, coordinator_user, structure=operator.pk, referent=colleague.pk, **FIRST_HALF_2025
    )

    assert response.context["started"].population == 2
    assert started_by_code(response)["cdi-mi-temps"] == (1, Decimal("50.0"))  # A
    assert response.context["agreement"][-1].value == Decimal("4.0")  # 2 supports / 0.5 FTE
    listing = client.get(
        PEOPLE_URL,
        {
            "structure": operator.pk,
            "referent": colleague.pk,
            **FIRST_HALF_2025,
            "indicateur": "emploi",
        },
    )
    assert {p.pk for p in listing.context["object_list"]} == {people["A"].pk, people["B"].pk}


def test_a_referent_of_another_operator_is_refused_in_french(
    client, coordinator_user, operator, other_operator, people
):
    stranger = factories.referent(other_operator)
    response = get_page(
        client, coordinator_user, structure=operator.pk, referent=stranger.pk, **FIRST_HALF_2025
    )

    assert "referent" in response.context["form"].errors


def test_the_agent_cannot_pick_a_referent_of_another_operator_for_an_operator(
    client, agent_user, operator, other_operator, people
):
    stranger = factories.referent(other_operator)
    response = get_page(
        client, agent_user, structure=operator.pk, referent=stranger.pk, **FIRST_HALF_2025
    )

    [message] = response.context["form"].errors["referent"]
    assert message == (
        f"{stranger.get_full_name()} n'est pas référent·e de {operator} : choisissez un·e "
        "référent·e de cette structure, ou toutes les structures."
    )


@pytest.mark.parametrize(
    ("first_day", "last_day", "expected"),
    [
        ("2019-01-01", "2025-01-01", "dépasse 5 ans"),
        ("1995-01-01", "1995-12-31", "Période trop ancienne."),
        ("2025-13-01", "2025-12-31", "Saisissez une date valide."),
    ],
)
def test_a_bad_period_is_a_french_message_never_a_crash(
    client, coordinator_user, operator, first_day, last_day, expected
):
    response = get_page(client, coordinator_user, structure=operator.pk, du=first_day, au=last_day)

    assert response.status_code == 200
    assert expected in str(response.context["form"].errors)
    assert "started" not in response.context

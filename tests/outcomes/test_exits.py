"""The stored exit of each ended support (SupportExit), the agreements' rates and the funnel
computed from it by the database, the people behind each number, the PDF report.

The in-employment support is tests/support/factories.py's: a CDD from 03/03/2025, trial
period to 02/04/2025, contract to 02/09/2025 (the 6 months of A3). Its exit is measured from
its end (02/09/2025) to 3 months after, 02/12/2025 (A3, rules/data/outcomes.toml
in_employment_measure_window_months = 3): the tests run after that date, so the exits are
evaluated on 02/12/2025 and final.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import factories
from tests.outcomes.factories import SituationFactory
from tests.support.factories import InEmploymentEpisodeFactory, RuptureFactory, paris
from tests.web.job_helpers import job_file
from tremplin.outcomes import services as outcomes_services
from tremplin.outcomes.exits import classify_all
from tremplin.outcomes.facts import rebuild_facts
from tremplin.outcomes.models import Indicator, SupportExit
from tremplin.support import services as support_services
from tremplin.support.models import SupportEpisode

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:indicators")
PEOPLE_URL = reverse("outcomes:indicator_people")
YEAR_2025 = {"du": "2025-01-01", "au": "2025-12-31"}
SUPPORT_END = datetime.date(2025, 9, 2)


def day(year, month, day_of_month):
    return datetime.date(year, month, day_of_month)


def person(operator, referent):
    return factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent
    )


def in_employment(operator, referent, ended_on=SUPPORT_END, **kwargs):
    """The factory's CDD support, with its CUI-CIE recorded as the supported situation."""
    beneficiary = person(operator, referent)
    episode = InEmploymentEpisodeFactory(beneficiary=beneficiary, ended_on=ended_on, **kwargs)
    SituationFactory(
        beneficiary=beneficiary,
        kind="subsidised_contract",
        start=day(2025, 3, 3),
        end=day(2025, 9, 2),
        weekly_hours=Decimal(26),
        supported_contract=True,
    )
    return episode


def professional(operator, referent, started_on, ended_on):
    return support_services.save_episode(
        SupportEpisode(
            beneficiary=person(operator, referent),
            programme="professional",
            operator=operator,
            referent=referent,
            started_on=started_on,
            ended_on=ended_on,
        )
    )


def test_the_docs_golden_case_is_stored_as_a_durable_cdd(operator, referent_user):
    # docs/rules-outcomes.md's example: after the supported CUI (03/03/2025-02/09/2025), a
    # CDD of 24 h from 03/09/2025 to 02/03/2026 = 6 months, 24 h >= 17.5 h (half of 35 h):
    # A4 b, positive. Evaluated at the end of the 3 months after the support, 02/12/2025.
    episode = in_employment(operator, referent_user)
    SituationFactory(
        beneficiary=episode.beneficiary, cdd=True, start=day(2025, 9, 3), end=day(2026, 3, 2)
    )

    exit_ = SupportExit.objects.get(episode=episode)
    assert exit_.category == "durable_cdd"
    assert exit_.positive is True
    assert exit_.durable_placement is True
    assert exit_.rule == "A4 b"
    assert exit_.evaluation_date == exit_.window_end == day(2025, 12, 2)
    assert "CDD n°2 du 03/09/2025 au 02/03/2026" in exit_.explanation


def test_a_situation_removed_reclassifies_the_exit(operator, referent_user):
    episode = in_employment(operator, referent_user)
    cdd = SituationFactory(
        beneficiary=episode.beneficiary, cdd=True, start=day(2025, 9, 3), end=day(2026, 3, 2)
    )
    outcomes_services.delete_situation(cdd)  # as the page does

    exit_ = SupportExit.objects.get(episode=episode)
    # Only the supported CUI is left: its own term is no positive exit (A13, A4).
    assert exit_.category == "not_durable"
    assert exit_.durable_placement is False


def test_a_support_going_on_has_no_exit(operator, referent_user):
    episode = in_employment(operator, referent_user, ended_on=None)
    assert not SupportExit.objects.filter(episode=episode).exists()
    episode.ended_on = SUPPORT_END
    support_services.save_episode(episode)  # the support's service tells the outcomes
    assert SupportExit.objects.filter(episode=episode).exists()


def test_contradicting_situations_are_stored_as_errors_never_as_a_negative(operator, referent_user):
    episode = in_employment(operator, referent_user)
    # Inactive while under the CUI: the rules refuse it (outcomes.py, contradictions).
    SituationFactory(beneficiary=episode.beneficiary, inactivity=True, start=day(2025, 4, 1))

    exit_ = SupportExit.objects.get(episode=episode)
    assert exit_.category == ""
    assert exit_.durable_placement is None
    assert "une personne inactive ne peut pas être en même temps en emploi" in exit_.errors


def test_a_provisional_exit_is_evaluated_today_until_the_window_ends(operator, referent_user):
    episode = in_employment(operator, referent_user)
    SupportExit.objects.all().delete()
    classify_all(today=day(2025, 10, 15))
    exit_ = SupportExit.objects.get(episode=episode)
    assert exit_.evaluation_date == day(2025, 10, 15)
    assert exit_.window_end == day(2025, 12, 2)
    # The nightly run redoes the provisional ones only.
    assert classify_all(today=day(2025, 12, 20), only_provisional=True) == 1
    exit_.refresh_from_db()
    assert exit_.evaluation_date == day(2025, 12, 2)
    assert classify_all(today=day(2025, 12, 21), only_provisional=True) == 0


@pytest.fixture
def supports(operator, other_operator, referent_user):
    """Ended supports of the operator in 2025, worked by hand:

      IE1  in-employment, CDD 03/09/2025-02/03/2026 after it     A4 b durable: positive
      IE2  in-employment, job search after it                    not durable
      IE3  in-employment, inactive during the CUI                data to correct, not counted
      PR1  professional 06/01-30/06/2025, CDD 01/05-31/12/2025   linked to employment (P1:
           8 months > 6)                                          and return to activity
      PR2  professional 06/01-30/06/2025, training from 01/03    return to activity only
      PR3  professional 06/01-30/06/2025, job search             no return
      OT   the other operator's in-employment support, durable    never counted here

    Durable placement 1 / 2 = 50 %; return to activity 2 / 3 = 66.7 %; exits linked to
    employment 1 / 3 = 33.3 %.
    """
    ie1 = in_employment(operator, referent_user)
    SituationFactory(
        beneficiary=ie1.beneficiary, cdd=True, start=day(2025, 9, 3), end=day(2026, 3, 2)
    )
    ie2 = in_employment(operator, referent_user)
    SituationFactory(beneficiary=ie2.beneficiary, start=day(2025, 9, 3))
    ie3 = in_employment(operator, referent_user)
    SituationFactory(beneficiary=ie3.beneficiary, inactivity=True, start=day(2025, 4, 1))
    pr1 = professional(operator, referent_user, day(2025, 1, 6), day(2025, 6, 30))
    SituationFactory(
        beneficiary=pr1.beneficiary, cdd=True, start=day(2025, 5, 1), end=day(2025, 12, 31)
    )
    pr2 = professional(operator, referent_user, day(2025, 1, 6), day(2025, 6, 30))
    SituationFactory(beneficiary=pr2.beneficiary, qualifying_training=True, start=day(2025, 3, 1))
    pr3 = professional(operator, referent_user, day(2025, 1, 6), day(2025, 6, 30))
    SituationFactory(beneficiary=pr3.beneficiary, start=day(2025, 2, 1))
    other = in_employment(other_operator, factories.referent(other_operator))
    SituationFactory(
        beneficiary=other.beneficiary, cdd=True, start=day(2025, 9, 3), end=day(2026, 3, 2)
    )
    return {"IE1": ie1, "IE2": ie2, "IE3": ie3, "PR1": pr1, "PR2": pr2, "PR3": pr3}


def get_page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_agreement_rates_are_those_worked_by_hand(
    client, coordinator_user, operator, supports, django_assert_max_num_queries
):
    client.force_login(coordinator_user)
    with django_assert_max_num_queries(31):  # + the navigation's count (the coordinator's queue)
        response = client.get(URL, {"structure": operator.pk, **YEAR_2025})
    rows = {row.indicator: row for row in response.context["agreement"]}
    assert (
        rows[Indicator.DURABLE_PLACEMENT].numerator,
        rows[Indicator.DURABLE_PLACEMENT].denominator,
    ) == (1, 2)
    assert rows[Indicator.DURABLE_PLACEMENT].value == Decimal("50.0")
    assert rows[Indicator.RETURN_TO_ACTIVITY].value == Decimal("66.7")
    assert rows[Indicator.EXITS_LINKED_TO_EMPLOYMENT].value == Decimal("33.3")
    assert response.context["exit_counts"]["a-corriger"] == 1
    html = response.content.decode()
    assert "Sorties non classées : données à corriger" in html


def test_the_programme_filter_keeps_one_programme(client, coordinator_user, operator, supports):
    response = get_page(
        client, coordinator_user, structure=operator.pk, programme="professional", **YEAR_2025
    )
    rows = {row.indicator: row for row in response.context["agreement"]}
    assert not rows[Indicator.DURABLE_PLACEMENT].available
    assert rows[Indicator.RETURN_TO_ACTIVITY].value == Decimal("66.7")


def test_the_rates_by_month_of_the_supports_end(client, coordinator_user, operator, supports):
    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    months = {month.month: month for month in response.context["month_rates"]}
    june, september = months[day(2025, 6, 1)], months[day(2025, 9, 1)]
    assert (june.professional, june.returned, june.linked) == (3, 2, 1)
    assert (september.in_employment, september.durable) == (2, 1)
    assert september.durable_rate == Decimal("50.0")
    assert months[day(2025, 1, 1)].durable_rate is None  # no support ended: no rate, not 0
    chart = str(response.context["rates_chart"])
    assert 'role="img"' in chart and "<title>" in chart and "<script" not in chart


def test_a_rate_links_to_the_people_behind_it_and_exports_to_xlsx(
    client, coordinator_user, operator, supports
):
    client.force_login(coordinator_user)
    params = {"structure": operator.pk, **YEAR_2025, "indicateur": "placement-perenne"}
    response = client.get(PEOPLE_URL, params)
    assert list(response.context["object_list"]) == [supports["IE1"].beneficiary]
    assert (
        "indicateur=placement-perenne"
        in get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025).content.decode()
    )

    response = client.get(PEOPLE_URL, {**params, "indicateur": "a-corriger", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Dossier", "Nom")
    assert [row[0] for row in rows[1:]] == [supports["IE3"].beneficiary.pk]


def test_the_people_behind_a_rate_respect_access(client, operator, other_operator, supports):
    other_coordinator = factories.coordinator(other_operator)
    client.force_login(other_coordinator)
    # The other operator's coordinator may not pick this operator: a French form error and
    # never its people (the filter falls back to their own scope: 404 on a bad filter).
    response = client.get(
        PEOPLE_URL, {"structure": operator.pk, **YEAR_2025, "indicateur": "placement-perenne"}
    )
    assert response.status_code == 404


def test_the_funnel_of_the_in_employment_programme(client, coordinator_user, operator, supports):
    # IE1, IE2, IE3 and IE4 start on 03/03/2025; IE4's contract is broken on 20/03/2025,
    # during the trial (to 02/04/2025): its trial review and month-5 review are dropped by
    # the plan (tremplin.rules.programmes). None is made permanent in a CDI (A4 a).
    ie4 = in_employment(operator, supports["IE1"].referent, ended_on=None)
    RuptureFactory(episode=ie4, known_at=paris(2025, 3, 20, 10, 0), last_day=day(2025, 3, 20))

    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    steps = {step.code: (step.people, step.share) for step in response.context["funnel"]}
    assert steps == {
        "conventions": (4, Decimal("100.0")),
        "essai": (3, Decimal("75.0")),
        "mois-5": (3, Decimal("75.0")),
        "perennise": (0, Decimal("0.0")),
    }
    people = client.get(
        PEOPLE_URL, {"structure": operator.pk, **YEAR_2025, "indicateur": "entonnoir-essai"}
    )
    assert ie4.beneficiary not in people.context["object_list"]
    assert len(people.context["object_list"]) == 3


def test_a_cdi_after_the_support_is_counted_as_made_permanent(
    client, coordinator_user, operator, referent_user
):
    # A CDI of 35 h from 03/09/2025, the day after the CDD: A4 a, at least half time.
    episode = in_employment(operator, referent_user)
    SituationFactory(beneficiary=episode.beneficiary, cdi=True, start=day(2025, 9, 3))
    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    steps = {step.code: step.people for step in response.context["funnel"]}
    assert steps["perennise"] == 1


def test_the_indicator_export_carries_the_rates_and_the_funnel(
    client, coordinator_user, operator, supports
):
    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025, format="csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert any(
        line.startswith("Taux de placement pérenne (A3);") and ";50;%;1;2;70;" in line
        for line in text.splitlines()
    )
    assert "Parcours : Période d'essai passée" in text


def test_the_pdf_report_has_the_rates_targets_funnel_and_notes(
    client, coordinator_user, operator, supports
):
    page = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    assert reverse("outcomes:indicator_report") in page.content.decode()

    response = job_file(  # the PDF is made by a job (web/jobs.py)
        client,
        client.get(
            reverse("outcomes:indicator_report"),
            {"structure": operator.pk, **YEAR_2025, "notes": "Bonne dynamique au second semestre."},
        ),
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Association Passerelle" in text
    assert "Taux de placement pérenne" in text
    # No internal reference printed: no rule number, no ticket.
    assert "(A3)" not in text and "issue" not in text
    assert "50 %" in text and "70 %" in text
    assert "Période d'essai passée" in text
    assert "Bonne dynamique au second semestre." in text


def test_a_pdf_report_with_a_bad_period_goes_back_to_the_page_with_the_message(
    client, coordinator_user, operator
):
    client.force_login(coordinator_user)
    response = client.get(
        reverse("outcomes:indicator_report"), {"du": "2025-06-30", "au": "2025-01-01"}, follow=True
    )
    assert "précède son début" in response.content.decode()


def test_deliverables_on_time_and_ruptures_reported_within_48_hours(
    client, coordinator_user, operator, referent_user
):
    from tremplin.support.models import Deadline, Notification

    # Four contracts broken, each known on 20/03/2025 at 10:00: the notice is due 48 hours
    # later, on 22/03/2025 at 10:00 (A14), counted in hours, not on the due day:
    # - e-mailed to the Cellule on 22/03 at 09:30: within 48 h;
    # - e-mailed on 22/03 at 10:30, late on its due day: not within 48 h (it counted before);
    # - recorded as sent on 21/03 (a day, no hour): the whole day is within 48 h;
    # - recorded as sent on 22/03 (a day, no hour): it may have left after 10:00, not proven.
    episodes = [in_employment(operator, referent_user, ended_on=None) for _ in range(4)]
    emailed_early, emailed_late, sent_the_day_before, sent_the_due_day = episodes
    for episode in episodes:
        RuptureFactory(
            episode=episode, known_at=paris(2025, 3, 20, 10, 0), last_day=day(2025, 3, 20)
        )
    notices = Deadline.objects.filter(code="rupture_notice")
    assert {notice.due_on for notice in notices} == {day(2025, 3, 22)}
    for episode, moment in ((emailed_early, (9, 30)), (emailed_late, (10, 30))):
        Notification.objects.create(
            kind=Notification.Kind.RUPTURE,
            deadline=notices.get(episode=episode),
            recipient="cellule@alsace.demo",
            sent_at=paris(2025, 3, 22, *moment),
        )
    notices.filter(episode=sent_the_day_before).update(
        state="sent", sent_at=day(2025, 3, 21), sent_to="Cellule RSA"
    )
    notices.filter(episode=sent_the_due_day).update(
        state="sent", sent_at=day(2025, 3, 22), sent_to="Cellule RSA"
    )
    # Of the other deliverables still asked for (the plan drops those after the rupture),
    # the first one is sent on its due day: on time.
    others = Deadline.objects.exclude(state="dropped").exclude(code="rupture_notice")
    other_due = others.filter(due_on__lte=day(2025, 12, 31)).count()
    first = others.filter(episode=emailed_early).order_by("due_on").first()
    Deadline.objects.filter(pk=first.pk).update(
        state="sent", sent_at=first.due_on, sent_to="Cellule RSA"
    )
    # Written behind the services' back: the dashboard's facts follow at the nightly rebuild.
    rebuild_facts()

    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    rows = {row.count.code: row for row in response.context["follow_up"]}
    ruptures = rows["ruptures-hors-delai"]
    assert (ruptures.due, ruptures.on_time, ruptures.share) == (4, 2, Decimal("50.0"))
    assert "dans les 48 heures qui suivent la connaissance de la rupture, à l'heure près" in (
        response.content.decode()
    )
    deliverables = rows["livrables-en-retard"]
    assert (deliverables.due, deliverables.on_time) == (other_due, 1)

    people = client.get(
        PEOPLE_URL, {"structure": operator.pk, **YEAR_2025, "indicateur": "ruptures-hors-delai"}
    )
    assert set(people.context["object_list"]) == {
        emailed_late.beneficiary,
        sent_the_due_day.beneficiary,
    }


def test_no_professional_support_means_no_cadence_rate_and_no_skills(
    client, coordinator_user, operator
):
    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    assert response.context["cadence"] == {"supports": 0, "compliant": 0, "share": None}
    assert response.context["skills"] == []
    html = response.content.decode()
    assert "Aucun accompagnement professionnel dans la période : pas de taux." in html


def test_the_territory_filter_keeps_the_operators_of_one_territory(
    client, admin_user, operator, referent_user
):
    # An administrator sees two départements; IE in the operator's, OT in the other one.
    in_employment(operator, referent_user)
    haut_rhin = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    elsewhere = factories.OrganisationFactory(territory=haut_rhin)
    in_employment(elsewhere, factories.referent(elsewhere))

    response = get_page(client, admin_user, **YEAR_2025)
    assert response.context["exit_counts"]["sorties-dans-emploi"] == 2
    response = get_page(client, admin_user, territoire=operator.territory.pk, **YEAR_2025)
    assert response.context["exit_counts"]["sorties-dans-emploi"] == 1
    response = get_page(
        client, admin_user, territoire=operator.territory.pk, structure=elsewhere.pk, **YEAR_2025
    )
    assert "n'est pas sur le territoire Bas-Rhin" in response.context["form"].errors["structure"][0]


def test_a_coordinator_has_no_territory_to_choose(client, coordinator_user, operator):
    response = get_page(client, coordinator_user, **YEAR_2025)
    assert "territoire" not in response.context["form"].fields


def test_cvs_of_the_job_ready_people_on_job_connexion(client, coordinator_user, operator, supports):
    from tremplin.progress.models import ProgressRecord

    # PR1 job-ready on 01/03/2025, CV online on 10/03/2025; PR2 job-ready on 01/04/2025,
    # no CV online: 1 of 2 = 50 % (P10's target: 100 %).
    ProgressRecord.objects.create(
        episode=supports["PR1"], job_ready_on=day(2025, 3, 1), cv_online_on=day(2025, 3, 10)
    )
    ProgressRecord.objects.create(episode=supports["PR2"], job_ready_on=day(2025, 4, 1))

    response = get_page(client, coordinator_user, structure=operator.pk, **YEAR_2025)
    row = {row.indicator: row for row in response.context["agreement"]}[Indicator.CV_ONLINE]
    assert (row.numerator, row.denominator, row.value) == (1, 2, Decimal("50.0"))
    assert row.target.value == Decimal(100)
    people = client.get(
        PEOPLE_URL, {"structure": operator.pk, **YEAR_2025, "indicateur": "prets-a-l-emploi"}
    )
    assert set(people.context["object_list"]) == {
        supports["PR1"].beneficiary,
        supports["PR2"].beneficiary,
    }


def test_the_persons_page_shows_each_exit_with_its_rule_and_reason(client, referent_user, supports):
    client.force_login(referent_user)
    ie1, ie3 = supports["IE1"], supports["IE3"]
    response = client.get(reverse("outcomes:beneficiary_situations", args=[ie1.beneficiary.pk]))
    html = response.content.decode()
    assert "CDD au moins à mi-temps totalisant au moins 6 mois" in html
    assert "A4 b" in html
    response = client.get(reverse("outcomes:beneficiary_situations", args=[ie3.beneficiary.pk]))
    assert "Données à corriger" in response.content.decode()

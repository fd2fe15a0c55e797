"""Classification of exits (rules A3, A4, P1, P10): golden cases worked by hand from the
seeds' wording, validation of the input, and properties checked by hypothesis.

The seed 000 text quoted in the comments is "II. Résultats attendus" of the in-employment
annex; seed 004 is "Fiche action 8", points 1 and 8.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tremplin.rules import outcomes
from tremplin.rules.outcomes import (
    Duration,
    ExitCase,
    ExitCategory,
    ExitInputError,
    Programme,
    Situation,
    SituationKind,
    add_months,
    classify_exit,
    contract_duration,
    exit_case_errors,
    exit_case_from_mapping,
    outcome_parameter_value,
    total_duration,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

# A CUI-CIE hired on 3 March 2025: 6 months of support end on 2 September 2025 (rule A3),
# the measure window closes 3 months later, on 2 December 2025.
SUPPORT_START = D(2025, 3, 3)
SUPPORT_END = D(2025, 9, 2)
AFTER_SUPPORT = D(2025, 9, 3)
# The exit measured four weeks after the end of the support, inside the A3 window.
IN_EMPLOYMENT_EVALUATION = D(2025, 9, 30)


def in_employment(*situations, evaluation_date=IN_EMPLOYMENT_EVALUATION, support_end=None):
    return ExitCase(
        programme=Programme.IN_EMPLOYMENT,
        support_start=SUPPORT_START,
        evaluation_date=evaluation_date,
        situations=situations,
        support_end=support_end,
    )


PROFESSIONAL_EVALUATION = D(2025, 9, 30)


def professional(*situations, evaluation_date=PROFESSIONAL_EVALUATION, support_end=SUPPORT_END):
    return ExitCase(
        programme=Programme.PROFESSIONAL,
        support_start=SUPPORT_START,
        evaluation_date=evaluation_date,
        situations=situations,
        support_end=support_end,
    )


def cdi(start=AFTER_SUPPORT, hours=35, **fields):
    return Situation(SituationKind.CDI, start, weekly_hours=hours, **fields)


def cdd(start, end, hours=35, **fields):
    return Situation(SituationKind.CDD, start, end, weekly_hours=hours, **fields)


def cdd_of_months(start, months, hours=35, **fields):
    """A CDD of exactly ``months`` calendar months: from 3 September, 3 months end on
    2 December."""
    return cdd(start, add_months(start, months) - ONE_DAY, hours, **fields)


# --- durations --------------------------------------------------------------------------------


def test_contract_duration_counts_calendar_months_both_days_included():
    # 1 March to 31 August: March..August, 6 whole months.
    assert contract_duration(D(2025, 3, 1), D(2025, 8, 31)) == Duration(6, 0)
    # 1 March to 30 August: 5 whole months (to 31 July), then 1..30 August = 30 days.
    assert contract_duration(D(2025, 3, 1), D(2025, 8, 30)) == Duration(5, 30)
    # 31 January + 1 month is 28 February: 31 January to 27 February is one month.
    assert contract_duration(D(2025, 1, 31), D(2025, 2, 27)) == Duration(1, 0)
    # One day.
    assert contract_duration(D(2025, 5, 5), D(2025, 5, 5)) == Duration(0, 1)


def test_total_duration_carries_leftover_days_into_months():
    # 2 months 20 days + 3 months 15 days = 5 months 35 days = 6 months 4 days (31 a month).
    assert total_duration([Duration(2, 20), Duration(3, 15)], 31) == Duration(6, 4)
    assert total_duration([Duration(2, 20), Duration(3, 10)], 31) == Duration(5, 30)


def test_add_months_keeps_the_last_day_of_shorter_months():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)


# --- golden cases: in-employment support, rule A4 ----------------------------------------------


def test_cdi_of_exactly_half_the_legal_35_hours_is_positive():
    # Seed: "un contrat de travail au minimum à mi-temps en CDI". Half of 35 h is 17.5 h;
    # 17.5 >= 17.5, so a CDI at 17.5 h is "au minimum à mi-temps".
    result = classify_exit(in_employment(cdi(hours=Decimal("17.5"))))
    assert result.positive
    assert result.category == ExitCategory.DURABLE_CDI
    assert result.rule == "A4 a"
    assert result.deciding_situations == (0,)
    assert result.durable_placement is True
    assert "CDI n°1" in result.explanation
    assert "17,5 h" in result.explanation


def test_cdi_of_17_hours_is_under_half_time_and_not_positive():
    # 17 h < 17.5 h = 35 / 2: not half time.
    result = classify_exit(in_employment(cdi(hours=17)))
    assert not result.positive
    assert result.category == ExitCategory.NOT_DURABLE
    assert result.rule == "A4"
    assert result.durable_placement is False
    assert "sous le mi-temps de 17,5 h" in result.explanation


def test_half_time_follows_the_company_full_time_when_the_contract_states_it():
    # Company full time 39 h: half time is 19.5 h. 19 h is enough against 35 h (>= 17.5)
    # but not against 39 h.
    assert not classify_exit(in_employment(cdi(hours=19, company_full_time_hours=39))).positive
    assert classify_exit(
        in_employment(cdi(hours=Decimal("19.5"), company_full_time_hours=39))
    ).positive
    # Company full time 30 h: half time is 15 h, under the legal 17.5 h.
    assert classify_exit(in_employment(cdi(hours=15, company_full_time_hours=30))).positive
    assert not classify_exit(in_employment(cdi(hours=15))).positive


def test_cdi_ended_before_the_evaluation_date_is_not_a_durable_placement():
    # A CDI broken during the trial period: nothing durable is left at the evaluation.
    ended = cdi(start=D(2025, 4, 1), end=D(2025, 5, 15))
    result = classify_exit(in_employment(ended))
    assert not result.positive
    assert "a pris fin avant la date d'évaluation" in result.explanation


def test_two_cdds_of_three_months_at_half_time_total_six_months():
    # Seed: "un ou plusieurs CDD au minimum à mi-temps dont la durée totale est égale à au
    # moins 6 mois". 3 June-2 Sept. (3 months) + 3 Sept.-2 Dec. (3 months) = 6 months, at
    # 20 h and 17.5 h, both >= 17.5 h; the second has begun by 3 September.
    first = cdd_of_months(D(2025, 6, 3), 3, hours=20)
    second = cdd_of_months(AFTER_SUPPORT, 3, hours=Decimal("17.5"))
    result = classify_exit(in_employment(first, second, evaluation_date=AFTER_SUPPORT))
    assert result.positive
    assert result.category == ExitCategory.DURABLE_CDD
    assert result.rule == "A4 b"
    assert result.deciding_situations == (0, 1)
    assert "totalisent 6 mois" in result.explanation


def test_a_cdd_that_starts_after_the_evaluation_date_does_not_count():
    # Only what has begun by the evaluation date counts: on 2 September the second CDD,
    # from 10 September after a week without work, has not begun (a promise of hire), and
    # 3 months alone are not 6.
    first = cdd_of_months(D(2025, 6, 3), 3)
    second = cdd_of_months(D(2025, 9, 10), 3)
    result = classify_exit(in_employment(first, second, evaluation_date=SUPPORT_END))
    assert not result.positive
    assert "3 mois au total, il en faut 6" in result.explanation
    assert "CDD n°2 du 10/09/2025 au 09/12/2025 hors de la période" in result.explanation


def test_back_to_back_cdds_are_one_stretch_of_time_worked():
    # Seed 002 (A4 b): « un ou plusieurs CDD … dont la durée totale est égale à au moins
    # 6 mois ». 3 September 2025 to 2 March 2026 is 6 months, whether it is one CDD or two
    # back-to-back: 3 Sept.-30 Nov. (2 months and 28 days) + 1 Dec.-2 March (3 months and
    # 2 days), added contract by contract, made only « 5 mois et 30 jours ».
    one = classify_exit(in_employment(cdd(AFTER_SUPPORT, D(2026, 3, 2))))
    two = classify_exit(
        in_employment(cdd(AFTER_SUPPORT, D(2025, 11, 30)), cdd(D(2025, 12, 1), D(2026, 3, 2)))
    )
    assert one.positive and two.positive
    assert (one.category, two.category) == (ExitCategory.DURABLE_CDD, ExitCategory.DURABLE_CDD)
    assert "totalise 6 mois" in one.explanation and "totalisent 6 mois" in two.explanation
    # A contract that continues the first one, begun after the evaluation date, is part of
    # the same stretch: the time worked counts, not the paperwork.
    continued = classify_exit(
        in_employment(
            cdd_of_months(D(2025, 6, 3), 3),
            cdd_of_months(AFTER_SUPPORT, 3),
            evaluation_date=SUPPORT_END,
        )
    )
    assert continued.positive and continued.deciding_situations == (0, 1)


def test_cdds_held_at_the_same_time_count_their_common_days_once():
    # Two CDDs at 17.5 h from 3 September 2025 to 2 December 2025, held together: 3 months
    # of time worked, not 6.
    first = cdd_of_months(AFTER_SUPPORT, 3, hours=Decimal("17.5"))
    second = cdd_of_months(AFTER_SUPPORT, 3, hours=Decimal("18"))
    result = classify_exit(in_employment(first, second))
    assert not result.positive
    assert "3 mois au total, il en faut 6" in result.explanation


def test_worked_duration_merges_touching_and_overlapping_periods():
    periods = [
        (D(2025, 3, 1), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 31)),  # the day after: same block
        (D(2025, 5, 15), D(2025, 6, 10)),  # overlapping: same block
        (D(2025, 9, 1), D(2025, 9, 30)),  # after a gap: another block
    ]
    assert outcomes.merged_periods(periods) == [
        (D(2025, 3, 1), D(2025, 6, 10)),
        (D(2025, 9, 1), D(2025, 9, 30)),
    ]
    # 1 March-10 June = 3 months and 10 days; September = 1 month: 4 months and 10 days.
    assert outcomes.worked_duration(periods, 31) == Duration(4, 10)


def test_one_cdd_of_five_months_is_not_enough():
    result = classify_exit(in_employment(cdd_of_months(AFTER_SUPPORT, 5)))
    assert not result.positive
    assert "5 mois au total, il en faut 6" in result.explanation


def test_cdd_of_six_months_less_one_day_is_not_six_months():
    # 3 September 2025 to 1 March 2026: 5 whole months (to 2 February) and 27 days.
    short = cdd(AFTER_SUPPORT, D(2026, 3, 1))
    assert not classify_exit(in_employment(short)).positive
    exact = cdd(AFTER_SUPPORT, D(2026, 3, 2))
    assert classify_exit(in_employment(exact)).positive


def test_cdd_under_half_time_does_not_count_towards_the_six_months():
    # 6 months at 17 h: the contract is long enough but not "au minimum à mi-temps".
    result = classify_exit(in_employment(cdd_of_months(AFTER_SUPPORT, 6, hours=17)))
    assert not result.positive


def test_cui_in_an_siae_is_excluded_from_the_cdd_total():
    # Seed: "(hors contrats uniques d'insertion dans une SIAE)".
    cui_in_siae = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        AFTER_SUPPORT,
        add_months(AFTER_SUPPORT, 6) - ONE_DAY,
        weekly_hours=26,
        in_siae=True,
    )
    result = classify_exit(in_employment(cui_in_siae))
    assert not result.positive
    assert "en SIAE, exclu du cumul des CDD" in result.explanation
    # The same CUI outside an SIAE is a CDD of 6 months at 26 h: positive (b).
    outside = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        AFTER_SUPPORT,
        add_months(AFTER_SUPPORT, 6) - ONE_DAY,
        weekly_hours=26,
    )
    assert classify_exit(in_employment(outside)).rule == "A4 b"


def test_the_supported_cui_cie_ending_after_six_months_is_no_solution():
    # Seed 000 phase 3: "le CDD de 6 mois se termine sans solution pour le salarié" -- the
    # supported CUI-CIE's own term is not a durable exit, though it is 6 months at 26 h.
    supported = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        SUPPORT_START,
        SUPPORT_END,
        weekly_hours=26,
        supported_contract=True,
    )
    result = classify_exit(in_employment(supported))
    assert not result.positive
    assert "contrat suivi, non pérennisé" in result.explanation


def test_the_supported_cui_cie_concluded_as_a_cdi_is_kept_in_cdi():
    # Seed 000 phase 3: "le poste est pérennisé avec un maintien en CDI".
    supported = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        SUPPORT_START,
        weekly_hours=26,
        supported_contract=True,
        permanent_contract=True,
    )
    assert classify_exit(in_employment(supported)).rule == "A4 a"


def test_temporary_work_is_not_a_cdd_for_rule_a4_b():
    # The seed lists CDD only; a temporary-work mission is a distinct contract (L1251-1).
    mission = Situation(
        SituationKind.TEMPORARY_WORK,
        AFTER_SUPPORT,
        add_months(AFTER_SUPPORT, 7),
        weekly_hours=35,
    )
    assert not classify_exit(in_employment(mission)).positive


def test_competitive_exam_counts_only_with_an_appointment():
    # Seed: "la réussite à un concours débouchant effectivement sur une nomination".
    appointed = Situation(SituationKind.COMPETITIVE_EXAM, AFTER_SUPPORT, appointment=True)
    result = classify_exit(in_employment(appointed))
    assert (result.positive, result.rule) == (True, "A4 c")
    passed_only = Situation(SituationKind.COMPETITIVE_EXAM, AFTER_SUPPORT)
    result = classify_exit(in_employment(passed_only))
    assert not result.positive
    assert "sans nomination" in result.explanation


def test_training_counts_only_if_qualifying_and_listed_in_the_rncp():
    # Seed: "l'entrée dans une formation qualifiante ou diplômante, inscrite au répertoire
    # du CNCP" (today the RNCP).
    def training(**flags):
        return Situation(SituationKind.TRAINING, AFTER_SUPPORT, D(2026, 6, 30), **flags)

    assert classify_exit(in_employment(training(qualifying=True, rncp_listed=True))).rule == (
        "A4 d"
    )
    assert not classify_exit(in_employment(training(qualifying=True))).positive
    assert not classify_exit(in_employment(training(rncp_listed=True))).positive


@pytest.mark.parametrize(
    "kind", [SituationKind.ACTIVITY_CREATION, SituationKind.CAPE, SituationKind.DUE_INCUBATOR]
)
def test_activity_creation_cape_and_due_in_an_incubator_are_positive(kind):
    # Seed: "une création d'activité indépendante, une entrée en CAPE ou en DUE en couveuse".
    result = classify_exit(in_employment(Situation(kind, AFTER_SUPPORT)))
    assert (result.positive, result.rule, result.category) == (
        True,
        "A4 e",
        ExitCategory.ACTIVITY_CREATION,
    )


def test_the_seed_order_decides_when_several_conditions_hold():
    training = Situation(
        SituationKind.TRAINING, AFTER_SUPPORT, D(2026, 6, 30), qualifying=True, rncp_listed=True
    )
    result = classify_exit(in_employment(training, cdi(hours=20)))
    assert result.rule == "A4 a"
    assert result.deciding_situations == (1,)


def test_job_search_alone_is_not_positive_and_says_why():
    search = Situation(SituationKind.JOB_SEARCH, AFTER_SUPPORT)
    result = classify_exit(in_employment(search))
    assert not result.positive
    assert "aucun emploi, concours, formation ou création d'activité" in result.explanation


def test_evaluation_within_three_months_after_a_rupture():
    # Rupture on 15 May 2025: the support ends there; the exit is measured up to 15 August.
    cdi_found = cdi(start=D(2025, 7, 1), hours=24)
    case = in_employment(cdi_found, support_end=D(2025, 5, 15), evaluation_date=D(2025, 8, 15))
    assert classify_exit(case).positive


# --- validation -------------------------------------------------------------------------------


def errors_of(case):
    return " | ".join(exit_case_errors(case))


def test_end_before_start_is_refused():
    backwards = cdd(D(2025, 10, 1), D(2025, 9, 1))
    assert "se termine le 01/09/2025, avant son début le 01/10/2025" in errors_of(
        in_employment(backwards)
    )
    with pytest.raises(ExitInputError):
        classify_exit(in_employment(backwards))


def test_two_full_time_jobs_at_the_same_time_contradict_each_other():
    # 35 h + 35 h = 70 h a week, more than the legal 48 h maximum.
    errors = errors_of(in_employment(cdi(hours=35), cdd_of_months(D(2025, 10, 1), 6, hours=35)))
    assert "Emplois simultanés le 01/10/2025" in errors
    assert "70 h par semaine" in errors


def test_two_half_time_jobs_at_the_same_time_are_fine():
    assert not exit_case_errors(
        in_employment(cdi(hours=20), cdd_of_months(D(2025, 10, 1), 6, hours=20))
    )


def test_inactivity_overlapping_employment_is_refused_but_not_when_it_follows():
    inactive = Situation(SituationKind.INACTIVITY, D(2025, 9, 10), D(2025, 10, 10))
    assert "une personne inactive ne peut pas être en même temps" in errors_of(
        in_employment(cdi(hours=20), inactive)
    )
    job_until_9 = cdd(D(2025, 6, 1), D(2025, 9, 9), hours=20)
    assert not exit_case_errors(in_employment(job_until_9, inactive))


def test_evaluation_date_before_the_support_is_refused():
    case = professional(evaluation_date=D(2025, 1, 1))
    assert "précède le début de l'accompagnement" in errors_of(case)


def test_in_employment_evaluation_outside_the_a3_window_is_refused():
    # Default end: last day of the 6th month, 2 September 2025.
    assert "précède sa fin le 02/09/2025" in errors_of(in_employment(evaluation_date=D(2025, 9, 1)))
    # 3 months later: 2 December 2025 is the last day of the window.
    assert not exit_case_errors(in_employment(evaluation_date=D(2025, 12, 2)))
    assert "au plus tard 3 mois" in errors_of(in_employment(evaluation_date=D(2025, 12, 3)))


def test_in_employment_needs_weekly_hours_and_a_cdd_needs_an_end():
    no_hours = Situation(SituationKind.CDI, AFTER_SUPPORT)
    assert "n'a pas de durée hebdomadaire" in errors_of(in_employment(no_hours))
    no_end = Situation(SituationKind.CDD, AFTER_SUPPORT, weekly_hours=20)
    assert "n'a pas de date de fin" in errors_of(in_employment(no_end))


def test_flags_on_the_wrong_kind_are_refused():
    odd = Situation(SituationKind.CDI, AFTER_SUPPORT, weekly_hours=20, rncp_listed=True)
    assert "ne s'applique qu'à une formation" in errors_of(in_employment(odd))


def test_duplicates_and_two_supported_contracts_are_refused():
    job = cdi(hours=10)
    assert "sont identiques" in errors_of(in_employment(job, job))
    supported_a = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        SUPPORT_START,
        SUPPORT_END,
        weekly_hours=20,
        supported_contract=True,
    )
    supported_b = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        SUPPORT_START,
        SUPPORT_END,
        weekly_hours=21,
        supported_contract=True,
    )
    assert "un seul CUI-CIE" in errors_of(in_employment(supported_a, supported_b))


def test_hours_above_the_legal_maximum_are_refused():
    assert "hors des bornes" in errors_of(in_employment(cdi(hours=60)))


# --- golden cases: professional support, rules P1 and P10 -------------------------------------


def test_professional_cdi_at_the_end_of_support_is_an_exit_linked_to_employment():
    result = classify_exit(professional(cdi(start=D(2025, 8, 1))))
    assert result.category == ExitCategory.EXIT_LINKED_TO_EMPLOYMENT
    assert (result.positive, result.return_to_activity, result.exit_linked_to_employment) == (
        True,
        True,
        True,
    )
    assert result.rule == "P10, P1"
    assert result.durable_placement is None


def test_professional_cdd_must_last_more_than_six_months():
    # Seed 004: "CDI, CDD et intérim de plus de 6 mois". 1 July to 31 December is exactly
    # 6 months: not "plus de"; to 1 January it is 6 months and 1 day.
    exactly_six = cdd(D(2025, 7, 1), D(2025, 12, 31))
    result = classify_exit(professional(exactly_six))
    assert result.category == ExitCategory.RETURN_TO_ACTIVITY
    assert result.exit_linked_to_employment is False
    assert "il faut plus de 6 mois" in result.explanation
    over_six = cdd(D(2025, 7, 1), D(2026, 1, 1))
    assert classify_exit(professional(over_six)).exit_linked_to_employment


def test_professional_subsidised_contract_links_the_exit_to_employment():
    cui = Situation(SituationKind.SUBSIDISED_CONTRACT, D(2025, 8, 1), D(2026, 1, 31))
    assert classify_exit(professional(cui)).exit_linked_to_employment


def test_professional_training_is_a_return_to_activity_but_not_employment():
    training = Situation(SituationKind.TRAINING, D(2025, 5, 1), D(2025, 12, 31))
    result = classify_exit(professional(training))
    assert (result.category, result.positive, result.exit_linked_to_employment) == (
        ExitCategory.RETURN_TO_ACTIVITY,
        True,
        False,
    )


def test_professional_support_still_running_is_not_yet_an_exit():
    result = classify_exit(professional(cdi(start=D(2025, 8, 1)), support_end=None))
    assert result.category == ExitCategory.RETURN_TO_ACTIVITY
    assert result.exit_linked_to_employment is False
    assert "n'est pas terminé" in result.explanation


def test_professional_job_started_before_the_support_is_not_a_return():
    before = cdi(start=D(2024, 12, 1), hours=10)
    result = classify_exit(professional(before))
    assert result.category == ExitCategory.NO_RETURN_TO_ACTIVITY
    assert result.positive is False
    assert "aucun emploi, formation ou activité n'a commencé" in result.explanation


def test_professional_job_ended_before_the_support_ended_is_not_linked():
    short_mission = Situation(
        SituationKind.TEMPORARY_WORK, D(2025, 4, 1), D(2025, 4, 30), weekly_hours=35
    )
    result = classify_exit(professional(short_mission))
    assert result.category == ExitCategory.RETURN_TO_ACTIVITY
    assert "a pris fin avant la fin de l'accompagnement" in result.explanation


# --- parameters -------------------------------------------------------------------------------


def test_every_parameter_value_is_dated_and_sourced():
    for name in outcomes._parameter_series(outcomes.OUTCOMES_PARAMETERS_FILE):
        dated = outcome_parameter_value(name, D(2025, 1, 1))
        assert dated.source.strip()
    assert outcome_parameter_value("legal_full_time_weekly_hours", D(2025, 1, 1)).value == 35
    assert (
        "L3121-27" in outcome_parameter_value("legal_full_time_weekly_hours", D(2025, 1, 1)).source
    )


def test_the_legal_full_time_is_read_from_the_data_file(tmp_path, monkeypatch):
    # If the legal duration became 39 h, a CDI at 19 h would fall under half time (19.5 h).
    text = outcomes.OUTCOMES_PARAMETERS_FILE.read_text(encoding="utf-8")
    changed = text.replace('value = "35"', 'value = "39"')
    assert changed != text
    parameters_file = tmp_path / "outcomes.toml"
    parameters_file.write_text(changed, encoding="utf-8")
    assert classify_exit(in_employment(cdi(hours=19))).positive
    monkeypatch.setattr(outcomes, "OUTCOMES_PARAMETERS_FILE", parameters_file)
    assert not classify_exit(in_employment(cdi(hours=19))).positive


def test_no_parameter_before_its_first_date_is_a_clear_error():
    old_case = ExitCase(Programme.PROFESSIONAL, D(1999, 1, 1), D(1999, 6, 1))
    assert "Aucune valeur du paramètre" in errors_of(old_case)


# --- input from JSON --------------------------------------------------------------------------


def test_mapping_input_is_parsed_with_decimal_hours():
    case = exit_case_from_mapping(
        {
            "programme": "in_employment",
            "support_start": "2025-03-03",
            "evaluation_date": "2025-09-02",
            "situations": [{"kind": "cdi", "start": "2025-09-01", "weekly_hours": "17,5"}],
        }
    )
    assert case.situations[0].weekly_hours == Decimal("17.5")
    assert case.support_end is None
    assert classify_exit(case).as_dict()["rule"] == "A4 a"


def test_mapping_input_errors_are_all_reported_in_french():
    with pytest.raises(ExitInputError) as raised:
        exit_case_from_mapping(
            {
                "programme": "in_work",
                "support_start": "03/03/2025",
                "situations": [
                    {"kind": "job", "start": "2025-09-01", "weekly_hours": True, "colour": 1}
                ],
            }
        )
    text = str(raised.value)
    assert "Le programme « in_work » est inconnu" in text
    assert "« 03/03/2025 » n'est pas une date au format AAAA-MM-JJ" in text
    assert "Le champ « evaluation_date » (date d'évaluation) manque" in text
    assert "le type (kind) « job » est inconnu" in text
    assert "« True » n'est pas un nombre d'heures" in text
    assert "champ inconnu « colour »" in text


def test_as_dict_numbers_situations_from_one():
    result = classify_exit(in_employment(Situation(SituationKind.CAPE, AFTER_SUPPORT)))
    assert result.as_dict() == {
        "programme": "in_employment",
        "category": "activity_creation",
        "category_label": "Création d'activité, CAPE ou DUE en couveuse",
        "positive": True,
        "rule": "A4 e",
        "explanation": "Sortie positive (règle A4 e) : CAPE n°1 depuis le 03/09/2025.",
        "deciding_situations": [1],
        "indicators": {"durable_placement": True},
    }


# --- properties -------------------------------------------------------------------------------

support_starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
hours = st.decimals(min_value=1, max_value=35, places=1)
half_time_or_more = st.decimals(min_value=Decimal("17.5"), max_value=35, places=1)


@st.composite
def in_employment_cases(draw):
    """A valid in-employment case: measured at the end of the 6 months or up to 3 months
    later, with up to four situations that do not contradict each other."""
    start = draw(support_starts)
    support_end = add_months(start, 6) - ONE_DAY
    evaluation = support_end + datetime.timedelta(days=draw(st.integers(0, 89)))
    situations = draw(
        st.lists(any_situation(start - datetime.timedelta(days=60), evaluation), max_size=4)
    )
    case = ExitCase(Programme.IN_EMPLOYMENT, start, evaluation, tuple(situations))
    assume(not exit_case_errors(case))
    return case


@st.composite
def any_situation(draw, earliest, latest):
    kind = draw(st.sampled_from([k for k in SituationKind if k != SituationKind.INACTIVITY]))
    start = draw(st.dates(min_value=earliest, max_value=latest))
    # Fixed-term contracts always have an end; the others sometimes.
    fixed_term = {
        SituationKind.CDD,
        SituationKind.TEMPORARY_WORK,
        SituationKind.SUBSIDISED_CONTRACT,
    }
    end = None
    if kind in fixed_term or draw(st.booleans()):
        end = start + datetime.timedelta(days=draw(st.integers(0, 400)))
    fields = {}
    if kind in {SituationKind.CDI, SituationKind.CDD, SituationKind.SUBSIDISED_CONTRACT}:
        fields["weekly_hours"] = draw(hours)
    if kind == SituationKind.SUBSIDISED_CONTRACT:
        fields["in_siae"] = draw(st.booleans())
    if kind == SituationKind.TRAINING:
        fields["qualifying"] = draw(st.booleans())
        fields["rncp_listed"] = draw(st.booleans())
    if kind == SituationKind.COMPETITIVE_EXAM:
        fields["appointment"] = draw(st.booleans())
    return Situation(kind, start, end, **fields)


@st.composite
def qualifying_situations(draw, case):
    """A situation that by itself makes an in-employment exit positive (A4 a, c, d or e)."""
    start = draw(st.dates(min_value=case.support_start, max_value=case.evaluation_date))
    choice = draw(st.sampled_from(["cdi", "exam", "training", "activity"]))
    if choice == "cdi":
        # At most 18 h so that, added to the other jobs, it stays plausible more often.
        return Situation(
            SituationKind.CDI,
            start,
            weekly_hours=draw(st.sampled_from([Decimal("17.5"), Decimal(18)])),
        )
    if choice == "exam":
        return Situation(SituationKind.COMPETITIVE_EXAM, start, appointment=True)
    if choice == "training":
        return Situation(SituationKind.TRAINING, start, None, qualifying=True, rncp_listed=True)
    return Situation(draw(st.sampled_from(sorted(outcomes.ACTIVITY_CREATION_KINDS))), start)


@settings(max_examples=150)
@given(st.data())
def test_adding_a_qualifying_situation_makes_and_keeps_the_exit_positive(data):
    case = data.draw(in_employment_cases())
    before = classify_exit(case)
    added = data.draw(qualifying_situations(case))
    bigger = ExitCase(
        case.programme, case.support_start, case.evaluation_date, (*case.situations, added)
    )
    assume(not exit_case_errors(bigger))
    after = classify_exit(bigger)
    assert after.positive
    if before.positive:
        # rule A4 is a list of sufficient conditions: more situations never undo one.
        assert after.positive


@settings(max_examples=150)
@given(st.data())
def test_adding_any_consistent_situation_never_turns_a_positive_exit_negative(data):
    case = data.draw(in_employment_cases())
    before = classify_exit(case)
    added = data.draw(any_situation(case.support_start, case.evaluation_date))
    bigger = ExitCase(
        case.programme, case.support_start, case.evaluation_date, (*case.situations, added)
    )
    assume(not exit_case_errors(bigger))
    if before.positive:
        assert classify_exit(bigger).positive


@given(
    start=support_starts,
    months=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    weekly_hours=half_time_or_more,
)
@example(start=D(2024, 9, 29), months=[5, 1], weekly_hours=Decimal("17.5"))  # found by CI
def test_cdd_durations_add_across_contracts(start, months, weekly_hours):
    # Consecutive CDDs of whole calendar months at half time or more, all begun by the
    # evaluation date: positive (b) exactly when they total 6 months or more. Each contract's
    # bounds are counted from the first start: chaining them from one contract's end to the
    # next loses a day at a short month (29 September + 5 months is 28 February, + 1 month
    # is 28 March, not 29), and the time worked, which A4 b measures, is then a day short.
    contracts = []
    elapsed = 0
    for length in months:
        contracts.append(
            cdd(
                add_months(start, elapsed),
                add_months(start, elapsed + length) - ONE_DAY,
                weekly_hours,
            )
        )
        elapsed += length
    last_day = contracts[-1].end
    case = ExitCase(
        Programme.IN_EMPLOYMENT, start, last_day, tuple(contracts), support_end=last_day
    )
    result = classify_exit(case)
    assert result.positive == (sum(months) >= 6)
    if result.positive:
        assert result.rule == "A4 b"
        assert result.deciding_situations == tuple(range(len(contracts)))


@st.composite
def cuts(draw, first: datetime.date, last: datetime.date):
    """``[first, last]`` cut into back-to-back pieces at random days."""
    days = (last - first).days
    points = sorted(draw(st.sets(st.integers(1, days), max_size=min(days, 5)))) if days else []
    bounds = [first + datetime.timedelta(days=p) for p in points]
    starts = [first, *bounds]
    ends = [b - ONE_DAY for b in bounds] + [last]
    return list(zip(starts, ends, strict=True))


@settings(max_examples=200)
@given(
    start=st.dates(min_value=SUPPORT_START, max_value=IN_EMPLOYMENT_EVALUATION),
    length=st.integers(0, 400),
    weekly_hours=half_time_or_more,
    data=st.data(),
)
def test_any_cut_of_a_period_into_cdds_gives_the_same_classification(
    start, length, weekly_hours, data
):
    # Rule A4 b: the total is a property of the time worked, never of how it is
    # cut into contracts.
    last = start + datetime.timedelta(days=length)
    pieces = data.draw(cuts(start, last))
    whole = classify_exit(in_employment(cdd(start, last, hours=weekly_hours)))
    cut = classify_exit(in_employment(*(cdd(a, b, hours=weekly_hours) for a, b in pieces)))
    assert (cut.category, cut.positive, cut.rule) == (whole.category, whole.positive, whole.rule)
    assert outcomes.worked_duration(pieces, 31) == contract_duration(start, last)


@given(start=support_starts, weekly_hours=half_time_or_more, months=st.integers(1, 24))
def test_two_cdds_of_three_months_count_and_one_of_five_does_not(start, weekly_hours, months):
    first = cdd_of_months(start, 3, hours=weekly_hours)
    second = cdd_of_months(add_months(start, months + 3), 3, hours=weekly_hours)
    last_day = second.end
    two = ExitCase(Programme.IN_EMPLOYMENT, start, last_day, (first, second), support_end=last_day)
    assert classify_exit(two).rule == "A4 b"
    five = cdd_of_months(start, 5, hours=weekly_hours)
    one = ExitCase(Programme.IN_EMPLOYMENT, start, five.end, (five,), support_end=five.end)
    assert not classify_exit(one).positive


@settings(max_examples=150)
@given(st.data())
def test_a_cui_in_an_siae_never_counts_for_the_cdd_total(data):
    case = data.draw(in_employment_cases())
    start = data.draw(st.dates(min_value=case.support_start, max_value=case.evaluation_date))
    cui_in_siae = Situation(
        SituationKind.SUBSIDISED_CONTRACT,
        start,
        start + datetime.timedelta(days=data.draw(st.integers(0, 800))),
        weekly_hours=data.draw(half_time_or_more),
        in_siae=True,
    )
    bigger = ExitCase(
        case.programme, case.support_start, case.evaluation_date, (*case.situations, cui_in_siae)
    )
    assume(not exit_case_errors(bigger))
    before, after = classify_exit(case), classify_exit(bigger)
    assert (after.positive, after.rule, after.deciding_situations) == (
        before.positive,
        before.rule,
        before.deciding_situations,
    )


@given(
    weekly_hours=st.decimals(min_value=1, max_value=48, places=2),
    company_full_time=st.one_of(st.none(), st.decimals(min_value=20, max_value=48, places=1)),
)
def test_a_cdi_is_positive_exactly_when_it_is_at_least_half_time(weekly_hours, company_full_time):
    full_time = company_full_time if company_full_time is not None else Decimal(35)
    result = classify_exit(
        in_employment(cdi(hours=weekly_hours, company_full_time_hours=company_full_time))
    )
    assert result.positive == (weekly_hours * 2 >= full_time)

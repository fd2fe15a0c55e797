"""The five qualitative aims of the in-employment support (rule A2), as dated data."""

import datetime

import pytest

from tremplin.rules import aims

D = datetime.date


def test_the_seeds_five_aims_in_its_words_and_order():
    version = aims.aims_on(D(2026, 1, 1))
    assert [aim.label for aim in version.aims] == [
        "Faciliter l'intégration dans l'entreprise",
        "Lever les derniers freins à l'insertion professionnelle",
        "Déterminer les besoins d'adaptation à l'emploi occupé (formation, VAE)",
        "Soutenir les démarches administratives et l'accès aux droits",
        "Assurer la concrétisation du CUI-CIE en contrat de travail de droit commun pour une "
        "insertion durable",
    ]
    assert version.codes == (
        "company_integration",
        "last_barriers",
        "adaptation_needs",
        "administrative_steps",
        "common_law_contract",
    )
    assert all(aim.rule == "A2" for aim in version.aims) and "A2" in version.source


def test_an_unknown_code_is_refused_in_french():
    assert aims.unknown_aims(["last_barriers"], D(2026, 1, 1)) == []
    (message,) = aims.unknown_aims(["freins"], D(2026, 1, 1))
    assert "« freins »" in message and "règle A2" in message
    assert "Lever les derniers freins" in message
    with pytest.raises(aims.AimError):
        aims.aim("freins", D(2026, 1, 1))
    assert aims.aim("adaptation_needs", D(2026, 1, 1)).label.endswith("(formation, VAE)")


def test_no_list_before_the_first_version():
    with pytest.raises(aims.AimError, match="A2"):
        aims.aims_on(D(2009, 12, 31))


# --- Where an aim stands for one person (A2, « recordable per person ») --------------------

START = D(2025, 3, 3)
TODAY = D(2025, 6, 10)
MAY_2 = D(2025, 5, 2)


def point(code="last_barriers", status="in_progress", on=MAY_2, note="", **kwargs):
    return aims.check_point(
        code,
        status,
        on,
        note,
        support_start=kwargs.get("start", START),
        today=kwargs.get("today", TODAY),
    )


def test_a_point_during_the_support_is_accepted_in_every_state():
    assert [aims.STATUS_LABELS[status] for status in aims.AimStatus] == [
        "À travailler",
        "En cours",
        "Atteint",
        "Sans objet",
    ]
    for status in ("to_work", "in_progress", "achieved"):
        assert point(status=status) == {}
    assert point(status="not_applicable", note="Déjà titulaire d'un CAP du métier.") == {}
    # The first day of the support and today are both within bounds.
    assert point(on=START) == {} and point(on=TODAY) == {}


def test_a_point_is_refused_in_french_for_what_is_wrong():
    errors = point(code="freins", status="fini", on=None)
    assert set(errors) == {"code", "status", "assessed_on"}
    assert "« freins »" in errors["code"]
    assert "« fini »" in errors["status"] and "« Sans objet »" in errors["status"]
    assert errors["assessed_on"] == "Indiquez la date du point sur cet objectif."
    assert "dans le futur" in point(on=D(2025, 6, 11))["assessed_on"]
    before = point(on=D(2025, 3, 2))["assessed_on"]
    assert "avant le début de l'accompagnement (03/03/2025)" in before
    assert (
        "pourquoi cet objectif est sans objet" in point(status="not_applicable", note=" ")["note"]
    )


def test_a_support_that_began_before_the_first_list_has_no_aims():
    errors = point(start=D(2009, 6, 1), today=D(2009, 7, 1), on=D(2009, 6, 15))
    assert list(errors) == ["code"] and "A2" in errors["code"]

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

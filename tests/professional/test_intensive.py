"""The intensive period of a professional support follows the recorded barriers (P4).

The support starts on 15/01/2025 (factories.START); the person entered the pathway on
01/06/2022, more than 2 years before: not a new entrant, the intensive period depends on the
lifting of the barriers. 3 months from day D end on D + 3 months - 1 day.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.professional.factories import professional_episode
from tremplin.professional.models import ProfessionalSupport
from tremplin.progress.models import Barrier

pytestmark = pytest.mark.django_db

D = dt.date
TYPED = D(2024, 12, 1)  # a date typed on the support, before the support's start


def long_pathway(follower, typed=None):
    episode = professional_episode(follower)
    ProfessionalSupport.objects.filter(episode=episode).update(
        new_entrant=False, pathway_start=D(2022, 6, 1), barriers_lifted_on=typed
    )
    return episode


def support_of(episode) -> ProfessionalSupport:
    return ProfessionalSupport.objects.select_related("episode").get(episode=episode)


IDENTIFIED = D(2025, 1, 6)


def barrier(episode, identified_on=IDENTIFIED, lifted_on=None) -> Barrier:
    return Barrier.objects.create(
        episode=episode, kind="mobility", identified_on=identified_on, lifted_on=lifted_on
    )


def period(support):
    intensive = support.intensive()
    return None if intensive is None else (intensive.period.first, intensive.period.last)


# --- the model --------------------------------------------------------------------------


def test_one_standing_barrier_means_no_intensive_period_even_with_a_typed_date(referent_user):
    episode = long_pathway(referent_user, typed=TYPED)
    # Without records, the typed date decides: 15/01/2025 to 14/04/2025.
    assert period(support_of(episode)) == (D(2025, 1, 15), D(2025, 4, 14))
    barrier(episode)
    assert period(support_of(episode)) is None


def test_once_lifted_the_period_runs_three_months_from_the_later_of_start_and_lifting(
    referent_user,
):
    episode = long_pathway(referent_user, typed=TYPED)
    standing = barrier(episode)
    standing.lifted_on = D(2025, 3, 10)
    standing.save()
    # Lifted during the support: from 10/03/2025 to 09/06/2025 (the typed 01/12/2024 ignored).
    assert period(support_of(episode)) == (D(2025, 3, 10), D(2025, 6, 9))
    # A second barrier, lifted on 02/04/2025: the last lifting decides, 02/04 to 01/07/2025.
    barrier(episode, D(2025, 2, 1), D(2025, 4, 2))
    assert period(support_of(episode)) == (D(2025, 4, 2), D(2025, 7, 1))


def test_barriers_lifted_before_the_support_give_its_first_three_months(referent_user):
    episode = long_pathway(referent_user)
    barrier(episode, D(2024, 10, 1), D(2024, 11, 20))
    # max(15/01/2025, 20/11/2024) = 15/01/2025, to 14/04/2025.
    assert period(support_of(episode)) == (D(2025, 1, 15), D(2025, 4, 14))


def test_without_recorded_barriers_the_typed_date_is_used(referent_user):
    episode = long_pathway(referent_user, typed=D(2025, 2, 20))
    support = support_of(episode)
    lifting = support.barriers_lifting()
    assert (lifting.on, lifting.from_records) == (D(2025, 2, 20), False)
    # 20/02/2025 + 3 months - 1 day = 19/05/2025.
    assert period(support) == (D(2025, 2, 20), D(2025, 5, 19))
    assert period(support_of(long_pathway(referent_user))) is None


def test_only_the_episode_s_own_barriers_count(referent_user):
    episode = long_pathway(referent_user, typed=TYPED)
    other = professional_episode(referent_user)
    barrier(other)  # standing, on another support
    assert period(support_of(episode)) == (D(2025, 1, 15), D(2025, 4, 14))


def test_a_new_entrant_does_not_depend_on_barriers_nor_query_them(
    referent_user, django_assert_num_queries
):
    episode = professional_episode(referent_user)
    barrier(episode)
    support = support_of(episode)
    with django_assert_num_queries(0):
        assert period(support) == (D(2025, 1, 15), D(2025, 4, 14))


def test_one_query_for_the_barriers_and_none_when_prefetched(
    referent_user, django_assert_num_queries
):
    episodes = [long_pathway(referent_user, typed=TYPED) for _ in range(3)]
    barrier(episodes[0])
    barrier(episodes[1], D(2025, 1, 6), D(2025, 3, 10))
    support = support_of(episodes[0])
    with django_assert_num_queries(1):
        support.intensive()
    with django_assert_num_queries(2):  # the supports, then every episode's barriers
        supports = list(
            ProfessionalSupport.objects.filter(episode__in=episodes)
            .select_related("episode")
            .prefetch_related("episode__barriers")
            .order_by("episode_id")
        )
        periods = [period(item) for item in supports]
    assert periods == [
        None,
        (D(2025, 3, 10), D(2025, 6, 9)),
        (D(2025, 1, 15), D(2025, 4, 14)),
    ]


# --- the pages ----------------------------------------------------------------------------


def detail(client, episode) -> str:
    return client.get(reverse("professional:episode_detail", args=[episode.pk])).content.decode()


def test_the_support_page_says_the_date_comes_from_the_recorded_barriers(client, referent_user):
    episode = long_pathway(referent_user, typed=TYPED)
    standing = barrier(episode)
    client.force_login(referent_user)
    page = detail(client, episode)
    assert re.search(
        r'Période intensive <a class="rule-ref" href="/aide/regles/#regle-P4"[^\n]*</a></dt><dd class="col-sm-7">aucune',
        page,
    )
    assert "1 frein encore à lever d'après les freins enregistrés" in page
    assert "La date saisie sur l'accompagnement (01/12/2024) n'est pas utilisée" in page
    standing.lifted_on = D(2026, 3, 12)
    standing.save()
    page = detail(client, episode)
    assert "du 12/03/2026 au 11/06/2026" in page
    assert "Freins levés le 12/03/2026 d'après les freins enregistrés (1 frein, tous levés)" in page


def test_the_support_page_says_when_the_typed_date_is_used(client, referent_user):
    episode = long_pathway(referent_user, typed=TYPED)
    client.force_login(referent_user)
    page = detail(client, episode)
    assert "du 15/01/2025 au 14/04/2025" in page
    assert "Freins levés le 01/12/2024 : date saisie (aucun frein enregistré" in page
    assert "d'après les freins enregistrés" not in page


def test_a_new_entrant_s_page_says_nothing_about_barriers(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    page = detail(client, episode)
    assert "du 15/01/2025 au 14/04/2025" in page
    assert "source-levee-freins" not in page


def test_the_cadence_page_marks_the_months_of_the_period_from_the_records(client, referent_user):
    episode = long_pathway(referent_user, typed=TYPED)
    standing = barrier(episode)
    client.force_login(referent_user)
    url = reverse("professional:cadence", args=[episode.pk])
    assert client.get(url).content.decode().count(">intensif<") == 0
    standing.lifted_on = D(2025, 3, 10)
    standing.save()
    page = client.get(url).content.decode()
    # 10/03/2025 to 09/06/2025: March, April, May and June.
    assert page.count(">intensif<") == 4
    assert "Freins levés le 10/03/2025 d'après les freins enregistrés" in page


def test_the_support_page_query_count_does_not_grow_with_barriers(
    client, referent_user, django_assert_max_num_queries
):
    episode = long_pathway(referent_user, typed=TYPED)
    barrier(episode)
    client.force_login(referent_user)
    url = reverse("professional:episode_detail", args=[episode.pk])
    with django_assert_max_num_queries(26) as captured:
        client.get(url)
    for day in range(2, 20):
        barrier(episode, D(2025, 1, day), D(2025, 2, day))
    with django_assert_max_num_queries(len(captured)):
        client.get(url)

"""The professional section of the référent's home (``panels.home``): the CERs ending within
60 days (P5) and the people below the interview cadence (P4), read with their work queue."""

import datetime as dt
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.professional.factories import professional_episode
from tests.support.factories import paris
from tremplin.support.models import Deadline

pytestmark = pytest.mark.django_db


@time_machine.travel(paris(2025, 6, 1, 9, 0), tick=False)
def test_the_home_lists_the_cers_ending_within_60_days_read_with_the_work_queue(
    client, referent_user
):
    # First CERs of 6 months (P4): from 15/01/2025 to 14/07/2025, 43 days after 1 June;
    # from 01/04/2025 to 30/09/2025, 121 days after: beyond the 60 days shown.
    soon = professional_episode(referent_user)
    later = professional_episode(referent_user, start=dt.date(2025, 4, 1))
    client.force_login(referent_user)
    client.get("/")  # the session warmed
    with CaptureQueriesContext(connection) as queries:
        page = html.unescape(client.get("/").content.decode())
    section = page[page.index("CER arrivant à échéance") :]
    section = section[: section.index("</ul>")]
    due = Deadline.objects.get(episode=soon, code="cer_end_1").due_on
    assert str(soon.beneficiary) in section and f"le {due:%d/%m/%Y}" in section
    assert str(later.beneficiary) not in section
    # The supports the référent follows and their deadlines: read once for the work queue
    # and this section (twice each before).
    followed = [q["sql"] for q in queries if " UNION " in q["sql"] and "supportepisode" in q["sql"]]
    deadlines = [q["sql"] for q in queries if 'FROM "support_deadline"' in q["sql"]]
    assert len(followed) == 1, followed
    assert len(deadlines) == 1, deadlines

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from tests import factories
from tremplin.web import sms

# Speed is measured by `make bench`, never asserted in a test: hypothesis's per-example
# deadline would turn a busy CI machine into a failure. Examples stay as many.
hypothesis_settings.register_profile("tremplin", deadline=None)
hypothesis_settings.load_profile("tremplin")


@pytest.fixture(autouse=True)
def _fast_and_local(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Uploads and the files jobs make, kept apart for each test.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Text messages kept in tremplin.web.sms.outbox, emptied for each test (as mail.outbox).
    settings.TREMPLIN_SMS_BACKEND = "tremplin.web.sms.backends.locmem.SmsBackend"
    sms.outbox.clear()
    # What pages keep in the cache (a filter's options per user) starts empty for each test.
    cache.clear()
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def territory(db):
    return factories.TerritoryFactory()


@pytest.fixture
def operator(territory):
    return factories.OrganisationFactory(territory=territory, name="Association Passerelle")


@pytest.fixture
def other_operator(territory):
    return factories.OrganisationFactory(territory=territory, name="Association Cap Emploi")


@pytest.fixture
def referent_user(operator):
    return factories.referent(operator)


@pytest.fixture
def coordinator_user(operator):
    return factories.coordinator(operator)


@pytest.fixture
def agent_user(territory):
    return factories.department_agent(territory)


@pytest.fixture
def admin_user(operator):
    return factories.admin(operator)

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
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

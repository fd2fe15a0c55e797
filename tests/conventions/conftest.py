import datetime

import pytest

from tests import factories
from tests.conventions.factories import ConventionFactory


@pytest.fixture
def my_beneficiary(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        # Aged 34 at the hire: none of the 50+/58+ derogations of rules C5 and E4 applies.
        birth_date=datetime.date(1990, 6, 1),
    )


@pytest.fixture
def my_convention(territory, my_beneficiary):
    return ConventionFactory(territory=territory, beneficiary=my_beneficiary)


@pytest.fixture
def my_signed_convention(territory, my_beneficiary):
    return ConventionFactory(territory=territory, beneficiary=my_beneficiary, signed=True)


@pytest.fixture
def referent_client(client, referent_user):
    client.force_login(referent_user)
    return client

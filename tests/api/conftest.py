import pytest

from tremplin.accounts.models import ApiToken

from .helpers import TokenClient


@pytest.fixture
def api_as(client):
    """``api_as(user)``: a client authenticated by a fresh personal token of ``user``."""

    def make(user) -> TokenClient:
        _, key = ApiToken.issue(user, "tests")
        return TokenClient(client, key)

    return make

"""Personal identifiers at rest: tokens are Fernet's (made by the cryptography library), the
quicker digest is HMAC's own; text columns go to the database as the fields would send them."""

import hashlib
import hmac

import pytest
from django.db import connection
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from tremplin.accounts import bulk, personal_data
from tremplin.registry.models import Beneficiary


@given(st.text(min_size=1, max_size=40))
def test_what_is_encrypted_fernet_decrypts(value):
    token = personal_data.encrypt(value)
    assert personal_data._fernet().decrypt(token.encode()).decode() == value
    assert personal_data.decrypt(token) == value
    assert personal_data.encrypt(value) != token  # a new IV each time


def test_a_key_that_is_not_one_is_refused(settings):
    personal_data._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = "not-a-key"
    try:
        with pytest.raises(ValueError, match="Fernet key"):
            personal_data.encrypt("186046712345678")
    finally:
        personal_data._fernet.cache_clear()


@given(st.text(min_size=1, max_size=40))
def test_the_digest_is_hmac_sha256_with_the_digest_key(value):
    expected = hmac.new(personal_data._digest_key(), value.encode(), hashlib.sha256).hexdigest()
    assert personal_data.digest(value) == expected
    assert personal_data.digest("") is None


@pytest.mark.django_db
def test_text_columns_go_to_the_database_as_the_fields_send_them(territory):
    person = Beneficiary(
        territory=territory,
        civility=Beneficiary.Civility.MRS,  # an enum member: through the field
        last_name=gettext_lazy("Nom"),  # a lazy string: through the field
        first_names="Léa",
        birth_name=None,
        city=12,  # not a text: through the field
    )
    fields = [f for f in Beneficiary._meta.local_concrete_fields if not f.primary_key]
    plain = [bulk._is_plain_text(f) for f in fields]
    assert plain.count(True) > 20
    assert not bulk._is_plain_text(Beneficiary._meta.get_field("created_at"))
    assert not bulk._is_plain_text(Beneficiary._meta.get_field("territory"))
    expected = [f.get_db_prep_save(f.pre_save(person, True), connection) for f in fields]
    row = bulk._row(person, fields, plain, connection)
    for field, value, wanted in zip(fields, row, expected, strict=True):
        if field.name in ("created_at", "updated_at"):
            continue  # now, at each call
        assert value == wanted and type(value) is type(wanted), field.name
    assert row[fields.index(Beneficiary._meta.get_field("last_name"))].__class__ is str

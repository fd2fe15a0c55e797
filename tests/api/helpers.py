"""Payloads and a JSON client for the API tests."""

import datetime
import random

from tremplin.registry.synthetic import synthetic_nir, synthetic_siret

BIRTH_DATE = datetime.date(1986, 4, 17)


def valid_nir(seed=1, sex="femme", birth_date=BIRTH_DATE, department="67"):
    return synthetic_nir(
        random.Random(seed), sex=sex, birth_date=birth_date, birth_department=department
    )


def beneficiary_payload(territory, operator, referent, **overrides) -> dict:
    """A complete, valid creation payload, in JSON types."""
    payload = {
        "territory": territory.pk,
        "operator": operator.pk,
        "referent": referent.pk,
        "civility": "MME",
        "last_name": "Muller",
        "first_names": "Léa Marie",
        "nir": valid_nir(),
        "birth_date": BIRTH_DATE.isoformat(),
        "birth_place": "Strasbourg",
        "birth_department": "67",
        "nationality": "FR",
        "street_number": "4",
        "street": "rue des Orfèvres",
        "postal_code": "67000",
        "city": "Strasbourg",
        "email": "lea.muller@exemple.fr",
        "phone": "06 12 34 56 78",
        "rsa_number": "1234567",
        "rsa_payer": "CAF",
        "education_level": "51",
        "unemployed_for": "24plus",
        "receives_rsa": True,
        "rsa_start_date": "2009-06-01",
        "earlier_rmi_api_months": 10,
        "disabled_worker": "not_declared",
    }
    payload.update(overrides)
    return payload


class TokenClient:
    """Django's test client speaking JSON with ``Authorization: Bearer <key>``."""

    def __init__(self, client, key: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path, payload):
        return self.client.post(
            path, payload, content_type="application/json", headers=self.headers
        )

    def patch(self, path, payload):
        return self.client.patch(
            path, payload, content_type="application/json", headers=self.headers
        )


def employer_payload(territory, **overrides) -> dict:
    payload = {
        "territory": territory.pk,
        "name": "Boulangerie Koenig",
        "street_number": "3",
        "street": "place Kléber",
        "postal_code": "67000",
        "city": "Strasbourg",
        "siret": synthetic_siret(random.Random(7)),
        "naf_code": "10.71C",
        "idcc": "0843",
        "status": "99",
        "headcount_dec31": 12,
        "contributions_collector": "URSSAF",
        "unemployment_insurance": "unedic",
        "sector": "market",
    }
    payload.update(overrides)
    return payload

"""Text messages through a pluggable backend: phone numbers in E.164, the console, file and
locmem backends, and the HTTP provider backend against a fake provider on 127.0.0.1."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.web.fake_sms_provider import FakeSmsProvider
from tremplin.web import sms
from tremplin.web.sms import SmsMessage, get_backend
from tremplin.web.sms.backends import console, file, http
from tremplin.web.sms.phone import PhoneError, mobile_e164, national, to_e164

# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 7 81 23 45 67", "+33781234567"),
        ("0033612345678", "+33612345678"),
        ("03 88 12 34 56", "+33388123456"),  # a landline is a valid number
    ],
)
def test_numbers_are_written_in_e164(typed, e164):
    assert to_e164(typed) == e164


def test_only_a_mobile_receives_a_text_message():
    assert mobile_e164("07 81 23 45 67") == "+33781234567"
    with pytest.raises(PhoneError, match="n'est pas un numéro de portable"):
        mobile_e164("03 88 12 34 56")
    with pytest.raises(PhoneError, match="n'est pas un numéro de téléphone valide"):
        mobile_e164("06 12")
    with pytest.raises(PhoneError, match="n'est pas un numéro de téléphone valide"):
        to_e164("")


def test_a_number_reads_back_in_the_french_way():
    assert national("+33612345678") == "06 12 34 56 78"
    assert national("+41791234567").startswith("+41 79")


# --- development and test backends ----------------------------------------------------------


def messages(count=2):
    return [SmsMessage(f"+3361234567{n}", f"Rendez-vous n° {n}", f"ref-{n}") for n in range(count)]


def test_the_configured_backend_is_the_tests_memory(settings):
    results = sms.send_messages(messages())
    assert [m.reference for m in sms.outbox] == ["ref-0", "ref-1"]
    assert all(r.sent and r.provider_id.startswith("locmem-") for r in results)


def test_the_console_backend_prints_each_message():
    stream = io.StringIO()
    results = console.SmsBackend(stream=stream).send_messages(messages())
    assert "SMS à +33612345670 (ref-0) :\nRendez-vous n° 0" in stream.getvalue()
    assert [r.status for r in results] == ["sent", "sent"]


def test_the_file_backend_writes_one_file_per_batch(tmp_path, settings):
    settings.TREMPLIN_SMS_FILE_PATH = str(tmp_path / "sms")
    with get_backend("tremplin.web.sms.backends.file.SmsBackend") as backend:
        backend.send_messages(messages(3))
    [written] = (tmp_path / "sms").iterdir()
    assert written.read_text().count("To: +3361234567") == 3
    assert file.SmsBackend(file_path=tmp_path / "x").send_messages([]) == []


# --- the provider's HTTP API ----------------------------------------------------------------


@pytest.fixture
def provider():
    with FakeSmsProvider() as running:
        yield running


def http_backend(provider, **options):
    return http.SmsBackend(
        api_url=provider.url,
        api_key=options.pop("api_key", provider.api_key),
        sender="CD67",
        webhook_url="https://tremplin:secret@tremplin.example/invitations/sms/rapport/",
        **options,
    )


def test_the_http_backend_sends_as_the_provider_expects(provider):
    results = http_backend(provider).send_messages(
        [SmsMessage("+33612345678", "Rappel : entretien demain à 9 h 30.", "invitation-1")]
    )
    [request] = provider.requests
    assert request.headers["api-key"] == "cle-de-test"
    assert request.headers["content-type"] == "application/json"
    assert request.body == {
        "type": "transactional",
        "sender": "CD67",
        "recipient": "33612345678",
        "content": "Rappel : entretien demain à 9 h 30.",
        "tag": "invitation-1",
        "unicodeEnabled": True,
        "webUrl": "https://tremplin:secret@tremplin.example/invitations/sms/rapport/",
    }
    assert results[0].sent and results[0].provider_id == str(request.message_id)


def test_a_batch_goes_over_one_connection(provider):
    with http_backend(provider) as backend:
        results = backend.send_messages(messages(3))
    assert all(r.sent for r in results)
    assert len({r.client_port for r in provider.requests}) == 1
    assert len({r.provider_id for r in results}) == 3


def test_each_refusal_is_a_french_failure_and_the_batch_goes_on(provider):
    provider.fail_next = True
    results = http_backend(provider).send_messages(messages(2))
    assert [r.status for r in results] == ["failed", "sent"]
    assert results[0].error == "Le fournisseur de SMS a refusé le message (HTTP 500 : Boom)."
    wrong_key = http_backend(provider, api_key="autre").send_messages(messages(1))
    assert "HTTP 401 : Key not found" in wrong_key[0].error


def test_a_provider_that_does_not_answer_is_a_failure_to_retry(provider):
    backend = http_backend(provider, timeout=2)
    backend.api_url = "http://127.0.0.1:9/v3/transactionalSMS/sms"  # discard port: closed
    [result] = backend.send_messages(messages(1))
    assert not result.sent and "ne répond pas" in result.error


def test_without_its_key_the_http_backend_says_so_in_french(settings):
    settings.TREMPLIN_SMS_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_SMS_API_KEY est vide"):
        http.SmsBackend()


def test_the_provider_s_delivery_reports_are_read():
    backend = http.SmsBackend(api_key="x")
    report = backend.parse_report({"messageId": 42, "msg_status": "delivered", "date": "d"})
    assert (report.provider_id, report.status) == ("42", "delivered")
    assert backend.parse_report({"messageId": 42, "msg_status": "hard_bounce"}).status == "failed"
    assert backend.parse_report({"msg_status": "delivered"}) is None
    assert console.SmsBackend().parse_report({"messageId": 1, "msg_status": "x"}) is None

"""Changes to an account's second factor and password: one function each, one transaction,
written to the audit log. Pages and the technical admin both call them."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditEntry, User

RECOVERY_CODES = 10
TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"


def pending_totp(user: User) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Ten single-use recovery codes, replacing the previous ones (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_totp(device: TOTPDevice) -> list[str]:
    """The authenticator proved by a right code: it becomes the user's second factor (any
    other is removed) and comes with new recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(device.user)
    audit.record(AuditEntry.Action.OTP_ENROL, device.user, object_repr=device.user.email)
    return codes


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def remove_second_factor(user: User) -> None:
    """By the user, when the second factor is optional for them."""
    _remove_devices(user)
    audit.record(AuditEntry.Action.OTP_REMOVE, user, object_repr=user.email)


@transaction.atomic
def reset_second_factor(user: User, by: User) -> None:
    """By an administrator, for someone who lost their phone and codes: their next login
    asks them to set up a new authenticator (if it is required of them)."""
    _remove_devices(user)
    audit.record(
        AuditEntry.Action.OTP_RESET,
        user,
        object_repr=user.email,
        changes={"par": by.email},
    )


def record_password_change(user: User) -> None:
    audit.record(AuditEntry.Action.PASSWORD_CHANGE, user, object_repr=user.email)

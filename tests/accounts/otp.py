"""Test helpers for the second factor: set up an authenticator, read its current code."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts import services


def enrol(user) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (and recovery codes, returned on the device)."""
    device = services.pending_totp(user)
    device.recovery_codes = services.confirm_totp(device)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the person's application shows now; if that time step was already used
    (a second login within 30 seconds), the next one, which the device still accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tremplin.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from . import checks, db, security, signals  # noqa: F401

        db.install()

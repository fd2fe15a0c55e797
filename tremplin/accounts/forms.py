from django import forms
from django.contrib.auth import forms as auth_forms

from tremplin.web.forms import BootstrapFormMixin

from .models import AuditEntry


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Vérifiez la saisie (les majuscules "
            "comptent dans le mot de passe) ou utilisez « Mot de passe oublié »."
        ),
        "inactive": "Ce compte est désactivé : adressez-vous à l'administrateur de votre structure.",
    }


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class ApiTokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître plus tard, par exemple « Export tableur mensuel ».",
    )


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    actor = forms.CharField(label="Auteur (adresse électronique)", required=False)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AuditEntry.Action.choices]
    )
    object_type = forms.CharField(label="Type d'objet", required=False)
    object_id = forms.CharField(label="Identifiant", required=False)
    since = forms.DateField(label="Depuis le", required=False, widget=forms.DateInput)
    until = forms.DateField(label="Jusqu'au", required=False, widget=forms.DateInput)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(
                "La date « depuis » est postérieure à la date « jusqu'au » : inversez-les."
            )
        return data

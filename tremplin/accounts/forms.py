from django import forms
from django.contrib.auth import forms as auth_forms

from tremplin.forms import BootstrapFormMixin

from .models import AuditEntry, User


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


class OtpCodeForm(BootstrapFormMixin, forms.Form):
    """The second step of the login: the authenticator's code, or a recovery code."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=16,
        help_text="Les 6 chiffres affichés par votre application d'authentification, ou l'un "
        "de vos codes de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class OtpResetForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne",
        help_text="Sa double authentification est retirée : à sa prochaine connexion, elle "
        "configure une nouvelle application (obligatoire pour les agents du département et "
        "les administrateurs).",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError(
                "Aucun compte n'a cette adresse : vérifiez-la (elle est celle de la connexion)."
            )
        self.user = user
        return email


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

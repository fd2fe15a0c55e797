import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services, two_factor
from .access import scope_of
from .forms import (
    ApiTokenForm,
    AuditFilterForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from .models import ApiToken, AuditEntry


class LoginView(auth_views.LoginView):
    """The first step: e-mail and password (throttled by django-axes); the second factor,
    when needed, follows (two_factor.py)."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        return two_factor.begin_login(
            self.request, user, user.backend, self.get_redirect_url() or self.get_success_url()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_label"] = (
            settings.TREMPLIN_OIDC_LABEL if settings.TREMPLIN_OIDC_ENABLED else ""
        )
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = "/compte/"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(self.request.user)
        messages.success(self.request, "Votre mot de passe est changé.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = "/compte/mot-de-passe/envoye/"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = "/compte/mot-de-passe/termine/"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(form.user)
        return response


@login_required
def account(request):
    new_key = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
            messages.success(
                request,
                "Jeton créé. Copiez-le maintenant : il ne sera plus jamais affiché.",
            )
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": request.user.api_tokens.all(),
        "memberships": request.user.memberships.select_related("organisation__territory"),
        "second_factor": services.confirmed_totp(request.user) is not None,
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne permet plus d'accès.")
    return redirect("accounts:account")


@login_required
def audit_log(request):
    if not scope_of(request.user).is_admin:
        raise PermissionDenied("Le journal d'audit est réservé aux administrateurs.")
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_email__icontains=data["actor"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type__icontains=data["object_type"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(
                at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tz)
            )
        if data["until"]:
            entries = entries.filter(
                at__lt=datetime.datetime.combine(
                    data["until"] + datetime.timedelta(days=1), datetime.time.min, tz
                )
            )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page_obj": page})

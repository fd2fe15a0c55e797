"""Territories, organisations, users, their memberships and roles, API tokens, audit log."""

import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Territory(models.Model):
    """A département, identified by its INSEE code ("67", "2A", "974")."""

    code = models.CharField("code du département", max_length=3, unique=True)
    name = models.CharField("nom", max_length=80)
    region_code = models.CharField("code de la région", max_length=3)
    region_name = models.CharField("région", max_length=80)

    class Meta:
        verbose_name = "territoire"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OPERATOR = "operator", "Opérateur d'accompagnement"
        DEPARTMENT_SERVICE = "department_service", "Service du département"
        EMPLOYER = "employer", "Employeur"

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="organisations", verbose_name="territoire"
    )
    # The letterhead of the convocation letters (invitations): where the person comes.
    street = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        """The postal address, line by line (empty when not entered)."""
        town = f"{self.postal_code} {self.city}".strip()
        return [line for line in (self.street, town) if line]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def full_name(first_name: str | None, last_name: str | None) -> str:
    """A user's full name from its parts ("" for no user: both None, as a list's
    ``values_list`` gives them for a person without référent)."""
    return f"{first_name or ''} {last_name or ''}".strip()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address and a password."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    def get_short_name(self) -> str:
        return self.first_name


class Role(models.TextChoices):
    REFERENT = "referent", "Référent·e"
    COORDINATOR = "coordinator", "Coordinateur·rice"
    DEPARTMENT_AGENT = "department_agent", "Agent du département"
    ADMIN = "admin", "Administrateur·rice"


ROLES_BY_ORGANISATION_KIND = {
    Organisation.Kind.OPERATOR: {Role.REFERENT, Role.COORDINATOR, Role.ADMIN},
    Organisation.Kind.DEPARTMENT_SERVICE: {Role.DEPARTMENT_AGENT, Role.ADMIN},
    Organisation.Kind.EMPLOYER: {Role.ADMIN},
}


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Membership(models.Model):
    """A user's role in an organisation; a referent's full-time equivalent serves P9."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    full_time_equivalent = models.DecimalField(
        "équivalent temps plein",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Sert au calcul de la file active (60 personnes par ETP, règle P9).",
    )
    start_date = models.DateField("début", default=timezone.localdate)
    end_date = models.DateField("fin", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(full_time_equivalent__gt=0, full_time_equivalent__lte=1),
                name="membership_fte_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    def clean(self):
        allowed = ROLES_BY_ORGANISATION_KIND.get(self.organisation.kind, set())
        if self.role and self.organisation_id and self.role not in allowed:
            raise ValidationError(
                {
                    "role": f"Le rôle « {Role(self.role).label} » n'existe pas dans une "
                    f"organisation de type « {self.organisation.get_kind_display()} » : "
                    "choisissez un rôle de cette organisation."
                }
            )


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored, the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        key = "tpl_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[: cls.PREFIX_LENGTH], digest=cls.digest_of(key)
        )
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = (
            cls.objects.select_related("user")
            .filter(digest=cls.digest_of(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")

    def delete(self):
        raise PermissionError("Le journal d'audit est en ajout seul.")


class AuditEntry(models.Model):
    """Append-only: who did what to which record, when and from where.

    Updates and deletions are refused by the ORM and by database triggers (see the
    migrations 0002 and 0003).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Consultation"
        CREATE = "create", "Création"
        UPDATE = "update", "Modification"
        DELETE = "delete", "Suppression"
        EXPORT = "export", "Export"
        TRANSFER = "transfer", "Transfert"
        LOGIN = "login", "Connexion"
        LOGIN_FAILED = "login_fail", "Échec de connexion"
        LOCKOUT = "lockout", "Compte verrouillé"
        PASSWORD_CHANGE = "password", "Changement de mot de passe"
        OTP_ENROL = "otp_on", "Double authentification activée"
        OTP_REMOVE = "otp_off", "Double authentification retirée"
        OTP_RESET = "otp_reset", "Double authentification réinitialisée"
        SESSION_END = "session", "Session expirée"

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, models.DO_NOTHING, null=True, blank=True, related_name="+", db_constraint=False
    )
    actor_email = models.CharField("auteur", max_length=254, blank=True)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    object_type = models.CharField("type d'objet", max_length=60)
    object_id = models.CharField("identifiant", max_length=40, blank=True)
    object_repr = models.CharField("objet", max_length=200, blank=True)
    changes = models.JSONField("champs modifiés", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    source = models.CharField("origine", max_length=20, blank=True)
    path = models.CharField("adresse", max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_email} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Le journal d'audit est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")

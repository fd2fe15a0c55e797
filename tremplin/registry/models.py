"""The registry: beneficiaries (the form's "LE SALARIÉ" and "SITUATION DU SALARIÉ" blocks),
employers ("L'EMPLOYEUR") and tutors (C12, A7). Seed 003 / rule F1 for every field."""

import re
import unicodedata

from django.conf import settings
from django.db import connections, models
from django.db.models import Q

from tremplin.accounts import audit, personal_data
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation, Territory
from tremplin.rules import identifiers
from tremplin.rules.identifiers import ascii_digits
from tremplin.rules.situation import DURATION_BAND_LABELS
from tremplin.web.links import reverse

from . import search_index


def search_key(*parts: str) -> str:
    """Lower-case, accent-free text used by the search box ("Élodie" finds "elodie")."""
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_key(last_name: str, first_names: str) -> str:
    """The name as duplicates are compared: accents, case, hyphens, apostrophes and repeated
    spaces ignored ("Lefèvre-Martin  Anne-Marie" and "LEFEVRE MARTIN anne marie" agree)."""
    text = search_key(last_name or "", "|", first_names or "")
    text = re.sub(r"[^a-z0-9|]+", " ", text)
    return re.sub(r" *\| *", "|", text).strip()


DURATION_BANDS = [(band.value, label) for band, label in DURATION_BAND_LABELS.items()]


class PostalAddress(models.Model):
    street_number = models.CharField("n°", max_length=10, blank=True)
    street = models.CharField("rue ou voie", max_length=200)
    address_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5)
    city = models.CharField("commune", max_length=100)

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        first = " ".join(part for part in (self.street_number, self.street) if part)
        return [
            line
            for line in (first, self.address_complement, f"{self.postal_code} {self.city}")
            if line.strip()
        ]


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which people a user may see (DESIGN.md)."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        condition = Q(pk__in=[])
        if scope.is_referent:
            condition |= Q(referent=user)
        if scope.coordinated_operator_ids:
            condition |= Q(operator_id__in=scope.coordinated_operator_ids)
        if scope.agent_territory_ids:
            condition |= Q(territory_id__in=scope.agent_territory_ids)
        return self.filter(condition)

    def with_nir(self, nir: str):
        return self.filter(nir_digest=personal_data.digest(nir))

    def with_rsa_number(self, payer: str, number: str):
        return self.filter(rsa_number_digest=Beneficiary.rsa_digest(payer, number))

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        compact = text.replace(" ", "").upper()
        if len(compact) == 15 and ascii_digits(compact[:5]):
            return self.with_nir(compact)
        if ascii_digits(compact) and 5 <= len(compact) <= 13:
            digests = [Beneficiary.rsa_digest(payer, compact) for payer in Beneficiary.RsaPayer]
            return self.filter(rsa_number_digest__in=digests)
        query = self
        connection = connections[self.db]
        for word in search_key(text).split():
            if search_index.uses_index(connection, word):
                query = query.filter(pk__in=search_index.ids_containing(word))
            else:
                query = query.filter(search_text__contains=word)
        return query


class SmsConsent(models.TextChoices):
    """The person's answer about text messages (invitations, reminders)."""

    UNKNOWN = "", "Non recueilli"
    GIVEN = "given", "Accepte les SMS"
    REFUSED = "refused", "Refuse les SMS"


class ContactChannel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"
    LETTER = "letter", "Courrier postal"


class BeneficiaryManager(models.Manager.from_queryset(BeneficiaryQuerySet)):
    """The files in use: a file merged into another one (``merged_into``) leaves every list,
    search, count and check; it stays in the database as a pointer to the kept file."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


# The cerfa's fields that a list of people does not carry: a file exists without them, a
# convention needs them (its wizard asks for them, pre-filled from the file; rule F1).
CONVENTION_FIELDS = (
    "birth_place",
    "birth_department",
    "nationality",
    "street",
    "postal_code",
    "city",
    "education_level",
    "unemployed_for",
    "disabled_worker",
)
IDENTITY_FOR_CONVENTION = CONVENTION_FIELDS[:6]


class Beneficiary(PostalAddress):
    class Civility(models.TextChoices):
        MR = "M", "M."
        MRS = "MME", "Mme"

    class Nationality(models.TextChoices):
        FRANCE = "FR", "France"
        EUROPEAN_UNION = "EU", "Union européenne"
        OUTSIDE_EU = "NON_EU", "Hors Union européenne"

    class RsaPayer(models.TextChoices):
        CAF = "CAF", "CAF"
        MSA = "MSA", "MSA"

    class EducationLevel(models.TextChoices):
        """Table 2 of the form (rule F1)."""

        LEVEL_70 = "70", "70 — Pas de formation au-delà de la scolarité obligatoire (niveau VI)"
        LEVEL_60 = "60", "60 — Formation courte d'un an au plus, CEP ou équivalent (niveau V bis)"
        LEVEL_50 = "50", "50 — Niveau BEP / CAP, diplôme non obtenu"
        LEVEL_51 = "51", "51 — Diplôme du BEP / CAP obtenu (niveau V)"
        LEVEL_40 = "40", "40 — Niveau baccalauréat général (niveau IV)"
        LEVEL_41 = "41", "41 — Brevet de technicien ou baccalauréat professionnel"
        LEVEL_30 = "30", "30 — BTS, DUT, fin de premier cycle du supérieur (niveau III)"
        LEVEL_20 = "20", "20 — Licence, écoles d'ingénieurs et plus (niveau II)"
        LEVEL_10 = "10", "10 — Troisième cycle ou école d'ingénieur (niveau I)"
        LEVEL_00 = "00", "00 — Autres qualifications non certifiantes"

    class DisabledWorker(models.TextChoices):
        """TH status; the person may decline to declare it (rule F4)."""

        YES = "yes", "Oui"
        NO = "no", "Non"
        NOT_DECLARED = "not_declared", "Ne souhaite pas le déclarer"

    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="beneficiaries", verbose_name="département"
    )
    operator = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="beneficiaries",
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
        verbose_name="structure d'accompagnement",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_beneficiaries",
        verbose_name="référent·e",
    )

    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    last_name = models.CharField("nom", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    birth_name = models.CharField(
        "nom de naissance", max_length=100, blank=True, help_text="Si différent du nom d'usage."
    )
    nir_ciphertext = models.TextField(blank=True, editable=False)
    nir_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    nir_ciphertext.audit_name = "nir"
    birth_date = models.DateField("date de naissance")
    birth_place = models.CharField("commune de naissance", max_length=100, blank=True)
    birth_department = models.CharField(
        "département de naissance",
        max_length=3,
        blank=True,
        help_text="99 pour une naissance à l'étranger.",
    )
    nationality = models.CharField(
        "nationalité", max_length=6, choices=Nationality.choices, blank=True
    )
    # The address of a file may wait for the convention (a list may not carry it).
    street = models.CharField("rue ou voie", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    # Invitations and reminders (F8): how the person wants to be reached, and whether they
    # accept text messages — no SMS is sent without their consent.
    sms_consent = models.CharField(
        "SMS", max_length=8, choices=SmsConsent.choices, blank=True, default=""
    )
    sms_consent_on = models.DateField("consentement ou refus recueilli le", null=True, blank=True)
    preferred_channel = models.CharField(
        "moyen de contact préféré",
        max_length=6,
        choices=ContactChannel.choices,
        blank=True,
        help_text="Pour les invitations, rappels et convocations.",
    )

    rsa_number_ciphertext = models.TextField(blank=True, editable=False)
    rsa_number_ciphertext.audit_name = "rsa_number"
    rsa_number_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    rsa_payer = models.CharField(
        "organisme payeur du RSA", max_length=3, choices=RsaPayer.choices, blank=True
    )

    education_level = models.CharField(
        "niveau de formation (tableau 2)", max_length=2, choices=EducationLevel.choices, blank=True
    )
    unemployed_for = models.CharField(
        "sans emploi depuis", max_length=6, choices=DURATION_BANDS, blank=True
    )
    france_travail_registered = models.BooleanField("inscrit·e à France Travail", default=False)
    france_travail_for = models.CharField(
        "inscrit·e depuis", max_length=6, choices=DURATION_BANDS, blank=True
    )
    france_travail_id = models.CharField(
        "identifiant France Travail (IDE)", max_length=11, blank=True
    )
    receives_ass = models.BooleanField("bénéficiaire de l'ASS", default=False)
    receives_rsa = models.BooleanField("RSA financé par le département", default=False)
    rsa_increased = models.BooleanField("RSA majoré", default=False)
    receives_aah = models.BooleanField("bénéficiaire de l'AAH", default=False)
    receives_ata = models.BooleanField("bénéficiaire de l'ATA", default=False)
    minimum_income_for = models.CharField(
        "bénéficiaire des minima depuis",
        max_length=6,
        choices=DURATION_BANDS,
        blank=True,
        help_text="Pour le RSA, y compris la période antérieure en RMI ou API (règle F3).",
    )
    rsa_start_date = models.DateField("au RSA depuis le", null=True, blank=True)
    earlier_rmi_api_months = models.PositiveSmallIntegerField(
        "mois de RMI ou d'API avant le RSA",
        default=0,
        help_text="Comptés dans l'ancienneté au RSA (règle F3).",
    )
    disabled_worker = models.CharField(
        "reconnu·e travailleur handicapé",
        max_length=12,
        choices=DisabledWorker.choices,
        blank=True,
    )

    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    # Duplicates: the name as compared (``name_key``) and a keyed digest of the NIR's birth
    # part (sex, year, month, place: its first 10 characters), for NIRs one typo apart.
    name_key = models.CharField(max_length=260, editable=False, default="")
    nir_birth_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # The allocation number without its payer (the unique digest includes the payer): the
    # same number under the CAF and the MSA is a probable duplicate.
    rsa_number_bare_digest = models.CharField(
        max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    # A file merged into another is kept as a pointer to it (its page redirects there).
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="absorbed_files",
        verbose_name="fusionné dans",
    )
    merged_at = models.DateTimeField("fusionné le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    # Set by tremplin.registry.lifecycle.anonymise (retention period): identity removed.
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = BeneficiaryManager()
    # Every file, merged ones included (the pointer of a merged file, the audit's references).
    with_merged = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "bénéficiaire"
        ordering = ["last_name", "first_names", "id"]
        # Given to the département's DPO (the administrators have it by their role).
        permissions = [
            ("export_personal_data", "Exporter toutes les données d'une personne (droit d'accès)")
        ]
        indexes = [
            models.Index(fields=["last_name", "first_names", "id"]),
            models.Index(fields=["name_key", "birth_date"]),
            models.Index(fields=["nir_birth_digest"]),
            models.Index(fields=["territory", "last_name"]),
            models.Index(fields=["operator", "last_name"]),
            models.Index(fields=["referent", "last_name"]),
            # The agent's home: the last files changed in the territory, read backwards.
            models.Index(fields=["territory", "updated_at"], name="beneficiary_territory_changed"),
            # The coordinator's home: the same, across the operators they coordinate.
            models.Index(fields=["operator", "updated_at"], name="beneficiary_operator_changed"),
            # How many live files a territory holds (the list's count), from the index alone:
            # SQLite 3.40 passed over a partial index (merged_into IS NULL) for a table scan.
            # With the operator and the key, the dashboard's population (a territory's live
            # files of its operators) is counted from the index too, and an agent's supports
            # join their people's territory there rather than in the table (100,000 people:
            # the count 34 -> 3 ms on SQLite; PostgreSQL's dashboard 0.62 -> 0.40 s).
            models.Index(
                fields=["territory", "merged_into", "operator", "id"],
                name="beneficiary_live_by_territory",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rsa_increased=False) | Q(receives_rsa=True),
                name="beneficiary_increased_rsa_needs_rsa",
            ),
            models.CheckConstraint(
                condition=Q(france_travail_registered=True) | Q(france_travail_for=""),
                name="beneficiary_ft_band_needs_registration",
            ),
            models.CheckConstraint(
                condition=Q(rsa_number_digest__isnull=True) | ~Q(rsa_payer=""),
                name="beneficiary_rsa_number_needs_payer",
            ),
            models.CheckConstraint(
                condition=Q(sms_consent__in=["", "given", "refused"])
                & Q(preferred_channel__in=["", "email", "sms", "letter"]),
                name="beneficiary_known_contact_choices",
            ),
            # No SMS without consent: the SMS cannot be preferred by someone who did not accept.
            models.CheckConstraint(
                condition=~Q(preferred_channel="sms") | Q(sms_consent="given"),
                name="beneficiary_sms_preferred_needs_consent",
            ),
            # A merged file points to another file, with the date of the merge, and no
            # longer holds the identifiers (they belong to the kept file).
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True)
                | (
                    ~Q(merged_into=models.F("id"))
                    & Q(merged_at__isnull=False)
                    & Q(nir_digest__isnull=True)
                    & Q(rsa_number_digest__isnull=True)
                ),
                name="beneficiary_merged_points_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"

    def get_absolute_url(self) -> str:
        return reverse("registry:beneficiary_detail", args=[self.pk])

    @staticmethod
    def rsa_digest(payer: str, number: str) -> str | None:
        return personal_data.digest(f"{payer}:{number}") if number else None

    @staticmethod
    def rsa_bare_digest(number: str) -> str | None:
        """Keyed digest of the allocation number alone, whatever its payer."""
        return personal_data.digest("allocataire:" + number) if number else None

    @staticmethod
    def nir_birth_digest_of(nir: str) -> str | None:
        """Keyed digest of the NIR's birth part (sex, year, month, place of birth)."""
        return personal_data.digest("naissance:" + nir[:10]) if nir else None

    @property
    def nir(self) -> str:
        return personal_data.decrypt(self.nir_ciphertext)

    @nir.setter
    def nir(self, value: str) -> None:
        value = value or ""
        if value == self.nir:
            return
        self.nir_ciphertext = personal_data.encrypt(value)
        self.nir_digest = personal_data.digest(value)
        self.nir_birth_digest = self.nir_birth_digest_of(value)

    def person_ids(self) -> list[int]:
        """The file's number and those of the files merged into it (a merge points the
        files merged into the absorbed one at the kept one; a longer chain is followed too):
        the person's timeline, their data export and their anonymisation read all of them,
        the audit entries of an absorbed file staying on its number."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Beneficiary.with_merged.filter(merged_into__in=frontier)
                .exclude(pk__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids

    @property
    def missing_for_convention(self) -> list[str]:
        """The labels of the cerfa's fields that the file still lacks (rule F1)."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in CONVENTION_FIELDS
            if not getattr(self, name)
        ]

    @property
    def nir_masked(self) -> str:
        nir = self.nir
        return identifiers.mask_nir(nir)

    @property
    def rsa_number(self) -> str:
        return personal_data.decrypt(self.rsa_number_ciphertext)

    def set_rsa_number(self, payer: str, number: str) -> None:
        number = number or ""
        if number != self.rsa_number:
            self.rsa_number_ciphertext = personal_data.encrypt(number)
        self.rsa_payer = payer if number else ""
        self.rsa_number_digest = self.rsa_digest(payer, number)
        self.rsa_number_bare_digest = self.rsa_bare_digest(number)

    @property
    def rsa_number_masked(self) -> str:
        return personal_data.mask(self.rsa_number, 0, 3)

    def refresh_keys(self) -> None:
        """The derived search and comparison keys, from the names (``bulk_create`` and
        ``bulk_update`` skip ``save()``: the import calls this itself)."""
        self.search_text = search_key(self.last_name, self.birth_name, self.first_names)
        self.name_key = name_key(self.last_name, self.first_names)

    def save(self, *args, **kwargs):
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "name_key"}
        super().save(*args, **kwargs)


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Employers are shared by the operators and services of their territory."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        return self.filter(territory_id__in=scope.territory_ids)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        compact = text.replace(" ", "")
        if ascii_digits(compact) and len(compact) in (9, 14):
            return self.filter(siret__startswith=compact)
        query = self
        for word in search_key(text).split():
            query = query.filter(search_text__contains=word)
        return query


class Employer(PostalAddress):
    class Status(models.TextChoices):
        """Table 1 of the form (rule F1)."""

        MUNICIPALITY = "10", "10 — Commune"
        EPCI = "11", "11 — EPCI"
        DEPARTMENT = "21", "21 — Département"
        REGION = "22", "22 — Région"
        ASSOCIATION = "50", "50 — Association"
        PUBLIC_SERVICE_BODY = "60", "60 — Autre personne morale chargée d'un service public"
        PUBLIC_SCHOOL = "70", "70 — Établissement public d'enseignement"
        PUBLIC_HEALTH = "80", "80 — Établissement sanitaire public"
        OTHER_PUBLIC = "90", "90 — Autre établissement public"
        EMPLOYER_GROUP = "98", "98 — Groupement d'employeurs"
        OTHER_COMPANY = "99", "99 — Autre entreprise"

    class Collector(models.TextChoices):
        URSSAF = "URSSAF", "URSSAF"
        MSA = "MSA", "MSA"
        OTHER = "OTHER", "Autre"

    class UnemploymentInsurance(models.TextChoices):
        UNEDIC = "unedic", "Affilié à l'Unédic"
        SELF_INSURED = "self", "Employeur public assurant lui-même ce risque"

    class Sector(models.TextChoices):
        MARKET = "market", "Marchand (CIE)"
        NON_MARKET = "non_market", "Non marchand (CAE)"

    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="employers", verbose_name="département"
    )
    name = models.CharField("dénomination", max_length=200)
    email = models.EmailField("adresse électronique", blank=True)
    admin_street_number = models.CharField("n° (adresse administrative)", max_length=10, blank=True)
    admin_street = models.CharField(
        "rue ou voie (adresse administrative)", max_length=200, blank=True
    )
    admin_address_complement = models.CharField(
        "complément (adresse administrative)", max_length=200, blank=True
    )
    admin_postal_code = models.CharField(
        "code postal (adresse administrative)", max_length=5, blank=True
    )
    admin_city = models.CharField("commune (adresse administrative)", max_length=100, blank=True)
    admin_email = models.EmailField("adresse électronique (adresse administrative)", blank=True)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    naf_code = models.CharField("code NAF", max_length=6)
    idcc = models.CharField("IDCC", max_length=4, blank=True)
    status = models.CharField("statut (tableau 1)", max_length=2, choices=Status.choices)
    headcount_dec31 = models.PositiveIntegerField("effectif salarié au 31 décembre")
    contributions_collector = models.CharField(
        "organisme de recouvrement des cotisations", max_length=6, choices=Collector.choices
    )
    contributions_collector_other = models.CharField(
        "autre organisme (préciser)", max_length=100, blank=True
    )
    is_aci = models.BooleanField("atelier et chantier d'insertion (ACI)", default=False)
    aci_annex_number = models.CharField(
        "n° de l'annexe financière de l'ACI",
        max_length=20,
        blank=True,
        help_text="Département, année et numéro d'ordre, par exemple 067-25-00012.",
    )
    unemployment_insurance = models.CharField(
        "assurance chômage", max_length=6, choices=UnemploymentInsurance.choices
    )
    sector = models.CharField("secteur", max_length=10, choices=Sector.choices)

    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_aci=False) | ~Q(aci_annex_number=""),
                name="employer_aci_needs_annex_number",
            ),
            models.CheckConstraint(
                condition=~Q(contributions_collector="OTHER")
                | ~Q(contributions_collector_other=""),
                name="employer_other_collector_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.pk])

    @property
    def siren(self) -> str:
        return identifiers.siren_of(self.siret)

    @property
    def has_admin_address(self) -> bool:
        return bool(self.admin_street or self.admin_postal_code)

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name, self.city)
        super().save(*args, **kwargs)


class TutorQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(employer__in=Employer.objects.visible_to(user))


class Tutor(models.Model):
    """The employee named by the employer to guide the person (C12), trained by the operator (A7)."""

    employer = models.ForeignKey(
        Employer, models.CASCADE, related_name="tutors", verbose_name="employeur"
    )
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    function = models.CharField("fonction", max_length=150)
    experience_years = models.PositiveSmallIntegerField(
        "années d'expérience professionnelle",
        help_text="Au moins 2 ans pour être tuteur (règle C12).",
    )
    training_date = models.DateField(
        "formation de tuteur suivie le",
        null=True,
        blank=True,
        help_text="Formation donnée par l'opérateur (règle A7).",
    )
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = TutorQuerySet.as_manager()

    class Meta:
        verbose_name = "tuteur·rice"
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()} ({self.function})"

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.employer_id]) + f"#tuteur-{self.pk}"


class ImportMapping(models.Model):
    """The columns of an operator's lists, remembered for its next import: each header of
    the file (as written) → the field it fills."""

    operator = models.OneToOneField(
        Organisation,
        models.CASCADE,
        related_name="import_mapping",
        verbose_name="structure d'accompagnement",
    )
    columns = models.JSONField("colonnes", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "correspondance de colonnes d'import"

    def __str__(self) -> str:
        return f"Colonnes des listes de {self.operator}"


class BeneficiaryImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import is seen by who made it, and by administrators."""
        if scope_of(user).is_admin:
            return self
        return self.filter(created_by=user) if getattr(user, "pk", None) else self.none()


class BeneficiaryImport(models.Model):
    """A list uploaded through the pages: the file, its mapping, its preview, its result."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Fichier déposé"
        PREVIEWED = "previewed", "Aperçu prêt"
        DONE = "done", "Importé"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="beneficiary_imports"
    )
    operator = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="beneficiary_imports",
        verbose_name="structure d'accompagnement",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="référent·e des nouveaux dossiers",
    )
    rsa_payer = models.CharField(
        "organisme payeur des numéros d'allocataire",
        max_length=3,
        choices=Beneficiary.RsaPayer.choices,
        default=Beneficiary.RsaPayer.CAF,
    )
    file = models.FileField("fichier", upload_to="imports/%Y/%m/")
    original_name = models.CharField("nom du fichier", max_length=200)
    headers = models.JSONField("en-têtes", default=list)
    mapping = models.JSONField("correspondance", default=dict)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.UPLOADED)
    rows = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    rejected = models.PositiveIntegerField("rejetés", default=0)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    previewed_at = models.DateTimeField("aperçu le", null=True, blank=True)
    done_at = models.DateTimeField("importé le", null=True, blank=True)
    # The uploaded list is deleted after its retention period (``lifecycle.purge_import_files``);
    # the record (counts, who, when, each row's outcome) stays.
    file_deleted_at = models.DateTimeField("fichier supprimé le", null=True, blank=True)

    objects = BeneficiaryImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de bénéficiaires"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import « {self.original_name} » du {self.created_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("registry:import_preview", args=[self.pk])

    @property
    def last_step_at(self):
        """Its confirmation, else its latest preview, else its upload."""
        return self.done_at or max(filter(None, (self.created_at, self.previewed_at)))


class ImportRow(models.Model):
    """One row of an import's preview (or of its result, once imported)."""

    beneficiary_import = models.ForeignKey(
        BeneficiaryImport, models.CASCADE, related_name="row_outcomes"
    )
    number = models.PositiveIntegerField("ligne")
    status = models.CharField("résultat", max_length=10)
    label = models.CharField("personne", max_length=250, blank=True)
    errors = models.JSONField("erreurs", default=list, blank=True)
    changes = models.JSONField("changements", default=dict, blank=True)
    beneficiary = models.ForeignKey(
        Beneficiary, models.SET_NULL, null=True, blank=True, related_name="import_rows"
    )

    class Meta:
        verbose_name = "ligne d'import"
        ordering = ["number"]
        indexes = [models.Index(fields=["beneficiary_import", "status", "number"])]

    def __str__(self) -> str:
        return f"Ligne {self.number} : {self.status}"


audit.register(
    Beneficiary,
    secret_fields={
        "nir",
        "rsa_number",
        "nir_digest",
        "rsa_number_digest",
        "nir_birth_digest",
        "rsa_number_bare_digest",
    },
)
audit.register(Employer)
audit.register(Tutor)

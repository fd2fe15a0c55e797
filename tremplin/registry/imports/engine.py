"""The import itself: rows matched, checked and written in batches, with a progress callback.

For each row, in order:

1. its cells are read (the sex as F/M/Femme/Homme…, dates as JJ/MM/AAAA or AAAA-MM-JJ, the
   referent by e-mail among the operator's referents);
2. it is matched to an existing file by NIR, then by allocation number (with its payer),
   then by name and birth date (accents and case ignored; a file with another NIR is
   another person). Two files for one row: rejected, naming the candidates; a file outside
   the user's scope: rejected without revealing it; two rows of the file for one person:
   the second is rejected;
3. the row — over the file's current values when it was matched — goes through the pages'
   form (``checks.ImportRowForm``): any error rejects the row, one message per cell;
4. created (a new file), updated (only the mapped columns whose cell is not empty: an empty
   cell never erases), or unchanged. Re-importing the same file changes nothing.

Rows are handled by chunks: the matching is a few ``IN`` queries per chunk, creations are
``bulk_create``, changes ``bulk_update``, and the audit log gets one entry per created or
changed file, written in bulk. The caller opens the transaction (``registry.services``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from tremplin.accounts import audit, personal_data
from tremplin.accounts.bulk import allocate_ids, insert_many
from tremplin.accounts.models import AuditEntry, Membership, Role, Territory
from tremplin.rules import identifiers
from tremplin.rules.identifiers import IdentifierError

from ..counts import people_changed
from ..models import Beneficiary, name_key
from .checks import (
    ROW_FIELDS,
    CellError,
    RowChecker,
    civility_from_nir,
    field_label,
    parse_civility,
    parse_date,
    parse_payer,
)
from .columns import TARGETS_BY_KEY
from .reading import Row, cell_text

CHUNK_SIZE = 1000

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
STATUS_LABELS = {
    CREATED: "créé",
    UPDATED: "mis à jour",
    UNCHANGED: "inchangé",
    REJECTED: "rejeté",
}
# A row's defaults for a new file: what the page's empty form proposes.
NEW_FILE_DEFAULTS = {"earlier_rmi_api_months": 0, "receives_rsa": False, "rsa_payer": ""}
COMPARED_FIELDS = tuple(name for name in ROW_FIELDS if name not in {"nir", "rsa_number"})
# Plain columns (no relation, attribute = field name: a test checks it): a new file gets
# them by assignment.


@dataclass(frozen=True)
class CellProblem:
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"column": self.column, "message": self.message}


@dataclass
class RowOutcome:
    number: int
    status: str
    label: str = ""
    errors: list[CellProblem] = field(default_factory=list)
    changes: dict[str, list] = field(default_factory=dict)  # label -> [old, new], masked
    beneficiary_id: int | None = None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: RowOutcome) -> None:
        self.rows += 1
        if outcome.status == REJECTED:
            self.rejected.append(outcome)
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def as_dict(self) -> dict:
        """The contract of ``tremplin import-beneficiaries --format json`` and of
        ``POST /api/v1/imports/beneficiaries`` (keys may be added, never renamed)."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"row": o.number, "errors": [e.as_dict() for e in o.errors]} for o in self.rejected
            ],
        }


@dataclass
class ImportOptions:
    """Where new files go and who imports.

    ``operator``: the structure the new files belong to (its département is theirs);
    ``referent``: the referent of a new file when the row names none; ``user``: whose scope
    bounds the files a row may match (None for the command: the operator's département);
    ``rsa_payer``: the payer of the allocation numbers when no column says it."""

    operator: object
    referent: object | None = None
    user: object | None = None
    rsa_payer: str = Beneficiary.RsaPayer.CAF
    dry_run: bool = False


@dataclass
class _Prepared:
    row: Row
    values: dict  # field -> value read from the cell (str, date, user)
    problems: list[CellProblem]
    nir: str = ""
    rsa_number: str = ""
    rsa_payer: str = ""
    key: str = ""
    birth_date: datetime.date | None = None
    nir_digest: str | None = None
    rsa_digest: str | None = None


def plural(count: int, one: str, many: str) -> str:
    """French agreement: the singular up to 1 (« 0 ligne rejetée »), the plural beyond."""
    return one if abs(count) <= 1 else many


def _short(digest: str | None) -> int | None:
    """64 bits of a digest: enough to tell the rows of one file apart, in less memory."""
    return int(digest[:16], 16) if digest else None


class Importer:
    """One import: the mapping, the options, what was seen so far in the file."""

    def __init__(self, mapping: dict[str, str], options: ImportOptions):
        self.mapping = mapping  # header -> field
        self.column_of = {key: header for header, key in mapping.items()}
        self.options = options
        self.operator = options.operator
        self.territory = options.operator.territory
        self.checker = RowChecker()
        self.result = ImportResult(dry_run=options.dry_run)
        # What earlier rows of the file designate: short digests and name keys -> row number.
        self.seen_nir: dict[int, int] = {}
        self.seen_rsa: dict[int, int] = {}
        self.seen_name: dict[str, tuple[int, int | None]] = {}
        self.seen_file: dict[int, int] = {}
        self.referents = {
            m.user.email.lower(): m.user
            for m in Membership.objects.active()
            .filter(role=Role.REFERENT, organisation=self.operator, user__is_active=True)
            .select_related("user")
        }
        self.now = timezone.now()
        self.territory_codes = dict(Territory.objects.values_list("pk", "code"))
        self._templates: dict[int | None, Beneficiary] = {}

    # --- reading the cells ---------------------------------------------------------------

    def column(self, name: str) -> str:
        """The file's header of a field, or its French label when no column fills it."""
        if name in self.column_of:
            return self.column_of[name]
        if name in TARGETS_BY_KEY:
            return TARGETS_BY_KEY[name].label
        return field_label(name)

    def prepare(self, row: Row) -> _Prepared:
        values: dict = {}
        problems: list[CellProblem] = []
        for header, key in self.mapping.items():
            raw = row.cells.get(header)
            text = cell_text(raw)
            if not text:
                continue
            try:
                if key == "civility":
                    values[key] = parse_civility(text)
                elif key in ("birth_date", "rsa_start_date"):
                    values[key] = parse_date(raw, TARGETS_BY_KEY[key].label)
                elif key == "referent":
                    values[key] = self._referent(text)
                elif key == "rsa_payer":
                    values[key] = parse_payer(text)
                else:
                    values[key] = text
            except CellError as error:
                problems.append(CellProblem(header, str(error)))
        prepared = _Prepared(row, values, problems)
        if values.get("nir"):
            # A wrong NIR matches nothing; the form says what is wrong with it.
            with contextlib.suppress(IdentifierError):
                prepared.nir = identifiers.normalize_nir(values["nir"])
            if "civility" not in values and "civility" not in self.column_of:
                civility = civility_from_nir(values["nir"])
                if civility:
                    values["civility"] = civility
        if values.get("rsa_number"):
            with contextlib.suppress(IdentifierError):
                prepared.rsa_number = identifiers.normalize_rsa_number(values["rsa_number"])
            prepared.rsa_payer = values.get("rsa_payer") or self.options.rsa_payer
        if prepared.nir:
            prepared.nir_digest = personal_data.digest(prepared.nir)
        if prepared.rsa_number:
            prepared.rsa_digest = Beneficiary.rsa_digest(prepared.rsa_payer, prepared.rsa_number)
        if values.get("last_name") and values.get("first_names"):
            prepared.key = name_key(values["last_name"], values["first_names"])
        prepared.birth_date = values.get("birth_date")
        return prepared

    def _referent(self, text: str):
        user = self.referents.get(text.strip().lower())
        if user is None:
            raise CellError(
                f"« {text} » n'est pas l'adresse d'un·e référent·e de {self.operator} : "
                "indiquez l'adresse électronique de son compte Tremplin."
            )
        return user

    # --- matching, by chunk --------------------------------------------------------------

    def candidates(self, chunk: list[_Prepared]):
        """The files that the chunk's NIRs, allocation numbers and names designate: three
        queries (and one for the scope), whatever the size of the chunk; each key is looked
        up only for the rows that the previous keys did not match."""
        # Unordered: the list's ordering (name, first names, id) made SQLite scan the whole
        # table in that index's order instead of looking the keys up (0.2 s a chunk at 20,000
        # people, growing with the table); only the homonyms need it, sorted below.
        people = Beneficiary.objects.order_by()
        nir_digests = {p.nir_digest for p in chunk if p.nir}
        by_nir = {b.nir_digest: b for b in people.filter(nir_digest__in=nir_digests)}
        rsa_digests = {p.rsa_digest for p in chunk if p.rsa_number}
        known_rsa = {b.rsa_number_digest: b for b in by_nir.values() if b.rsa_number_digest}
        missing_rsa = rsa_digests - set(known_rsa)
        by_rsa = {
            **known_rsa,
            **{b.rsa_number_digest: b for b in people.filter(rsa_number_digest__in=missing_rsa)},
        }
        unmatched = [
            p
            for p in chunk
            if p.key
            and p.birth_date
            and not (p.nir and p.nir_digest in by_nir)
            and not (p.rsa_number and p.rsa_digest in by_rsa)
        ]
        by_name: dict[tuple, list[Beneficiary]] = {}
        if unmatched:
            keys = {p.key for p in unmatched}
            births = {p.birth_date for p in unmatched}
            for person in people.filter(name_key__in=keys, birth_date__in=births):
                by_name.setdefault((person.name_key, person.birth_date), []).append(person)
            _in_list_order([group for group in by_name.values() if len(group) > 1])
        everyone = {b.pk: b for b in (*by_nir.values(), *by_rsa.values())}
        for group in by_name.values():
            everyone.update((b.pk, b) for b in group)
        if self.options.user is not None:
            visible = set(
                Beneficiary.objects.visible_to(self.options.user)
                .filter(pk__in=list(everyone))
                .values_list("pk", flat=True)
            )
        else:
            visible = {pk for pk, b in everyone.items() if b.territory_id == self.territory.pk}
        return by_nir, by_rsa, by_name, visible

    def match(self, p: _Prepared, by_nir, by_rsa, by_name, visible):
        """(the file, or None to create one) or a list of problems."""
        person = by_nir.get(p.nir_digest) if p.nir else None
        if person is None and p.rsa_number:
            person = by_rsa.get(p.rsa_digest)
            if person is not None and p.nir and person.nir_digest:
                # The allocation number is another person's, whose NIR differs.
                return None, [self._elsewhere("rsa_number", person, visible, differs=True)]
        elif person is not None and p.rsa_number:
            other = by_rsa.get(p.rsa_digest)
            if other is not None and other.pk != person.pk:
                return None, [self._elsewhere("rsa_number", other, visible)]
        if person is None and p.key and p.birth_date:
            group = by_name.get((p.key, p.birth_date), [])
            if p.nir:  # a file with another NIR is another person
                group = [b for b in group if not b.nir_digest]
            if p.rsa_number:
                group = [b for b in group if not b.rsa_number_digest]
            if len(group) > 1:
                return None, [self._ambiguous(group, visible)]
            person = group[0] if group else None
        if person is not None and person.pk not in visible:
            return None, [
                CellProblem(
                    self.column("last_name"),
                    "Cette personne a déjà un dossier, suivi hors de votre périmètre : "
                    "rapprochez-vous du département pour qu'il vous soit confié.",
                )
            ]
        return person, []

    def _elsewhere(self, name, person, visible, differs=False) -> CellProblem:
        whose = (
            f"du dossier n° {person.pk} ({person})"
            if person.pk in visible
            else "d'un dossier hors de votre périmètre"
        )
        reason = " dont le NIR est différent" if differs else ""
        return CellProblem(
            self.column(name),
            f"Ce numéro d'allocataire est celui {whose}{reason} : vérifiez la ligne.",
        )

    def _ambiguous(self, group, visible) -> CellProblem:
        shown = [f"n° {b.pk} ({b})" for b in group if b.pk in visible]
        hidden = len(group) - len(shown)
        if hidden:
            shown.append(f"{hidden} hors de votre périmètre")
        return CellProblem(
            self.column("last_name"),
            f"{len(group)} dossiers portent ce nom et cette date de naissance ("
            + ", ".join(shown)
            + ") : ajoutez le NIR ou le numéro d'allocataire à la ligne pour désigner le bon, "
            "ou fusionnez les doublons.",
        )

    def seen_before(self, p: _Prepared, person) -> int | None:
        """The earlier row of the file that designates the same person, if any."""
        checks = []
        if person is not None:
            checks.append(self.seen_file.get(person.pk))
        if p.nir:
            checks.append(self.seen_nir.get(_short(p.nir_digest)))
        if p.rsa_number:
            checks.append(self.seen_rsa.get(_short(p.rsa_digest)))
        if p.key and p.birth_date:
            earlier = self.seen_name.get(f"{p.key}|{p.birth_date}")
            if earlier is not None and (not p.nir or earlier[1] is None):
                checks.append(earlier[0])
        found = [n for n in checks if n is not None]
        return min(found) if found else None

    def remember(self, p: _Prepared, person) -> None:
        number = p.row.number
        if person is not None:
            self.seen_file.setdefault(person.pk, number)
        if p.nir:
            self.seen_nir.setdefault(_short(p.nir_digest), number)
        if p.rsa_number:
            self.seen_rsa.setdefault(_short(p.rsa_digest), number)
        if p.key and p.birth_date:
            self.seen_name.setdefault(
                f"{p.key}|{p.birth_date}", (number, _short(p.nir_digest) if p.nir else None)
            )

    # --- one row -------------------------------------------------------------------------

    def current_values(self, person, p: _Prepared) -> dict:
        values = {name: getattr(person, name) for name in COMPARED_FIELDS}
        # Decrypted only when the row's own value is not known to be the same (Fernet costs).
        if p.nir and person.nir_digest == p.nir_digest:
            values["nir"] = p.nir
        else:
            values["nir"] = person.nir
        person._import_nir = values["nir"]
        if p.rsa_number and person.rsa_number_digest == p.rsa_digest:
            values["rsa_number"] = p.rsa_number
        else:
            values["rsa_number"] = person.rsa_number
        return values

    def form_data(self, p: _Prepared, person) -> dict:
        data = dict(NEW_FILE_DEFAULTS) if person is None else self.current_values(person, p)
        for name, value in p.values.items():
            if name != "referent":
                data[name] = value
        if p.rsa_number or (p.values.get("rsa_number") and not data.get("rsa_payer")):
            data["rsa_payer"] = p.rsa_payer or self.options.rsa_payer
        if p.values.get("rsa_start_date"):
            data["receives_rsa"] = True  # an RSA entry date: the person receives the RSA
        # An empty value is what the page's form receives for an empty input.
        return {k: ("" if v is None else v) for k, v in data.items()}

    def label(self, p: _Prepared) -> str:
        name = f"{str(p.values.get('last_name', '')).upper()} {p.values.get('first_names', '')}"
        born = p.values.get("birth_date")
        if isinstance(born, datetime.date):
            name += f", né·e le {born:%d/%m/%Y}"
        return name.strip(" ,")

    def handle(self, p: _Prepared, by_nir, by_rsa, by_name, visible):
        """The row's outcome, and the file to create or change (None otherwise)."""
        outcome = RowOutcome(p.row.number, REJECTED, self.label(p))
        problems = list(p.problems)
        person, match_problems = self.match(p, by_nir, by_rsa, by_name, visible)
        problems += match_problems
        earlier = None if match_problems else self.seen_before(p, person)
        if earlier is not None:
            problems.append(
                CellProblem(
                    self.column("last_name"),
                    f"La ligne {earlier} désigne déjà cette personne : gardez une seule ligne "
                    "par personne dans le fichier.",
                )
            )
        if not match_problems:
            self.remember(p, person)
        unreadable = {problem.column for problem in p.problems}
        if (
            person is None
            and not p.values.get("civility")
            and self.column("civility") not in unreadable
        ):
            problems.append(
                CellProblem(
                    self.column("civility"),
                    "Le sexe est nécessaire pour créer le dossier : ajoutez une colonne « sexe » "
                    "(F ou M), ou le NIR.",
                )
            )
            unreadable.add(self.column("civility"))
        referent = p.values.get("referent")
        if (
            person is not None
            and referent is not None
            and person.operator_id not in (None, self.operator.pk)
            and person.referent_id != referent.pk
        ):
            problems.append(
                CellProblem(
                    self.column("referent"),
                    f"Cette personne est suivie par {person.operator} : changez son référent "
                    "depuis son dossier, pas par l'import.",
                )
            )
        territory_code = self.territory_codes[(person or self.operator).territory_id]
        cleaned, errors = self.checker.check(self.form_data(p, person), territory_code)
        for name, messages in errors.items():
            column = self.column(name) if name != "__all__" else self.column("last_name")
            if column in unreadable:
                continue  # the cell's own message says it already
            problems += [CellProblem(column, message) for message in messages]
        if problems:
            outcome.errors = _unique(problems)
            return outcome, None
        if person is None:
            return self._created(outcome, cleaned, referent)
        return self._updated(outcome, person, p, cleaned, referent)

    def _created(self, outcome, cleaned, referent):
        person = self._new_file(referent or self.options.referent)
        person.__dict__.update(
            (name, cleaned[name])
            for name in COMPARED_FIELDS
            if name in cleaned and cleaned[name] is not None
        )
        person.nir = cleaned.get("nir", "")
        person.set_rsa_number(cleaned.get("rsa_payer", ""), cleaned.get("rsa_number", ""))
        person.refresh_keys()
        outcome.status = CREATED
        return outcome, person

    def _new_file(self, referent) -> Beneficiary:
        """A new, unsaved file of the operator: the same object as ``Beneficiary(territory=…,
        operator=…, referent=…)``, copied from one built so for each referent (a model's
        ``__init__`` — 60 fields and the audit's snapshot — was a tenth of the import's
        time). Copied as Django copies a model to pickle it (its values, its state and the
        cache of its related objects); the snapshot of the values at load, which only a
        ``save()`` reads, is not copied: ``insert_many`` and ``bulk_record`` write the file."""
        key = referent.pk if referent is not None else None
        template = self._templates.get(key)
        if template is None:
            template = Beneficiary(
                territory=self.territory, operator=self.operator, referent=referent
            )
            self._templates[key] = template
        values = template.__dict__.copy()
        values.pop("_audit_loaded", None)
        state = values["_state"] = copy.copy(template._state)
        state.fields_cache = template._state.fields_cache.copy()
        person = Beneficiary.__new__(Beneficiary)
        person.__dict__ = values
        return person

    def _updated(self, outcome, person, p, cleaned, referent):
        mapped = set(p.values)
        if "rsa_start_date" in mapped:
            mapped |= {"receives_rsa", "minimum_income_for"}
        if "rsa_number" in mapped:
            mapped.add("rsa_payer")
        changes: dict[str, list] = {}
        for name in COMPARED_FIELDS:
            if name in mapped and name in cleaned:
                old, new = getattr(person, name), cleaned[name]
                if new is None:
                    new = ""
                if old != new and not (old in (None, "") and new in (None, "")):
                    changes[name] = [old, new]
                    setattr(person, name, new)
        if "nir" in mapped and cleaned.get("nir") and cleaned["nir"] != person._import_nir:
            changes["nir"] = ["", ""]
            person.nir = cleaned["nir"]
        if "rsa_number" in mapped and cleaned.get("rsa_number"):
            digest = Beneficiary.rsa_digest(cleaned["rsa_payer"], cleaned["rsa_number"])
            if digest != person.rsa_number_digest:
                changes["rsa_number"] = ["", ""]
                person.set_rsa_number(cleaned["rsa_payer"], cleaned["rsa_number"])
        if referent is not None and person.referent_id != referent.pk:
            old_name = person.referent.get_full_name() if person.referent_id else ""
            changes["referent"] = [old_name, referent.get_full_name()]
            person.referent = referent
            if person.operator_id != self.operator.pk:
                changes["operator"] = [str(person.operator or ""), str(self.operator)]
                person.operator = self.operator
        outcome.beneficiary_id = person.pk
        if not changes:
            outcome.status = UNCHANGED
            return outcome, None
        person.refresh_keys()
        person.updated_at = self.now
        outcome.status = UPDATED
        outcome.changes = {
            field_label(name): value
            for name, value in audit.masked_changes(Beneficiary, changes).items()
        }
        person._import_changes = changes
        return outcome, person

    # --- writing -------------------------------------------------------------------------

    def write(self, created: list[Beneficiary], updated: list[Beneficiary]) -> None:
        if created or updated:
            people_changed()  # written in bulk: no signal sees these rows
        if created:
            allocate_ids(Beneficiary, created)
            insert_many(Beneficiary, created)
            audit.bulk_record(AuditEntry.Action.CREATE, ((b, {}) for b in created))
        if updated:
            fields = {"updated_at", "search_text", "name_key"}
            for person in updated:
                for name in person._import_changes:
                    fields |= _columns_of(name)
            Beneficiary.objects.bulk_update(updated, sorted(fields), batch_size=500)
            audit.bulk_record(
                AuditEntry.Action.UPDATE,
                (
                    (b, audit.masked_changes(Beneficiary, _readable(b._import_changes)))
                    for b in updated
                ),
            )

    def run_chunk(self, rows: list[Row], on_row) -> None:
        chunk = [self.prepare(row) for row in rows]
        by_nir, by_rsa, by_name, visible = self.candidates(chunk)
        created, updated = [], []
        outcomes = []
        for p in chunk:
            outcome, person = self.handle(p, by_nir, by_rsa, by_name, visible)
            outcomes.append((outcome, person))
            if person is not None:
                (created if outcome.status == CREATED else updated).append(person)
        if not self.options.dry_run:
            self.write(created, updated)
        for outcome, person in outcomes:
            if outcome.status == CREATED and person is not None:
                outcome.beneficiary_id = person.pk
            self.result.count(outcome)
            if on_row is not None:
                on_row(outcome)


def _in_list_order(groups: list[list[Beneficiary]]) -> None:
    """Sort each group of homonyms as the lists sort people (``Beneficiary.Meta.ordering``,
    by the database's own collation): the order their candidates are named in."""
    pks = [person.pk for group in groups for person in group]
    if not pks:
        return
    rank = {
        pk: index
        for index, pk in enumerate(
            Beneficiary.objects.filter(pk__in=pks).values_list("pk", flat=True)
        )
    }
    for group in groups:
        group.sort(key=lambda person: rank[person.pk])


def _columns_of(name: str) -> set[str]:
    if name == "nir":
        return {"nir_ciphertext", "nir_digest", "nir_birth_digest"}
    if name == "rsa_number":
        return {"rsa_number_ciphertext", "rsa_number_digest", "rsa_number_bare_digest", "rsa_payer"}
    if name in ("referent", "operator"):
        return {f"{name}_id"}
    return {name}


def _readable(changes: dict) -> dict:
    return {
        name: [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
        for name, values in changes.items()
    }


def _unique(problems: list[CellProblem]) -> list[CellProblem]:
    seen, unique = set(), []
    for problem in problems:
        if (problem.column, problem.message) not in seen:
            seen.add((problem.column, problem.message))
            unique.append(problem)
    return unique


def import_rows(
    rows: Iterable[Row],
    mapping: dict[str, str],
    options: ImportOptions,
    *,
    progress: Callable[[int], None] | None = None,
    on_row: Callable[[RowOutcome], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportResult:
    """Import ``rows`` (see the module's docstring). ``progress(rows_done)`` is called after
    each chunk; ``on_row(outcome)`` receives every row's outcome (the preview keeps them).
    Empty rows are skipped (their numbers too). Writes nothing with ``options.dry_run``.
    The caller holds the transaction."""
    importer = Importer(mapping, options)
    chunk: list[Row] = []
    for row in rows:
        if row.is_empty:
            continue
        chunk.append(row)
        if len(chunk) >= chunk_size:
            importer.run_chunk(chunk, on_row)
            chunk = []
            if progress is not None:
                progress(importer.result.rows)
    if chunk:
        importer.run_chunk(chunk, on_row)
    if progress is not None:
        progress(importer.result.rows)
    return importer.result


__all__ = [
    "CREATED",
    "REJECTED",
    "STATUS_LABELS",
    "UNCHANGED",
    "UPDATED",
    "CellProblem",
    "ImportOptions",
    "ImportResult",
    "RowOutcome",
    "import_rows",
]

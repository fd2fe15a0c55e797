"""Pages of the registry, by workflow: the files of people, employers and tutors (``files``),
the import of a list of people (``imports``), duplicates and their merge (``duplicates``)."""

from .files import BeneficiaryList  # noqa: F401  (the benchmarks time the list's own queryset)

"""The registry's API routers: beneficiaries, employers, tutors."""

from .beneficiaries import router as beneficiaries_router
from .employers import router as employers_router
from .imports import router as imports_router
from .tutors import router as tutors_router

__all__ = ["beneficiaries_router", "employers_router", "imports_router", "tutors_router"]

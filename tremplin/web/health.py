"""``/sante/``: the health check a load balancer or a supervisor polls.

Public (no login), answers 200 when the database answers a query, 503 otherwise; it says
nothing else about the installation.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "erreur"}, status=503)
    return JsonResponse({"statut": "ok", "base_de_donnees": "ok"})

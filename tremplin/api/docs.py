"""The interactive documentation, served from this server rather than from a CDN.

ninja serves its own Swagger UI files only when "ninja" is an installed app and loads them
from a CDN otherwise; a département's network often blocks CDNs, and DESIGN.md wants a
fresh machine to need nothing but Python. So the files shipped inside the ninja package
are served here, by name, from a short whitelist.
"""

import json
from pathlib import Path

import ninja
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve
from ninja.openapi.docs import Swagger, _csrf_needed

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
SWAGGER_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"}


class LocalSwagger(Swagger):
    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(
            request,
            self.template,
            {
                "swagger_settings": json.dumps(self.settings, indent=1),
                "api": api,
                "add_csrf": _csrf_needed(api),
            },
        )


@require_GET
@cache_control(max_age=86400, public=True)
def swagger_asset(request, name: str):
    if name not in SWAGGER_FILES:
        raise Http404(name)
    return serve(request, name, document_root=NINJA_STATIC)

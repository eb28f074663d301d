from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("tsunagu.core.urls")),
    path("plan/", include("tsunagu.plans.urls")),
    path("directory/", include("tsunagu.directory.urls")),
    path("api/hsds/", include("tsunagu.directory.api.urls")),
    # JSON unless YAML is asked for (?format=yaml or Accept: application/yaml).
    path(
        "api/schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
        name="api-schema",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover - static files come from whitenoise in production
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

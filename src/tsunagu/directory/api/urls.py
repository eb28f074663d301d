"""``/api/hsds/``: the HSDS 3.0 paths exactly as the spec spells them (no trailing slash)."""

from django.urls import URLPattern, path, re_path

from . import views

# Ids are matched as any text (slashes too) so that every unknown id, however odd,
# gets the API's JSON 404 rather than an HTML page.
urlpatterns: list[URLPattern] = [
    path("", views.ApiInfoView.as_view(), name="hsds-api"),
    path("services", views.ServiceListView.as_view(), name="hsds-services"),
    path("services/<path:id>", views.ServiceDetailView.as_view(), name="hsds-service"),
    path("organizations", views.OrganizationListView.as_view(), name="hsds-organizations"),
    path(
        "organizations/<path:id>",
        views.OrganizationDetailView.as_view(),
        name="hsds-organization",
    ),
    path("taxonomies", views.TaxonomyListView.as_view(), name="hsds-taxonomies"),
    path("taxonomies/<path:id>", views.TaxonomyDetailView.as_view(), name="hsds-taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermListView.as_view(), name="hsds-taxonomy-terms"),
    path(
        "taxonomy_terms/<path:id>",
        views.TaxonomyTermDetailView.as_view(),
        name="hsds-taxonomy-term",
    ),
    path(
        "service_at_locations",
        views.ServiceAtLocationListView.as_view(),
        name="hsds-service-at-locations",
    ),
    path(
        "service_at_locations/<path:id>",
        views.ServiceAtLocationDetailView.as_view(),
        name="hsds-service-at-location",
    ),
    # Everything else, newlines included (an id may contain anything).
    re_path(r"^[\s\S]*$", views.not_found),
]

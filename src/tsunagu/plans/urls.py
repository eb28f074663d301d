from django.urls import path, register_converter

from . import views


class InitiativeCodeConverter:
    regex = r"[0-9]+-[0-9]+-[0-9]+-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InitiativeCodeConverter, "initiative")

app_name = "plans"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("initiatives/<initiative:code>/", views.initiative_detail, name="initiative"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("guidelines/", views.guideline_matrix, name="guidelines"),
    path("guidelines/<str:code>/", views.guideline_detail, name="guideline"),
    path("search/", views.search, name="search"),
    path("progress/", views.my_progress, name="my_progress"),
    path("progress/not-reported/", views.not_reported, name="not_reported"),
    path(
        "progress/<int:year>/<initiative:code>/<int:organization_id>/",
        views.progress_edit,
        name="progress_edit",
    ),
    path("progress/reports/<int:report_id>/review/", views.progress_review, name="progress_review"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("reports/", views.report_index, name="reports"),
    path("reports/<int:year>/committee.<str:fmt>", views.committee_report, name="committee_report"),
    path(
        "reports/<int:year>/departments/<int:organization_id>.xlsx",
        views.department_report,
        name="department_report",
    ),
]

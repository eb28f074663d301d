from django.urls import URLPattern, URLResolver, include, path

from .views import public, staff

app_name = "directory"

# Public pages at /directory/, staff pages at /directory/manage/; each module
# names its own routes (directory:search, directory:staff_list …).
urlpatterns: list[URLPattern | URLResolver] = [
    path("manage/", include(staff.urlpatterns)),
    path("", include(public.urlpatterns)),
]

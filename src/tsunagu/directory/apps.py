from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tsunagu.directory"
    label = "directory"
    verbose_name = _("Social-resource directory")

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers the demo loader with core.demo)
        from .search import register_services

        register_services()

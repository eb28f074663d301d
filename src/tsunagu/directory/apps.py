from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tsunagu.directory"
    label = "directory"
    verbose_name = _("Social-resource directory")

    def ready(self) -> None:
        from tsunagu.core.home import register_panel

        from . import demo  # noqa: F401  (registers the demo loader with core.demo)
        from .search import register_services
        from .signals import connect as connect_signals
        from .views.staff import home_panel

        register_services()
        connect_signals()
        register_panel("directory/staff/_home_panel.html", home_panel, order=20)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tsunagu.plans"
    label = "plans"
    verbose_name = _("Welfare plan")

    def ready(self) -> None:
        from tsunagu.core.home import register_panel

        from .search import register_initiatives
        from .views import home_panel

        register_panel("plans/_home_panel.html", home_panel, order=10)
        register_initiatives()

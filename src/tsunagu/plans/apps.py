from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tsunagu.plans"
    label = "plans"
    verbose_name = _("Welfare plan")

    def ready(self) -> None:
        from tsunagu.core.demo import register_demo_loader
        from tsunagu.core.home import register_panel

        from . import demo
        from .search import register_initiatives
        from .views import home_panel

        register_panel("plans/_home_panel.html", home_panel, order=10)
        register_demo_loader(
            "plans", demo.load_plans_demo, order=10, add_arguments=demo.add_arguments
        )
        register_initiatives()

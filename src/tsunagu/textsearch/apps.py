from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextSearchConfig(AppConfig):
    name = "tsunagu.textsearch"
    label = "textsearch"
    verbose_name = _("Search")

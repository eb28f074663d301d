"""Human labels for people's audit action codes, for history pages."""

from __future__ import annotations

from django.utils.translation import gettext as _


def label_for(action: str) -> str:
    labels = {
        "people.person.created": _("Person registered"),
        "people.person.updated": _("Details changed"),
        "people.person.viewed": _("Record viewed"),
        "people.person.archived": _("Record archived"),
        "people.person.merged": _("Another record merged into this one"),
        "people.person.merged_into": _("Merged into another record"),
        "people.persons.administered": _("Persons opened in the administration site"),
        "people.household.created": _("Household registered"),
        "people.household.updated": _("Household details changed"),
        "people.household.member_added": _("Member added to the household"),
        "people.household.member_changed": _("Household membership changed"),
        "people.consent.recorded": _("Consent recorded"),
        "people.consent.withdrawn": _("Consent withdrawn"),
    }
    return labels.get(action, action)


def hidden_fields_note() -> str:
    """Said in a history entry where a protected person's contacts changed."""
    return _("Address or contacts changed (not shown: protected under a support measure)")

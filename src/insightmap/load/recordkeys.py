"""Which keys each kind of record has, which are required, and what to write when one is missing."""

from __future__ import annotations

from insightmap.load.project import Project
from insightmap.load.vocabulary import VOCABULARY_FIELDS

TITLE_MAX = 160
LIST_VOCABULARIES = VOCABULARY_FIELDS
INSIGHT_KEYS = {
    "kind",
    "id",
    "title",
    "perspective",
    "subpopulation",
    "organisation",
    "date",
    "shift",
    "theme",
    "area",
    "method",
    "study",
    "quotes",
    "visibility",
    "source",
    "same-as",
    "not-same-as",
}
STUDY_KEYS = {
    "kind",
    "id",
    "title",
    "organisation",
    "status",
    "date",
    "end",
    "method",
    "perspective",
    "subpopulation",
    "shift",
    "theme",
    "area",
    "contact",
    "visibility",
    "source",
}
ACTION_KEYS = {
    "kind",
    "id",
    "title",
    "organisation",
    "date",
    "status",
    "builds-on",
    "shift",
    "theme",
    "area",
    "contact",
    "indicators",
    "visibility",
    "source",
}
#: The fields of one indicator of an action, and the ones it must have.
INDICATOR_KEYS = ("name", "type", "level", "source", "frequency")
INDICATOR_REQUIRED = ("name", "type", "level")
KEYS = {"insight": INSIGHT_KEYS, "study": STUDY_KEYS, "action": ACTION_KEYS}
REQUIRED = {
    "insight": ("title", "perspective", "subpopulation", "organisation", "date"),
    "study": ("title", "organisation", "status", "date"),
    "action": ("title", "organisation", "date", "status", "builds-on"),
}
#: How a record of each kind is named in a message.
A_KIND = {"insight": "an insight", "study": "a study", "action": "an action"}


BUILDS_ON_HINT = "the ids of the insights it builds on, e.g. builds-on: [karlskrona/lunchstangt-kontor]"
SAME_AS_HINT = "the ids of other insights, e.g. same-as: [umea/samsjuklighet]"
INDICATOR_HINT = (
    "e.g. {name: Andel som har förtroende för socialtjänsten, type: outcome, level: strategic, "
    "source: brukarundersökning, frequency: årligen}"
)


def missing_hint(key: str, project: Project, kind: str = "insight") -> str:
    """Return what to write for a missing required key of a record of kind."""
    if key in ("perspective", "subpopulation"):
        return "one or more of: " + ", ".join(project.vocabulary.keys(key))
    if key == "organisation":
        return "set it here or in the folder's .meta.yml (organisation: karlskrona)"
    if key == "date":
        return "when it was gathered: YYYY, YYYY-MM or YYYY-MM-DD"
    if key == "status":
        return ", ".join(project.vocabulary.keys("action-status" if kind == "action" else "status"))
    if key == "builds-on":
        return BUILDS_ON_HINT
    return ""

"""The choices of the agreements app, with the look of each status next to them."""

from django.db import models

from core.badges import BadgeChoices, Look


class PartyKind(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    CORPORATIE = "corporatie", "Woningcorporatie"
    HUURDERSORGANISATIE = "huurdersorganisatie", "Huurdersorganisatie"
    COLLECTIEF = "collectief", "Collectief"
    OVERIG = "overig", "Overig"


class JaarschijfStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    VASTGESTELD = "vastgesteld", "Vastgesteld"
    GEEVALUEERD = "geevalueerd", "Geëvalueerd"


class ActionStatus(BadgeChoices):
    NIET_GESTART = "niet_gestart", "Niet gestart"
    OP_SCHEMA = "op_schema", "Op schema"
    VERTRAAGD = "vertraagd", "Vertraagd"
    AFGEROND = "afgerond", "Afgerond"
    VERVALLEN = "vervallen", "Vervallen"

    @classmethod
    def looks(cls):
        return {
            cls.NIET_GESTART: Look("inactive", "open", fill="E7E6E6"),
            cls.OP_SCHEMA: Look("success", "dot", fill="C6EFCE"),
            cls.VERTRAAGD: Look("warning", "triangle", fill="FFEB9C"),
            cls.AFGEROND: Look("neutral", "check", fill="BDD7EE"),
            cls.VERVALLEN: Look("inactive", "cross", fill="F4CCCC"),
        }


ActionStatus.register()

#: Statuses that need an explanation, because readers will ask why.
STATUSES_NEEDING_EXPLANATION = (ActionStatus.VERTRAAGD, ActionStatus.VERVALLEN)
#: Statuses that close an action; it is not carried forward to the next jaarschijf.
CLOSED_STATUSES = (ActionStatus.AFGEROND, ActionStatus.VERVALLEN)


class EvaluationAssessment(BadgeChoices):
    BEHAALD = "behaald", "Behaald"
    DEELS_BEHAALD = "deels_behaald", "Deels behaald"
    NIET_BEHAALD = "niet_behaald", "Niet behaald"
    DOORGESCHOVEN = "doorgeschoven", "Doorgeschoven"

    @classmethod
    def looks(cls):
        return {
            cls.BEHAALD: Look("success", "check", fill="C6EFCE"),
            cls.DEELS_BEHAALD: Look("warning", "half", fill="FFEB9C"),
            cls.NIET_BEHAALD: Look("inactive", "cross", fill="F4CCCC"),
            cls.DOORGESCHOVEN: Look("active", "dot", fill="DDEBF7"),
        }

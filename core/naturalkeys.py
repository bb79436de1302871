"""Natural keys declared once per model, so fixtures name rows by what they mean.

A fixture that says ``"action": [2024, "1.8"]`` can be loaded into any database, and loading
it a second time finds the same rows instead of adding new ones.
"""

from django.db import models

from .models import CheckedTextModel


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.NATURAL_KEY, values, strict=True)))


class NaturalKeyModel(CheckedTextModel):
    #: Field paths (``"jaarschijf__year"``) that identify a row; set on each subclass.
    NATURAL_KEY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def natural_key(self):
        values = []
        for path in self.NATURAL_KEY:
            value = self
            for part in path.split("__"):
                # An empty optional relation ends the path: its natural key part is None.
                value = getattr(value, part) if value is not None else None
            values.append(value)
        return tuple(values)

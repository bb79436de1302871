"""``__in`` on an integer column ignores numbers the column cannot hold.

Django answers ``pk=99999999999999999999`` with "nothing found" (its integer lookups check the
database's range), but sends the same number in ``pk__in=[…]`` to the database: SQLite then
fails with ``OverflowError`` (PostgreSQL compares it as a numeric and finds nothing). Every
list of choices (``ModelMultipleChoiceField`` in the forms, the admin's many-to-many fields,
django-filter) looks its ids up with ``__in``, so a typed or tampered id ended in a server error
on the embedded SQLite default instead of the field's "geen beschikbare keuze".

Registered once on ``IntegerField`` (and so on every auto, big and small integer field): such a
number can never match a row, so it is left out of the list, exactly as Django's own integer
lookups treat it. An ``IN`` list left empty matches nothing.
"""

import copy

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().process_rhs(compiler, connection)
        low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
        kept = [value for value in self.rhs if not out_of_range(value, low, high)]
        if len(kept) == len(self.rhs):
            return super().process_rhs(compiler, connection)
        # A copy with the kept values: the lookup itself may be compiled again elsewhere.
        within = copy.copy(self)
        within.rhs = kept
        return super(IntegerFieldIn, within).process_rhs(compiler, connection)


def out_of_range(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return (low is not None and value < low) or (high is not None and value > high)

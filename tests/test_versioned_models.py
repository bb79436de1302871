"""Every row people edit carries a version and who changed it last, from one abstract model."""

import pytest
from django.apps import apps

from core.models import VersionedModel
from cycle.models import Milestone
from cycle.services import close_milestone

pytestmark = pytest.mark.django_db


#: Models whose ``version`` is the version of another row, not their own: an import draft
#: row remembers which version of the project or figure the uploaded workbook was made from.
VERSION_OF_ANOTHER_ROW = {"ImportDraftRow"}


def test_every_model_with_a_version_is_a_versioned_model():
    with_version = {
        model
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and model.__name__ not in VERSION_OF_ANOTHER_ROW
        and any(field.name == "version" for field in model._meta.concrete_fields)
    }
    assert len(with_version) >= 10
    assert {m.__name__ for m in with_version if not issubclass(m, VersionedModel)} == set()
    for model in with_version:
        assert model._meta.get_field("updated_by").null


def test_a_changed_milestone_names_who_changed_it_and_raises_its_version(kernteamlid):
    milestone = Milestone.objects.filter(jaarschijf__year=2024).first()
    assert milestone.updated_by is None
    close_milestone(milestone=milestone, user=kernteamlid, version=milestone.version)
    milestone.refresh_from_db()
    assert (milestone.version, milestone.updated_by) == (2, kernteamlid)

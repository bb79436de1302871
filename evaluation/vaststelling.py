"""The vaststelling of the evaluation and the tenant views: reads and atomic writes.

Every write checks its permission again, locks the row it guards, compares the version the
user saw, validates with ``full_clean`` and saves through the model, so that
django-simple-history records who did what and when.

Which parties decide is data: the parties of the jaarschijf's signatories. When every one of
them has decided akkoord, the jaarschijf becomes geëvalueerd (read-only for all but the
beheerder). Until every party has decided, a party may revise its decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import get_valid_filename

from agreements.models import Action, Evaluation, Jaarschijf, JaarschijfStatus, Party, Signatory
from core.access import require_perm
from core.formats import nl_datetime
from core.history import changes_since
from core.versioning import ConflictError, conflict_message, describe_user, save_versioned

from . import access
from .models import Approval, Decision, TenantView, Vaststelling


def signing_parties(jaarschijf: Jaarschijf):
    """The parties that signed the jaarschijf, in the order of the signature page."""
    return (
        Party.objects.filter(signatories__jaarschijf=jaarschijf)
        .distinct()
        .order_by("sort_order", "name")
    )


@dataclass
class PartyDecision:
    party: Party
    approval: Approval | None
    signatories: list = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.approval is not None


@dataclass
class VaststellingState:
    """Where the decision stands: every signing party with its decision (or none yet)."""

    jaarschijf: Jaarschijf
    vaststelling: Vaststelling | None
    rows: list[PartyDecision]

    @property
    def completed(self) -> bool:
        return self.vaststelling is not None

    @property
    def decided(self) -> list[PartyDecision]:
        return [row for row in self.rows if row.decided]

    @property
    def undecided(self) -> list[PartyDecision]:
        return [row for row in self.rows if not row.decided]

    @property
    def all_decided(self) -> bool:
        return bool(self.rows) and not self.undecided

    @property
    def all_agreed(self) -> bool:
        return self.all_decided and all(
            row.approval.decision == Decision.AKKOORD for row in self.rows
        )

    @property
    def disagreed(self) -> list[PartyDecision]:
        return [row for row in self.decided if row.approval.decision == Decision.NIET_AKKOORD]

    @property
    def summary(self) -> str:
        """One Dutch sentence on the state of the decision."""
        if not self.completed:
            return "Het kernteam heeft de evaluatie nog niet compleet verklaard."
        total, done = len(self.rows), len(self.decided)
        if self.all_agreed:
            return (
                f"Alle {total} ondertekenende partijen zijn akkoord: de evaluatie is vastgesteld."
            )
        if self.all_decided:
            return (
                f"Alle {total} partijen hebben besloten; {len(self.disagreed)} "
                f"{'is' if len(self.disagreed) == 1 else 'zijn'} niet akkoord. De evaluatie is "
                "niet vastgesteld; het kernteam kan haar heropenen."
            )
        return f"{done} van de {total} ondertekenende partijen hebben besloten."

    def row_for(self, party_id) -> PartyDecision | None:
        return next((row for row in self.rows if row.party.pk == party_id), None)


def vaststelling_state(jaarschijf: Jaarschijf) -> VaststellingState:
    """Three queries: the vaststelling, its approvals, the signatories with their parties."""
    vaststelling = (
        Vaststelling.objects.select_related("completed_by__party")
        .filter(jaarschijf=jaarschijf)
        .first()
    )
    approvals = (
        {
            a.party_id: a
            for a in Approval.objects.filter(vaststelling=vaststelling).select_related(
                "decided_by__party"
            )
        }
        if vaststelling
        else {}
    )
    signatories = Signatory.objects.filter(jaarschijf=jaarschijf).select_related("party")
    parties: dict = {}
    for signatory in signatories.order_by("party__sort_order", "party__name", "sort_order"):
        parties.setdefault(signatory.party_id, (signatory.party, []))[1].append(signatory)
    rows = [
        PartyDecision(party=party, approval=approvals.get(party.pk), signatories=signed)
        for party, signed in parties.values()
    ]
    return VaststellingState(jaarschijf=jaarschijf, vaststelling=vaststelling, rows=rows)


def withdrawn_decisions(jaarschijf: Jaarschijf) -> list:
    """The parties' decisions withdrawn when the kernteam reopened the evaluation, newest
    withdrawal first and within one in the parties' order (one query): each as it stood when
    withdrawn, with when and by whom.
    The history keeps them; the evaluation page shows them."""
    completions = Vaststelling.history.filter(jaarschijf_id=jaarschijf.pk).values("id")
    return list(
        Approval.history.filter(history_type="-", vaststelling_id__in=completions)
        .select_related("party", "history_user")
        # A later completion has a higher id: its decisions were withdrawn later.
        .order_by("-vaststelling_id", "party__sort_order", "party__name")
    )


def _lock_jaarschijf(jaarschijf: Jaarschijf) -> Jaarschijf:
    return Jaarschijf.objects.select_for_update().get(pk=jaarschijf.pk)


@dataclass
class Assessed:
    """How many of the jaarschijf's actions the kernteam has given a verdict (an evaluation)."""

    assessed: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.assessed


def assessed_actions(jaarschijf: Jaarschijf) -> Assessed:
    """One query: the jaarschijf's actions, and how many have at least one evaluation."""
    counts = Action.objects.filter(jaarschijf=jaarschijf).aggregate(
        total=Count("pk"),
        assessed=Count("pk", filter=Q(Exists(Evaluation.objects.filter(action=OuterRef("pk"))))),
    )
    return Assessed(assessed=counts["assessed"], total=counts["total"])


@transaction.atomic
def complete_evaluation(*, jaarschijf: Jaarschijf, user) -> Vaststelling:
    """The kernteam declares the evaluation complete: the signing parties may now decide."""
    locked = _lock_jaarschijf(jaarschijf)
    if user is not None:
        require_perm(user, "evaluation.complete_evaluation", locked)
    if locked.status != JaarschijfStatus.VASTGESTELD:
        raise ValidationError(
            "Alleen de evaluatie van een vastgestelde jaarschijf kan compleet worden verklaard; "
            f"deze jaarschijf is {locked.get_status_display().lower()}."
        )
    existing = Vaststelling.objects.select_related("completed_by__party").filter(jaarschijf=locked)
    if existing.exists():
        current = existing.get()
        raise ConflictError(
            f"{describe_user(current.completed_by)} heeft de evaluatie al op "
            f"{nl_datetime(current.completed_at)} compleet verklaard.",
            current=current,
        )
    if not signing_parties(locked).exists():
        raise ValidationError(
            "Deze jaarschijf heeft geen ondertekenaars; leg die eerst vast in het beheer."
        )
    vaststelling = Vaststelling(jaarschijf=locked, completed_by=user)
    vaststelling._history_user = user
    vaststelling.full_clean()
    vaststelling.save()
    return vaststelling


@transaction.atomic
def reopen_evaluation(*, jaarschijf: Jaarschijf, user) -> None:
    """Withdraw the completion and every decision (the audit trail keeps them).

    For when a party did not agree: the kernteam adapts the evaluation and completes it again.
    """
    locked = _lock_jaarschijf(jaarschijf)
    if user is not None:
        require_perm(user, "evaluation.complete_evaluation", locked)
    vaststelling = Vaststelling.objects.select_for_update().filter(jaarschijf=locked).first()
    if vaststelling is None:
        raise ValidationError("De evaluatie is nog niet compleet verklaard.")
    for approval in vaststelling.approvals.all():
        approval._history_user = user
        approval._change_reason = "Evaluatie heropend"
        approval.delete()
    vaststelling._history_user = user
    vaststelling._change_reason = "Evaluatie heropend"
    vaststelling.delete()


@dataclass
class DecisionResult:
    approval: Approval
    changed: bool
    evaluated: bool


@transaction.atomic
def record_decision(
    *,
    jaarschijf: Jaarschijf,
    user,
    decision: str,
    reason: str,
    signer_name: str,
    signer_function: str,
    version: int | None,
) -> DecisionResult:
    """Record (or revise) the decision of the user's party on the evaluation.

    ``version`` is the version of the party's decision the form was rendered with (None when
    it showed no decision yet). When every signing party has decided akkoord, the jaarschijf
    becomes geëvalueerd in the same transaction.
    """
    locked_jaarschijf = _lock_jaarschijf(jaarschijf)
    access.require(user, "evaluation.decide_evaluation", locked_jaarschijf)
    vaststelling = Vaststelling.objects.select_for_update().get(jaarschijf=locked_jaarschijf)
    parties = {party.pk for party in signing_parties(locked_jaarschijf)}
    approvals = {a.party_id: a for a in vaststelling.approvals.select_related("decided_by__party")}
    if parties and parties <= approvals.keys():
        raise ValidationError(
            "Alle partijen hebben al besloten; een besluit kan niet meer worden gewijzigd."
        )
    fields = {
        "decision": decision,
        "reason": reason.strip() if decision == Decision.NIET_AKKOORD else "",
        "signer_name": signer_name.strip(),
        "signer_function": signer_function.strip(),
    }
    approval = approvals.get(user.party_id)
    noun = f"het besluit van {user.party.label}"
    if approval is None:
        if version is not None:
            raise ConflictError(conflict_message(noun, []), current=None)
        approval = Approval(vaststelling=vaststelling, party=user.party, decided_by=user, **fields)
        approval._history_user = user
        approval.full_clean()
        approval.save()
        changed = True
    else:
        if version is None:
            raise ConflictError(
                f"Niet opgeslagen: {describe_user(approval.decided_by)} heeft op "
                f"{nl_datetime(approval.decided_at)} al besloten voor {user.party.label} "
                f"({approval.get_decision_display().lower()}), nadat u het formulier opende. "
                "Lees dat besluit en wijzig het als dat nodig is.",
                current=approval,
            )
        approval = Approval.objects.select_for_update().order_by().get(pk=approval.pk)
        changes = dict(fields)
        if any(getattr(approval, name) != value for name, value in fields.items()):
            changes |= {"decided_by": user, "decided_at": _now()}
        changed = save_versioned(
            locked=approval, user=user, version=version, changes=changes, noun=noun
        )
    approvals[approval.party_id] = approval
    evaluated = False
    if parties <= approvals.keys() and all(
        approvals[pk].decision == Decision.AKKOORD for pk in parties
    ):
        locked_jaarschijf.status = JaarschijfStatus.GEEVALUEERD
        locked_jaarschijf._history_user = user
        locked_jaarschijf._change_reason = "Evaluatie vastgesteld: alle partijen akkoord"
        locked_jaarschijf.full_clean()
        locked_jaarschijf.save()
        jaarschijf.status = locked_jaarschijf.status
        evaluated = True
    return DecisionResult(approval=approval, changed=changed, evaluated=evaluated)


def _now():
    return timezone.now()


# --- Tenant views ---------------------------------------------------------------------------


def tenant_views(jaarschijf: Jaarschijf):
    return TenantView.objects.filter(jaarschijf=jaarschijf).select_related(
        "party", "theme", "author__party"
    )


@transaction.atomic
def save_tenant_view(
    *,
    jaarschijf: Jaarschijf,
    user,
    theme,
    text: str,
    attachment=None,
    remove_attachment: bool = False,
    version: int | None,
) -> TenantView:
    """Add or revise the view of the user's tenant organisation, overall or on ``theme``.

    ``attachment`` is an uploaded PDF (validated by the model: size, content, parse).
    """
    locked_jaarschijf = _lock_jaarschijf(jaarschijf)
    access.require(user, "evaluation.give_tenant_view", locked_jaarschijf)
    if theme is not None and theme.jaarschijf_id != locked_jaarschijf.pk:
        raise ValidationError({"theme": "Dit thema hoort niet bij deze jaarschijf."})
    current = (
        TenantView.objects.select_for_update(of=("self",))
        .order_by()
        .filter(jaarschijf=locked_jaarschijf, party=user.party, theme=theme)
        .first()
    )
    noun = "deze zienswijze"
    if current is None and version is not None:
        raise ConflictError(conflict_message(noun, []), current=None)
    if current is not None and version is None:
        raise ConflictError(
            f"Niet opgeslagen: {describe_user(current.author)} heeft op "
            f"{nl_datetime(current.submitted_at)} al een zienswijze van {user.party.label} over "
            f"dit onderwerp ingediend. Lees die en wijzig haar als dat nodig is.",
            current=current,
        )
    view = current or TenantView(jaarschijf=locked_jaarschijf, party=user.party, theme=theme)
    if current is not None and current.version != version:
        others = changes_since(current, version)
        raise ConflictError(conflict_message(noun, others), current=current, changes=others)
    view.text = text.strip()
    view.author = user
    view.submitted_at = _now()
    if attachment is not None:
        view.attachment = attachment
        view.attachment_name = get_valid_filename(attachment.name)[:200] or "bijlage.pdf"
    elif remove_attachment:
        view.attachment = ""
        view.attachment_name = ""
    if current is not None:
        view.mark_changed(user)
    else:
        view.updated_by = user
    view._history_user = user
    view.full_clean()
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise ConflictError(conflict_message(noun, []), current=None) from None
    # A replaced attachment stays on disk: the audit trail still refers to it.
    return view


# --- The dashboard's summary, in one query ---------------------------------------------------


@dataclass
class DashboardSummary:
    completed: bool
    parties: list
    overall_views: list
    theme_views: int

    @property
    def decided(self) -> list:
        return [p for p in self.parties if p.signed and p.decision]

    @property
    def signing(self) -> list:
        return [p for p in self.parties if p.signed]

    @property
    def all_agreed(self) -> bool:
        return bool(self.signing) and all(p.decision == Decision.AKKOORD for p in self.signing)


def _with_decision(party):
    """The party's decision from its ``approval`` JSON object, as attributes (None: none)."""
    row = party.approval or {}
    party.decision = row.get("decision")
    party.reason = row.get("reason")
    party.signer_name = row.get("signer_name")
    party.signer_function = row.get("signer_function")
    decided_at = parse_datetime(row["decided_at"]) if row.get("decided_at") else None
    if decided_at is not None and timezone.is_naive(decided_at):  # SQLite writes no offset
        decided_at = timezone.make_aware(decided_at, datetime.UTC)
    party.decided_at = decided_at
    return party


def dashboard_summary(jaarschijf: Jaarschijf) -> DashboardSummary:
    """Who decided and the overall tenant views, for the dashboard: one query.

    Every party that signed or gave a view, annotated with its decision and its overall view;
    the views on one theme are counted (the evaluation page shows them in full).
    """
    # The decision (at most one per party and vaststelling) as one JSON object: one subquery
    # instead of one per column (building the SQL of each subquery is most of this query's cost).
    approval = (
        Approval.objects.filter(vaststelling__jaarschijf=jaarschijf, party=OuterRef("pk"))
        .order_by()
        .values(
            row=JSONObject(
                decision="decision",
                reason="reason",
                signer_name="signer_name",
                signer_function="signer_function",
                decided_at="decided_at",
            )
        )[:1]
    )
    # The overall view (at most one per party and jaarschijf) as a join, not two subqueries.
    overall = FilteredRelation(
        "tenant_views",
        condition=Q(tenant_views__jaarschijf=jaarschijf, tenant_views__theme__isnull=True),
    )
    theme_views = (
        TenantView.objects.filter(jaarschijf=jaarschijf, party=OuterRef("pk"), theme__isnull=False)
        .order_by()
        .values("party")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    # Every party comes back and the few that matter are kept in Python: a filter on the
    # annotations would make Django compile each subquery a second time (a few ms of CPU).
    parties = [
        _with_decision(party)
        for party in Party.objects.annotate(overall_view=overall)
        .annotate(
            signed=Exists(Signatory.objects.filter(jaarschijf=jaarschijf, party=OuterRef("pk"))),
            completed=Exists(Vaststelling.objects.filter(jaarschijf=jaarschijf)),
            approval=Subquery(approval, output_field=JSONField()),
            view_text=F("overall_view__text"),
            view_at=F("overall_view__submitted_at"),
            theme_view_count=Coalesce(Subquery(theme_views), Value(0)),
        )
        .order_by("sort_order", "name")
        if party.signed or party.view_at is not None or party.theme_view_count > 0
    ]
    return DashboardSummary(
        completed=bool(parties) and parties[0].completed,
        parties=parties,
        overall_views=[p for p in parties if p.view_at is not None],
        theme_views=sum(p.theme_view_count for p in parties),
    )

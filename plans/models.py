"""The action catalogue (SPEC §5) and the consultants' adjustments of a plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import Direction
from common.bilingual import Translated


class Horizon(models.TextChoices):
    NEAR = "near", _("Near term (within a year)")
    MEDIUM = "medium", _("Medium term (1–3 years)")
    LONG = "long", _("Long term (3–5 years)")


class CostTier(models.TextChoices):
    LOW = "low", _("Low (under 1 million CNY)")
    MEDIUM = "medium", _("Medium (1–5 million CNY)")
    HIGH = "high", _("High (5–20 million CNY)")
    VERY_HIGH = "very_high", _("Very high (20 million CNY and more)")


class Stage(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    STANDARD = "standard", _("Standard")
    ADVANCED = "advanced", _("Stretch (advanced)")


class ScalesWith(models.TextChoices):
    FIXED = "", _("Fixed cost")
    POPULATION = "population", _("Population")
    TOWNSHIPS = "townships", _("Number of townships")


class FundingSource(models.TextChoices):
    LOCAL_BUDGET = "local_budget", _("The city's own budget")
    HIGHER_LEVEL = "higher_level_funds", _("Higher-level special funds and transfers")
    SPECIAL_BONDS = "special_bonds", _("Local government special bonds")
    OPERATOR = "operator_cobuild", _("Co-building with telecom operators")
    ENTERPRISE = "enterprise", _("Enterprise and private investment")
    PILOT_GRANT = "pilot_grant", _("National pilot and demonstration funds")


# Lower bound of each tier, in 10,000 CNY, for the midpoint of an action's cost range.
COST_TIER_FLOORS = {CostTier.LOW: 0, CostTier.MEDIUM: 100, CostTier.HIGH: 500, CostTier.VERY_HIGH: 2000}


def cost_tier_of(cost: float) -> str:
    return max((floor, tier) for tier, floor in COST_TIER_FLOORS.items() if cost >= floor)[1]


class ActionCatalogueQuerySet(models.QuerySet):
    def current(self):
        return self.order_by("-imported_at", "-pk").first()


class ActionCatalogue(models.Model):
    """One imported version of the catalogue; plans name the catalogue they were made from."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Translated()
    bank = models.CharField(
        _("question bank"),
        max_length=50,
        blank=True,
        help_text=_("The question bank whose codes its triggers and outcomes name, e.g. smc-2027."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = ActionCatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("action catalogue")
        verbose_name_plural = _("action catalogues")

    def __str__(self):
        return f"{self.code} · {self.title}"


class Action(models.Model):
    """Something a city can do next, with what triggers it, what it costs and whom it suits."""

    catalogue = models.ForeignKey(ActionCatalogue, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=30)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    dimension = models.CharField(_("dimension"), max_length=20, help_text=_("Dimension code, e.g. G2."))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title = Translated()
    description_zh = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Translated()
    rationale_zh = models.TextField(_("rationale (Chinese)"), blank=True)
    rationale_en = models.TextField(_("rationale (English)"), blank=True)
    rationale = Translated()
    policy_zh = models.CharField(_("backing policy (Chinese)"), max_length=300, blank=True)
    policy_en = models.CharField(_("backing policy (English)"), max_length=400, blank=True)
    policy = Translated()
    triggers = models.JSONField(
        _("triggers"),
        help_text=_('A list such as [{"question": "G2.1", "below": 3}, {"dimension": "G2", "below": 3}].'),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"))
    cost_tier = models.CharField(_("cost tier"), max_length=10, choices=CostTier.choices)
    cost_low = models.PositiveIntegerField(_("cost from (10,000 CNY)"))
    cost_high = models.PositiveIntegerField(_("cost to (10,000 CNY)"))
    running_cost = models.PositiveIntegerField(_("running cost a year (10,000 CNY)"), default=0)
    scales_with = models.CharField(
        _("cost scales with"),
        max_length=12,
        choices=ScalesWith.choices,
        blank=True,
        help_text=_("Costs are for a city of 500,000 residents (or 15 townships); they scale by the six-tenths rule."),
    )
    funding = models.JSONField(_("funding sources"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.STANDARD)
    lead_zh = models.CharField(_("lead department (Chinese)"), max_length=200, blank=True)
    lead_en = models.CharField(_("lead department (English)"), max_length=300, blank=True)
    lead = Translated()
    kpi_zh = models.CharField(_("KPI target (Chinese)"), max_length=300, blank=True)
    kpi_en = models.CharField(_("KPI target (English)"), max_length=400, blank=True)
    kpi = Translated()
    outcome = models.JSONField(
        _("outcome"),
        default=list,
        blank=True,
        help_text=_(
            'The answers that show its result already exists, all of them: e.g. [{"question": "E4.5", "at_least": 3}] '
            'or [{"question": "S3.3", "items": ["a", "b"]}]. An action whose outcome is met is never planned.'
        ),
    )
    compliance_basis_zh = models.CharField(_("legal or binding basis (Chinese)"), max_length=400, blank=True)
    compliance_basis_en = models.CharField(_("legal or binding basis (English)"), max_length=500, blank=True)
    compliance_basis = Translated()
    deadline = models.PositiveSmallIntegerField(
        _("deadline (year)"), null=True, blank=True, help_text=_("The year a binding deadline fell or falls due.")
    )
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices)
    prerequisites = models.JSONField(
        _("prerequisites"),
        default=list,
        blank=True,
        help_text=_(
            'Action codes; a list of codes where any one is enough, e.g. ["G-ORG-01", ["I-CLOUD-01", "I-CLOUD-02"]].'
        ),
    )
    suits_specialties = models.JSONField(_("only for specialties"), default=list, blank=True)
    suits_cluster = models.BooleanField(_("only inside / outside a city cluster"), null=True, blank=True)
    suits_regions = models.JSONField(_("only for regions"), default=list, blank=True)
    suits_functional_zones = models.JSONField(_("only for functional zones"), default=list, blank=True)
    suits_provinces = models.JSONField(_("only for provinces"), default=list, blank=True)
    suits_levels = models.JSONField(_("only for administrative levels"), default=list, blank=True)
    suits_terrains = models.JSONField(_("only for terrains"), default=list, blank=True)
    suits_min_population = models.PositiveIntegerField(
        _("only from a population of (10,000 residents)"), null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="action_code_unique_in_catalogue")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def cost(self) -> float:
        return (self.cost_low + self.cost_high) / 2

    @property
    def is_duty(self) -> bool:
        """A duty with a legal or binding national basis: scheduled in the first year when triggered."""
        return bool(self.compliance_basis_zh)

    @property
    def funding_labels(self) -> list[str]:
        labels = dict(FundingSource.choices)
        return [str(labels.get(code, code)) for code in self.funding]


class PlanAdjustment(models.Model):
    """A consultant's change to one action of an assessment's computed plan (kept apart from it)."""

    assessment = models.ForeignKey("assessment.Assessment", on_delete=models.CASCADE, related_name="plan_adjustments")
    action_code = models.CharField(_("action"), max_length=30)
    hidden = models.BooleanField(_("hidden"), default=False)
    phase = models.CharField(_("moved to phase"), max_length=10, choices=Horizon.choices, blank=True)
    order = models.IntegerField(_("order"), null=True, blank=True)
    remark = models.TextField(_("consultant's remark"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan adjustment")
        verbose_name_plural = _("plan adjustments")
        constraints = [models.UniqueConstraint(fields=["assessment", "action_code"], name="one_adjustment_per_action")]

    def __str__(self):
        return f"{self.assessment} · {self.action_code}"


class DeliveredPlanQuerySet(models.QuerySet):
    def in_force(self, assessment):
        """The plan the city has received for its current submission: the latest one delivered since
        it was submitted (None: none yet; a reopened and resubmitted assessment gets a new one)."""
        delivered = self.filter(assessment=assessment)
        if assessment.submitted_at is not None:
            delivered = delivered.filter(delivered_at__gte=assessment.submitted_at)
        return delivered.order_by("-delivered_at", "-pk").first()


class DeliveredPlan(models.Model):
    """A submitted assessment's plan as the city received it: stored when its report is first made or a
    consultant first adjusts it, so that a later engine, catalogue or profile never rewrites it.
    Recomputing it with the current catalogue is a consultant's explicit act, recorded as a new row
    (the latest is in force; the earlier ones stay as the record)."""

    class Reason(models.TextChoices):
        REPORT = "report", _("delivered with the report")
        ADJUSTED = "adjusted", _("delivered when the consultant adjusted it")
        RECOMPUTED = "recomputed", _("recomputed with the current catalogue")

    assessment = models.ForeignKey("assessment.Assessment", on_delete=models.CASCADE, related_name="delivered_plans")
    catalogue = models.ForeignKey(ActionCatalogue, on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(_("engine version"), max_length=20)
    plan = models.JSONField(_("plan"))  # the engine's plan, as `plans.delivered.stored_form` writes it
    reason = models.CharField(_("why"), max_length=12, choices=Reason.choices)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), auto_now_add=True)

    objects = DeliveredPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivered plan")
        verbose_name_plural = _("delivered plans")

    def __str__(self):
        return f"{self.assessment} · {self.get_reason_display()}"

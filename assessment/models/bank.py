"""The question bank, in versions: a published version never changes (SPEC §3)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.question_rules import question_type_problems
from common.bilingual import Translated


class Direction(models.TextChoices):
    SERVICES = "services", _("Public services")
    GOVERNANCE = "governance", _("Governance")
    INDUSTRY = "industry", _("Industry and economy")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")


class QuestionType(models.TextChoices):
    LEVEL = "level", _("Maturity level (five statements)")
    YES_NO = "yes_no", _("Yes / no")
    CHECKLIST = "checklist", _("Checklist")
    NUMBER = "number", _("Number with thresholds")


class PublishedVersionError(ValidationError):
    """Raised on any attempt to change a published questionnaire version or its parts."""

    def __init__(self, version):
        super().__init__(
            _(
                "Questionnaire version %(code)s is published and can no longer be changed, so that "
                "past assessments keep their meaning. Clone it into a new draft to make changes."
            ),
            code="published",
            params={"code": version.code},
        )


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersionQuerySet(models.QuerySet):
    def _refuse_published(self):
        first = self.filter(status=VersionStatus.PUBLISHED).first()
        if first is not None:
            raise PublishedVersionError(first)

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()

    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def current(self):
        """The newest published version, or None."""
        return self.published().order_by("-published_at", "-pk").first()


class QuestionnaireVersion(models.Model):
    """One version of the question bank; the unit that is drafted, published and cloned."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Translated()
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
        editable=False,
    )
    weight_services = models.FloatField(_("weight of public services"), default=1, validators=[MinValueValidator(0)])
    weight_governance = models.FloatField(_("weight of governance"), default=1, validators=[MinValueValidator(0)])
    weight_industry = models.FloatField(_("weight of industry"), default=1, validators=[MinValueValidator(0)])
    weight_infrastructure = models.FloatField(
        _("weight of infrastructure"),
        default=1,
        validators=[MinValueValidator(0)],
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="clones",
        verbose_name=_("cloned from"),
    )
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="successors",
        verbose_name=_("carries answers of"),
        help_text=_("The version whose answers this one can carry, by the mapping of each question."),
    )
    # GB/T 33356-2022 indicators (code, title, indicators with children, note), as in the bank file.
    national_framework = models.JSONField(_("national framework"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    objects = QuestionnaireVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self):
        return f"{self.code} · {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def direction_weights(self) -> dict[str, float]:
        return {direction: getattr(self, f"weight_{direction}") for direction in Direction.values}

    def is_stored_published(self) -> bool:
        """Whether the version is published as stored (whatever this instance says)."""
        return self.pk is not None and type(self).objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        if self.is_stored_published():
            raise PublishedVersionError(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_stored_published():
            raise PublishedVersionError(self)
        return super().delete(*args, **kwargs)


class BankPartQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse rows of published versions, like `save()` does."""

    version_path = "version"

    def _refuse_published(self):
        published = self.filter(**{f"{self.version_path}__status": VersionStatus.PUBLISHED})
        first = published.select_related(self.version_path).first()
        if first is not None:
            raise PublishedVersionError(first.owning_version)

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for version in {obj.owning_version.pk: obj.owning_version for obj in objs}.values():
            if version.is_stored_published():
                raise PublishedVersionError(version)
        return super().bulk_create(objs, *args, **kwargs)


class BankPart(models.Model):
    """A part of a questionnaire version; frozen once the version is published."""

    class Meta:
        abstract = True

    @property
    def owning_version(self) -> QuestionnaireVersion:
        raise NotImplementedError

    def _check_editable(self):
        # Read the version's status from the database: a stale in-memory object must not
        # let a change through after publication.
        version = self.owning_version
        if version.is_stored_published():
            raise PublishedVersionError(version)
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).first()
            if stored is not None and stored.owning_version.is_stored_published():
                raise PublishedVersionError(stored.owning_version)

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)


class Dimension(BankPart):
    """A dimension of one direction, with its weight within that direction."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("version"),
    )
    code = models.CharField(_("code"), max_length=20)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Translated()
    weight = models.FloatField(_("weight"), default=1, validators=[MinValueValidator(0)])
    national = models.JSONField(
        _("national indicators"),
        default=list,
        blank=True,
        help_text=_('Codes of the national framework\'s indicators this dimension measures, e.g. ["L1P1"].'),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = BankPartQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="dimension_code_unique_in_version")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def owning_version(self):
        return self.version


class QuestionQuerySet(BankPartQuerySet):
    version_path = "dimension__version"


MAX_NUMBER = 1e9  # the largest magnitude a number answer may have: any count a city reports, printable


def number_range(unit: str, thresholds) -> tuple[float, float]:
    """The values a number answer may take: a share in % from 0 to 100 (when its thresholds are),
    never negative unless a threshold is, never beyond MAX_NUMBER in magnitude."""
    values = [float(t) for t in thresholds or ()]
    low = 0.0 if all(t >= 0 for t in values) else -MAX_NUMBER
    high = 100.0 if unit.strip() == "%" and all(t <= 100 for t in values) else MAX_NUMBER
    return low, high


class Question(BankPart):
    """A scored question; its type decides which choices it has (SPEC §3, FORMATS.md)."""

    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("dimension"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Stable code such as S1.2, unique in the version."))
    type = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    text = Translated()
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance = Translated()
    weight = models.FloatField(_("weight"), default=1, validators=[MinValueValidator(0)])
    allow_na = models.BooleanField(_("may be answered “not applicable”"), default=False)
    evidence = models.BooleanField(_("evidence expected"), default=False)
    unit = models.CharField(_("unit (Chinese)"), max_length=30, blank=True, help_text=_("Number questions only."))
    unit_en = models.CharField(
        _("unit (English)"),
        max_length=30,
        blank=True,
        help_text=_("Shown on English pages, e.g. “per 10,000 residents” for 个/万人; blank: the Chinese unit."),
    )
    unit_label = Translated(zh="unit")  # the unit in the reader's language; `unit` itself is what scoring reads
    thresholds = models.JSONField(
        _("thresholds"),
        null=True,
        blank=True,
        help_text=_(
            "Number questions only: four strictly monotonic values where levels 2, 3, 4 and 5 begin, "
            "e.g. [20, 40, 60, 80] (more is better) or [80, 60, 40, 20] (less is better)."
        ),
    )
    national = models.JSONField(
        _("national indicators"),
        default=list,
        blank=True,
        help_text=_('Only where the question measures other indicators than its dimension, e.g. ["L6P2"].'),
    )
    migration = models.JSONField(
        _("continues"),
        null=True,
        blank=True,
        help_text=_(
            "Which questions of the previous version this one continues and how, e.g. "
            '{"how": "same", "from": ["S1.1"]}; how is same, rescaled, split, merged or new.'
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="question_code_unique_in_dimension")]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    @property
    def owning_version(self):
        return self.dimension.version

    @property
    def number_range(self) -> tuple[float, float]:
        return number_range(self.unit, self.thresholds)

    def clean(self):
        errors = question_type_problems(type=self.type, thresholds=self.thresholds)
        if self.unit_en.strip() and not self.unit.strip():
            errors.append(_("An English unit needs the Chinese unit beside it."))
        if self.dimension_id:
            duplicate = Question.objects.filter(dimension__version_id=self.dimension.version_id, code=self.code)
            if duplicate.exclude(pk=self.pk).exists():
                errors.append(
                    _("Another question of this version already has the code %(code)s.") % {"code": self.code}
                )
        if errors:
            raise ValidationError(errors)


class ChoiceQuerySet(BankPartQuerySet):
    version_path = "question__dimension__version"


class LevelStatement(BankPart):
    """One of the five statements of a `level` question: what the city looks like at that level."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="level_statements",
        verbose_name=_("question"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=[(k, f"L{k}") for k in range(1, 6)])
    text_zh = models.TextField(_("statement (Chinese)"))
    text_en = models.TextField(_("statement (English)"), blank=True)
    text = Translated()

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["level"]
        verbose_name = _("level statement")
        verbose_name_plural = _("level statements")
        constraints = [models.UniqueConstraint(fields=["question", "level"], name="one_statement_per_level")]

    def __str__(self):
        return f"L{self.level} {self.text[:60]}"

    @property
    def owning_version(self):
        return self.question.dimension.version


class ChecklistItem(BankPart):
    """One weighted item of a `checklist` question."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("question"),
    )
    code = models.CharField(_("code"), max_length=20)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    text = Translated()
    weight = models.FloatField(_("weight"), default=1, validators=[MinValueValidator(0)])
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="item_code_unique_in_question")]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    @property
    def owning_version(self):
        return self.question.dimension.version

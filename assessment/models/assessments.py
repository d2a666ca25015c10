"""Assessments: one city, one questionnaire version, one year; answers, assignments and events."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.evidence import evidence_storage, evidence_upload_path
from assessment.models.bank import Direction, Question, QuestionnaireVersion


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assessments of the cities `user` may see (SPEC §8); nothing for anonymous users."""
        from cities.models import City

        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(city__in=City.objects.visible_to(user).values("pk"))


class Assessment(models.Model):
    """One city's assessment for one period (a year), on the questionnaire version it started with."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("city")
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("questionnaire version"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from the answers of"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # Frozen on submission (SPEC §4.6): the engine's full result, unrounded, and its version.
    stored_scores = models.JSONField(_("stored scores"), null=True, blank=True, editable=False)
    engine_version = models.CharField(_("scoring engine version"), max_length=20, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "city__name_zh"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="one_assessment_per_city_and_year")]

    def __str__(self):
        return f"{self.city} {self.year}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Answer(models.Model):
    """An official's answer to one question: a level, yes/no, ticked items or a number, or N/A."""

    COMMENT_MAX_LENGTH = 5000  # characters; the answering page's limit, so every import keeps to it too

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    items = models.JSONField(_("ticked items"), null=True, blank=True)
    number = models.FloatField(_("number"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to=evidence_upload_path,
        storage=evidence_storage,
        max_length=300,
        blank=True,
    )
    # Set when the answer was carried from an earlier assessment on another bank version and the
    # respondent should confirm it (its question changed); cleared by the next save of the answer.
    needs_review = models.BooleanField(_("to be reviewed"), default=False)
    carried_note = models.CharField(_("carried from"), max_length=300, blank=True)
    # Bumped on every save: a save based on an older revision is a conflict, never a silent overwrite.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    answered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.assessment} · {self.question.code}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_file)

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or any(
            value is not None for value in (self.level, self.yes, self.items, self.number)
        )


class DirectionAssignment(models.Model):
    """A respondent assigned by the coordinator to answer one direction of an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    respondent = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="direction_assignments",
        verbose_name=_("respondent"),
    )

    class Meta:
        verbose_name = _("direction assignment")
        verbose_name_plural = _("direction assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "direction", "respondent"], name="one_assignment_per_direction_and_respondent"
            )
        ]

    def __str__(self):
        return f"{self.assessment} · {self.get_direction_display()} · {self.respondent}"


class EventKind(models.TextChoices):
    STARTED = "started", _("Started")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")
    REVIEWED = "reviewed", _("Reviewed")


class AssessmentEvent(models.Model):
    """What happened to an assessment, by whom and why (e.g. the reason it was reopened)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("assessment event")
        verbose_name_plural = _("assessment events")

    def __str__(self):
        return f"{self.assessment} · {self.get_kind_display()}"

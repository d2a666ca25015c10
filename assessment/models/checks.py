"""The consistency and plausibility rules of a questionnaire version, in revisions (issue 26)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models.bank import QuestionnaireVersion


class CheckRuleSet(models.Model):
    """One revision of the rules of one questionnaire version, as imported from its rules file.

    Rules are advice, not part of the scores: a version's rules can be replaced after it is
    published, without changing the version. Each import of a changed file adds the next revision;
    the newest is in force and the older ones are kept unchanged, so it stays known which rules an
    assessment was checked with. A revision is never edited: it is replaced by importing a file.
    """

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="check_rule_sets",
        verbose_name=_("questionnaire version"),
    )
    revision = models.PositiveIntegerField(_("revision"))
    rules = models.JSONField(_("rules"), help_text=_("The rules as written in the file (docs/formats.md)."))
    source = models.CharField(_("imported from"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["version", "-revision"]
        verbose_name = _("rule set for checking answers")
        verbose_name_plural = _("rule sets for checking answers")
        constraints = [models.UniqueConstraint(fields=["version", "revision"], name="one_revision_number_per_version")]

    def __str__(self):
        return f"{self.version.code} r{self.revision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a rule set revision is never changed: import a new file instead")
        super().save(*args, **kwargs)

    @property
    def rule_count(self) -> int:
        return len(self.rules or [])

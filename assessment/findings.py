"""The findings of an assessment: its answers, comments and city profile fed to the checking engine.

The one place that turns an assessment into input for `assessment.consistency` (as `scores` is for
scoring). Nothing is stored: findings are computed when they are shown, from the answers and the
rules in force for the assessment's questionnaire version (`CheckRuleSet`, newest revision).

Costs: the rules of a rule set are read and parsed once per process (a revision never changes);
which revision is in force is one query, or none when the assessment was fetched with
`rule_set_annotation()`. A save checks only the rules that name the saved questions: one query for
the answers they name, and one for the city's specialties when one of them asks about the profile.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessment.consistency import (
    CheckedFinding,
    CityProfile,
    RuleBook,
    check_answers,
    explain,
    needs_profile,
    rule_book,
)
from assessment.models import Assessment, CheckRuleSet
from assessment.scores import plain_answer
from common.bilingual import pick

_LOOK_UP = object()


def rule_set_annotation() -> Subquery:
    """The id of the rule set in force for an assessment's version, to fetch with the assessment
    (`.annotate(rule_set_id=rule_set_annotation())`)."""
    newest = CheckRuleSet.objects.filter(version_id=OuterRef("version_id")).order_by("-revision")
    return Subquery(newest.values("pk")[:1])


def rule_set_id_of(assessment: Assessment) -> int | None:
    """The id of the rule set in force for the assessment (from its annotation, else 1 query)."""
    if hasattr(assessment, "rule_set_id"):
        return assessment.rule_set_id
    newest = CheckRuleSet.objects.filter(version_id=assessment.version_id).order_by("-revision")
    return newest.values_list("pk", flat=True).first()


def rule_set_in_force(assessment: Assessment) -> CheckRuleSet | None:
    """The rule set (revision) the assessment is checked with, or None (1 query)."""
    return CheckRuleSet.objects.filter(version_id=assessment.version_id).order_by("-revision").first()


@lru_cache(maxsize=32)
def _book(rule_set_id: int) -> RuleBook:
    """A rule set's rules, parsed once per process: a revision is never changed (`CheckRuleSet.save`)."""
    return rule_book(CheckRuleSet.objects.values_list("rules", flat=True).get(pk=rule_set_id))


def rules_in_force(assessment: Assessment) -> RuleBook | None:
    rule_set_id = rule_set_id_of(assessment)
    return None if rule_set_id is None else _book(rule_set_id)


def clear() -> None:
    """Forget the parsed rule sets (tests that recreate the database between cases)."""
    _book.cache_clear()


def city_profile(city) -> CityProfile:
    """The city's profile as the rules read it (1 query for its specialties, unless prefetched)."""
    return CityProfile(
        specialties=frozenset(s.code for s in city.specialties.all()),
        cluster=city.cluster,
        functional_zone=city.functional_zone,
        terrain=city.terrain,
        level=city.level,
        region=city.region,
    )


def answers_and_comments(assessment: Assessment, codes=None) -> tuple[dict, dict[str, str]]:
    """The answers (plain `scoring.Answer`s) and comments of the assessment by question code, of
    the questions `codes` only if given (1 query)."""
    rows = assessment.answers.all()
    if codes is not None:
        rows = rows.filter(question__code__in=codes)
    answers, comments = {}, {}
    fields = ("question__code", "level", "yes", "items", "number", "not_applicable", "comment")
    for code, level, yes, items, number, not_applicable, comment in rows.values_list(*fields):
        answer = plain_answer(level, yes, items, number, not_applicable)
        if answer is not None:
            answers[code] = answer
        if comment:
            comments[code] = comment
    return answers, comments


def _checked(assessment: Assessment, rules, codes=None) -> list[CheckedFinding]:
    answers, comments = answers_and_comments(assessment, codes)
    profile = city_profile(assessment.city) if needs_profile(rules) else CityProfile()
    return explain(check_answers(rules, answers, profile), comments)


def assessment_findings(assessment: Assessment) -> list[CheckedFinding]:
    """Every finding of the rules in force on the assessment's answers, explained or not."""
    book = rules_in_force(assessment)
    return [] if book is None or not book.rules else _checked(assessment, book.rules)


@dataclass(frozen=True)
class SavedChecks:
    """What a save changes in the findings: the rules checked again, and those of them that find something."""

    rules: tuple[str, ...]
    findings: list[CheckedFinding]

    def to_json_dict(self) -> dict:
        return {"rules": list(self.rules), "findings": [finding_state(f) for f in self.findings]}


def findings_after_save(assessment: Assessment, codes) -> SavedChecks:
    """The findings of the rules that name any of the saved questions `codes`: only they can have
    changed. No query when no rule names them (with the assessment fetched with its rule set)."""
    book = rules_in_force(assessment)
    rules = book.naming(codes) if book is not None else ()
    if not rules:
        return SavedChecks((), [])
    named = {code for rule in rules for code in rule.questions}
    return SavedChecks(tuple(rule.code for rule in rules), _checked(assessment, rules, named))


def states_by_question(findings: list[CheckedFinding]) -> dict[str, list[dict]]:
    """The findings each question is named in, as the answering page shows them (`finding_state`)."""
    found: dict[str, list[dict]] = {}
    for checked in findings:
        state = finding_state(checked)
        for code in checked.finding.questions:
            found.setdefault(code, []).append(state)
    return found


def finding_state(checked: CheckedFinding) -> dict:
    """A finding as the answering page shows it, in the active language."""
    finding = checked.finding
    return {
        "rule": finding.rule,
        "questions": list(finding.questions),
        "codes": pgettext("between the items of a list", ", ").join(finding.questions),
        "severity": finding.severity,
        "label": severity_label(finding.severity),
        "message": pick(finding.message),
        "explained_by": checked.explanation.question if checked.explanation else None,
    }


def blocking(findings: list[CheckedFinding]) -> list[CheckedFinding]:
    """The warnings nobody has explained: they hold the submission up."""
    return [checked for checked in findings if checked.blocks_submission]


def blocking_message(held: list[CheckedFinding]) -> str:
    """Why a submission is refused, naming the questions of each unexplained warning."""
    groups = ", ".join("/".join(checked.finding.questions) for checked in held)
    return ngettext(
        "%(count)s warning is neither resolved nor explained (%(questions)s). Correct the answers, or say "
        "why they are right in the comment of one of the questions it names.",
        "%(count)s warnings are neither resolved nor explained (%(questions)s). Correct the answers, or say "
        "why they are right in the comment of one of the questions each names.",
        len(held),
    ) % {"count": len(held), "questions": groups}


def severity_label(severity: str) -> str:
    return _("Warning") if severity == "warning" else _("Notice")

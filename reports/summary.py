"""The report's executive summary, written as prose from the data (SPEC §6): where the city stands,
its entry point, the first three steps and what they cost against the budget, what comes after.

Every sentence is a translated template filled with figures, so the summary reads the same in
Chinese and English and says nothing the data does not.
"""

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from cities.models import Specialty
from common.money import money
from plans.compute import AdjustedPhase, PlanItem


def listing(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" in the active language."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(items)s and %(last)s") % {"items": _(", ").join(names[:-1]), "last": names[-1]}


def _title(item: PlanItem) -> str:
    """An action's title as it stands in a sentence (in quotation marks in Chinese)."""
    title = item.action.title if item.action else item.planned.action.code
    quoted = pgettext("an action's title in a sentence", "“%(title)s”")
    if quoted.startswith("“"):  # quotation marks inside quotation marks become single ones
        title = title.replace("“", "‘").replace("”", "’")
    return quoted % {"title": title}


def _sentences(parts: list[str]) -> str:
    """Sentences one after the other: with a space in English, none in Chinese."""
    return ("" if (get_language() or "").startswith("zh") else " ").join(part for part in parts if part)


def standing(report) -> str:
    """Where the city stands: overall score and level, weakest link, strongest and weakest direction."""
    overall = report.scores.overall
    if overall.score is None:
        return _("No score yet: too few questions have been answered.")
    parts = [
        _(
            "%(city)s scores %(score)s out of 100 overall, maturity level L%(level)s (%(name)s); "
            "its weakest-link level is L%(weakest)s."
        )
        % {
            "city": report.assessment.city.name,
            "score": f"{overall.score:.1f}",
            "level": overall.level,
            "name": report.level_label,
            "weakest": overall.weakest_level or "—",
        }
    ]
    strong, weak = report.strongest, report.weakest
    if strong and weak and strong.direction != weak.direction:
        parts.append(
            _("It is strongest in %(strong)s (%(strong_score)s) and weakest in %(weak)s (%(weak_score)s).")
            % {
                "strong": strong.label,
                "strong_score": f"{strong.node.score:.1f}",
                "weak": weak.label,
                "weak_score": f"{weak.node.score:.1f}",
            }
        )
    if report.scores.completeness.low_evidence:
        parts.append(_("Few answers carry evidence, so these figures are the city's own judgement."))
    return _sentences(parts)


def entry_point(report) -> str:
    """How the plan starts: with the action the consultant put first; else with the legal duties the
    answers leave undone, then the city's entry point (the action that builds on its specialty or
    location) within the year, else its most urgent gap."""
    first = report.first_priorities
    if not first:
        return _("No action is recommended: the answers are at or above every action's target.")
    if first[0].placed and not first[0].planned.entry:
        return _consultants_start(first)
    year_one = report.phases[0].items if report.phases else []
    duties = [item for item in year_one if item.planned.compliance]
    parts = []
    if duties:
        parts.append(
            ngettext(
                "Year one first closes a legal gap: %(actions)s.",
                "Year one first closes %(count)s legal gaps: %(actions)s.",
                len(duties),
            )
            % {"count": len(duties), "actions": listing([_title(item) for item in duties])}
        )
    candidates = [*year_one, *first]
    entry = next((item for item in candidates if item.planned.entry == "specialty"), None)
    location = next((item for item in candidates if item.planned.entry == "location"), None)
    if entry is not None:
        specialty = next((r.code for r in entry.planned.reasons if r.kind == "specialty"), "")
        label = str(Specialty(specialty).label) if specialty else ""
        if not (get_language() or "").startswith("zh"):
            label = label[:1].lower() + label[1:]  # mid-sentence in English
        parts.append(
            _("The plan starts from the city's own strength, %(specialty)s: %(action)s, to be done within the year.")
            % {"specialty": label, "action": _title(entry)}
        )
    elif location is not None:
        parts.append(
            _("The plan starts from where the city stands on the map: %(action)s, within the year.")
            % {"action": _title(location)}
        )
    elif not duties:
        parts.append(_("The plan starts with the city's most urgent gap: %(action)s.") % {"action": _title(first[0])})
    return _sentences(parts)


def _consultants_start(first: list[PlanItem]) -> str:
    """The plan starts where the consultant put it; the entry point, if among the first steps, follows."""
    parts = [_("The plan starts with %(action)s, which the consultant put first.") % {"action": _title(first[0])}]
    step, entry = next(((n, item) for n, item in enumerate(first, 1) if item.planned.entry), (0, None))
    if entry is not None:
        parts.append(
            _("The city's entry point, %(action)s, follows as step %(step)s.") % {"action": _title(entry), "step": step}
        )
    return _sentences(parts)


def first_steps(report) -> str:
    """The first three steps and what they cost against the year's budget and capacity."""
    first = report.first_priorities
    if not first:
        return ""
    build = sum(item.planned.cost for item in first)
    running = sum(item.planned.running_cost for item in first)
    near = report.phases[0] if report.phases else None
    parts = [
        ngettext(
            "The first step, %(steps)s, costs about %(build)s to build and %(running)s a year to run.",
            "The first %(count)s steps, %(steps)s, cost about %(build)s to build and %(running)s a year to run.",
            len(first),
        )
        % {
            "count": len(first),
            "steps": listing([_title(item) for item in first]),
            "build": money(build),
            "running": money(running),
        }
    ]
    if near is not None and report.annual_budget:
        parts.append(
            _(
                "Year one holds %(projects)s new projects (the city's team can run %(capacity)s) and spends "
                "%(spent)s of the %(headroom)s its budget of %(budget)s leaves for new work once the existing "
                "systems are paid (%(share)s%%)."
            )
            % {
                "projects": len(near.items),
                "capacity": near.capacity if near.capacity is not None else "—",
                "spent": money(near.spent),
                "headroom": money(near.available),
                "budget": money(near.budget),
                "share": round(100 * near.spent / near.available) if near.available > 0 else 100,
            }
        )
        if near.shortfall > 0:
            parts.append(
                _("Its legal duties alone need %(shortfall)s more than that: the city has to find the difference.")
                % {"shortfall": money(near.shortfall)}
            )
        if near.capacity is not None and len(near.items) >= near.capacity and near.spent < near.available / 2:
            parts.append(
                _(
                    "The year is bounded by what the team can run, not by money: with more people "
                    "(an administrator can raise the city's project capacity in its profile), more could start sooner."
                )
            )
    return _sentences(parts)


def what_comes_after(report) -> str:
    """The later phases, led by their first actions, and what does not fit."""
    later: list[AdjustedPhase] = [phase for phase in report.phases[1:] if phase.items]
    parts = []
    for phase in later:
        leading = listing([_title(item) for item in phase.items[:2]])
        parts.append(
            ngettext(
                "%(label)s: %(count)s project, %(leading)s, for %(cost)s.",
                "%(label)s: %(count)s projects, led by %(leading)s, for %(cost)s.",
                len(phase.items),
            )
            % {"label": phase.label, "count": len(phase.items), "leading": leading, "cost": money(phase.cost)}
        )
    if report.unscheduled:
        parts.append(
            ngettext(
                "%(count)s more action does not fit within five years; it is listed with the reason.",
                "%(count)s more actions do not fit within five years; they are listed with the reasons.",
                len(report.unscheduled),
            )
            % {"count": len(report.unscheduled)}
        )
    return _sentences(parts)


def executive_summary(report) -> list[str]:
    """The summary's paragraphs, in the active language."""
    paragraphs = (standing(report), entry_point(report), first_steps(report), what_comes_after(report))
    return [paragraph for paragraph in paragraphs if paragraph]

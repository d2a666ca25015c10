"""The results an assessment's overview shows: for a draft, provisional ones (what the answers
given so far score; also on the report page until submission), for a submitted assessment the
scores stored at submission.

A draft's scores are the engine's (`assessment.scores.scores_of`) over the current answers, so an
unanswered question simply does not count yet (as at submission); what is shown beside them is
how much of the questionnaire, and how much of it with evidence, they rest on. Nothing here is
stored: the stored scores are made once, at submission.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessment.answering import DirectionProgress, Progress
from assessment.models import Assessment, Direction
from assessment.scores import scores_of
from assessment.scoring import NodeScore, Scores
from common import charts

# The page's own fonts: the radar is drawn for the browser, not for the PDF.
WEB_FONT_STACK = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'


@dataclass(frozen=True)
class InterimDirection:
    label: str
    node: NodeScore
    progress: DirectionProgress


@dataclass(frozen=True)
class InterimResults:
    scores: Scores
    directions: list[InterimDirection]
    progress: Progress
    radar: SafeString
    provisional: bool

    @property
    def anything_scored(self) -> bool:
        return self.scores.overall.score is not None


def interim_results(assessment: Assessment, progress: Progress) -> InterimResults:
    """The scores (a draft's so far, a submitted assessment's as stored), per direction with its
    progress, and their radar chart."""
    scores = scores_of(assessment)
    by_direction = {d.direction: d for d in progress.directions}
    directions = [
        InterimDirection(Direction(name).label, node, by_direction[name])
        for name, node in scores.directions.items()
        if name in by_direction
    ]
    radar = charts.radar_chart(
        [d.label for d in directions],
        [d.node.score for d in directions],
        city_label=(_("%(city)s %(year)s, provisional") if assessment.is_draft else _("%(city)s %(year)s"))
        % {"city": assessment.city.name, "year": assessment.year},
        font_family=WEB_FONT_STACK,
    )
    return InterimResults(scores, directions, progress, mark_safe(radar), assessment.is_draft)  # noqa: S308 — charts escape every label

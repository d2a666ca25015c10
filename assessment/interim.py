"""Provisional results of a draft: what the answers given so far score, for the overview and
for the report page until the assessment is submitted.

The scores are the engine's (`assessment.scores.compute_scores`) over the current answers, so an
unanswered question simply does not count yet (as at submission); what is shown beside them is
how much of the questionnaire, and how much of it with evidence, they rest on. Nothing here is
stored: the stored scores are made once, at submission.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessment.answering import DirectionProgress, Progress
from assessment.models import Assessment, Direction
from assessment.scores import compute_scores
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

    @property
    def anything_scored(self) -> bool:
        return self.scores.overall.score is not None


def interim_results(assessment: Assessment, progress: Progress) -> InterimResults:
    """The draft's scores so far, per direction with its progress, and their radar chart."""
    scores = compute_scores(assessment)
    by_direction = {d.direction: d for d in progress.directions}
    directions = [
        InterimDirection(Direction(name).label, node, by_direction[name])
        for name, node in scores.directions.items()
        if name in by_direction
    ]
    radar = charts.radar_chart(
        [d.label for d in directions],
        [d.node.score for d in directions],
        city_label=_("%(city)s %(year)s, provisional") % {"city": assessment.city.name, "year": assessment.year},
        font_family=WEB_FONT_STACK,
    )
    return InterimResults(scores, directions, progress, mark_safe(radar))  # noqa: S308 — charts escape every label

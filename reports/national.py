"""National reference values (fixtures/national-indicators.yaml): what a city's number answers are
compared with when too few peer cities have submitted for a peer comparison (SPEC §6)."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

from common.bilingual import pick

INDICATOR_FILE = Path(settings.BASE_DIR) / "fixtures" / "national-indicators.yaml"


@dataclass(frozen=True)
class NationalIndicator:
    question: str
    name: dict
    value: float
    year: int
    kind: str  # "value" | "target"
    source: dict

    @property
    def label(self) -> str:
        return pick(self.name)

    @property
    def source_label(self) -> str:
        return pick(self.source)


@lru_cache(maxsize=4)
def national_indicators(path: Path = INDICATOR_FILE) -> dict[str, tuple[NationalIndicator, ...]]:
    """The reference values by questionnaire code, read once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    indicators = tuple(
        NationalIndicator(
            question=entry["question"],
            name=entry["name"],
            value=float(entry["value"]),
            year=int(entry["year"]),
            kind=entry["kind"],
            source=entry["source"],
        )
        for entry in data["indicators"]
    )
    codes = data.get("questionnaires") or [data["questionnaire"]]
    return dict.fromkeys(codes, indicators)


def indicators_for(questionnaire_code: str) -> tuple[NationalIndicator, ...]:
    return national_indicators().get(questionnaire_code, ())

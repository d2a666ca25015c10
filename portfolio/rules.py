"""Many cities at a glance: the rows of a portfolio, filtered, sorted and summed up.

Pure Python over plain data (`CityRow`); `portfolio.rows` reads the rows from the database.

Method:

* **One row per city**: its latest submitted assessment (or the one of the chosen year), with
  the stored scores as submitted: the overall and per-direction score and level, the overall
  weakest-link level, and completeness (the share of questions answered, N/A included). A city
  with no submitted assessment has a row with no scores ("not yet assessed").
* **Trend**: the overall score against the city's previous submitted assessment: up or down when
  it moved by at least `TREND_POINTS` points, else steady; none without an earlier one. When the
  two used different question bank versions the trend is marked (`across_versions`): the scores
  then measure partly different questions.
* **Filters** keep the rows that match every filter given (region, tier, specialty, cluster,
  overall level, year); **sorting** puts rows without a value last whatever the direction.
* **Distribution**: for each direction and overall, how many of the rows are at L1 … L5 and how
  many have no level.
* **Group average**: the plain mean of the rows' scores per direction and overall (every city
  counts once, whatever its size), over the rows that have a score.
* **Portfolio report**: the cities furthest behind in a direction are the lowest scores there;
  the most common gaps are the dimensions that most cities have at L1 or L2; the most common
  first steps are the actions that most cities' plans put among their first three.
"""

from dataclasses import dataclass, field
from statistics import fmean

DIRECTIONS = ("services", "governance", "industry", "infrastructure")
LEVELS = (1, 2, 3, 4, 5)
TREND_POINTS = 1.0
SORT_KEYS = ("name", "overall", *DIRECTIONS, "weakest", "completeness", "year")
NO_CLUSTER = "none"  # the cluster filter's value for cities outside every city cluster


@dataclass(frozen=True)
class Cell:
    score: float | None
    level: int | None


@dataclass(frozen=True)
class CityRow:
    city_id: int
    name: str
    province: str
    region: str
    tier: str
    cluster: str
    specialties: tuple[str, ...]
    assessment_id: int | None = None
    year: int | None = None
    overall: Cell = Cell(None, None)
    weakest_level: int | None = None
    directions: dict[str, Cell] = field(default_factory=dict)
    completeness: float | None = None
    previous_overall: float | None = None
    across_versions: bool = False  # the previous assessment used another question bank version
    demo: bool = False  # a generated demo profile (cities.City.is_demo)

    @property
    def assessed(self) -> bool:
        return self.assessment_id is not None

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "steady" against the previous submitted assessment; None without one."""
        if self.overall.score is None or self.previous_overall is None:
            return None
        change = self.overall.score - self.previous_overall
        if change >= TREND_POINTS:
            return "up"
        if change <= -TREND_POINTS:
            return "down"
        return "steady"

    def cell(self, direction: str) -> Cell:
        return self.directions.get(direction, Cell(None, None))


@dataclass(frozen=True)
class Filters:
    region: str = ""
    tier: str = ""
    specialty: str = ""
    cluster: str = ""  # a cluster, or NO_CLUSTER
    level: int | None = None  # overall level
    year: int | None = None

    def keeps(self, row: CityRow) -> bool:
        return (
            (not self.region or row.region == self.region)
            and (not self.tier or row.tier == self.tier)
            and (not self.specialty or self.specialty in row.specialties)
            and (not self.cluster or row.cluster == ("" if self.cluster == NO_CLUSTER else self.cluster))
            and (self.level is None or row.overall.level == self.level)
            and (self.year is None or row.year == self.year)
        )


def select(rows: list[CityRow], filters: Filters) -> list[CityRow]:
    return [row for row in rows if filters.keeps(row)]


def _sort_value(row: CityRow, key: str):
    if key == "name":
        return row.name
    if key == "overall":
        return row.overall.score
    if key == "weakest":
        return row.weakest_level
    if key in ("completeness", "year"):
        return getattr(row, key)
    return row.cell(key).score


def sort_rows(rows: list[CityRow], key: str, *, descending: bool = False) -> list[CityRow]:
    """Rows by `key` (one of SORT_KEYS), ties by name; rows without a value last either way."""
    if key not in SORT_KEYS:
        key = "name"
    with_value = [row for row in rows if _sort_value(row, key) is not None]
    without = sorted((row for row in rows if _sort_value(row, key) is None), key=lambda row: row.name)
    with_value.sort(key=lambda row: row.name)
    with_value.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    return with_value + without


def distribution(rows: list[CityRow]) -> dict[str, dict]:
    """For each direction and "overall": {level: count} for L1–L5, and None for rows without a level."""
    result = {}
    for name in (*DIRECTIONS, "overall"):
        counts = dict.fromkeys((*LEVELS, None), 0)
        for row in rows:
            level = row.overall.level if name == "overall" else row.cell(name).level
            counts[level] += 1
        result[name] = counts
    return result


def group_average(rows: list[CityRow]) -> dict[str, float | None]:
    """The plain mean score per direction and "overall" over the rows with a score; None for none."""
    averages = {}
    for name in (*DIRECTIONS, "overall"):
        scores = [row.overall.score if name == "overall" else row.cell(name).score for row in rows]
        present = [score for score in scores if score is not None]
        averages[name] = fmean(present) if present else None
    return averages


def furthest_behind(rows: list[CityRow], direction: str, count: int = 3) -> list[CityRow]:
    """The `count` rows with the lowest score in `direction` (or overall), lowest first."""
    scored = [row for row in rows if (row.overall if direction == "overall" else row.cell(direction)).score is not None]
    return sort_rows(scored, direction, descending=False)[:count]


def most_common(lists: list[list[str]], count: int = 5) -> list[tuple[str, int]]:
    """The codes found in most of the lists (each list counts a code once), most first, ties by code."""
    tally: dict[str, int] = {}
    for codes in lists:
        for code in set(codes):
            tally[code] = tally.get(code, 0) + 1
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))[:count]

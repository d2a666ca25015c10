"""The action catalogue file (fixtures/actions-*.yaml): validated whole, then imported as a new catalogue.

The 2027 keys (stage, running_cost, scales_with, funding, lead, kpi, prerequisite alternatives and
the wider `suits`) and the 2028 ones (the file's `bank`, each action's `outcome` and `compliance`)
are optional, so an older file still imports as it is.
"""

import re
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from assessment.models import Direction
from cities.geography import Province, Region
from cities.models import AdministrativeLevel, FunctionalZone, Specialty, Terrain
from common.data_text import DataTextError, read_data_file
from plans.models import (
    COST_TIER_FLOORS,
    Action,
    ActionCatalogue,
    CostTier,
    FundingSource,
    Horizon,
    ScalesWith,
    Stage,
    cost_tier_of,
)

CODE = re.compile(r"^[SGEI]-[A-Z0-9]+-\d{2}$")
_CODE_LENGTH = Action._meta.get_field("code").max_length
_DIMENSION_LENGTH = Action._meta.get_field("dimension").max_length
MAX_WHOLE_NUMBER = 2_147_483_647  # the largest whole number every database stores in a cost or a population
_ACTION_KEYS = {
    "code",
    "direction",
    "dimension",
    "title",
    "description",
    "triggers",
    "target_level",
    "cost_tier",
    "cost_range",
    "horizon",
    "prerequisites",
    "suits",
    "policy",
    "rationale",
    "stage",
    "running_cost",
    "scales_with",
    "funding",
    "lead",
    "kpi",
    "outcome",
    "compliance",
}
_TOP_KEYS = {"code", "title", "bank", "actions"}
_SUITS = {
    "specialties": set(Specialty.values),
    "regions": set(Region.values),
    "functional_zones": set(FunctionalZone.values),
    "provinces": set(Province.values),
    "levels": set(AdministrativeLevel.values),
    "terrains": set(Terrain.values),
}


class CatalogueFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_catalogue_file(path: str | Path) -> dict:
    """The catalogue file at `path` as plain data; a problem with the whole file is given without
    its path, which the command's message names."""
    try:
        data = read_data_file(path, json_format=False)
    except DataTextError as error:
        raise CatalogueFileError([str(error)]) from None
    if not isinstance(data, dict):
        raise CatalogueFileError(["expected a mapping with code, title and actions"])
    return data


def _text_problems(value, path: str, *, model=Action, required: bool = True, field: str = "") -> list[str]:
    """A text in both languages; within the length of its columns, named by `field` or else the last
    part of `path`."""
    if value is None and not required:
        return []
    if not isinstance(value, dict) or not isinstance(value.get("zh-hans"), str) or not value["zh-hans"].strip():
        return [f"{path}.zh-hans: is required"]
    problems = [f"{path}.{key}: unknown language" for key in value if key not in ("zh-hans", "en")]
    if not isinstance(value.get("en") or "", str):
        problems.append(f"{path}.en: expected text")
    field = field or path.rpartition(".")[2]
    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        text, limit = value.get(language), model._meta.get_field(f"{field}_{suffix}").max_length
        if isinstance(text, str) and limit is not None and len(text.strip()) > limit:
            problems.append(f"{path}.{language}: at most {limit} characters, got {len(text.strip()):,}")
    return problems


def _whole_number_problem(value, path: str, what: str, *, least: int = 0) -> list[str]:
    if isinstance(value, int) and not isinstance(value, bool) and least <= value <= MAX_WHOLE_NUMBER:
        return []
    return [f"{path}: expected a whole number of {what}, from {least} to {MAX_WHOLE_NUMBER:,}"]


def validate_catalogue(data: dict) -> list[str]:
    """Every problem of a catalogue file, by path."""
    problems = [f"{key}: unknown key" for key in sorted(set(data) - _TOP_KEYS, key=str)]
    bank = data.get("bank", "")
    if not isinstance(bank, str) or not re.fullmatch(r"[A-Za-z0-9_-]{0,50}", bank):
        problems.append("bank: expected the code of a question bank, e.g. smc-2027")
    if not isinstance(data.get("code"), str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,50}", data.get("code") or ""):
        problems.append("code: use at most 50 letters, digits, '-' or '_'")
    problems += _text_problems(data.get("title"), "title", model=ActionCatalogue)
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        return problems + ["actions: expected a non-empty list"]
    codes = _codes(actions)
    for i, action in enumerate(actions):
        path = f"actions[{i}]"
        if not isinstance(action, dict):
            problems.append(f"{path}: expected a mapping")
            continue
        problems += [f"{path}.{key}: unknown key" for key in sorted(set(action) - _ACTION_KEYS, key=str)]
        code = action.get("code")
        if not isinstance(code, str) or not CODE.match(code) or len(code) > _CODE_LENGTH:
            problems.append(f"{path}.code: expected a code like G-DATA-01, got {code!r}")
        elif codes.count(code) > 1:
            problems.append(f"{path}.code: duplicate code {code!r}")
        if action.get("direction") not in Direction.values:
            problems.append(f"{path}.direction: unknown direction {action.get('direction')!r}")
        dimension = action.get("dimension")
        if not isinstance(dimension, str) or not dimension.strip() or len(dimension) > _DIMENSION_LENGTH:
            problems.append(f"{path}.dimension: expected a dimension code")
        for key in ("title", "description"):
            problems += _text_problems(action.get(key), f"{path}.{key}")
        for key in ("rationale", "policy", "lead", "kpi"):
            problems += _text_problems(action.get(key), f"{path}.{key}", required=False)
        problems += _trigger_problems(action.get("triggers"), f"{path}.triggers")
        if action.get("target_level") not in (2, 3, 4, 5):
            problems.append(f"{path}.target_level: expected 2 to 5")
        problems += _cost_problems(action, path)
        if action.get("horizon") not in Horizon.values:
            problems.append(f"{path}.horizon: expected one of {', '.join(Horizon.values)}")
        problems += _prerequisite_problems(action, path, codes)
        problems += _money_and_stage_problems(action, path)
        problems += _suits_problems(action.get("suits", {}), f"{path}.suits")
        problems += _outcome_problems(action.get("outcome", []), f"{path}.outcome")
        problems += _compliance_problems(action.get("compliance"), f"{path}.compliance")
    problems += _stretch_prerequisite_problems(actions)
    problems += _duty_prerequisite_problems(actions)
    return problems + _cycle_problems(actions)


def _alternatives(prerequisite) -> list:
    """A prerequisite's codes: one code, or the alternatives of a list."""
    return prerequisite if isinstance(prerequisite, list) else [prerequisite]


def _codes(actions: list) -> list[str]:
    """The codes of the actions that have one that is text (other codes are reported, not looked up)."""
    return [a["code"] for a in actions if isinstance(a, dict) and isinstance(a.get("code"), str)]


def _prerequisite_codes(action: dict) -> list[str]:
    """Every code an action names among its prerequisites, alternatives included."""
    prerequisites = action.get("prerequisites")
    if not isinstance(prerequisites, list):
        return []
    return [code for p in prerequisites for code in _alternatives(p) if isinstance(code, str)]


def _prerequisite_problems(action: dict, path: str, codes: list) -> list[str]:
    prerequisites = action.get("prerequisites", [])
    expected = (
        f"{path}.prerequisites: expected codes of other actions of this catalogue, "
        "or lists of two or more codes of which any one is enough"
    )
    if not isinstance(prerequisites, list):
        return [expected]
    for prerequisite in prerequisites:
        alternatives = _alternatives(prerequisite)
        if (isinstance(prerequisite, list) and len(prerequisite) < 2) or any(
            not isinstance(a, str) or a not in codes or a == action.get("code") for a in alternatives
        ):
            return [expected]
    return []


def _money_and_stage_problems(action: dict, path: str) -> list[str]:
    problems = []
    problems += _whole_number_problem(action.get("running_cost", 0), f"{path}.running_cost", "10,000 CNY a year")
    if action.get("scales_with", "") not in ScalesWith.values:
        problems.append(f"{path}.scales_with: expected population or townships")
    if action.get("stage", Stage.STANDARD) not in Stage.values:
        problems.append(f"{path}.stage: expected one of {', '.join(Stage.values)}")
    funding = action.get("funding", [])
    if not isinstance(funding, list) or not all(source in FundingSource.values for source in funding):
        problems.append(f"{path}.funding: expected a list of {', '.join(FundingSource.values)}")
    return problems


def _outcome_problems(outcome, path: str) -> list[str]:
    """An outcome: a list of conditions, each a question with a level it reaches and/or items ticked."""
    if not isinstance(outcome, list):
        return [f"{path}: expected a list of conditions such as {{question: E4.5, at_least: 3}}"]
    problems = []
    for c, condition in enumerate(outcome):
        where = f"{path}[{c}]"
        keys = set(condition) if isinstance(condition, dict) else None
        if keys is None or "question" not in keys or keys - {"question", "at_least", "items"}:
            problems.append(f"{where}: expected question, and at_least and/or items")
            continue
        question = condition["question"]
        if not isinstance(question, str) or not question.strip() or len(question) > _DIMENSION_LENGTH:
            problems.append(f"{where}.question: expected the code of a question")
        if not keys & {"at_least", "items"}:
            problems.append(f"{where}: give at_least (a level) or items (checklist items)")
        if "at_least" in keys and condition["at_least"] not in (1, 2, 3, 4, 5):
            problems.append(f"{where}.at_least: expected a level from 1 to 5")
        items = condition.get("items", ["-"])
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
            problems.append(f"{where}.items: expected a list of checklist item codes")
    return problems


def _compliance_problems(compliance, path: str) -> list[str]:
    """A duty's legal or binding basis (and the year its deadline fell or falls due)."""
    if compliance is None:
        return []
    if not isinstance(compliance, dict) or set(compliance) - {"basis", "deadline"} or "basis" not in compliance:
        return [f"{path}: expected basis (the law or binding document) and optionally deadline (a year)"]
    problems = _text_problems(compliance["basis"], f"{path}.basis", model=Action, field="compliance_basis")
    deadline = compliance.get("deadline")
    if deadline is not None and (
        not isinstance(deadline, int) or isinstance(deadline, bool) or not 2000 <= deadline <= 2100
    ):
        problems.append(f"{path}.deadline: expected a year from 2000 to 2100")
    return problems


def _duty_prerequisite_problems(actions: list) -> list[str]:
    """A duty goes into the first year, with what it needs first: so its prerequisites must need
    nothing themselves (the engine allows no chain of three within a year)."""
    needs = {
        a["code"]: _prerequisite_codes(a) for a in actions if isinstance(a, dict) and isinstance(a.get("code"), str)
    }
    problems = []
    for i, action in enumerate(actions):
        if not isinstance(action, dict) or not action.get("compliance"):
            continue
        deep = sorted(code for code in _prerequisite_codes(action) if needs.get(code))
        if deep:
            problems.append(
                f"actions[{i}].prerequisites: a duty's prerequisites must need nothing first, but {', '.join(deep)} do"
            )
    return problems


def _stretch_prerequisite_problems(actions: list) -> list[str]:
    """A foundation or standard action never waits for a stretch action (the engine relies on it)."""
    advanced = set(_codes([a for a in actions if isinstance(a, dict) and a.get("stage") == Stage.ADVANCED]))
    problems = []
    for i, action in enumerate(actions):
        if not isinstance(action, dict) or action.get("stage") == Stage.ADVANCED:
            continue
        waits = sorted(advanced.intersection(_prerequisite_codes(action)))
        if waits:
            problems.append(
                f"actions[{i}].prerequisites: a {action.get('stage', 'standard')} action cannot wait for "
                f"a stretch action ({', '.join(map(str, waits))})"
            )
    return problems


def _trigger_problems(triggers, path: str) -> list[str]:
    if not isinstance(triggers, list) or not triggers:
        return [f"{path}: expected at least one trigger"]
    problems = []
    for t, trigger in enumerate(triggers):
        keys = set(trigger) if isinstance(trigger, dict) else set()
        if len(keys & {"question", "dimension"}) != 1 or keys - {"question", "dimension", "below"}:
            problems.append(f"{path}[{t}]: expected one of question or dimension, and below")
        elif trigger.get("below") not in (2, 3, 4, 5):
            problems.append(f"{path}[{t}].below: expected 2 to 5")
        elif not all(isinstance(trigger[key], str) and trigger[key].strip() for key in keys - {"below"}):
            problems.append(f"{path}[{t}]: expected the code of a question or a dimension")
    return problems


def _cost_problems(action: dict, path: str) -> list[str]:
    cost_range = action.get("cost_range")
    if (
        not isinstance(cost_range, list)
        or len(cost_range) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_WHOLE_NUMBER for v in cost_range)
        or cost_range[0] >= cost_range[1]
    ):
        return [f"{path}.cost_range: expected [low, high], whole numbers of 10,000 CNY with low < high"]
    tier = action.get("cost_tier")
    if tier not in CostTier.values:
        return [f"{path}.cost_tier: expected one of {', '.join(CostTier.values)}"]
    expected = cost_tier_of(sum(cost_range) / 2)
    if tier != expected:
        floors = ", ".join(f"{t} from {f}" for t, f in COST_TIER_FLOORS.items())
        return [f"{path}.cost_tier: the midpoint of cost_range is {expected!s}, not {tier} ({floors})"]
    return []


def _suits_problems(suits, path: str) -> list[str]:
    if not isinstance(suits, dict):
        return [f"{path}: expected a mapping"]
    problems = []
    for key, value in suits.items():
        if key == "cluster":
            if not isinstance(value, bool):
                problems.append(f"{path}.cluster: expected true or false")
        elif key == "min_population":
            problems += _whole_number_problem(value, f"{path}.min_population", "10,000 residents", least=1)
        elif key not in _SUITS:
            problems.append(f"{path}.{key}: unknown key")
        elif not isinstance(value, list) or not all(isinstance(v, str) and v in _SUITS[key] for v in value):
            problems.append(f"{path}.{key}: expected a list of {', '.join(sorted(_SUITS[key]))}")
    return problems


def _cycle_problems(actions: list) -> list[str]:
    """The actions that wait, through their prerequisites, on a circle: those that cannot be put in an
    order after everything they wait for. Without recursion, as a file may chain thousands."""
    waiting_on = {
        action["code"]: set(_prerequisite_codes(action))
        for action in actions
        if isinstance(action, dict) and isinstance(action.get("code"), str)
    }
    needed_by = defaultdict(set)
    for code, prerequisites in waiting_on.items():
        prerequisites &= waiting_on.keys()  # an unknown code is reported as such, not as a circle
        for prerequisite in prerequisites:
            needed_by[prerequisite].add(code)
    ready = [code for code, prerequisites in waiting_on.items() if not prerequisites]
    ordered = set()
    while ready:
        code = ready.pop()
        ordered.add(code)
        for later in needed_by[code]:
            waiting_on[later].discard(code)
            if not waiting_on[later]:
                ready.append(later)
    cyclic = sorted(waiting_on.keys() - ordered)
    return [f"actions: prerequisites form a circle through {', '.join(cyclic)}"] if cyclic else []


@transaction.atomic
def import_catalogue(data: dict) -> ActionCatalogue:
    """Create a new catalogue from valid data, whole or not at all."""
    problems = validate_catalogue(data)
    if not problems and ActionCatalogue.objects.filter(code=data["code"]).exists():
        problems = [f"code: a catalogue with code {data['code']!r} already exists"]
    if problems:
        raise CatalogueFileError(problems)
    catalogue = ActionCatalogue.objects.create(
        code=data["code"],
        title_zh=data["title"]["zh-hans"],
        title_en=data["title"].get("en") or "",
        bank=data.get("bank", ""),
    )
    Action.objects.bulk_create(_action(catalogue, entry) for entry in data["actions"])
    return catalogue


def _action(catalogue: ActionCatalogue, entry: dict) -> Action:
    def text(key, language):
        return ((entry.get(key) or {}).get(language) or "").strip()

    suits = entry.get("suits") or {}
    basis = (entry.get("compliance") or {}).get("basis") or {}
    return Action(
        catalogue=catalogue,
        code=entry["code"],
        direction=entry["direction"],
        dimension=entry["dimension"],
        **{
            f"{key}_{suffix}": text(key, language)
            for key in ("title", "description", "rationale", "policy", "lead", "kpi")
            for suffix, language in (("zh", "zh-hans"), ("en", "en"))
        },
        triggers=entry["triggers"],
        target_level=entry["target_level"],
        cost_tier=entry["cost_tier"],
        cost_low=entry["cost_range"][0],
        cost_high=entry["cost_range"][1],
        horizon=entry["horizon"],
        prerequisites=list(entry.get("prerequisites") or []),
        running_cost=entry.get("running_cost", 0),
        scales_with=entry.get("scales_with", ""),
        funding=list(entry.get("funding") or []),
        stage=entry.get("stage", Stage.STANDARD),
        suits_specialties=list(suits.get("specialties") or []),
        suits_cluster=suits.get("cluster"),
        suits_regions=list(suits.get("regions") or []),
        suits_functional_zones=list(suits.get("functional_zones") or []),
        suits_provinces=list(suits.get("provinces") or []),
        suits_levels=list(suits.get("levels") or []),
        suits_terrains=list(suits.get("terrains") or []),
        suits_min_population=suits.get("min_population"),
        outcome=list(entry.get("outcome") or []),
        compliance_basis_zh=(basis.get("zh-hans") or "").strip(),
        compliance_basis_en=(basis.get("en") or "").strip(),
        deadline=(entry.get("compliance") or {}).get("deadline"),
    )

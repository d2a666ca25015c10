"""The cities reference file (fixtures/cities.yaml): validated whole, then upserted by Chinese name."""

from pathlib import Path

from django.db import transaction

from cities.computing import ComputingCluster
from cities.geography import Province
from cities.models import (
    ESTIMABLE_FIELDS,
    AdministrativeLevel,
    City,
    CityCluster,
    ClusterRole,
    FunctionalZone,
    SpecialtyIndustry,
    Terrain,
)
from cities.products import clean_products, product_problems
from common.data_text import DataTextError, read_data_file

_FIELDS = {
    "name",
    "province",
    "level",
    "parent",
    "population",
    "gdp",
    "gdp_year",
    "digital_budget",
    "cluster",
    "functional_zone",
    "specialties",
    "note",
    "terrain",
    "townships",
    "project_capacity",
    "demo",
    # the profile plans and reports read (docs/cities.md)
    "cluster_role",
    "computing_cluster",
    "is_port",
    "own_data_centre",
    "villages",
    "enterprises_above_size",
    "hotline_seats",
    "specialty_products",
    "existing_running_cost",
    "budget_confirmed",
    "estimated",
}
# Amounts: the largest each column holds (10,000 residents; 100 million CNY; 10,000 CNY a year).
_AMOUNTS = {"population": 9_999_999, "gdp": 999_999_999, "digital_budget": 99_999_999}
# Whole numbers of the profile: the largest each column holds, far above any real city.
_COUNTS = {"villages": 100_000, "enterprises_above_size": 1_000_000, "hotline_seats": 10_000}
MAX_RUNNING_COST = 99_999_999  # 10,000 CNY a year: what the column holds


class CityFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _choice_problem(value, choices, path, *, nullable=False):
    if value is None and nullable:
        return None
    if value not in choices.values:
        return f"{path}: unknown value {value!r}"
    return None


def validate_cities(entries) -> list[str]:
    """Every problem in a list of city entries, by path."""
    if not isinstance(entries, list):
        return ["(file): expected a list of cities"]
    problems, names = [], set()
    specialties = set(SpecialtyIndustry.objects.values_list("code", flat=True))
    for i, entry in enumerate(entries):
        path = f"[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{path}: expected a mapping")
            continue
        problems += [f"{path}.{key}: unknown key" for key in sorted(set(entry) - _FIELDS)]
        name = (entry.get("name") or {}).get("zh-hans") if isinstance(entry.get("name"), dict) else None
        if not name or not isinstance(name, str):
            problems.append(f"{path}.name.zh-hans: is required")
            name = None
        elif name in names:
            problems.append(f"{path}.name: duplicate city {name}")
        names.add(name)
        problems += filter(
            None,
            [
                _choice_problem(entry.get("province"), Province, f"{path}.province"),
                _choice_problem(entry.get("level"), AdministrativeLevel, f"{path}.level"),
                _choice_problem(entry.get("cluster"), CityCluster, f"{path}.cluster", nullable=True),
                _choice_problem(entry.get("functional_zone"), FunctionalZone, f"{path}.functional_zone", nullable=True),
                _choice_problem(entry.get("terrain"), Terrain, f"{path}.terrain", nullable=True),
            ],
        )
        for key, most in _AMOUNTS.items():
            value = entry.get(key)
            if value is not None and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
                problems.append(f"{path}.{key}: expected a number of 0 or more, or null")
            elif value is not None and value > most:  # more than the column holds: a typo, never a city
                problems.append(f"{path}.{key}: expected at most {most:,}")
        year = entry.get("gdp_year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100):
            problems.append(f"{path}.gdp_year: expected a year from 1949 to 2100, or null")
        if "demo" in entry and not isinstance(entry["demo"], bool):
            problems.append(f"{path}.demo: expected true or false")
        for key in ("townships", "project_capacity"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                problems.append(f"{path}.{key}: expected a whole number of 1 or more, or null")
            elif value is not None and value > 10_000:  # a small column: more is a typo, never a city
                problems.append(f"{path}.{key}: expected at most 10,000")
        problems += _text_problems(entry, path)
        codes = entry.get("specialties") or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            problems.append(f"{path}.specialties: expected a list of specialty codes")
            codes = []
        unknown = set(codes) - specialties
        problems += [f"{path}.specialties: unknown specialty {code!r}" for code in sorted(unknown)]
        problems += _profile_problems(entry, path)
    return problems


# Bilingual texts: (Chinese, English) lengths their columns hold.
_TEXTS = {"name": (60, 100), "parent": (60, 100), "note": (300, 300)}


def _text_problems(entry: dict, path: str) -> list[str]:
    """Names, prefectures and notes: {zh-hans: ..., en: ...} with texts that fit their columns."""
    problems = []
    for key, (zh_most, en_most) in _TEXTS.items():
        texts = entry.get(key)
        if texts is None:
            continue
        if not isinstance(texts, dict):
            problems.append(f"{path}.{key}: expected {{zh-hans: ..., en: ...}}")
            continue
        problems += [f"{path}.{key}.{lang}: unknown key" for lang in sorted(set(texts) - {"zh-hans", "en"}, key=str)]
        for lang, most in (("zh-hans", zh_most), ("en", en_most)):
            text = texts.get(lang)
            if text is not None and (not isinstance(text, str) or len(text) > most):
                problems.append(f"{path}.{key}.{lang}: expected text of at most {most} characters")
    return problems


def _profile_problems(entry: dict, path: str) -> list[str]:
    """The problems of the fields plans and reports read: roles, flags, counts, products, the
    running cost of existing systems, and which values are estimates."""
    problems = list(
        filter(
            None,
            [
                _choice_problem(entry.get("cluster_role"), ClusterRole, f"{path}.cluster_role", nullable=True),
                _choice_problem(
                    entry.get("computing_cluster"), ComputingCluster, f"{path}.computing_cluster", nullable=True
                ),
            ],
        )
    )
    if entry.get("cluster_role") and not entry.get("cluster"):
        problems.append(f"{path}.cluster_role: only a city in a cluster has a role in it")
    for key in ("is_port", "own_data_centre"):
        if entry.get(key) is not None and not isinstance(entry[key], bool):
            problems.append(f"{path}.{key}: expected true, false or null (unknown)")
    if "budget_confirmed" in entry and not isinstance(entry["budget_confirmed"], bool):
        problems.append(f"{path}.budget_confirmed: expected true or false")
    for key, most in _COUNTS.items():
        value = entry.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most):
            problems.append(f"{path}.{key}: expected a whole number from 0 to {most:,}, or null")
    cost = entry.get("existing_running_cost")
    if cost is not None and (
        not isinstance(cost, int | float) or isinstance(cost, bool) or not 0 <= cost <= MAX_RUNNING_COST
    ):
        problems.append(f"{path}.existing_running_cost: expected a number from 0 to {MAX_RUNNING_COST:,}, or null")
    problems += [f"{path}.specialty_products{p}" for p in _products_with_place(entry.get("specialty_products"))]
    return problems + _estimated_problems(entry, path)


def _products_with_place(value) -> list[str]:
    # product_problems names the place inside the list ("[1].en: ..."), or none for the whole list
    return [p if p.startswith("[") else f": {p}" for p in product_problems(value)]


def _estimated_problems(entry: dict, path: str) -> list[str]:
    estimated = entry.get("estimated")
    if estimated is None:
        return []
    if not isinstance(estimated, list) or not all(isinstance(name, str) for name in estimated):
        return [f"{path}.estimated: expected a list of field names"]
    problems = [
        f"{path}.estimated: {name!r} cannot be an estimate" for name in estimated if name not in ESTIMABLE_FIELDS
    ]
    problems += [
        f"{path}.estimated: {name} has no value to be an estimate"
        for name in estimated
        if name in ESTIMABLE_FIELDS and entry.get(name) is None
    ]
    if len(set(estimated)) < len(estimated):
        problems.append(f"{path}.estimated: a field is named twice")
    return problems


def load_city_file(path: str | Path) -> list[dict]:
    try:
        return read_data_file(path, json_format=False)
    except DataTextError as error:
        raise CityFileError([f"{path}: {error}"]) from None


@transaction.atomic
def upsert_cities(entries: list[dict]) -> tuple[int, int]:
    """Create or update cities by Chinese name; returns (created, changed). Whole or nothing."""
    problems = validate_cities(entries)
    if problems:
        raise CityFileError(problems)
    specialties = {s.code: s for s in SpecialtyIndustry.objects.all()}
    existing = {c.name_zh: c for c in City.objects.prefetch_related("specialties")}
    created = changed = 0
    for entry in entries:
        values = {
            "name_en": entry["name"].get("en") or "",
            "is_demo": entry.get("demo") is True,
            "province": entry["province"],
            "level": entry["level"],
            "parent_zh": (entry.get("parent") or {}).get("zh-hans") or "",
            "parent_en": (entry.get("parent") or {}).get("en") or "",
            "population": entry.get("population"),
            "gdp": entry.get("gdp"),
            "gdp_year": entry.get("gdp_year"),
            "digital_budget": entry.get("digital_budget"),
            "cluster": entry.get("cluster") or "",
            "functional_zone": entry.get("functional_zone") or "",
            "terrain": entry.get("terrain") or "",
            "townships": entry.get("townships"),
            "project_capacity": entry.get("project_capacity"),
            "cluster_role": entry.get("cluster_role") or "",
            "computing_cluster": entry.get("computing_cluster") or "",
            "is_port": entry.get("is_port"),
            "own_data_centre": entry.get("own_data_centre"),
            "villages": entry.get("villages"),
            "enterprises_above_size": entry.get("enterprises_above_size"),
            "hotline_seats": entry.get("hotline_seats"),
            "specialty_products": clean_products(entry.get("specialty_products")),
            "existing_running_cost": entry.get("existing_running_cost"),
            "budget_confirmed": entry.get("budget_confirmed") is True,
            "estimated_fields": list(entry.get("estimated") or []),
            "note_zh": (entry.get("note") or {}).get("zh-hans") or "",
            "note_en": (entry.get("note") or {}).get("en") or "",
        }
        wanted = {specialties[code] for code in entry.get("specialties") or []}
        city = existing.get(entry["name"]["zh-hans"])
        if city is None:
            city = City.objects.create(name_zh=entry["name"]["zh-hans"], **values)
            city.specialties.set(wanted)
            created += 1
            continue
        differs = any(_differs(getattr(city, key), value) for key, value in values.items())
        if differs:
            for key, value in values.items():
                setattr(city, key, value)
            city.save()
        if set(city.specialties.all()) != wanted:
            city.specialties.set(wanted)
            differs = True
        changed += differs
    return created, changed


def _differs(current, new) -> bool:
    if current is None or new is None:
        return current != new
    if isinstance(new, int | float) and not isinstance(new, bool):
        return float(current) != float(new)
    return current != new

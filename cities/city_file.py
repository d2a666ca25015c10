"""The cities reference file (fixtures/cities.yaml): validated whole, then upserted by Chinese name."""

from pathlib import Path

from django.db import transaction

from cities.geography import Province
from cities.models import AdministrativeLevel, City, CityCluster, FunctionalZone, SpecialtyIndustry, Terrain
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
}


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
        if not name:
            problems.append(f"{path}.name.zh-hans: is required")
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
        for key in ("population", "gdp", "digital_budget"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
                problems.append(f"{path}.{key}: expected a number of 0 or more, or null")
        if "demo" in entry and not isinstance(entry["demo"], bool):
            problems.append(f"{path}.demo: expected true or false")
        for key in ("townships", "project_capacity"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                problems.append(f"{path}.{key}: expected a whole number of 1 or more, or null")
        unknown = set(entry.get("specialties") or []) - specialties
        problems += [f"{path}.specialties: unknown specialty {code!r}" for code in sorted(unknown)]
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

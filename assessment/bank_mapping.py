"""What a bank version says about other versions and standards: checked like the rest of the file.

Two kinds of mapping live in a question bank file (docs/formats.md):

* **Answer migration.** `previous_version` names the version whose answers this one can carry;
  each question's `migration` says which of its questions it continues and how: `same`
  (carried as is), `rescaled` (a level question whose statements changed; `levels` gives the new
  level of each old one), `split` (one old question continues into several new ones), `merged`
  (one new question combines several old ones) or `new`.
* **National framework.** `national_framework` lists the indicators of a national standard
  (GB/T 33356-2022); dimensions and questions name the indicators they measure in `national`.

The checks here only report problems (by path) into the bank file's checker; `bank_file`
imports, exports and rejects.
"""

from collections import defaultdict
from dataclasses import dataclass

HOWS = ("same", "rescaled", "split", "merged", "new")
SOURCE_COUNT = {"same": (1, 1), "rescaled": (1, 1), "split": (1, 1), "merged": (2, None), "new": (0, 0)}
_MIGRATION_KEYS = {"how", "from", "levels", "items"}
_FRAMEWORK_KEYS = {"code", "title", "note", "indicators"}
_INDICATOR_KEYS = {"code", "title", "children"}
LEVELS = range(1, 6)


@dataclass(frozen=True)
class OldQuestion:
    """What the migration check needs of a question of the previous version."""

    type: str
    unit: str = ""
    items: frozenset[str] = frozenset()


# National framework --------------------------------------------------------------------


def check_framework(check, framework) -> set[str]:
    """Check the `national_framework` block; return the indicator codes it defines."""
    codes: dict[str, str] = {}
    if framework is None:
        return set()
    path = "national_framework"
    if not check.mapping(framework, path, allowed=_FRAMEWORK_KEYS, required={"code", "title", "indicators"}):
        return set()
    if "code" in framework and not (isinstance(framework["code"], str) and framework["code"].strip()):
        check.add(f"{path}.code", "expected the standard's name, e.g. GB/T 33356-2022")
    for key in ("title", "note"):
        if key in framework:
            check.text(framework[key], f"{path}.{key}")
    for i, indicator in enumerate(check.items_list(framework.get("indicators", []), f"{path}.indicators")):
        _check_indicator(check, indicator, f"{path}.indicators[{i}]", codes, nested=True)
    return set(codes)


def _check_indicator(check, indicator, path: str, codes: dict[str, str], *, nested: bool):
    allowed = _INDICATOR_KEYS if nested else _INDICATOR_KEYS - {"children"}
    if not check.mapping(indicator, path, allowed=allowed, required={"code", "title"}):
        return
    if "code" in indicator:
        check.code(indicator["code"], f"{path}.code", codes)
    if "title" in indicator:
        check.text(indicator["title"], f"{path}.title")
    if nested and "children" in indicator:
        for c, child in enumerate(check.items_list(indicator["children"], f"{path}.children")):
            _check_indicator(check, child, f"{path}.children[{c}]", codes, nested=False)


def check_national(check, value, path: str, known: set[str], *, has_framework: bool):
    """A dimension's or question's `national` list: known indicator codes, each once."""
    if not has_framework:
        check.add(path, "national indicators need a national_framework at the top of the file")
        return
    if not isinstance(value, list):
        check.add(path, f"expected a list of indicator codes, got {type(value).__name__}")
        return
    seen = set()
    for k, code in enumerate(value):
        if not isinstance(code, str) or code not in known:
            check.add(f"{path}[{k}]", f"unknown indicator {code!r} (not in national_framework)")
        elif code in seen:
            check.add(f"{path}[{k}]", f"indicator {code!r} is listed twice")
        seen.add(code)


# Answer migration ----------------------------------------------------------------------


def check_migrations(check, data: dict, previous: dict[str, OldQuestion] | None):
    """Check every question's `migration` against the previous version's questions.

    `previous` is None when `previous_version` is absent or not loaded (reported by the caller).
    """
    has_previous = "previous_version" in data
    continued_by: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # old code -> (path, new code, how)
    for path, question in _questions(data):
        if "migration" not in question:
            continue
        mpath = f"{path}.migration"
        if not has_previous:
            check.add(mpath, "a migration needs previous_version at the top of the file")
            continue
        for old_code, how in _check_migration(check, question, question["migration"], mpath, previous):
            continued_by[old_code].append((mpath, str(question.get("code")), how))
    version = data.get("previous_version")
    for old_code, uses in continued_by.items():
        if len(uses) > 1 and any(how != "split" for _, _, how in uses):
            names = " and ".join(code for _, code, _ in uses)
            for mpath, _, _ in uses:
                check.add(
                    f"{mpath}.from",
                    f"{old_code} of {version} is continued by {names}: a question continued by several "
                    "must be split in each, or its answer would be carried twice or lost",
                )


def _questions(data: dict):
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list):
        return
    for d, dimension in enumerate(dimensions):
        questions = dimension.get("questions") if isinstance(dimension, dict) else None
        if not isinstance(questions, list):
            continue
        for q, question in enumerate(questions):
            if isinstance(question, dict):
                yield f"dimensions[{d}].questions[{q}]", question


def _check_migration(check, question: dict, migration, path: str, previous) -> list[tuple[str, str]]:
    """Problems of one question's migration; returns the (old code, how) pairs it claims."""
    if not check.mapping(migration, path, allowed=_MIGRATION_KEYS, required={"how"}):
        return []
    how = migration.get("how")
    if how not in HOWS:
        check.add(f"{path}.how", f"unknown way {how!r} (expected one of {', '.join(HOWS)})")
        return []
    sources = migration.get("from", [])
    if not isinstance(sources, list) or not all(isinstance(code, str | int) for code in sources):
        check.add(f"{path}.from", "expected a list of question codes of the previous version")
        return []
    sources = [str(code) for code in sources]
    low, high = SOURCE_COUNT[how]
    if len(sources) < low or (high is not None and len(sources) > high):
        wanted = {0: "no question", 1: "exactly one question"}.get(high, "two or more questions")
        check.add(f"{path}.from", f"'{how}' continues {wanted} of the previous version, got {len(sources)}")
        return []
    if len(set(sources)) != len(sources):
        check.add(f"{path}.from", "a question code is listed twice")
        return []
    for key in ("levels", "items"):
        if key in migration and how in ("same", "new") and not (key == "items" and how == "same"):
            check.add(f"{path}.{key}", f"'{key}' does not go with '{how}'")
    if previous is None or how == "new":
        return [(code, how) for code in sources]
    unknown = [code for code in sources if code not in previous]
    for code in unknown:
        check.add(f"{path}.from", f"unknown question {code} in the previous version")
    if unknown:
        return [(code, how) for code in sources if code not in unknown]
    _check_fit(check, question, migration, how, [previous[code] for code in sources], sources, path)
    return [(code, how) for code in sources]


def _check_fit(check, question, migration, how, olds: list[OldQuestion], sources, path):
    """Whether the old answers fit the new question the way `how` says."""
    new_type = question.get("type")
    if how == "rescaled":
        if new_type != "level":
            check.add(f"{path}.how", "only a level question can be rescaled")
            return
        old = olds[0]
        if old.type not in ("level", "yes_no"):
            check.add(f"{path}.from", f"{sources[0]} is a {old.type} question; only level or yes/no answers rescale")
            return
        if "levels" not in migration:
            check.add(f"{path}.levels", "is required: the new level of each old answer")
            return
        _check_levels(check, migration["levels"], f"{path}.levels", yes_no=old.type == "yes_no")
        return
    for code, old in zip(sources, olds, strict=True):
        if old.type != new_type:
            check.add(f"{path}.from", f"{code} is a {old.type} question, this one is {new_type}: map it as new")
            return
    if new_type == "number":
        if how == "merged":
            check.add(f"{path}.how", "numbers cannot be merged: continue one of them, or map the question as new")
        unit = question.get("unit", "")
        for code, old in zip(sources, olds, strict=True):
            if old.unit != unit:
                check.add(
                    f"{path}.from", f"{code} is counted in {old.unit or 'no unit'!s}, this one in {unit or 'no unit'}"
                )
    if "levels" in migration:
        if new_type != "level":
            check.add(f"{path}.levels", "levels can only be rescaled between level questions")
        else:
            _check_levels(check, migration["levels"], f"{path}.levels", yes_no=False)
    if new_type == "checklist":
        _check_items(check, question, migration, how, olds, sources, path)
    elif "items" in migration:
        check.add(f"{path}.items", "items only go with checklist questions")


def _check_levels(check, levels, path: str, *, yes_no: bool):
    if yes_no:
        if not isinstance(levels, dict) or set(levels) != {"yes", "no"}:
            check.add(path, "expected the new level of each answer: {yes: N, no: M}")
            return
        values = [levels["yes"], levels["no"]]
    else:
        if not isinstance(levels, list) or len(levels) != len(LEVELS):
            check.add(path, "expected five levels: the new level of old levels 1 to 5")
            return
        values = levels
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
            check.add(path, f"level {value!r} is out of range (levels are 1 to 5)")
            return


def _check_items(check, question, migration, how, olds, sources, path):
    new_items = {str(item.get("code")) for item in question.get("items") or [] if isinstance(item, dict)}
    renames = migration.get("items", {})
    if not isinstance(renames, dict):
        check.add(f"{path}.items", "expected a mapping of old item codes to new ones")
        return
    old_items = set().union(*(old.items for old in olds))
    for old_code, new_code in renames.items():
        if str(old_code) not in old_items:
            check.add(f"{path}.items.{old_code}", "no such item in the continued question")
        elif str(new_code) not in new_items:
            check.add(f"{path}.items.{old_code}", f"no item {new_code!r} in this question")
    if how == "same":
        lost = sorted(code for code in old_items if code not in new_items and code not in map(str, renames))
        if lost:
            check.add(
                f"{path}.items",
                f"items {', '.join(lost)} of {sources[0]} have no counterpart here: rename them in items, "
                "or map the question as split, so that the carried answer is reviewed",
            )

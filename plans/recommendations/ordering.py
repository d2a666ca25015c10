"""Step 4 of the method: the order of the ranked list. The city's entry points lead, prerequisites
come before what needs them (their priority raised to that of their most urgent dependent), and
the rest follows by priority: a topological order (Kahn's algorithm)."""

import heapq
import math
from collections import defaultdict
from collections.abc import Mapping

from plans.recommendations.model import DUTY, ENTRY, ENTRY_MAX_PREREQUISITES, EPSILON, FOUNDATION, OPTIONAL, ActionSpec

_LOCATION_TRAITS = {"zone": 0, "province": 1, "region": 2, "cluster": 3}  # the most telling first


def requirement_groups(
    action: ActionSpec, selected: Mapping[str, ActionSpec], met: set[str] | frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], ...]:
    """The action's prerequisites still to do, each reduced to its selected alternatives.

    A group is dropped when one of its alternatives is one the city already has (`met`), or when
    none of them is selected (the city meets them, or none suits it). A foundation or standard
    action never waits for a stretch action.
    """
    groups = []
    for group in action.requirement_groups:
        if any(a in met for a in group):
            continue
        alternatives = tuple(
            a for a in group if a in selected and a != action.code and (action.advanced or not selected[a].advanced)
        )
        if alternatives:
            groups.append(alternatives)
    return tuple(groups)


def _first_steps(code: str, groups: Mapping, priority: Mapping, memo: dict | None = None) -> tuple[str, ...]:
    """What must be done before `code`, in an order that can be followed: for each group the
    alternative with the fewest steps of its own (then the higher priority, then the code).
    `memo`: shared by calls with the same groups and priorities."""
    if not groups[code]:
        return ()
    memo = {} if memo is None else memo

    def steps(current: str, path: frozenset[str]) -> tuple[str, ...]:
        if current in memo:
            return memo[current]
        done: list[str] = []
        for group in groups[current]:
            if any(a in done for a in group):
                continue
            options = [(steps(a, path | {a}), a) for a in group if a not in path]
            if options:
                before, best = min(options, key=lambda o: (len(o[0]), -priority[o[1]], o[1]))
                done += [c for c in (*before, best) if c not in done]
        memo[current] = tuple(done)
        return memo[current]

    return steps(code, frozenset({code}))


def first_steps(code: str, groups: Mapping) -> tuple[str, ...]:
    """What must be done before `code` (the fewest steps; ties by code)."""
    return _first_steps(code, groups, defaultdict(float))


def entry_points(
    specs: Mapping,
    groups: Mapping,
    priority: Mapping,
    reasons_of: Mapping,
    strength: Mapping[str, int],
    year_one: Mapping[str, float] | None = None,
    means: float | None = None,
) -> dict[str, str]:
    """The city's entry points: its specialty action and its location action that can start
    within the year (near horizon, at most two near-horizon prerequisites first) and that the
    first year's money can pay for, with the first steps, beside the duties (`year_one`: what each
    action costs in its first year; `means`: what the first year leaves once the duties are paid,
    at the city's own budget; None: no limit). For the specialty, the one the city is already
    strongest in (its dimension's level) wins, so the plan builds on what the city does best; for
    the location, the most telling trait: a national functional zone, then a province (a national
    hub), the region, membership of a city cluster. Then priority."""
    entries: dict[str, str] = {}
    taken: set[str] = set()
    left = math.inf if means is None or year_one is None else means
    memo: dict = {}
    for kind, traits in (("specialty", {"specialty": 0}), ("location", _LOCATION_TRAITS)):
        candidates = []
        for code, action in specs.items():
            if action.advanced or action.horizon != "near" or code in taken:
                continue
            ranks = [traits[r.kind] for r in reasons_of[code] if r.kind in traits]
            if not ranks:
                continue
            first = _first_steps(code, groups, priority, memo)
            if len(first) > ENTRY_MAX_PREREQUISITES or any(specs[c].horizon != "near" for c in first):
                continue
            path_cost = 0.0 if year_one is None else sum(year_one[c] for c in (*first, code) if c not in taken)
            if path_cost <= left + EPSILON:
                rank = -strength.get(action.dimension, 0) if kind == "specialty" else min(ranks)
                candidates.append((rank, -priority[code], code, first, path_cost))
        if candidates:
            _, _, code, first, path_cost = min(candidates)
            entries[code] = kind
            taken |= {code, *first}
            left -= path_cost
    return entries


def lifted_priorities(specs: Mapping, groups: Mapping, priority: Mapping, entries: Mapping) -> dict[str, float]:
    """Priorities with the entry points on top and every prerequisite raised to its most urgent
    dependent (stretch actions raise nothing)."""
    top = max(priority.values(), default=1.0)
    lifted = {code: (top if code in entries else value) for code, value in priority.items()}
    changed = True
    while changed:  # a fixed point: at most as many rounds as the longest chain of prerequisites
        changed = False
        for code, action in specs.items():
            if action.advanced:
                continue
            for alternative in {a for group in groups[code] for a in group}:
                if lifted[alternative] < lifted[code] - EPSILON:
                    lifted[alternative] = lifted[code]
                    changed = True
    changed = True
    while changed:  # and a stretch action is never more urgent than what it waits for
        changed = False
        for code, action in specs.items():
            if action.advanced and groups[code]:
                cap = min(max(lifted[a] for a in group) for group in groups[code])
                if lifted[code] > cap + EPSILON:
                    lifted[code] = cap
                    changed = True
    return lifted


def tiers_of(specs: Mapping, groups: Mapping, entries: Mapping) -> dict[str, int]:
    """Each selected action's tier: a duty (a compliance action, and what it needs first), an entry
    point (and its first steps), a foundation (and what it needs first), or an optional project."""
    priority = dict.fromkeys(specs, 0.0)  # first steps: the fewest, then by code
    memo: dict = {}
    tiers = dict.fromkeys(specs, OPTIONAL)
    for tier, members in (
        (DUTY, [code for code, action in specs.items() if action.compliance]),
        (ENTRY, list(entries)),
        (FOUNDATION, [code for code, action in specs.items() if action.foundation]),
    ):
        for code in members:
            for step in (*_first_steps(code, groups, priority, memo), code):
                tiers[step] = min(tiers[step], tier)
    return tiers


def topological_order(
    groups: Mapping, lifted: Mapping, entries: Mapping, tiers: Mapping | None = None, deadlines: Mapping | None = None
) -> list[str]:
    """Kahn's algorithm: next comes the free action of the first tier (duties by their deadline,
    then the entry points and their first steps — specialty before location —, the foundations,
    the rest), then with the highest lifted priority; an action is free once one alternative of
    each of its groups is out."""
    tiers, deadlines = tiers or {}, deadlines or {}
    entry_rank = {}
    for code, kind in sorted(entries.items(), key=lambda e: e[1] != "specialty"):
        for step in (*_first_steps(code, groups, lifted), code):
            entry_rank.setdefault(step, 0 if kind == "specialty" else 1)

    def key(code):
        deadline = deadlines.get(code)
        return (
            tiers.get(code, OPTIONAL),
            math.inf if deadline is None else deadline,
            entry_rank.get(code, 2),
            -lifted[code],
            code,
        )

    waiting = {code: [set(group) for group in code_groups] for code, code_groups in groups.items()}
    dependents: dict[str, list[str]] = {code: [] for code in groups}
    for code, code_groups in groups.items():
        for alternative in sorted({a for group in code_groups for a in group}):
            dependents[alternative].append(code)
    free = [key(code) for code, pending in waiting.items() if not pending]
    heapq.heapify(free)
    order: list[str] = []
    out: set[str] = set()
    while len(order) < len(groups):
        # Only a circle of prerequisites leaves nothing free: it is broken at the best action.
        code = heapq.heappop(free)[-1] if free else min((c for c in groups if c not in out), key=key)
        if code in out:
            continue
        order.append(code)
        out.add(code)
        for dependent in dependents[code]:
            if dependent not in out and waiting[dependent]:
                waiting[dependent] = [group for group in waiting[dependent] if code not in group]
                if not waiting[dependent]:
                    heapq.heappush(free, key(dependent))
    return order

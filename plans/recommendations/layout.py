"""Step 5 of the method, its working state: a ranked list laid out on the three phases at one budget
(`Layouts`), and the money and projects booked in each phase (`Ledger`). `roadmap` drives them
through every budget at which the plan could change."""

import math
from collections.abc import Mapping

from plans.recommendations.model import EPSILON, PHASE_INDEX, PHASES, ActionSpec, PlannedAction
from plans.recommendations.ordering import requirement_groups

YEARS = tuple(end - start for _, (start, end) in PHASES)
PHASE_WEIGHTS = (1.0, 0.9, 0.8)  # a plan's value counts an action done sooner for more


class Layouts:
    """The roadmap's working state for one ranked list: the actions by position, and how to lay
    them out at a budget. A layout is a list `where`: for each action its phase (0, 1, 2), -1 when
    it was tried and fits nowhere, or None while it has not been tried yet."""

    UNSCHEDULED = -1

    def __init__(self, planned: tuple[PlannedAction, ...], capacity: tuple[int, ...] | None):
        self.planned = list(planned)
        position = {p.action.code: i for i, p in enumerate(self.planned)}
        specs = {p.action.code: p.action for p in self.planned}
        # Alternatives not in the list are ones the city meets, or that do not suit it: left out.
        self.groups = [
            tuple(
                positions
                for group in _groups_of(p, specs)
                if (positions := tuple(position[a] for a in group if a in position))
            )
            for p in self.planned
        ]
        self.horizon = [PHASE_INDEX.get(p.action.horizon, 0) for p in self.planned]
        # For each action and each phase it could be built in: (phase, charge) for every phase it costs money in.
        self.charges = [
            [
                tuple(
                    (i, (p.cost if i == phase else 0.0) + p.running_cost * YEARS[i])
                    for i in range(phase, len(PHASES))
                    if (p.cost if i == phase else 0.0) + p.running_cost * YEARS[i] > 0
                )
                for phase in range(len(PHASES))
            ]
            for p in self.planned
        ]
        self.capacity = list(capacity) if capacity else [None] * len(PHASES)
        self.worth = [p.worth for p in self.planned]
        self.entry = [bool(p.entry) for p in self.planned]
        self.min_budget = [p.min_budget for p in self.planned]
        self._last_fresh: dict | None = None

    def value(self, where: list) -> tuple[int, float]:
        """`plan_value` of a layout."""
        entries, worth = 0, 0.0
        for phase, entry, action_worth in zip(where, self.entry, self.worth, strict=True):
            if phase is not None and phase >= 0:
                worth += PHASE_WEIGHTS[phase] * action_worth
                entries += entry and phase == 0
        return entries, round(worth, 9)

    def earliest(self, index: int, where: list) -> int | None:
        """The earliest phase the action may go into, or None when a prerequisite is unscheduled."""
        earliest = self.horizon[index]
        for group in self.groups[index]:
            placed = [where[a] for a in group if where[a] is not None and where[a] >= 0]
            if not placed:
                return None
            earliest = max(earliest, min(placed))
        return earliest

    def settled(self, index: int, where: list) -> bool:
        """Every prerequisite group has an alternative placed, or has had every one tried."""
        for group in self.groups[index]:  # most actions have no group left: the loop is skipped
            if not any(where[a] is not None and where[a] >= 0 for a in group) and any(where[a] is None for a in group):
                return False
        return True

    def fresh(self, budget: float) -> tuple[list, float]:
        """The layout made afresh at this budget (as `lay_out` without `kept`), reusing the last
        one up to the first action whose placement the higher budget changes."""
        last = self._last_fresh
        if last is None or last["waited"] or budget < last["budget"]:
            return self._fresh_from(budget, 0, None)
        first = next((i for i, need in enumerate(last["failed_at"]) if need <= budget), len(self.planned))
        return self._fresh_from(budget, first, last)

    def _fresh_from(self, budget: float, first: int, last: dict | None) -> tuple[list, float]:
        ledger = Ledger(budget, self)
        if last is None:
            where: list = [None] * len(self.planned)
            failed_at, snapshots = [math.inf] * len(self.planned), [None] * len(self.planned)
        else:
            where = last["where"][:first] + [None] * (len(self.planned) - first)
            failed_at = last["failed_at"][:first] + [math.inf] * (len(self.planned) - first)
            snapshots = last["snapshots"]
            if first < len(self.planned):
                ledger.committed, ledger.projects = list(snapshots[first][0]), list(snapshots[first][1])
            ledger.high = min(failed_at[:first], default=math.inf)
        waited = False
        for index in range(first, len(self.planned)):
            snapshots[index] = (tuple(ledger.committed), tuple(ledger.projects))
            if not self.settled(index, where):
                waited = True  # an alternative comes later in the list: lay the rest out the long way
                break
            ledger.failed_at = math.inf
            phase = self._place(index, where, ledger)
            where[index] = self.UNSCHEDULED if phase is None else phase
            failed_at[index] = ledger.failed_at
        if waited:
            self._last_fresh = {"waited": True}
            return self.lay_out(budget)
        if last is not None and first >= len(self.planned):
            ledger.committed = list(last["committed"])
        self._last_fresh = {
            "budget": budget,
            "where": where,
            "failed_at": failed_at,
            "snapshots": snapshots,
            "waited": False,
            "committed": tuple(ledger.committed),
        }
        return where, min(failed_at, default=math.inf)

    def _place(self, index: int, where: list, ledger: "Ledger") -> int | None:
        """Book the action into the earliest phase it may go into that has room and money."""
        if ledger.budget < self.min_budget[index]:  # a stretch action not yet on offer at this budget
            ledger.high = min(ledger.high, self.min_budget[index])
            ledger.failed_at = min(ledger.failed_at, self.min_budget[index])
            return None
        earliest = self.earliest(index, where)
        return None if earliest is None else ledger.place(index, earliest)

    def lay_out(self, budget: float, kept: list | None = None) -> tuple[list, float]:
        """The actions `kept`, each moved to the earliest phase where it now fits, then every other
        action in turn into the earliest phase with room and money at this budget; an action whose
        prerequisite has an alternative still to come waits for it. Also returns the smallest
        budget at which one more action would move or fit (the next change)."""
        ledger = Ledger(budget, self)
        where: list = [None] * len(self.planned)
        if kept:
            for i, phase in enumerate(kept):
                if phase is not None and phase >= 0:
                    ledger.book(i, phase)
                    where[i] = phase
            moved = True
            while moved:  # moves to earlier phases, in ranked order, until none is left
                moved = False
                for i, now in enumerate(where):
                    if now is None or now < 0:
                        continue
                    earliest = self.earliest(i, where)
                    if earliest is not None and earliest < now:
                        ledger.book(i, now, sign=-1)
                        phase = ledger.place(i, earliest, before=now)
                        where[i] = now if phase is None else phase
                        if phase is None:
                            ledger.book(i, now)
                        moved = moved or phase is not None
        waiting: list[int] = []
        for index in range(len(self.planned)):
            if where[index] is not None:
                continue
            waiting.append(index)
            while waiting:  # place whatever is ready, in ranked order; the rest waits for an alternative
                ready = next((i for i in waiting if self.settled(i, where)), None)
                if ready is None:
                    break
                waiting.remove(ready)
                phase = self._place(ready, where, ledger)
                where[ready] = self.UNSCHEDULED if phase is None else phase
        for i in waiting:  # only a circle of prerequisites is left: none of it can be done
            where[i] = self.UNSCHEDULED
        return where, ledger.high


class Ledger:
    """Money and projects committed in each phase at one budget, and `high`: the smallest budget
    at which a placement that failed here would have fitted."""

    def __init__(self, budget: float, layouts: Layouts):
        self.budget = budget
        self.layouts = layouts
        self.committed = [0.0] * len(PHASES)
        self.projects = [0] * len(PHASES)
        self.high = math.inf
        self.failed_at = math.inf  # the same, for the action being placed (reset by the caller)

    def money_fits(self, index: int, phase: int, *, alone: bool = False, record: bool = True) -> bool:
        need = 0.0  # the budget from which every phase can pay
        for i, charge in self.layouts.charges[index][phase]:
            need = max(need, (charge + (0.0 if alone else self.committed[i]) - EPSILON) / YEARS[i])
        fits = self.budget >= need
        if record and not fits:
            self.high = min(self.high, need)
            self.failed_at = min(self.failed_at, need)
        return fits

    def room(self, phase: int) -> bool:
        limit = self.layouts.capacity[phase]
        return limit is None or self.projects[phase] < limit

    def book(self, index: int, phase: int, sign: int = 1) -> None:
        for i, charge in self.layouts.charges[index][phase]:
            self.committed[i] += sign * charge
        self.projects[phase] += sign

    def place(self, index: int, earliest: int, *, before: int = len(PHASES)) -> int | None:
        """The earliest phase from `earliest` on (and before `before`) with room and money for the
        action, booked; None when there is none."""
        capacity = self.layouts.capacity
        for phase in range(earliest, before):
            if (capacity[phase] is None or self.projects[phase] < capacity[phase]) and self.money_fits(index, phase):
                self.book(index, phase)
                return phase
        return None


def _groups_of(planned: PlannedAction, specs: Mapping[str, ActionSpec]) -> tuple[tuple[str, ...], ...]:
    """The selected prerequisite groups: as `select_actions` worked them out, else from the list."""
    return planned.requires if planned.requires is not None else requirement_groups(planned.action, specs)

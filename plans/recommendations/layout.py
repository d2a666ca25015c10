"""Step 5 of the method, its working state: a ranked list laid out on the three phases at one budget
(`Layouts`), and the money, projects and chains booked in each phase (`Ledger`). `roadmap` drives
them through the budgets at which the plan could change."""

import math
from collections.abc import Mapping

from plans.recommendations.model import (
    DUTY,
    ENTRY,
    EPSILON,
    FOUNDATION,
    MAX_CHAIN_IN_PHASE,
    PHASE_INDEX,
    PHASES,
    TRADE_MARGIN,
    YEARS,
    ActionSpec,
    PlannedAction,
)
from plans.recommendations.ordering import requirement_groups

PHASE_WEIGHTS = (1.0, 0.9, 0.8)  # a plan's value counts an action done sooner for more
UNSCHEDULED = -1


def grown_capacity(base: tuple[int, ...] | None, budget: float, reference: float) -> list[int | None]:
    """New projects per phase at `budget`: the city's own (`base`, at its own budget `reference`),
    plus one a year for every doubling of the budget beyond it — a larger budget buys more
    projects, not only dearer ones. Never below the city's own."""
    if base is None:
        return [None] * len(PHASES)
    doublings = math.floor(math.log2(budget / reference) + EPSILON) if reference > 0 and budget > reference else 0
    return [count + max(doublings, 0) * years for count, years in zip(base, YEARS, strict=True)]


class Layouts:
    """The roadmap's working state for one ranked list: the actions by position, and how to lay
    them out at a budget. A layout is a list `where`: for each action its phase (0, 1, 2), -1 when
    it was tried and fits nowhere, or None while it has not been tried yet.

    The duties and the foundations (with the first steps they need) have their places whatever the
    budget (`_place_forced`); every other action goes into the earliest phase its horizon and
    prerequisites allow that has room, money, and no chain of more than two."""

    def __init__(
        self,
        planned: tuple[PlannedAction, ...],
        capacity: tuple[int, ...] | None,
        *,
        reference_budget: float = 0.0,
        baseline: float = 0.0,
    ):
        self.planned = list(planned)
        position = {p.action.code: i for i, p in enumerate(self.planned)}
        specs = {p.action.code: p.action for p in self.planned}
        # Alternatives not in the list are ones the city meets, or that do not suit it: left out.
        self.groups = [
            tuple(
                positions
                for group in groups_of(p, specs)
                if (positions := tuple(position[a] for a in group if a in position))
            )
            for p in self.planned
        ]
        self.horizon = [PHASE_INDEX.get(p.action.horizon, 0) for p in self.planned]
        self.cost = [p.cost for p in self.planned]
        self.running = [p.running_cost for p in self.planned]
        self.base_capacity = tuple(capacity) if capacity else None
        self.reference_budget = reference_budget
        self.baseline = baseline
        self.worth = [p.worth for p in self.planned]
        self.entry = [bool(p.entry) for p in self.planned]
        self.tier = [p.tier for p in self.planned]
        self.min_budget = [p.min_budget for p in self.planned]
        # For each action and each phase it could be built in: (phase, money) for every phase it costs money in.
        self.charges = [
            [
                tuple(
                    (i, charge)
                    for i in range(phase, len(PHASES))
                    if (charge := (cost if i == phase else 0.0) + running * YEARS[i]) > 0
                )
                for phase in range(len(PHASES))
            ]
            for cost, running in zip(self.cost, self.running, strict=True)
        ]
        self.forced = [tier in (DUTY, FOUNDATION) for tier in self.tier]
        # What a project may be traded for when capacity binds: only an optional project that is
        # nobody's prerequisite (the duties, foundations and the entry points' paths stay put).
        needed = {a for groups in self.groups for group in groups for a in group}
        self.tradable = [tier > FOUNDATION and i not in needed for i, tier in enumerate(self.tier)]
        self.by_worth = sorted(range(len(self.planned)), key=lambda i: (-self.worth[i], i))
        self.forced_where, self.forced_count = self._place_forced()
        self._forced_ledger = Ledger(0.0, self)
        for i, phase in enumerate(self.forced_where):
            if phase is not None and phase >= 0:
                self._forced_ledger.book(i, phase, self.forced_where)

    def _place_forced(self) -> tuple[list, list[int]]:
        """Where the duties and foundations go, whatever the budget: the duties into the first
        phase, the foundations in ranked order into the earliest phase their horizon and
        prerequisites allow with room in the city's own capacity (less a slot of the first year
        kept for the entry point) and no chain of three. Money does not move them: what a phase
        cannot pay of them is its shortfall."""
        where: list = [None] * len(self.planned)
        self.forced_reason = [""] * len(self.planned)
        count = [0] * len(PHASES)
        limit = list(self.base_capacity) if self.base_capacity else [math.inf] * len(PHASES)
        self.entry_slot = self._specialty_path()
        limit[0] -= self.entry_slot
        depth: dict[int, int] = {}
        for index, forced in enumerate(self.forced):
            if not forced:
                continue
            earliest = self.earliest(index, where)
            if earliest is None:
                where[index] = UNSCHEDULED  # a prerequisite it needs is not among the forced ones
                self.forced_reason[index] = "capacity"
                continue
            phases = [0] if self.tier[index] == DUTY else range(earliest, len(PHASES))
            full = True
            for phase in phases:
                chain = _chain(self.groups[index], phase, where, depth)
                full = full and count[phase] >= limit[phase]
                if self.tier[index] == DUTY or (count[phase] < limit[phase] and chain <= MAX_CHAIN_IN_PHASE):
                    where[index], depth[index] = phase, chain
                    count[phase] += 1
                    break
            else:
                where[index] = UNSCHEDULED
                self.forced_reason[index] = "capacity" if full else "step_by_step"
        return where, count

    def _specialty_path(self) -> int:
        """How many projects the city's entry point takes in year one: the first entry point in the
        ranked list (the specialty's, else the location's) with the first steps before it. Their
        slots of the first year are kept for them (`entry_path`): nothing else may take them."""
        path: list[int] = []
        for i, planned in enumerate(self.planned):
            if planned.tier != ENTRY or self.forced[i]:
                continue
            path.append(i)
            if planned.entry:
                self.entry_path = frozenset(path)
                return len(path)
        self.entry_path = frozenset()
        return 0

    def capacity(self, budget: float) -> list[int | None]:
        """New projects per phase at this budget; the first year always keeps a slot for the entry
        point beside the duties, however many they are."""
        capacity = grown_capacity(self.base_capacity, budget, self.reference_budget)
        if capacity[0] is not None:
            capacity[0] = max(capacity[0], self.forced_count[0] + self.entry_slot)
        return capacity

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
        if not self.groups[index]:
            return earliest
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

    def _place(self, index: int, where: list, ledger: "Ledger") -> int | None:
        """Book the action into the earliest phase it may go into that has room and money."""
        if ledger.budget < self.min_budget[index]:  # a stretch action not yet on offer at this budget
            ledger.high = min(ledger.high, self.min_budget[index])
            return None
        earliest = self.earliest(index, where)
        if earliest is None:
            return None
        phase = ledger.place(index, earliest, where)
        if phase is not None and phase > earliest:
            ledger.high = min(ledger.high, self._moves_earlier_at(index, earliest, where, ledger))
        return phase

    def _moves_earlier_at(self, index: int, earliest: int, where: list, ledger: "Ledger") -> float:
        """For an action of the entry point's path booked later than `earliest`: the smallest budget
        at which it would fit into an earlier phase, so that the plan is looked at again there (its
        kept slot of year one waits for it). Infinity for any other action."""
        now = where[index]
        if index not in self.entry_path or now <= earliest:
            return math.inf
        ledger.unbook(index, now, where)
        need = min((ledger.need(index, p) for p in range(earliest, now) if ledger.room(p, index)), default=math.inf)
        ledger.book(index, now, where)
        return need if need > ledger.budget + EPSILON else math.inf

    def lay_out(self, budget: float) -> tuple[list, "Ledger"]:
        """A fresh layout at this budget: every action in turn into the earliest phase with room and
        money; an action whose prerequisite has an alternative still to come waits for it. The
        ledger's `high` is the smallest budget at which one more action would fit (the next change)."""
        ledger = Ledger(budget, self, start=self._forced_ledger)  # the duties and foundations first
        where: list = list(self.forced_where)
        waiting: list[int] = []
        groups, place = self.groups, self._place
        for index in range(len(self.planned)):
            if where[index] is not None:
                continue
            if not waiting and not groups[index]:  # nothing to wait for: the common case, at once
                phase = place(index, where, ledger)
                where[index] = UNSCHEDULED if phase is None else phase
                continue
            waiting.append(index)
            while waiting:  # place whatever is ready, in ranked order; the rest waits for an alternative
                ready = next((i for i in waiting if self.settled(i, where)), None)
                if ready is None:
                    break
                waiting.remove(ready)
                phase = place(ready, where, ledger)
                where[ready] = UNSCHEDULED if phase is None else phase
        for i in waiting:  # only a circle of prerequisites is left: none of it can be done
            where[i] = UNSCHEDULED
        self._trade_up(where, ledger)
        return where, ledger

    def top_up(self, budget: float, where: list, ledger: "Ledger") -> float:
        """Grow a layout at a larger budget, in place: each action moves to an earlier phase where it
        now fits (one pass, in ranked order), then every unscheduled action is tried again, in ranked
        order, until none more fits; then waiting projects take the slots of less valuable ones
        (`_trade_up`).
        Nothing moves later; a project leaves the plan only for a more valuable one. Returns the
        smallest budget at which one more action would fit, or the entry point's path move earlier."""
        capacity = self.capacity(budget)
        grown = capacity != ledger.capacity
        ledger.budget, ledger.capacity = budget, capacity
        changed = grown  # whether the layout changed: else no trade can have become possible but by money
        open_from = next((phase for phase in range(len(PHASES)) if ledger.room(phase)), len(PHASES))
        moving = math.inf  # the smallest budget at which the entry point's path moves earlier
        for i, now in enumerate(where):
            if now is None or now <= open_from or self.forced[i]:  # no earlier phase has room
                continue
            earliest = self.earliest(i, where)
            if earliest is not None and earliest < now and any(ledger.room(p, i) for p in range(earliest, now)):
                ledger.unbook(i, now, where)
                if ledger.place(i, earliest, where, before=now, record=False) is None:
                    ledger.book(i, now, where)
                else:
                    changed = True
                moving = min(moving, self._moves_earlier_at(i, earliest, where, ledger))
        again = True
        forced, min_budget, groups, horizon = self.forced, self.min_budget, self.groups, self.horizon
        entry_path, place = self.entry_path, ledger.place
        while again:  # once more only when an action waits for an alternative placed after it
            again, waits, ledger.high = False, False, math.inf
            full_from = ledger.full_from()  # no slot from there on (but for the entry point's path)
            if full_from == 0 and not any(where[i] == UNSCHEDULED for i in entry_path):
                break  # every phase is full: nothing more to place, only trades
            for i, now in enumerate(where):
                if now != UNSCHEDULED or forced[i]:
                    continue
                earliest = self.earliest(i, where) if groups[i] else horizon[i]
                if earliest is None:
                    waits = True
                elif budget < min_budget[i]:  # a stretch action not yet on offer
                    ledger.high = min(ledger.high, min_budget[i])
                elif (earliest < full_from or i in entry_path) and place(i, earliest, where) is not None:
                    again, changed = again or waits, True
                    full_from = ledger.full_from()
                    if i in entry_path:
                        moving = min(moving, self._moves_earlier_at(i, earliest, where, ledger))
        if changed or budget >= ledger.trade_high:
            self._trade_up(where, ledger)
        ledger.high = min(ledger.high, moving)
        return ledger.high

    def _weakest(self, where: list) -> list[tuple]:
        """Each phase's least valuable tradable project, as (value, -position, position), the later
        in the ranked list first among equals; (infinity, 0, None) for a phase without one."""
        weakest: list[tuple] = [(math.inf, 0, None)] * len(PHASES)
        worth, tradable = self.worth, self.tradable
        for j, at in enumerate(where):
            if at is not None and at >= 0 and tradable[j] and (worth[j], -j) < weakest[at][:2]:
                weakest[at] = (worth[j], -j, j)
        return weakest

    def _trade_up(self, where: list, ledger: "Ledger") -> None:
        """When capacity binds, a slot goes to the more valuable project: the waiting actions, the
        most valuable first, each take the place of the least valuable tradable project of a full
        phase they may go into, when worth TRADE_MARGIN times as much and the money allows once
        that project is out (the earliest such phase). A displaced project waits in its turn, and
        is placed again where there is room. Each trade raises the plan's value, so growing the plan
        still never lowers it. When only money stops a trade, `trade_high` learns the budget at
        which it would go through (`trade_at` makes it then)."""
        worth, forced, by_worth = self.worth, self.forced, self.by_worth
        ledger.trade_high = math.inf
        weakest = self._weakest(where)
        floor = _floor_from(weakest)
        for i in by_worth:
            if worth[i] <= floor[0] * TRADE_MARGIN + EPSILON:
                return  # every one after is worth less still: no trade left
            if where[i] != UNSCHEDULED or forced[i] or ledger.budget < self.min_budget[i]:
                continue
            earliest = self.earliest(i, where) if self.groups[i] else self.horizon[i]
            if earliest is None or floor[earliest] * TRADE_MARGIN >= worth[i] - EPSILON:
                continue
            traded = self._trade(i, earliest, where, ledger, weakest)
            if traded is not None:
                phase, out = traded
                weakest[phase] = self._weakest(where)[phase]
                floor = _floor_from(weakest)
                self._replace(out, where, ledger)

    def trade_at(self, budget: float, where: list, ledger: "Ledger") -> None:
        """The trades a larger budget allows, and nothing else: where only a trade's money changed."""
        ledger.budget = budget
        self._trade_up(where, ledger)

    def _replace(self, index: int, where: list, ledger: "Ledger") -> None:
        """A displaced project into the earliest phase it may go into with room and money, if any."""
        earliest = self.earliest(index, where)
        if earliest is not None and ledger.full_from() > earliest:
            ledger.place(index, earliest, where, record=False)

    def _trade(self, index: int, earliest: int, where: list, ledger: "Ledger", weakest: list) -> tuple[int, int] | None:
        """One trade for `index`: the phase and the project displaced, or None."""
        mine = self.worth[index]
        for phase in range(earliest, len(PHASES)):
            value, _, out = weakest[phase]
            if value * TRADE_MARGIN >= mine - EPSILON or ledger.room(phase, index):
                continue  # nothing worth less enough, or not full: capacity does not bind here
            need = ledger.need(index, phase, freed=self.charges[out][phase])
            if ledger.budget < need:
                ledger.trade_high = min(ledger.trade_high, need)
                continue
            if self.groups[index] and _chain(self.groups[index], phase, where, ledger.depth) > MAX_CHAIN_IN_PHASE:
                continue
            ledger.unbook(out, phase, where)
            where[out] = UNSCHEDULED
            where[index] = phase
            ledger.book(index, phase, where)
            return phase, out
        return None


def _floor_from(weakest: list[tuple]) -> tuple[float, ...]:
    """For each phase, the value of the least valuable tradable project in it or a later phase."""
    floor, floors = math.inf, []
    for value, _, _ in reversed(weakest):
        floor = min(floor, value)
        floors.append(floor)
    return tuple(reversed(floors))


def _chain(groups, phase: int, where: list, depth: Mapping[int, int]) -> int:
    """How long the chain of prerequisites within `phase` would be with an action of these
    prerequisite `groups` placed there (`depth`: the chain of each action placed)."""
    if not groups:
        return 1
    longest = 0
    for group in groups:
        placed = [a for a in group if where[a] is not None and where[a] >= 0]
        if placed and min(where[a] for a in placed) == phase:
            longest = max(longest, min(depth.get(a, 1) for a in placed if where[a] == phase))
    return longest + 1


def _rank(phase) -> int:
    return len(PHASES) if phase is None or phase < 0 else phase


class Ledger:
    """Money, projects and chains committed in each phase at one budget, and `high`: the smallest
    budget at which a placement that failed here would have fitted."""

    def __init__(self, budget: float, layouts: Layouts, start: "Ledger | None" = None):
        self.budget = budget
        self.layouts = layouts
        self.capacity = layouts.capacity(budget)
        self.committed = list(start.committed) if start else [0.0] * len(PHASES)
        self.projects = list(start.projects) if start else [0] * len(PHASES)
        # The first year's slots still kept for the entry point's path (`Layouts.entry_path`).
        self.reserved = start.reserved if start else layouts.entry_slot
        # placed action → the length of its chain within its phase
        self.depth: dict[int, int] = dict(start.depth) if start else {}
        self.high = math.inf
        self.trade_high = math.inf  # the smallest budget at which a trade only money stopped would go through

    def need(self, index: int, phase: int, *, alone: bool = False, freed: tuple = ()) -> float:
        """The smallest annual budget at which the action fits in `phase` (and every later phase pays
        its running cost), the existing systems' running cost included; `freed`: the charges of a
        project taken out to make room, as (phase, money)."""
        need = 0.0
        committed = self.committed
        out = dict(freed) if freed else {}
        for i, charge in self.layouts.charges[index][phase]:
            taken = 0.0 if alone else committed[i] - out.get(i, 0.0)
            need = max(need, (charge + taken - EPSILON) / YEARS[i])
        return need + self.layouts.baseline if need > 0 else 0.0

    def money_fits(self, index: int, phase: int, *, alone: bool = False, record: bool = True) -> bool:
        need = self.need(index, phase, alone=alone)
        fits = self.budget >= need
        if record and not fits:
            self.high = min(self.high, need)
        return fits

    def room(self, phase: int, index: int | None = None) -> bool:
        """Whether the phase has a slot for another project; for `index`, one that action may take
        (the first year's slots kept for the entry point's path are taken for anything else)."""
        limit = self.capacity[phase]
        if limit is None:
            return True
        if phase == 0 and index is not None and index not in self.layouts.entry_path:
            limit -= self.reserved
        return self.projects[phase] < limit

    def full_from(self) -> int:
        """The first phase from which on every phase is full for an action outside the entry
        point's path (len(PHASES): the last phase has a slot)."""
        for phase in range(len(PHASES) - 1, -1, -1):
            if self.room(phase, -1):
                return phase + 1
        return 0

    def chain(self, index: int, phase: int, where: list) -> int:
        """How long the chain of prerequisites within `phase` would be with the action placed there."""
        return _chain(self.layouts.groups[index], phase, where, self.depth)

    def book(self, index: int, phase: int, where: list, sign: int = 1) -> None:
        committed = self.committed
        for i, charge in self.layouts.charges[index][phase]:
            committed[i] += sign * charge
        self.projects[phase] += sign
        if phase == 0 and index in self.layouts.entry_path:
            self.reserved -= sign
        if sign > 0:
            groups = self.layouts.groups[index]
            self.depth[index] = _chain(groups, phase, where, self.depth) if groups else 1
        else:
            self.depth.pop(index, None)

    def unbook(self, index: int, phase: int, where: list) -> None:
        self.book(index, phase, where, sign=-1)

    def place(
        self, index: int, earliest: int, where: list, *, before: int = len(PHASES), record: bool = True
    ) -> int | None:
        """The earliest phase from `earliest` on (and before `before`) with room, money and a short
        enough chain for the action, booked; None when there is none. When there is none and
        `record`, `high` learns the budget at which it would fit. (The engine's innermost loop:
        `room`, `money_fits` and `chain` written out.)"""
        capacity, projects, committed = self.capacity, self.projects, self.committed
        layouts = self.layouts
        charges, groups, baseline = layouts.charges[index], layouts.groups[index], layouts.baseline
        kept = 0 if index in layouts.entry_path else self.reserved  # the entry point's slots of year one
        lowest = math.inf  # the smallest budget at which it would fit in one of these phases
        for phase in range(earliest, before):
            limit = capacity[phase]
            if limit is not None and projects[phase] >= (limit - kept if phase == 0 else limit):
                continue
            need = 0.0
            for i, charge in charges[phase]:
                money = (charge + committed[i] - EPSILON) / YEARS[i]
                if money > need:
                    need = money
            if need > 0:
                need += baseline
            if self.budget < need:
                lowest = min(lowest, need)
                continue
            if groups and _chain(groups, phase, where, self.depth) > MAX_CHAIN_IN_PHASE:
                continue
            where[index] = phase
            self.book(index, phase, where)
            return phase
        if record and lowest < self.high:  # it fits nowhere: the plan changes when it would fit
            self.high = lowest
        return None


def groups_of(planned: PlannedAction, specs: Mapping[str, ActionSpec]) -> tuple[tuple[str, ...], ...]:
    """The selected prerequisite groups: as `select_actions` worked them out, else from the list."""
    return planned.requires if planned.requires is not None else requirement_groups(planned.action, specs)

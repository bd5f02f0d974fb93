"""The body tree as it stood on a date, and the bodies a report of a given scope covers.

``Body.parent`` is the parent today; ``BodyMove`` rows record every change of parent from a
date. The tree on day D puts each body under the parent of its latest move on or before D,
or — when every move came after D — under the ``old_parent`` of its first move (the moves
after D undone). Bodies and moves are loaded once (two queries) and resolved in Python,
whatever the number of bodies.

A report year's tree holds every body that existed at some time in the year, each under the
parent it had on 31 December, or on the day it was abolished when that fell in the year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from disclosure.models import Body, BodyMove
from disclosure.vocab import BodyKind

SCOPE_OWN = "own"
SCOPE_LEVEL = "level"
SCOPE_ALL = "all"

# Bodies through which a 本级 (level) report reaches further down: a government's own
# departments and other bodies, never subordinate governments or 乡镇(街道).
LEVEL_KINDS = frozenset({BodyKind.DEPARTMENT, BodyKind.OTHER})


@dataclass(frozen=True)
class TreeNode:
    id: int
    parent_id: int | None
    kind: str
    name: str
    code: str


@dataclass(frozen=True)
class Tree:
    """Bodies keyed by id, each with the parent it had on its reference day."""

    nodes: dict[int, TreeNode]
    children: dict[int | None, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, nodes: Iterable[TreeNode]) -> Tree:
        by_id = {node.id: node for node in nodes}
        children: dict[int | None, list[int]] = defaultdict(list)
        for node in sorted(by_id.values(), key=lambda n: (n.code, n.id)):
            # A parent outside the tree (not existing then) leaves the body at the top.
            parent = node.parent_id if node.parent_id in by_id else None
            children[parent].append(node.id)
        return cls(by_id, {key: tuple(value) for key, value in children.items()})

    def parent_of(self, body_id: int) -> int | None:
        parent = self.nodes[body_id].parent_id
        return parent if parent in self.nodes else None

    def children_of(self, body_id: int | None) -> tuple[int, ...]:
        return self.children.get(body_id, ())

    def descendants(self, body_id: int, *, through: frozenset[str] | None = None) -> list[int]:
        """Depth-first below ``body_id`` (not included); with ``through``, only children of
        those kinds are taken, and only they are descended into."""
        found: list[int] = []
        seen = {body_id}  # a history recorded out of order must not loop
        stack = list(reversed(self.children_of(body_id)))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if through is not None and self.nodes[current].kind not in through:
                continue
            found.append(current)
            stack.extend(reversed(self.children_of(current)))
        return found


def _parent_on(
    current_parent: int | None, moves: list[tuple[datetime.date, int | None, int | None]], day
) -> int | None:
    """``moves`` sorted by date: (moved_on, old_parent_id, new_parent_id)."""
    if not moves:
        return current_parent
    earlier = [move for move in moves if move[0] <= day]
    if earlier:
        return earlier[-1][2]
    return moves[0][1]


def _load(start: datetime.date, end: datetime.date):
    """Bodies existing at some time in ``start`` … ``end`` and every move (two queries)."""
    bodies = list(
        Body.objects.existing_between(start, end).values_list(
            "id", "parent_id", "kind", "name", "code", "abolished_on"
        )
    )
    moves: dict[int, list[tuple[datetime.date, int | None, int | None]]] = defaultdict(list)
    for body_id, moved_on, old_parent, new_parent in BodyMove.objects.order_by(
        "moved_on", "pk"
    ).values_list("body_id", "moved_on", "old_parent_id", "new_parent_id"):
        moves[body_id].append((moved_on, old_parent, new_parent))
    return bodies, moves


def tree_between(start: datetime.date, end: datetime.date) -> Tree:
    """Every body existing at some time in ``start`` … ``end`` (inclusive), under the parent
    it had on ``end`` — or on the day it was abolished, when that came first."""
    bodies, moves = _load(start, end)
    nodes = []
    for body_id, parent_id, kind, name, code, abolished_on in bodies:
        day = min(end, abolished_on) if abolished_on else end
        nodes.append(
            TreeNode(body_id, _parent_on(parent_id, moves[body_id], day), kind, name, code)
        )
    return Tree.build(nodes)


def tree_on(day: datetime.date) -> Tree:
    """The tree as it stood on ``day``: bodies existing that day under that day's parents."""
    return tree_between(day, day)


def year_tree(year: int) -> Tree:
    return tree_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def scope_ids(tree: Tree, body_id: int, scope: str) -> list[int]:
    """The bodies a report of ``scope`` covers in ``tree``, the body itself first."""
    if scope == SCOPE_OWN:
        return [body_id]
    if body_id not in tree.nodes:
        # The body did not exist in the period: it covers itself alone.
        return [body_id]
    if scope == SCOPE_ALL:
        return [body_id, *tree.descendants(body_id)]
    if scope == SCOPE_LEVEL:
        return [body_id, *tree.descendants(body_id, through=LEVEL_KINDS)]
    raise ValueError(f"unknown scope {scope!r}")


def bodies_in_scope(body: Body | int, year: int, scope: str) -> list[int]:
    """Ids of the bodies a ``scope`` report of ``body`` for ``year`` covers, body first.

    ``own``: the body alone (no query). ``level`` (本级): the body and the bodies below it
    reached through 政府部门 and 其他 bodies only. ``all`` (全域): the whole subtree. Both over
    the report year's tree (two queries).
    """
    body_id = body if isinstance(body, int) else body.pk
    if scope == SCOPE_OWN:
        return [body_id]
    if scope not in (SCOPE_LEVEL, SCOPE_ALL):
        raise ValueError(f"unknown scope {scope!r}")
    return scope_ids(year_tree(year), body_id, scope)

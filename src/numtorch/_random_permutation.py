"""torch's CPU permutations and categorical draws: ``randperm`` and ``multinomial``.

NOTE [ randperm's two shuffles ]
Below n = 214748364 (2**32 // 20) torch shuffles 0..n-1 by a forward Fisher-Yates:
for i in 0..n-2, swap a[i] with a[i + draw % (n - i)], one 32-bit draw per step. From that
size up it uses the "inside-out" variant with 64-bit draws: for i in 0..n-1, a[i] = a[z] and
a[z] = i with z = draw % (i + 1) -- the same as putting i at a[i] and swapping a[i] with a[z].

Both are sequences of swaps, which a NumPy loop would run one by one. They are resolved here in
bulk instead, by following where values travel:
* forward: position i is final after step i, holding what was at i + z_i just before. That is
  the value its previous visitor brought there (the last earlier step with the same target), or
  the original value if no step went there before; and what a step k brought is what stood at
  position k when step k ran -- again the last earlier step targeting k, or k itself. Those
  "last earlier step" links form a forest; its roots are the values, found by pointer doubling.
* inside-out: value i lands on z_i at step i and moves on to m whenever a later step m draws its
  current position; from m it can only move to the first later step drawing m. Following the
  chain of "first later step drawing this position", again by pointer doubling, gives its final
  place.
Each is a stable sort and O(log n) passes over arrays; the result equals the loop's exactly.
"""

from __future__ import annotations

import numpy as np

from ._random_engine import Engine

__all__ = ["randperm", "forward_shuffle", "inside_out_shuffle", "multinomial_with_replacement",
           "top_keys", "LARGE_RANDPERM"]

LARGE_RANDPERM = 2**32 // 20  # torch switches to the inside-out shuffle from here
_PICK_CHUNK = 1 << 22


def _roots(parent: np.ndarray) -> np.ndarray:
    """The root of every node of a forest given as parent links (a root is its own parent).

    Pointer doubling, in place: each pass links the unfinished nodes to their grandparents, and
    a node is finished once its parent is a root, so later passes touch fewer and fewer nodes.
    """
    parent = parent.copy()
    active = np.flatnonzero(parent != np.arange(parent.size))
    while active.size:
        up = parent[active]
        grand = parent[up]
        parent[active] = grand
        active = active[grand != up]
    return parent


def _group_by_target(targets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps sorted by target, in step order within a target: (targets, steps, same-as-previous)."""
    steps = np.arange(targets.size, dtype=np.int64)
    # one unstable sort of a combined key is ~3x faster than a stable sort of the targets
    order = np.argsort(targets * max(targets.size, 1) + steps)
    sorted_targets = targets[order]
    return sorted_targets, order, np.r_[False, sorted_targets[1:] == sorted_targets[:-1]]


def forward_shuffle(n: int, offsets: np.ndarray) -> np.ndarray:
    """The forward Fisher-Yates of 0..n-1 where step i swaps a[i] and a[i + offsets[i]]."""
    steps = n - 1
    if steps <= 0:
        return np.arange(max(n, 0), dtype=np.int64)
    targets = np.arange(steps, dtype=np.int64) + offsets.astype(np.int64)
    tg, st, same = _group_by_target(targets)
    previous = np.full(steps, -1, np.int64)  # the last earlier step with the same target
    previous[st[same]] = st[np.flatnonzero(same) - 1]
    # parent[t]: the last step before t that targeted position t (what stood at t at step t)
    parent = np.arange(n, dtype=np.int64)
    before = st < tg
    tb, sb = tg[before], st[before]
    last = np.r_[tb[1:] != tb[:-1], True] if tb.size else np.zeros(0, bool)
    parent[tb[last]] = sb[last]
    value_at_step = _roots(parent)
    out = np.empty(n, np.int64)
    out[:steps] = np.where(previous >= 0, value_at_step[np.maximum(previous, 0)], targets)
    out[steps] = value_at_step[steps]
    return out


def inside_out_shuffle(n: int, picks: np.ndarray) -> np.ndarray:
    """The inside-out shuffle where step i sets a[i] = a[picks[i]], a[picks[i]] = i."""
    if n <= 0:
        return np.zeros(0, np.int64)
    picks = picks.astype(np.int64, copy=False)
    tg, st, same = _group_by_target(picks)
    later = np.full(n, -1, np.int64)  # the next step drawing the same position
    later[st[np.flatnonzero(same) - 1]] = st[same]
    # hop[q]: the first step after q that draws position q (moves what sits at q to that step)
    first = ~same
    q, m0 = tg[first], st[first]
    del tg, st, same, first  # n can be in the hundreds of millions here
    hop = np.arange(n, dtype=np.int64)  # no later step: q is where things stay
    hop[q] = np.where(m0 > q, m0, later[m0])
    hop[hop < 0] = np.flatnonzero(hop < 0)
    del q, m0
    end = _roots(hop)
    del hop
    final = np.where(later >= 0, end[np.maximum(later, 0)], picks)
    del end, later
    out = np.empty(n, np.int64)
    out[final] = np.arange(n, dtype=np.int64)
    return out


def randperm(engine: Engine, n: int) -> np.ndarray:
    """torch's ``randperm(n)`` as int64 (NOTE [ randperm's two shuffles ])."""
    if n < LARGE_RANDPERM:
        spans = np.arange(n, 1, -1, dtype=np.uint64)  # n - i for i in 0..n-2
        return forward_shuffle(n, engine.random(n - 1) % spans if n > 1 else spans)
    picks = np.empty(n, np.int64)
    for start in range(0, n, _PICK_CHUNK):  # in chunks: the raw draws alone would be 16n bytes
        stop = min(n, start + _PICK_CHUNK)
        spans = np.arange(start + 1, stop + 1, dtype=np.uint64)  # i + 1
        picks[start:stop] = engine.random64(stop - start) % spans
    return inside_out_shuffle(n, picks)


# NOTE [ multinomial ]
# With replacement and more than one sample, each row (in order) becomes a cumulative sum in the
# row's dtype (float32 for float16), divided by its total, with the last entry set to 1; each of
# its samples is a float64 uniform u and the pick is the first category whose cumulative value
# is >= u (a binary search). Without replacement, or for a single sample, torch draws
# q = exponential_(1) over the whole weight tensor, divides the weights by q in their dtype and
# takes the arg-max, or the top-k sorted by key. Keys tie only among zero weights, which are
# picked only when more samples are asked for than there are non-zero weights; among those
# torch's top-k order comes from its partial sort and is not reproduced (lowest index first).


def multinomial_with_replacement(engine: Engine, rows: np.ndarray, n: int) -> np.ndarray:
    """``n`` picks per row of the 2-D weights ``rows`` (NOTE [ multinomial ])."""
    acc = np.float32 if rows.dtype == np.float16 else rows.dtype
    u = (engine.random64(rows.shape[0] * n) & np.uint64(2**53 - 1)).astype(np.float64)
    u = (u * 2.0**-53).reshape(rows.shape[0], n)
    picks = np.empty((rows.shape[0], n), np.int64)
    for r, row in enumerate(rows.astype(acc)):
        cumulative = np.cumsum(row)  # sequential, in the row's precision, as torch's loop
        cumulative /= cumulative[-1]
        cumulative[-1] = 1
        picks[r] = np.searchsorted(cumulative.astype(np.float64), u[r], side="left")
    return picks


def top_keys(keys: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest keys of each row, largest first (ties: lowest index)."""
    if n == 1:
        return np.argmax(keys, axis=-1)[..., None]
    return np.argsort(-keys, axis=-1, kind="stable")[..., :n]

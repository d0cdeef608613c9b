"""Contractions over named dims: einsum and tensordot, built from permute, sum, mul and bmm/mm.

NOTE [ einsum as permutes and batched products ]
Every subscript (letter or ellipsis dim) gets a place in one aligned order: the output
subscripts first, then the contracted ones. Each operand takes its repeated subscripts'
diagonals, is permuted into that order and gets size-1 dims for the subscripts it lacks,
and sums at once the subscripts no other operand and not the output has. The operands are
then combined left to right: subscripts that no later operand has are contracted by one
``bmm`` (the other dims split into batch, left-only and right-only groups), and a pair with
nothing to contract is a broadcast ``mul``. Gradients (and double backward) come from those
ops, and the grad_fn torch reports (ViewBackward0, MulBackward0, SumBackward1,
PermuteBackward0) comes out the same.
"""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor, _wrap_dim
from .linalg import _finish, bmm, mm
from .pointwise import mul
from .reduction import sum as _sum
from .shape import permute, reshape

__all__ = ["einsum", "tensordot"]
METHODS: list[str] = []
INPLACE: list[str] = []

_N_LETTERS = 52  # labels 0-25 are A-Z, 26-51 a-z (implicit output sorts them so); ellipsis dims
# are 52, 53, ... in the broadcast ellipsis space
_ELLIPSIS = -1  # marks "..." in a parsed term


def _label(c: str) -> int:
    return ord(c) - ord("A") if c <= "Z" else ord(c) - ord("a") + 26


def _letter(label: int) -> str:
    return chr(ord("A") + label) if label < 26 else chr(ord("a") + label - 26)


def einsum(*args: Any) -> Tensor:
    """Sum of products over the subscripts of an Einstein-summation equation.

    ``einsum("ij,jk->ik", a, b)`` is ``a @ b``; without ``->`` the output holds the
    subscripts that appear once, sorted, after any ellipsis dims. A repeated subscript in
    one operand takes a diagonal (``"ii->i"``), ``...`` stands for broadcast dims, and the
    operands may be given as a list. The sublist form ``einsum(a, [0, 1], b, [1, 2])`` is
    accepted too.

    >>> torch.einsum("bij,bjk->bik", torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape
    torch.Size([5, 2, 4])
    """
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    else:
        equation, operands = _sublist_equation(args)
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                            f"{type(op).__name__}")
    terms, output = _parse(equation, operands)
    return _contract(operands, terms, output)


def _sublist_equation(args: tuple) -> tuple[str, list]:
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` as ``("AB,BC->AC", [a, b])``."""
    operands, terms = list(args[0::2]), ",".join(_sublist(s) for s in args[1::2])
    if len(args) % 2:  # a trailing output sublist
        return terms + "->" + _sublist(args[-1]), operands[:-1]
    return terms, operands


def _sublist(sub: Any) -> str:
    out = []
    for s in sub:
        if s is Ellipsis:
            out.append("...")
        elif not isinstance(s, int) or not 0 <= s < _N_LETTERS:
            raise ValueError("einsum(): subscript in subscript list is not within the valid "
                             f"range [0, {_N_LETTERS})")
        else:
            out.append(_letter(s))
    return "".join(out)


# -- parsing -----------------------------------------------------------------------------------
def _parse(equation: str, operands: list) -> tuple[list[list[int]], list[int]]:
    """Per-operand dim labels and the output labels, with torch's checks and messages."""
    lhs, arrow, rhs = equation.partition("->")
    n_terms = lhs.count(",") + 1
    if n_terms > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if n_terms < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    raw = _parse_terms(lhs)
    n_ell = [_check_ndim(term, op, i) for i, (term, op) in enumerate(zip(raw, operands))]
    ell = max(n_ell)
    terms = [_expand_ellipsis(term, k, ell) for term, k in zip(raw, n_ell)]
    _check_sizes(terms, operands, n_ell, ell)
    if arrow:
        return terms, _parse_output(rhs, len(lhs) + 2, terms, ell)
    return terms, _implicit_output(terms, ell)


def _parse_terms(lhs: str) -> list[list[int]]:
    terms: list[list[int]] = [[]]
    i = 0
    while i < len(lhs):
        c = lhs[i]
        if c == ",":
            terms.append([])
        elif c == ".":
            where = f"operand {len(terms) - 1}"
            _check_dots(lhs, i, _ELLIPSIS in terms[-1], where, "for which an ellipsis was "
                        "already found", "that is not part of any ellipsis")
            terms[-1].append(_ELLIPSIS)
            i += 2
        elif c.isascii() and c.isalpha():
            terms[-1].append(_label(c))
        elif c != " ":
            _invalid_subscript(i)
        i += 1
    return terms


def _check_dots(text: str, i: int, seen: bool, where: str, again: str, stray: str) -> None:
    if seen:
        raise RuntimeError(f"einsum(): found '.' for {where} {again}")
    if text[i:i + 3] != "...":
        raise RuntimeError(f"einsum(): found '.' for {where} {stray}")


def _invalid_subscript(index: int) -> None:
    raise RuntimeError(f"einsum(): invalid subscript given at index {index} in the equation "
                       "string, subscripts must be in [a-zA-Z]")


def _check_ndim(term: list[int], op: Tensor, i: int) -> int:
    """How many dims of operand ``i`` its ellipsis covers."""
    n_labels = len(term) - (_ELLIPSIS in term)
    ndim = op._data.ndim
    if _ELLIPSIS not in term and n_labels != ndim:
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_labels}) "
                           f"does not match the number of dimensions ({ndim}) for operand {i} "
                           "and no ellipsis was given")
    if n_labels > ndim:
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_labels}) "
                           f"is more than the number of dimensions ({ndim}) for operand {i}")
    return ndim - n_labels


def _expand_ellipsis(term: list[int], k: int, ell: int) -> list[int]:
    """Replace "..." by labels of the last ``k`` of the ``ell`` broadcast ellipsis dims."""
    if _ELLIPSIS not in term:
        return term
    at = term.index(_ELLIPSIS)
    dims = [_N_LETTERS + ell - k + j for j in range(k)]
    return term[:at] + dims + term[at + 1:]


def _check_sizes(terms: list, operands: list, n_ell: list, ell: int) -> None:
    seen: dict[int, int] = {}
    for i, (term, op) in enumerate(zip(terms, operands)):
        first: dict[int, int] = {}
        for label, size in zip(term, op._data.shape):
            if label in first:
                if size != first[label]:
                    raise RuntimeError(f"einsum(): subscript {_letter(label)} is repeated for "
                                       f"operand {i} but the sizes don't match, {size} != "
                                       f"{first[label]}")
                continue
            first[label] = size
            prev = seen.get(label, 1)
            if size != 1 and prev != 1 and size != prev:
                raise RuntimeError(_size_message(label, size, prev, i, n_ell[i], ell))
            seen[label] = size if prev == 1 else prev


def _size_message(label: int, size: int, prev: int, i: int, k: int, ell: int) -> str:
    if label < _N_LETTERS:
        return (f"einsum(): subscript {_letter(label)} has size {size} for operand {i} which "
                f"does not broadcast with previously seen size {prev}")
    dim = label - _N_LETTERS - (ell - k)  # counted within this operand's ellipsis
    return (f"einsum(): dimension {dim} covered by ellipsis in operand {i}has size {size} "
            f"which does not broadcast with previously seen ellipsis with size {prev} for the "
            "respective dimension")  # torch's message lacks the space after the operand


def _parse_output(rhs: str, offset: int, terms: list, ell: int) -> list[int]:
    used = {label for term in terms for label in term}
    out: list[int] = []
    has_ell = False
    i = 0
    while i < len(rhs):
        c = rhs[i]
        if c == ".":
            _check_dots(rhs, i, has_ell, "output", "but an ellipsis (...) was already found",
                        "that is not part of any ellipsis (...)")
            has_ell = True
            out.extend(_N_LETTERS + j for j in range(ell))
            i += 2
        elif c.isascii() and c.isalpha():
            label = _label(c)
            if label not in used:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
            if label in out:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   "the output")
            out.append(label)
        elif c != " ":
            _invalid_subscript(offset + i)
        i += 1
    return out


def _implicit_output(terms: list, ell: int) -> list[int]:
    counts: dict[int, int] = {}
    for term in terms:
        for label in term:
            counts[label] = counts.get(label, 0) + 1
    once = sorted(label for label, n in counts.items() if n == 1 and label < _N_LETTERS)
    return [_N_LETTERS + j for j in range(ell)] + once


# -- computing -----------------------------------------------------------------------------
def _contract(operands: list, terms: list, output: list[int]) -> Tensor:
    order = list(output)
    for term in terms:
        order.extend(label for label in term if label not in order)
    pos = {label: k for k, label in enumerate(order)}
    n_out = len(output)
    if len(operands) == 1:
        t = _align(operands[0], terms[0], pos, len(order))
        summed = tuple(range(n_out, len(order)))
        return _sum(t, summed) if summed else t
    last = {label: i for i, term in enumerate(terms) for label in term}
    ops = []
    for i, (op, term) in enumerate(zip(operands, terms)):
        t = _align(op, term, pos, len(order))
        alone = tuple(pos[lb] for lb in set(term) if pos[lb] >= n_out and _only_in(lb, i, terms))
        ops.append(_sum(t, sorted(alone), keepdim=True) if alone else t)
    result = ops[0]
    for i in range(1, len(ops)):
        dims = [pos[lb] for lb in order[n_out:] if last[lb] == i]
        result = _sumproduct(result, ops[i], dims)
    if result._data.ndim != n_out:  # drop the (now size-1) contracted dims
        result = reshape(result, tuple(result.shape[:n_out]))
    return result


def _only_in(label: int, i: int, terms: list) -> bool:
    return all(label not in term for j, term in enumerate(terms) if j != i)


def _align(t: Tensor, labels: list[int], pos: dict, n: int) -> Tensor:
    """Take diagonals of repeated labels, permute into aligned order, add missing dims."""
    labels = list(labels)
    while len(set(labels)) < len(labels):
        dup = next(lb for k, lb in enumerate(labels) if lb in labels[:k])
        p = labels.index(dup)
        q = labels.index(dup, p + 1)
        t = t.diagonal(0, p, q)  # torch's method: a view, wherever the family defines it
        labels = [lb for k, lb in enumerate(labels) if k not in (p, q)] + [dup]
    perm = sorted(range(len(labels)), key=lambda k: pos[labels[k]])
    t = permute(t, perm)
    if len(labels) < n:
        shape = [1] * n
        for k, size in zip(perm, t._data.shape):
            shape[pos[labels[k]]] = size
        t = reshape(t, shape)
    return t


def _sumproduct(a: Tensor, b: Tensor, sum_dims: list[int]) -> Tensor:
    """Multiply two aligned tensors and sum ``sum_dims`` (kept as size 1)."""
    sa, sb = a._data.shape, b._data.shape
    only_a = [d for d in sum_dims if sa[d] != 1 and sb[d] == 1]
    only_b = [d for d in sum_dims if sb[d] != 1 and sa[d] == 1]
    if only_a:
        a = _sum(a, only_a, keepdim=True)
    if only_b:
        b = _sum(b, only_b, keepdim=True)
    contract = [d for d in sum_dims if sa[d] != 1 and sb[d] != 1]
    if not contract:
        return mul(a, b)
    return _bmm_contract(a, b, contract, [d for d in range(len(sa)) if d not in sum_dims])


def _bmm_contract(a: Tensor, b: Tensor, contract: list[int], kept: list[int]) -> Tensor:
    """Sum over ``contract`` (sizes > 1 in both) with one bmm: the ``kept`` dims split into
    batch (in both), left (a only) and right (b only) groups."""
    sa, sb = a._data.shape, b._data.shape
    batch = [d for d in kept if sa[d] != 1 and sb[d] != 1]
    ro = [d for d in kept if sa[d] == 1 and sb[d] != 1]
    lo = [d for d in kept if d not in batch and d not in ro]
    n = len(sa)
    size = math.prod
    k, nb = size(sa[d] for d in contract), size(sa[d] for d in batch)
    left = reshape(permute(a, _complete(batch + lo + contract, n)),
                   (nb, size(sa[d] for d in lo), k))
    right = reshape(permute(b, _complete(batch + contract + ro, n)),
                    (nb, k, size(sb[d] for d in ro)))
    placed = _complete(batch + lo + ro, n)  # the product's dims, then the summed ones
    sizes = [sb[d] if d in ro else (sa[d] if d in kept else 1) for d in placed]
    product = reshape(bmm(left, right), sizes)
    return permute(product, sorted(range(n), key=placed.__getitem__))


def _complete(dims: list[int], n: int) -> list[int]:
    """``dims`` followed by the remaining dims (all of size 1 where this is used)."""
    return dims + [d for d in range(n) if d not in dims]


# -- tensordot ---------------------------------------------------------------------------------
def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Tensor | None = None) -> Tensor:
    """Contract ``dims`` of ``a`` with ``dims`` of ``b``: an int ``n`` pairs the last n dims
    of ``a`` with the first n of ``b``; a pair of lists names them.

    >>> torch.tensordot(torch.ones(2, 3, 4), torch.ones(3, 4, 5)).shape
    torch.Size([2, 5])
    """
    dims_a, dims_b = _tensordot_dims(dims, a._data.ndim, b._data.ndim)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    na, nb = a._data.ndim, b._data.ndim
    ca = [_wrap_dim(d, na) for d in dims_a]
    cb = [_wrap_dim(d, nb) for d in dims_b]
    for cs in (ca, cb):
        for k, d in enumerate(cs):
            if d in cs[:k]:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    a, b = _broadcast_contracted(a, b, ca, cb, dims_a, dims_b)
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    free_a = [d for d in range(na) if d not in ca]
    free_b = [d for d in range(nb) if d not in cb]
    rows = [a._data.shape[d] for d in free_a]
    cols = [b._data.shape[d] for d in free_b]
    k = math.prod(a._data.shape[d] for d in ca)
    left = reshape(permute(a, free_a + ca), (math.prod(rows), k))
    right = reshape(permute(b, cb + free_b), (k, math.prod(cols)))
    return _finish(reshape(mm(left, right), rows + cols), out, "tensordot")


def _tensordot_dims(dims: Any, na: int, nb: int) -> tuple[list, list]:
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > na or dims > nb:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(-dims, 0)), list(range(dims))
    if isinstance(dims, (list, tuple)) and len(dims) == 2:
        da, db = dims
        if isinstance(da, int) and isinstance(db, int):
            if isinstance(dims, tuple):
                raise TypeError("tensordot(): argument 'dims_self' (position 3) must be tuple "
                                f"of ints, not {type(da).__name__}")
            return [da], [db]
        return list(da), list(db)
    raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                       f"list[list[int]] containing two lists, but got dims={dims}")


def _broadcast_contracted(a: Tensor, b: Tensor, ca: list, cb: list, dims_a: list,
                          dims_b: list) -> tuple[Tensor, Tensor]:
    """Sizes of paired dims must match, but a size-1 dim pairs with any size (its partner is
    summed first), as in torch."""
    sum_a, sum_b = [], []
    for da, db, ra, rb in zip(ca, cb, dims_a, dims_b):
        sa, sb = a._data.shape[da], b._data.shape[db]
        if sa == sb:
            continue
        if sa == 1:
            sum_b.append(db)
        elif sb == 1:
            sum_a.append(da)
        else:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sa} "
                               f"in dim {ra} and second has size {sb} in dim {rb}")
    if sum_a:
        a = _sum(a, sum_a, keepdim=True)
    if sum_b:
        b = _sum(b, sum_b, keepdim=True)
    return a, b

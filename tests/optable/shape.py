"""Op-table entries: shape ops (reshape, views, transposes, expand, repeat, flip, cat/stack,
split/chunk/unbind, narrow/select/diagonal).

Entries that need a dim valid for any shape (the hypothesis layer draws random ones) derive it
from the shape, so numtorch and torch get the same argument.
"""

from __future__ import annotations

from . import FLOATS, OpSpec

ALL_DTYPES = FLOATS + ("int64", "int32", "bool")
ANY = [((3, 4),), ((),), ((2, 0),), ((2, 3, 4),), ((5,),)]
ND1 = [((3, 4),), ((2, 0),), ((2, 3, 4),), ((5,),), ((1, 1),)]
ND2 = [((3, 4),), ((2, 0),), ((2, 3, 4),), ((1, 5),)]
ND3 = [((2, 3, 4),), ((1, 3, 1),), ((2, 0, 3),)]


def _last(a) -> int:
    return -1 if a.ndim else 0


def _rev(a) -> tuple:
    return tuple(range(a.ndim - 1, -1, -1))


def _tile_counts(a) -> tuple:
    return tuple(2 if d % 2 == 0 else 1 for d in range(a.ndim + 1))


OPS: list[OpSpec] = [
    # reshaping
    OpSpec("reshape_flat", lambda lib, a: a.reshape(-1), ANY, dtypes=ALL_DTYPES,
           hypothesis="unary", gradgradcheck=True),
    OpSpec("reshape_fn", lambda lib, a: lib.reshape(a, (a.numel(), 1)), ANY),
    OpSpec("reshape_shape_kw", lambda lib, a: a.reshape(shape=(2, -1)), [((4, 3),), ((2, 0),)]),
    OpSpec("reshape_noncontiguous", lambda lib, a: a.t().reshape(-1), [((3, 4),), ((0, 2),)],
           dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("view", lambda lib, a: a.view(-1, a.shape[-1]), [((3, 4),), ((0, 2),), ((2, 3, 4),)],
           dtypes=ALL_DTYPES),
    OpSpec("view_size_tuple", lambda lib, a: a.view((a.numel(),)), ANY),
    OpSpec("view_as", lambda lib, a, b: a.view_as(b), [((3, 4), (2, 6)), ((), (1, 1))],
           n_inputs=2),
    OpSpec("reshape_as", lambda lib, a, b: a.t().reshape_as(b), [((3, 4), (2, 6))], n_inputs=2),
    OpSpec("flatten", lambda lib, a: a.flatten(), ANY, dtypes=ALL_DTYPES, hypothesis="unary"),
    OpSpec("flatten_dims", lambda lib, a: lib.flatten(a, 1), ND2),
    OpSpec("flatten_middle", lambda lib, a: a.flatten(0, -2), ND2),
    OpSpec("flatten_transposed", lambda lib, a: a.transpose(0, 1).flatten(1), ND2),
    OpSpec("unflatten", lambda lib, a: a.unflatten(-1, (1, -1)), ND1),
    OpSpec("unflatten_fn", lambda lib, a: lib.unflatten(a, 0, (a.shape[0], 1)), ND1),
    OpSpec("squeeze_all", lambda lib, a: a.squeeze(), ANY + [((1, 3, 1),)], dtypes=ALL_DTYPES,
           hypothesis="unary"),
    OpSpec("squeeze_dim", lambda lib, a: a.squeeze(_last(a)), ANY + [((3, 1),)]),
    OpSpec("squeeze_dims", lambda lib, a: lib.squeeze(a, (0, -1)),
           [((3, 4),), ((1, 3, 1),), ((2, 0),)]),
    OpSpec("unsqueeze", lambda lib, a: a.unsqueeze(0), ANY, dtypes=ALL_DTYPES,
           hypothesis="unary", gradgradcheck=True),
    OpSpec("unsqueeze_last", lambda lib, a: lib.unsqueeze(a, -1), ANY),
    # reordering dims
    OpSpec("transpose", lambda lib, a: a.transpose(0, -1), ND1, dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("transpose_fn", lambda lib, a: lib.transpose(a, 1, 0), ND2),
    OpSpec("swapaxes", lambda lib, a: lib.swapaxes(a, 0, -1), ND1),
    OpSpec("swapdims", lambda lib, a: a.swapdims(-1, 0), ND1),
    OpSpec("permute", lambda lib, a: a.permute(_rev(a)), ANY, dtypes=ALL_DTYPES,
           hypothesis="unary"),
    OpSpec("permute_fn", lambda lib, a: lib.permute(a, (2, 0, 1)), ND3),
    OpSpec("permute_varargs", lambda lib, a: a.permute(1, 0), [((3, 4),), ((2, 0),)]),
    OpSpec("T", lambda lib, a: a.T, [((3, 4),), ((2, 0),), ((1, 5),)], dtypes=ALL_DTYPES),
    OpSpec("mT", lambda lib, a: a.mT, ND2),
    OpSpec("movedim", lambda lib, a: a.movedim(0, -1), ND1),
    OpSpec("movedim_tuple", lambda lib, a: lib.movedim(a, (0, 1), (2, 0)), ND3),
    OpSpec("moveaxis", lambda lib, a: lib.moveaxis(a, -1, 0), ND1),
    # broadcasting, repeating, flipping
    OpSpec("expand", lambda lib, a: a.expand(2, -1, 4), [((3, 1),), ((1, 1),), ((0, 1),)],
           dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("expand_0d", lambda lib, a: a.expand(3, 2), [((),)]),
    OpSpec("expand_as", lambda lib, a, b: a.expand_as(b), [((3, 1), (2, 3, 4)), ((), (2,))],
           n_inputs=2),
    OpSpec("broadcast_to", lambda lib, a: lib.broadcast_to(a, (2,) + tuple(a.shape)), ANY,
           hypothesis="unary"),
    OpSpec("repeat", lambda lib, a: a.repeat(2, 3), [((3, 4),), ((2, 0),), ((1, 1),)],
           dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("repeat_more_dims", lambda lib, a: a.repeat(2, 1, 3), [((3, 4),), ((5,),), ((),)]),
    OpSpec("tile", lambda lib, a: a.tile(_tile_counts(a)), ANY, hypothesis="unary"),
    OpSpec("tile_short", lambda lib, a: lib.tile(a, (2,)), ANY),
    OpSpec("flip", lambda lib, a: a.flip(0), ND1, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("flip_all", lambda lib, a: lib.flip(a, _rev(a)), ANY, hypothesis="unary"),
    OpSpec("fliplr", lambda lib, a: lib.fliplr(a), ND2),
    OpSpec("flipud", lambda lib, a: a.flipud(), ND1),
    OpSpec("roll_flat", lambda lib, a: a.roll(2), ANY, dtypes=ALL_DTYPES, hypothesis="unary"),
    OpSpec("roll_dims", lambda lib, a: lib.roll(a, (1, -2), (0, -1)), ND2),
    OpSpec("roll_dim", lambda lib, a: a.roll(-1, 0), ND1),
    # joining
    OpSpec("cat", lambda lib, a, b: lib.cat([a, b]),
           [((2, 3), (4, 3)), ((2, 0), (1, 0)), ((3,), (0,)), ((0,), (2, 3)), ((2, 3, 4),
                                                                               (1, 3, 4))],
           dtypes=ALL_DTYPES, n_inputs=2, gradgradcheck=True),
    OpSpec("cat_dim1", lambda lib, a, b: lib.cat((a, b), dim=1), [((2, 3), (2, 1)),
                                                                 ((2, 0, 1), (2, 3, 1))],
           n_inputs=2),
    OpSpec("cat_three", lambda lib, a, b, c: lib.cat([a, b, c], -1),
           [((2, 3), (2, 1), (2, 2))], n_inputs=3),
    OpSpec("concat", lambda lib, a, b: lib.concat([a, b], 1), [((2, 3), (2, 1))], n_inputs=2),
    OpSpec("concatenate", lambda lib, a, b: lib.concatenate([a, b], axis=0),
           [((2, 3), (1, 3))], n_inputs=2),
    OpSpec("stack", lambda lib, a, b: lib.stack([a, b]), [((2, 3), (2, 3)), ((), ()),
                                                         ((0, 2), (0, 2))],
           dtypes=ALL_DTYPES, n_inputs=2, gradgradcheck=True),
    OpSpec("stack_last", lambda lib, a, b: lib.stack((a, b), dim=-1), [((2, 3), (2, 3))],
           n_inputs=2),
    OpSpec("hstack", lambda lib, a, b: lib.hstack([a, b]), [((2, 3), (2, 1)), ((3,), (2,))],
           n_inputs=2),
    OpSpec("vstack", lambda lib, a, b: lib.vstack([a, b]), [((2, 3), (1, 3)), ((3,), (3,))],
           n_inputs=2),
    OpSpec("dstack", lambda lib, a, b: lib.dstack([a, b]), [((2, 3), (2, 3)), ((3,), (3,))],
           n_inputs=2),
    OpSpec("atleast_2d", lambda lib, a: lib.atleast_2d(a), ANY),
    OpSpec("atleast_3d", lambda lib, a: lib.atleast_3d(a), ANY),
    OpSpec("atleast_1d_many", lambda lib, a, b: lib.atleast_1d(a, b), [((), (2, 3))],
           n_inputs=2),
    # splitting and slicing
    OpSpec("split", lambda lib, a: a.split(2), ND1, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("split_fn_dim", lambda lib, a: lib.split(a, 3, dim=-1), ND2),
    OpSpec("split_sizes", lambda lib, a: a.split([1, a.shape[0] - 1]), [((3, 4),), ((1, 2),),
                                                                        ((4,),)]),
    OpSpec("split_first_only", lambda lib, a: a.split(1)[0], [((3, 4),)]),
    OpSpec("chunk", lambda lib, a: a.chunk(3), ND1 + [((7, 2),)], dtypes=ALL_DTYPES),
    OpSpec("chunk_dim", lambda lib, a: lib.chunk(a, 2, dim=-1), ND2),
    OpSpec("unbind", lambda lib, a: a.unbind(), ND1, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("unbind_dim", lambda lib, a: lib.unbind(a, -1), ND2),
    OpSpec("unbind_one", lambda lib, a: a.unbind(1)[1], [((3, 4),)]),
    OpSpec("narrow", lambda lib, a: a.narrow(0, 1, a.shape[0] - 1), ND1, dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("narrow_fn_negative", lambda lib, a: lib.narrow(a, -1, -2, 2), [((3, 4),), ((2,),)]),
    OpSpec("select", lambda lib, a: a.select(0, -1), ND1, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("select_fn", lambda lib, a: lib.select(a, 1, 0), [((3, 4),), ((2, 3, 4),)]),
    OpSpec("diagonal", lambda lib, a: a.diagonal(), ND2 + [((4, 3),)], dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("diagonal_offset", lambda lib, a: lib.diagonal(a, 1, -2, -1), ND2),
    OpSpec("diagonal_negative", lambda lib, a: a.diagonal(offset=-1, dim1=1, dim2=0), ND2),
    OpSpec("diagonal_out_of_range", lambda lib, a: a.diagonal(5), [((3, 4),)]),
]

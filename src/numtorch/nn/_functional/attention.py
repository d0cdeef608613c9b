"""Attention in ``nn.functional``: ``scaled_dot_product_attention`` and the multi-head
attention behind ``nn.MultiheadAttention``, built from differentiable ops.

Masks come in two conventions: ``scaled_dot_product_attention`` takes a bool mask where True
means *may attend*; ``multi_head_attention_forward`` (like ``nn.MultiheadAttention``) takes
bool masks where True means *masked out*. A float mask is added to the scores in both.
"""

from __future__ import annotations

import math

from ... import _dtype
from ... import _functions as _ops
from ..._creation import zeros
from ..._ranges import arange
from ..._tensor import Tensor
from .dropout import dropout
from .linear import linear
from .padding import pad

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _additive(mask: Tensor | None, dtype: _dtype.dtype, allowed_when_true: bool) -> Tensor | None:
    """A mask as scores to add: 0 where attention is allowed, -inf where it is not."""
    if mask is None or mask.dtype is not _dtype.bool_:
        return mask
    blocked = mask.logical_not() if allowed_when_true else mask
    return zeros(tuple(mask.shape), dtype=dtype).masked_fill(blocked, float("-inf"))


def _safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dim; a row with every score -inf attends to nothing (zeros)
    instead of producing NaN, as torch's kernels do."""
    dead = (scores == float("-inf")).all(-1, keepdim=True)
    # such a row is zeroed before the softmax too, else its NaN would reach the gradient
    return scores.masked_fill(dead, 0.0).softmax(-1).masked_fill(dead, 0.0)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """``softmax(Q K^T * scale + mask) V`` with ``scale = 1 / sqrt(E)`` by default.

    Args:
        query: (..., L, E); key: (..., S, E); value: (..., S, Ev).
        attn_mask: broadcastable to (..., L, S): bool (True = may attend) or float (added).
        dropout_p: dropout on the attention weights (applied whenever > 0, as torch).
        is_causal: position i attends to positions <= i (no ``attn_mask`` then).
        enable_gqa: key/value may have fewer heads (dim -3) than query, shared by groups.

    >>> q = torch.ones(1, 2, 4)
    >>> F.scaled_dot_product_attention(q, q, q).shape
    torch.Size([1, 2, 4])
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if enable_gqa and key.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        groups = query.shape[-3] // key.shape[-3]
        key, value = _repeat_heads(key, groups), _repeat_heads(value, groups)
    n_q, n_k = query.shape[-2], key.shape[-2]
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1])
    scores = _ops.matmul(query, key.transpose(-2, -1)) * scale
    if is_causal:
        attn_mask = arange(n_q).unsqueeze(-1) >= arange(n_k)
    mask = _additive(attn_mask, scores.dtype, allowed_when_true=True)
    if mask is not None:
        scores = scores + mask
    attn = _safe_softmax(scores)
    if dropout_p > 0:
        attn = dropout(attn, dropout_p)
    return _ops.matmul(attn, value)


def _repeat_heads(t: Tensor, groups: int) -> Tensor:
    """Each head (dim -3) repeated ``groups`` times in a row (grouped-query attention)."""
    *lead, heads, n, e = t.shape
    wide = t.unsqueeze(-3).expand(*lead, heads, groups, n, e)
    return wide.reshape(*lead, heads * groups, n, e)


def _in_projection(query: Tensor, key: Tensor, value: Tensor, weights: tuple,
                   bias: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    biases = (None,) * 3 if bias is None else bias.chunk(3)
    return tuple(linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None,
        bias_v: Tensor | None, add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor,
        out_proj_bias: Tensor | None, training: bool = True,
        key_padding_mask: Tensor | None = None, need_weights: bool = True,
        attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False,
        q_proj_weight: Tensor | None = None, k_proj_weight: Tensor | None = None,
        v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
        static_v: Tensor | None = None, average_attn_weights: bool = True,
        is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention on sequence-first inputs: query (L, N, E) or (L, E), key and
    value (S, N, Ek/Ev) or (S, Ek/Ev).

    Returns the output (L, N, E) and, when ``need_weights``, the attention weights
    (N, L, S) averaged over heads (or (N, H, L, S) with ``average_attn_weights=False``).
    Bool masks mark positions that may *not* be attended.
    """
    batched = query.dim() == 3
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    n_tgt, batch, embed_dim = query.shape
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if use_separate_proj_weight:
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        weights = in_proj_weight.chunk(3)
    q, k, v = _in_projection(query, key, value, weights, in_proj_bias)
    if is_causal and attn_mask is None:  # is_causal is only a hint about attn_mask
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    _check_attn_mask(attn_mask, (n_tgt, key.shape[0]), batch * num_heads)
    attn_mask = _additive(attn_mask, q.dtype, allowed_when_true=False)
    key_padding_mask = _additive(key_padding_mask, q.dtype, allowed_when_true=False)
    if attn_mask is not None and attn_mask.dim() == 2:
        attn_mask = attn_mask.unsqueeze(0)
    if bias_k is not None and bias_v is not None:
        k = _ops.cat([k, bias_k.expand(1, batch, embed_dim)])
        v = _ops.cat([v, bias_v.expand(1, batch, embed_dim)])
        attn_mask, key_padding_mask = _pad_masks(attn_mask, key_padding_mask)
    # (len, N, E) -> (N * heads, len, head_dim)
    q = q.reshape(n_tgt, batch * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, batch * num_heads, head_dim) if static_k is None else static_k
    v = _heads(v, batch * num_heads, head_dim) if static_v is None else static_v
    if add_zero_attn:
        k = _ops.cat([k, zeros((batch * num_heads, 1, head_dim), dtype=k.dtype)], 1)
        v = _ops.cat([v, zeros((batch * num_heads, 1, head_dim), dtype=v.dtype)], 1)
        attn_mask, key_padding_mask = _pad_masks(attn_mask, key_padding_mask)
    n_src = k.shape[1]
    if key_padding_mask is not None:
        for d, size in enumerate((batch, n_src)):
            if key_padding_mask.shape[d] != size:
                raise AssertionError(f"Expected key_padded_mask.shape[{d}] to be {size}, but got "
                                     f"{key_padding_mask.shape[d]}")
        kpm = key_padding_mask.reshape(batch, 1, 1, n_src).expand(batch, num_heads, 1, n_src)
        kpm = kpm.reshape(batch * num_heads, 1, n_src)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    scores = _ops.matmul(q * (1.0 / math.sqrt(head_dim)), k.transpose(-2, -1))
    if attn_mask is not None:
        scores = scores + attn_mask
    attn = scores.softmax(-1)
    if dropout_p > 0:
        attn = dropout(attn, dropout_p)
    out = _ops.matmul(attn, v).transpose(0, 1).reshape(n_tgt * batch, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).view(n_tgt, batch, embed_dim)
    weights_out = None
    if need_weights:
        weights_out = attn.view(batch, num_heads, n_tgt, n_src)
        if average_attn_weights:
            weights_out = weights_out.mean(1)
        if not batched:
            weights_out = weights_out.squeeze(0)
    return (out if batched else out.squeeze(1)), weights_out


def _heads(t: Tensor, n: int, head_dim: int) -> Tensor:
    return t.reshape(t.shape[0], n, head_dim).transpose(0, 1)


def _pad_masks(attn_mask: Tensor | None, key_padding_mask: Tensor | None) -> tuple:
    """One more key (bias_k or the zero key): both masks allow it."""
    return tuple(None if m is None else pad(m, (0, 1)) for m in (attn_mask, key_padding_mask))


def _check_attn_mask(mask: Tensor | None, size_2d: tuple, n_batch_heads: int) -> None:
    """torch's errors for an attention mask of the wrong shape."""
    if mask is None or mask.dim() not in (2, 3):
        if mask is not None:
            raise RuntimeError(f"attn_mask's dimension {mask.dim()} is not supported")
        return
    want = size_2d if mask.dim() == 2 else (n_batch_heads, *size_2d)
    if tuple(mask.shape) != want:
        raise RuntimeError(f"The shape of the {mask.dim()}D attn_mask is {mask.shape}, but "
                           f"should be {want}.")

"""Differentiable primitives, by family; the only place with derivative formulas."""

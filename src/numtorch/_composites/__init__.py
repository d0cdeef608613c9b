"""torch-level functions, built from primitives (no NumPy here)."""

"""The families of ``nn.functional``; ``nn/functional.py`` re-exports them."""

"""The state behind a ``Generator``: torch's CPU mt19937 stream, drawn in bulk through NumPy.

NOTE [ torch's CPU generator ]
torch's CPU generator is a standard 32-bit Mersenne Twister (mt19937) plus two cached normal
samples. ``manual_seed(s)`` keeps ``s`` (as an unsigned 64-bit number) for ``initial_seed()``
and seeds the twister with its low 32 bits by the reference ``init_genrand`` recurrence -- the
"legacy" seeding of NumPy's ``RandomState`` -- so NumPy's ``MT19937`` bit generator, given that
key, yields the same raw 32-bit stream, many numbers per call (``random_raw``). A 64-bit draw
is two 32-bit draws, the first one the high half. Seeding also clears the normal caches.

NOTE [ The twister on first draw ]
Making the twister imports ``numpy.random`` (about 10 ms, with the hashlib and secrets modules it
pulls in) and keying it runs the seeding recurrence. ``import numtorch`` creates the default
generator and scripts often seed several times before drawing, so an engine only records its
seed: ``_bits()`` makes the twister (once) and keys it from the seed (after each reseed) when the
stream or the state is next read.

``get_state`` writes torch's byte layout (``CPUGeneratorImplState``, 5056 bytes):
  0  u64 initial seed       8 i32 left (625 - position)   12 i32 seeded (1)   16 u64 next index
  24 u64[624] the twister's words
  5016 f64 unused   5024 f64 cached double normal   5032 f64 unused   5040 i32 that cache valid
  5048 f32 cached float normal   5052 u8 that cache valid
so a state taken from torch can be loaded here and the other way round.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Engine", "STATE_SIZE"]

STATE_SIZE = 5056
_WORDS = 624
_KEY, _TAIL = 24, 24 + _WORDS * 8


class Engine:
    """One mt19937 stream with torch's seeding, draws and cached normals."""

    __slots__ = ("seed", "_twister", "_keyed", "_fresh", "next_double_normal",
                 "next_float_normal")

    def __init__(self, seed: int) -> None:
        self._twister: Any = None  # NumPy's MT19937 (NOTE [ The twister on first draw ])
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """Seed as ``torch.manual_seed``: ``seed`` is taken modulo 2**64."""
        self.seed = seed % 2**64
        self._keyed = False  # the twister takes this seed's key when the stream is next read
        self._fresh = True  # torch reports next index 0 until the first draw
        self.next_double_normal: float | None = None
        self.next_float_normal: float | None = None

    def _bits(self) -> Any:
        """NumPy's ``MT19937`` holding this stream, keyed from ``seed`` if not yet."""
        if not self._keyed:
            key = np.random.RandomState(self.seed & 0xFFFFFFFF).get_state(legacy=True)[1]
            self._set_key(key, 624)
        return self._twister

    def _set_key(self, key: np.ndarray, pos: int) -> None:
        if self._twister is None:
            self._twister = np.random.MT19937(0)
        self._twister.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._keyed = True

    def random(self, n: int) -> np.ndarray:
        """``n`` raw 32-bit draws (torch's ``random()``), as uint64 for headroom in arithmetic."""
        if n <= 0:
            return np.empty(0, np.uint64)
        self._fresh = False
        return self._bits().random_raw(n)

    def random64(self, n: int) -> np.ndarray:
        """``n`` 64-bit draws (torch's ``random64()``): two 32-bit draws, high half first."""
        raw = self.random(2 * n)
        return (raw[0::2] << np.uint64(32)) | raw[1::2]

    def tell(self) -> dict:
        """The twister's position, for ``seek`` (drawing ahead, then keeping only some)."""
        return self._bits().state

    def seek(self, position: dict, advance: int) -> None:
        """Go back to ``position`` (from ``tell``), then skip ``advance`` 32-bit draws."""
        self._bits().state = position
        if advance:
            self.random(advance)

    # -- torch's byte layout -------------------------------------------------------------------
    def get_state(self) -> np.ndarray:
        """The state as torch's 5056 bytes."""
        state = self._bits().state["state"]
        pos = int(state["pos"])
        raw = np.zeros(STATE_SIZE, np.uint8)
        raw[0:8] = np.array([self.seed], np.uint64).view(np.uint8)
        raw[8:16] = np.array([625 - pos, 1], np.int32).view(np.uint8)
        raw[16:24] = np.array([0 if self._fresh else pos], np.uint64).view(np.uint8)
        raw[_KEY:_TAIL] = np.asarray(state["key"], np.uint64).view(np.uint8)
        if self.next_double_normal is not None:
            raw[_TAIL + 8:_TAIL + 16] = np.array([self.next_double_normal]).view(np.uint8)
            raw[_TAIL + 24] = 1
        if self.next_float_normal is not None:
            raw[_TAIL + 32:_TAIL + 36] = np.array([self.next_float_normal], np.float32).view(
                np.uint8)
            raw[_TAIL + 36] = 1
        return raw

    def set_state(self, raw: np.ndarray) -> None:
        """Load torch's 5056 bytes (``raw`` already checked for size); raises on a bad state."""
        raw = np.ascontiguousarray(raw, np.uint8)
        left, seeded = raw[8:16].view(np.int32)
        nxt = int(raw[16:24].view(np.uint64)[0])
        if not seeded or not 0 < left <= _WORDS or nxt > _WORDS:
            raise RuntimeError("Invalid mt19937 state")
        # torch keeps 32-bit words in 64-bit slots and drops the high halves on loading
        key = raw[_KEY:_TAIL].view(np.uint64).astype(np.uint32)
        self.seed = int(raw[0:8].view(np.uint64)[0])
        self._set_key(key, 625 - int(left))
        self._fresh = nxt == 0 and left == 1
        valid_double, valid_float = raw[_TAIL + 24:_TAIL + 28].view(np.int32)[0], raw[_TAIL + 36]
        self.next_double_normal = (float(raw[_TAIL + 8:_TAIL + 16].view(np.float64)[0])
                                   if valid_double else None)
        self.next_float_normal = (float(raw[_TAIL + 32:_TAIL + 36].view(np.float32)[0])
                                  if valid_float else None)

    def copy_from(self, other: Engine) -> None:
        """Become a copy of ``other`` (the twister, the seed and the caches)."""
        self.set_state(other.get_state())

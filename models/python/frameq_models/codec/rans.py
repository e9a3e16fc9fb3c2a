"""Reference rANS coder (pure Python) for the codec bitstreams, written from the published description.

The format is that of ryg's public-domain ``Rans64`` as used by CompressAI's ``BufferedRansEncoder`` /
``RansDecoder`` (facts from /work/shared/specs/seed-models.md section 5.2; no code copied):

- state: 64-bit, lower bound ``L = 2^31``; output: 32-bit words; probability precision 16 bits.
- The encoder buffers ``(start, freq, bypass)`` triples and codes them in reverse order at ``flush()``; the final
  state goes in front as two words (low word first). Bytes = the uint32 words, little-endian.
- A symbol ``s`` with table row ``r`` codes ``value = s - offset[r]``; ``max_value = cdf_length[r] - 2`` is the
  escape symbol. Out-of-range values code the escape followed by bypass nibbles: the count ``n`` of 4-bit nibbles of
  ``raw`` (as 15, 15, ..., remainder) then the nibbles of ``raw``, least significant first, where
  ``raw = -2 * value - 1`` below the range and ``raw = 2 * (value - max_value)`` above it.

Meant for tests and as the executable specification for the Java port; it is slow (pure Python).
"""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

import numpy as np

PRECISION = 16
RANS_L = 1 << 31
BYPASS_BITS = 4
BYPASS_MAX = (1 << BYPASS_BITS) - 1
_MASK32 = (1 << 32) - 1


class RansEncoder:
    """Buffered encoder: ``encode_with_indexes`` any number of times, then ``flush()`` once."""

    def __init__(self):
        self._syms: List[Tuple[int, int, bool]] = []

    def encode_with_indexes(self, symbols: Iterable[int], indexes: Iterable[int], cdfs: np.ndarray,
                            cdf_lengths: Sequence[int], offsets: Sequence[int]) -> None:
        push = self._syms.append
        for symbol, idx in zip(symbols, indexes):
            idx = int(idx)
            cdf = cdfs[idx]
            max_value = int(cdf_lengths[idx]) - 2
            value = int(symbol) - int(offsets[idx])
            raw = 0
            if value < 0:
                raw, value = -2 * value - 1, max_value
            elif value >= max_value:
                raw, value = 2 * (value - max_value), max_value
            push((int(cdf[value]), int(cdf[value + 1]) - int(cdf[value]), False))
            if value == max_value:
                n = 0
                while raw >> (n * BYPASS_BITS):
                    n += 1
                rest = n
                while rest >= BYPASS_MAX:
                    push((BYPASS_MAX, 1, True))
                    rest -= BYPASS_MAX
                push((rest, 1, True))
                for j in range(n):
                    push(((raw >> (j * BYPASS_BITS)) & BYPASS_MAX, 1, True))

    def flush(self) -> bytes:
        x = RANS_L
        words: List[int] = []  # written back to front, reversed at the end
        for start, freq, bypass in reversed(self._syms):
            if bypass:
                x_max = ((RANS_L >> PRECISION) << 32) * (1 << (PRECISION - BYPASS_BITS))
                if x >= x_max:
                    words.append(x & _MASK32)
                    x >>= 32
                x = (x << BYPASS_BITS) | start
            else:
                if freq <= 0:
                    raise ValueError("zero-frequency symbol cannot be coded")
                x_max = ((RANS_L >> PRECISION) << 32) * freq
                if x >= x_max:
                    words.append(x & _MASK32)
                    x >>= 32
                x = ((x // freq) << PRECISION) + (x % freq) + start
        words.append(x >> 32)
        words.append(x & _MASK32)
        self._syms = []
        return np.asarray(words[::-1], dtype="<u4").tobytes()


class RansDecoder:
    """Decodes one stream incrementally (the codec computes each slice's indexes from earlier slices)."""

    def __init__(self, data: bytes):
        self._words = np.frombuffer(data, dtype="<u4").astype(np.uint64).tolist()
        self._pos = 2
        self._x = int(self._words[0]) | (int(self._words[1]) << 32)

    def _refill(self) -> None:
        if self._x < RANS_L:
            self._x = ((self._x << 32) | int(self._words[self._pos])) & ((1 << 64) - 1)
            self._pos += 1

    def _bits(self) -> int:
        val = self._x & BYPASS_MAX
        self._x >>= BYPASS_BITS
        self._refill()
        return val

    def decode_with_indexes(self, indexes: Iterable[int], cdfs: np.ndarray, cdf_lengths: Sequence[int],
                            offsets: Sequence[int]) -> List[int]:
        out = []
        mask = (1 << PRECISION) - 1
        for idx in indexes:
            idx = int(idx)
            length = int(cdf_lengths[idx])
            cdf = cdfs[idx][:length]
            max_value = length - 2
            cum = self._x & mask
            s = int(np.searchsorted(cdf, cum, side="right")) - 1  # cdf[s] <= cum < cdf[s + 1]
            start, freq = int(cdf[s]), int(cdf[s + 1]) - int(cdf[s])
            self._x = freq * (self._x >> PRECISION) + (self._x & mask) - start
            self._refill()
            value = s
            if value == max_value:
                val = self._bits()
                n = val
                while val == BYPASS_MAX:
                    val = self._bits()
                    n += val
                raw = 0
                for j in range(n):
                    raw |= self._bits() << (j * BYPASS_BITS)
                value = raw >> 1
                value = -value - 1 if raw & 1 else value + max_value
            out.append(value + int(offsets[idx]))
        return out


def encode(symbols, indexes, cdfs, cdf_lengths, offsets) -> bytes:
    enc = RansEncoder()
    enc.encode_with_indexes(symbols, indexes, cdfs, cdf_lengths, offsets)
    return enc.flush()

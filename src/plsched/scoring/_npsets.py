"""Sort-based set helpers on int64 codes (NumPy's hash-based ``np.unique`` is slower here)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["unique", "unique_counts"]

IntArray = npt.NDArray[np.int64]


def _first_flags(sorted_codes: IntArray) -> npt.NDArray[np.bool_]:
    flags = np.empty(sorted_codes.size, dtype=bool)
    flags[:1] = True
    np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=flags[1:])
    return flags


def unique(codes: IntArray) -> IntArray:
    """The distinct codes, sorted."""
    s = np.sort(codes)
    return s[_first_flags(s)]


def unique_counts(codes: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct codes, sorted, and how often each occurs."""
    s = np.sort(codes)
    starts = np.flatnonzero(_first_flags(s))
    return s[starts], np.diff(np.append(starts, s.size)).astype(np.int64)

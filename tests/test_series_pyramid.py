"""The min/max pyramid of SeriesBuffer (ioc_desktop.series): decimated arrays and value
ranges against brute force on random data, with late samples, duplicates and
wrap-around; O(1) amortised appends (counted work, no timing)."""
import numpy as np
import pytest

from ioc_desktop.series import PYRAMID_K0, SeriesBuffer


def _check_decimation(buf: SeriesBuffer, i0: int, i1: int, columns: int) -> None:
    """Every run of the decimation holds its true min and max; at most ~2 points a column;
    every point is a real extreme of the range (no invented values)."""
    t, v = buf.arrays()
    x, y = buf.decimate_range(i0, i1, columns)
    seg_t, seg_v = t[i0:i1], v[i0:i1].astype(np.float64)
    n = i1 - i0
    if n == 0:
        assert x.size == 0
        return
    # the value range (the graph's y axis) of the same samples, by its own path
    assert buf.value_range(seg_t[0], seg_t[-1]) == (seg_v.min(), seg_v.max())
    if n <= 2 * columns:                       # small: the samples themselves
        assert np.array_equal(x, seg_t) and np.array_equal(y, seg_v)
        return
    assert x.size <= 2 * (columns + 2) + 1
    assert np.all(np.diff(x) >= 0), "x goes back in time"
    assert y.min() == seg_v.min() and y.max() == seg_v.max()
    assert x[-1] == seg_t[-1] and y[-1] == seg_v[-1]      # the line ends at the newest
    # runs: pairs (min, max) at the time of their first sample; check each against
    # brute force over the samples from its start to the next run's start
    starts = x[0:-1:2]
    run_start = np.searchsorted(seg_t, starts, side="left")
    run_end = np.append(run_start[1:], n)
    for j, (s, e) in enumerate(zip(run_start, run_end)):
        assert e > s
        assert y[2 * j] == seg_v[s:e].min(), f"run {j}: min"
        assert y[2 * j + 1] == seg_v[s:e].max(), f"run {j}: max"


def _random_walk(rng, n, t0=1_700_000_000.0):
    t = t0 + np.cumsum(rng.uniform(0.5, 1.5, n))
    v = np.cumsum(rng.normal(0, 1, n))
    return t, v


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_decimation_matches_brute_force_on_random_data(dtype):
    rng = np.random.default_rng(1)
    buf = SeriesBuffer(5000, value_dtype=dtype)
    t, v = _random_walk(rng, 12_345)
    buf.extend(t[:3000], v[:3000])
    for i in range(3000, 12_345, 97):            # appends and batches, wrapping many times
        if i % 2:
            for j in range(i, min(i + 97, t.size)):
                buf.append(t[j], v[j])
        else:
            buf.extend(t[i:i + 97], v[i:i + 97])
        if i % 5 == 0:
            n = len(buf)
            a = int(rng.integers(0, n))
            b = int(rng.integers(a, n + 1))
            _check_decimation(buf, a, b, int(rng.integers(1, 300)))
    n = len(buf)
    assert n == 5000
    for columns in (1, 3, 10, 64, 100, 777, 2500, 6000):
        _check_decimation(buf, 0, n, columns)
        _check_decimation(buf, 17, n - 5, columns)


def test_decimation_checked_after_every_live_append():
    """A live graph syncs its pyramid after each sample (one run a level: the scalar
    path); full, wrapped and evicting, it still matches the samples."""
    rng = np.random.default_rng(4)
    buf = SeriesBuffer(700)
    t, v = _random_walk(rng, 2000)
    buf.extend(t[:650], v[:650])
    for j in range(650, 1400):
        buf.append(t[j], v[j])
        columns = (3, 40, 333)[j % 3]
        _check_decimation(buf, 0, len(buf), columns)
        if j % 50 == 0:
            _check_decimation(buf, 5, len(buf) - 3, 17)


def test_decimation_after_late_samples_duplicates_and_clear():
    rng = np.random.default_rng(2)
    buf = SeriesBuffer(3000)
    t, v = _random_walk(rng, 6000)
    buf.extend(t[:4000:2], v[:4000:2])
    _check_decimation(buf, 0, len(buf), 50)        # the pyramid is built
    for j in rng.choice(np.arange(1, 4000, 2), 300, replace=False):   # late samples
        buf.append(t[j], v[j] + 100 * rng.normal())
        if rng.random() < 0.1:
            _check_decimation(buf, 0, len(buf), int(rng.integers(5, 200)))
    for j in rng.choice(np.arange(0, 4000, 2), 50, replace=False):    # same instant
        buf.append(t[j], -500.0)
    _check_decimation(buf, 0, len(buf), 40)
    buf.extend(t[4000:][::-1], v[4000:][::-1])      # out of order batch, overflows
    assert len(buf) == 3000
    for columns in (7, 40, 333):
        _check_decimation(buf, 0, len(buf), columns)
        _check_decimation(buf, 100, 2900, columns)
    buf.clear()
    assert buf.decimate_range(0, 10, 5)[0].size == 0
    buf.extend(t[:100], v[:100])
    _check_decimation(buf, 0, 100, 3)


def test_full_buffer_late_samples_keep_the_pyramid_right():
    rng = np.random.default_rng(3)
    buf = SeriesBuffer(1024)
    t, v = _random_walk(rng, 3000)
    buf.extend(t[:2000:2], v[:2000:2])
    for j in range(2000, 2600):
        buf.append(t[j], v[j])                     # full, wrapped
    _check_decimation(buf, 0, len(buf), 30)
    for j in rng.choice(np.arange(1500, 2000, 2) + 1, 80, replace=False):
        buf.append(t[j], v[j] * 3)                 # late into a full, wrapped buffer
        _check_decimation(buf, 0, len(buf), int(rng.integers(5, 100)))
    ref_t, _ = buf.arrays()
    assert np.all(np.diff(ref_t) > 0)


def test_decimated_by_time_covers_the_window_and_one_sample_beyond():
    buf = SeriesBuffer(100_000)
    t = np.arange(100_000, dtype=np.float64)
    v = np.sin(t / 500.0)
    v[54_321] = 7.0                                  # one spike
    buf.extend(t, v)
    x, y = buf.decimated(50_000.5, 60_000.5, 200)
    assert x[0] == 50_000.0 and x[-1] == 60_001.0   # one sample outside each end
    assert y.max() == 7.0
    assert x.size <= 2 * 202 + 1
    assert buf.value_range(50_000.5, 60_000.5) == (pytest.approx(float(v[50_001:60_001].min())), 7.0)
    assert buf.value_range(200_000, 300_000) is None


def test_appends_are_constant_amortised_work():
    """Work counted by the pyramid (samples and runs recomputed), not time: appending m
    samples one by one with a query after each costs O(m + queries × levels)."""
    buf = SeriesBuffer(1 << 16)
    t = np.arange(1 << 16, dtype=np.float64)
    buf.extend(t[:40_000], np.cos(t[:40_000]))
    buf.decimate_range(0, len(buf), 100)       # build: O(n)
    levels = len(buf._levels)
    built = buf.pyramid_work
    assert built < 3 * 40_000
    m = 5000
    for i in range(40_000, 40_000 + m):
        buf.append(t[i], np.cos(t[i]))
        x, _ = buf.decimate_range(0, len(buf), 100)    # a live frame after every sample
        assert x.size <= 2 * 102 + 1
    per_append = (buf.pyramid_work - built) / m
    # first level: at most one run of 2**K0 samples; above it: one or two runs a level
    assert per_append <= (1 << PYRAMID_K0) + 2 * levels
    # in a burst, the first level does the new samples once, not once per sample
    before = buf.pyramid_work
    for i in range(40_000 + m, 40_000 + m + 1000):
        buf.append(t[i], 1.0)
    buf.decimate_range(0, len(buf), 100)
    assert buf.pyramid_work - before <= 1000 + (1 << PYRAMID_K0) + 1000 // 4 + 2 * levels


def test_eviction_keeps_memory_bounded_and_numbers_absolute():
    buf = SeriesBuffer(600, value_dtype=np.float32)
    t = np.arange(10_000, dtype=np.float64)
    for i in range(10_000):
        buf.append(t[i], float(i % 37))
    assert len(buf) == 600 and buf.first()[0] == 9400.0
    _check_decimation(buf, 0, 600, 20)
    nbytes = buf.nbytes
    assert nbytes <= 600 * (8 + 4) * 1.3 + 200          # t float64, v float32, pyramid ~1/4

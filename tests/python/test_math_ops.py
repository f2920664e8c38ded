"""Elementwise math ops: numbers against numpy over dtypes and broadcast
shapes, TF1 node names of wrappers and operators, and graph-/run-time errors."""
import numpy as np
import pytest

import tfcore as tf
from tfcore.ops import math_ops

RNG = np.random.default_rng(1234)

FLOATS = [np.float32, np.float64]
SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]
INTS = SIGNED + UNSIGNED
REAL = FLOATS + INTS

# (x shape, y shape): same shape, scalars, numpy broadcasting, empty tensors,
# and sizes large enough to be split across threads.
SHAPES = [
    ((3, 4), (3, 4)),
    ((3, 4), ()),
    ((), (3, 4)),
    ((), ()),
    ((2, 3, 4), (4,)),
    ((2, 1, 4), (3, 1)),
    ((5, 1), (1, 6)),
    ((1,), (4,)),
    ((4, 1, 1), (1, 1)),
    ((0, 3), (1, 3)),
    ((0,), ()),
    ((2, 3, 4, 5), (3, 1, 5)),
    ((300, 401), (401,)),
    ((300, 401), (300, 1)),
    ((150000,), (150000,)),
    ((150000,), ()),
]


def _run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict=feed_dict)


def _values(dtype, shape, low=-50, high=50, nonzero=False, positive=False):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        v = RNG.uniform(low, high, size=shape)
        if positive:
            v = np.abs(v) + 0.1
        v = v.astype(dtype)
    elif dtype.kind == "b":
        v = RNG.integers(0, 2, size=shape).astype(bool)
    else:
        info = np.iinfo(dtype)
        lo = max(low, info.min)
        hi = min(high, info.max)
        if positive:
            lo = max(lo, 1)
        v = RNG.integers(lo, hi + 1, size=shape).astype(dtype)
    if nonzero:
        v = np.where(v == 0, np.ones_like(v), v).astype(dtype)
    return np.asarray(v, dtype=dtype)


def _check_binary(fn, ref, dtype, xs, ys, **kw):
    x = _values(dtype, xs, **kw.get("x", {}))
    y = _values(dtype, ys, **kw.get("y", {}))
    with tf.Graph().as_default():
        px = tf.placeholder(dtype, shape=None)
        py = tf.placeholder(dtype, shape=None)
        out = fn(px, py)
        got = _run(out, {px: x, py: y})
    want = ref(x, y)
    assert got.shape == np.broadcast(x, y).shape
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(got, want.astype(got.dtype), rtol=1e-6, atol=0)
    else:
        np.testing.assert_array_equal(got, want)
    return got


def _floordiv_ref(x, y):
    if x.dtype.kind == "f":
        with np.errstate(all="ignore"):
            return np.floor(x / y).astype(x.dtype)
    return np.floor_divide(x, y)


def _truncdiv_ref(x, y):
    if x.dtype.kind == "f":
        return np.trunc(x / y).astype(x.dtype)
    q = np.abs(x.astype(np.int64)) // np.abs(y.astype(np.int64))
    return (np.sign(x.astype(np.int64)) * np.sign(y.astype(np.int64)) * q).astype(x.dtype)


def _wrap(f):
    """Reference computed with numpy's wrap-around integer arithmetic."""
    def g(x, y):
        with np.errstate(over="ignore"):
            return f(x, y).astype(np.result_type(x, y))
    return g


# name -> (tfcore function, numpy reference, dtypes, value options)
BINARY_SPECS = {
    "add": (tf.add, _wrap(np.add), REAL, {}),
    "subtract": (tf.subtract, _wrap(np.subtract), REAL, {}),
    "multiply": (tf.multiply, _wrap(np.multiply), REAL, {}),
    "realdiv": (tf.realdiv, np.true_divide, FLOATS, {"y": {"nonzero": True}}),
    "floordiv": (tf.floordiv, _floordiv_ref, REAL, {"y": {"nonzero": True}}),
    "floormod": (tf.floormod, np.mod, REAL, {"y": {"nonzero": True}}),
    "truncatediv": (tf.truncatediv, _truncdiv_ref, REAL, {"y": {"nonzero": True}}),
    "truncatemod": (tf.truncatemod, np.fmod, [np.float32, np.float64, np.int32, np.int64],
                    {"y": {"nonzero": True}}),
    "pow_float": (tf.pow, np.power, FLOATS,
                  {"x": {"positive": True, "high": 3}, "y": {"low": -3, "high": 3}}),
    "pow_int": (tf.pow, _wrap(np.power), SIGNED, {"y": {"low": 0, "high": 5}}),
    "maximum": (tf.maximum, np.maximum, REAL, {}),
    "minimum": (tf.minimum, np.minimum, REAL, {}),
    "squared_difference": (tf.squared_difference, _wrap(lambda a, b: (a - b) * (a - b)),
                           [np.float32, np.float64, np.int32, np.int64], {}),
}


@pytest.mark.parametrize("name", sorted(BINARY_SPECS))
def test_binary_ops_dtypes(name):
    fn, ref, dts, kw = BINARY_SPECS[name]
    for dt in dts:
        _check_binary(fn, ref, dt, (3, 5), (3, 5), **kw)
        _check_binary(fn, ref, dt, (4, 1, 3), (5, 1), **kw)


@pytest.mark.parametrize("xs,ys", SHAPES)
def test_binary_broadcast_shapes(xs, ys):
    for name in ["add", "subtract", "multiply", "maximum", "floordiv", "realdiv"]:
        fn, ref, dts, kw = BINARY_SPECS[name]
        _check_binary(fn, ref, np.float32, xs, ys, **kw)
    _check_binary(tf.floormod, np.mod, np.int32, xs, ys, y={"nonzero": True})
    _check_binary(tf.less, np.less, np.float64, xs, ys)
    _check_binary(tf.equal, np.equal, np.int64, xs, ys, x={"low": -2, "high": 2},
                  y={"low": -2, "high": 2})


COMPARE_SPECS = {
    "equal": (tf.equal, np.equal),
    "not_equal": (tf.not_equal, np.not_equal),
    "less": (tf.less, np.less),
    "less_equal": (tf.less_equal, np.less_equal),
    "greater": (tf.greater, np.greater),
    "greater_equal": (tf.greater_equal, np.greater_equal),
}


@pytest.mark.parametrize("name", sorted(COMPARE_SPECS))
def test_comparisons(name):
    fn, ref = COMPARE_SPECS[name]
    for dt in REAL:
        got = _check_binary(fn, ref, dt, (6, 7), (7,), x={"low": -3, "high": 3},
                            y={"low": -3, "high": 3})
        assert got.dtype == np.bool_


def test_equal_bool_and_string():
    with tf.Graph().as_default():
        s = tf.placeholder(tf.string, [None])
        b = tf.placeholder(tf.bool, [None])
        e1 = tf.equal(s, "a")
        e2 = tf.not_equal(b, True)
        r1, r2 = _run([e1, e2], {s: np.array([b"a", b"b"], object), b: [True, False]})
    np.testing.assert_array_equal(r1, [True, False])
    np.testing.assert_array_equal(r2, [False, True])


def test_equal_incompatible_shape_error_false():
    from tfcore.framework.op_def_library import apply_op
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int32, None)
        y = tf.placeholder(tf.int32, None)
        e = apply_op("Equal", x=x, y=y, incompatible_shape_error=False).outputs[0]
        ne = apply_op("NotEqual", x=x, y=y, incompatible_shape_error=False).outputs[0]
        r = _run([e, ne], {x: [1, 2, 3], y: [1, 2]})
        assert r[0].shape == () and not r[0] and r[1]
        r = _run([e, ne], {x: [1, 2, 3], y: [1, 5, 3]})
        np.testing.assert_array_equal(r[0], [True, False, True])
        xs = tf.placeholder(tf.int32, [3])
        ys = tf.placeholder(tf.int32, [2])
        assert apply_op("Equal", x=xs, y=ys, incompatible_shape_error=False).outputs[0] \
            .shape.as_list() == []


def test_logical_ops():
    a = np.array([[True, False, True, False]])
    b = np.array([[True], [False]])
    with tf.Graph().as_default():
        pa = tf.placeholder(tf.bool)
        pb = tf.placeholder(tf.bool)
        outs = [tf.logical_and(pa, pb), tf.logical_or(pa, pb), tf.logical_xor(pa, pb),
                tf.logical_not(pa), pa & pb, pa | pb, pa ^ pb, ~pa]
        r = _run(outs, {pa: a, pb: b})
    want = [a & b, a | b, a ^ b, ~a, a & b, a | b, a ^ b, ~a]
    for g, w in zip(r, want):
        np.testing.assert_array_equal(g, w)


def test_string_add_broadcasts():
    with tf.Graph().as_default():
        s = tf.placeholder(tf.string, [2, 1])
        out = tf.add(s, tf.constant(["x", "yz"]))
        r = _run(out, {s: np.array([[b"a"], [b"b"]], object)})
    assert r.tolist() == [[b"ax", b"ayz"], [b"bx", b"byz"]]


# ---------------------------------------------------------------- unary ops

def _ref64(f):
    def g(x):
        with np.errstate(all="ignore"):
            return f(x.astype(np.float64)).astype(x.dtype)
    return g


def _sigmoid64(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (tfcore function, numpy reference, dtypes, (low, high))
UNARY_SPECS = {
    "negative": (tf.negative, np.negative, FLOATS + SIGNED, (-50, 50)),
    "abs": (tf.abs, np.abs, FLOATS + SIGNED, (-50, 50)),
    "square": (tf.square, lambda x: (x * x).astype(x.dtype), REAL, (-10, 10)),
    "sign": (tf.sign, np.sign, FLOATS + SIGNED, (-3, 3)),
    "sqrt": (tf.sqrt, _ref64(np.sqrt), FLOATS, (0, 100)),
    "rsqrt": (tf.rsqrt, _ref64(lambda v: 1 / np.sqrt(v)), FLOATS, (0.01, 100)),
    "exp": (tf.exp, _ref64(np.exp), FLOATS, (-100, 88)),
    "log": (tf.log, _ref64(np.log), FLOATS, (1e-6, 1e6)),
    "log1p": (tf.log1p, _ref64(np.log1p), FLOATS, (-0.999, 10)),
    "expm1": (tf.expm1, _ref64(np.expm1), FLOATS, (-20, 20)),
    "reciprocal": (tf.reciprocal, _ref64(lambda v: 1 / v), FLOATS, (0.5, 10)),
    "floor": (tf.floor, np.floor, FLOATS, (-1e3, 1e3)),
    "ceil": (tf.ceil, np.ceil, FLOATS, (-1e3, 1e3)),
    "round": (tf.round, np.round, FLOATS, (-1e3, 1e3)),
    "rint": (tf.rint, np.rint, FLOATS, (-1e3, 1e3)),
    "sin": (tf.sin, _ref64(np.sin), FLOATS, (-10, 10)),
    "cos": (tf.cos, _ref64(np.cos), FLOATS, (-10, 10)),
    "sigmoid": (tf.sigmoid, _ref64(_sigmoid64), FLOATS, (-100, 100)),
    "tanh": (tf.tanh, _ref64(np.tanh), FLOATS, (-12, 12)),
}


@pytest.mark.parametrize("name", sorted(UNARY_SPECS))
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 17), (100003,)])
def test_unary_ops(name, shape):
    fn, ref, dts, (lo, hi) = UNARY_SPECS[name]
    for dt in dts:
        x = _values(dt, shape, low=lo, high=hi)
        if name in ("round", "rint") and np.dtype(dt).kind == "f" and x.size:
            x.flat[0] = 2.5  # ties go to even
        with tf.Graph().as_default():
            p = tf.placeholder(dt, None)
            got = _run(fn(p), {p: x})
        assert got.dtype == np.dtype(dt) and got.shape == x.shape
        if np.dtype(dt).kind == "f":
            # Results compared with a float64 reference rounded to dt.
            np.testing.assert_allclose(got, ref(x), rtol=1e-6, atol=1e-37)
        else:
            np.testing.assert_array_equal(got, ref(x))


def test_unary_special_values():
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 88.8, -88.8,
                         -104.0, 1e30, -1e30, 0.5, -0.5, 1.5, -2.5], np.float32)
    funcs = {
        "exp": (tf.exp, np.exp), "log": (tf.log, np.log), "log1p": (tf.log1p, np.log1p),
        "expm1": (tf.expm1, np.expm1), "tanh": (tf.tanh, np.tanh),
        "sigmoid": (tf.sigmoid, _sigmoid64), "floor": (tf.floor, np.floor),
        "ceil": (tf.ceil, np.ceil), "round": (tf.round, np.round), "sign": (tf.sign, np.sign),
        "sqrt": (tf.sqrt, np.sqrt), "abs": (tf.abs, np.abs), "negative": (tf.negative, np.negative),
    }
    for dt in FLOATS:
        x = specials.astype(dt)
        with tf.Graph().as_default():
            p = tf.placeholder(dt, None)
            outs = {k: f(p) for k, (f, _) in funcs.items()}
            got = _run(outs, {p: x})
        # Subnormal inputs count as zero, as in TF (flush-to-zero while
        # running); TF's log/log1p/expm1 of one are implementation noise.
        sub = (x != 0) & (np.abs(x) < np.finfo(dt).tiny)
        xr = np.where(sub, np.copysign(0.0, x), x).astype(np.float64)
        for k, (_, ref) in funcs.items():
            with np.errstate(all="ignore"):
                want = ref(xr).astype(dt)
            g = got[k]
            if k in ("log", "log1p", "expm1"):
                g, want = g[~sub], want[~sub]
            np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-37, err_msg=k)
            # Signs of zeros and infinities match too.
            finite_or_inf = ~np.isnan(want)
            np.testing.assert_array_equal(np.signbit(g[finite_or_inf]),
                                          np.signbit(want[finite_or_inf]), err_msg=k)


def test_is_nan_inf_finite():
    x = np.array([0.0, np.nan, np.inf, -np.inf, 1.0], np.float32)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32)
        r = _run([tf.is_nan(p), tf.is_inf(p), tf.is_finite(p)], {p: x})
    np.testing.assert_array_equal(r[0], np.isnan(x))
    np.testing.assert_array_equal(r[1], np.isinf(x))
    np.testing.assert_array_equal(r[2], np.isfinite(x))


# ---------------------------------------------------------------- TF-specific numerics

def _run1(op_fn, *arrays):
    with tf.Graph().as_default():
        phs = [tf.placeholder(a.dtype, None) for a in arrays]
        out = op_fn(*phs)
        return _run(out, dict(zip(phs, arrays)))


def test_integer_division_semantics():
    x = np.array([7, -7, 7, -7], np.int32)
    y = np.array([2, 2, -2, -2], np.int32)
    np.testing.assert_array_equal(_run1(tf.floordiv, x, y), [3, -4, -4, 3])
    np.testing.assert_array_equal(_run1(tf.floormod, x, y), [1, 1, -1, -1])
    np.testing.assert_array_equal(_run1(tf.truncatediv, x, y), [3, -3, -3, 3])
    np.testing.assert_array_equal(_run1(tf.truncatemod, x, y), [1, -1, 1, -1])
    np.testing.assert_array_equal(_run1(tf.div, x, y), [3, -4, -4, 3])  # TF1 div floors ints
    # MIN / -1 wraps instead of trapping.
    m = np.array([-2 ** 31], np.int32)
    neg1 = np.array([-1], np.int32)
    np.testing.assert_array_equal(_run1(tf.floordiv, m, neg1), m)
    np.testing.assert_array_equal(_run1(tf.floormod, m, neg1), [0])
    np.testing.assert_array_equal(_run1(tf.truncatediv, m, neg1), m)
    m8 = np.array([-128, -7], np.int8)
    np.testing.assert_array_equal(_run1(tf.floordiv, m8, np.array([-1, 2], np.int8)), [-128, -4])


def test_float_floordiv_floormod():
    x = np.array([7.5, -7.5, 7.5, -7.5, 1.0, -1.0, 5.0, -5.0, -0.0], np.float32)
    y = np.array([2.0, 2.0, -2.0, -2.0, 0.0, 0.0, np.inf, np.inf, 1.0], np.float32)
    fd = _run1(tf.floordiv, x, y)
    np.testing.assert_array_equal(fd, [3, -4, -4, 3, np.inf, -np.inf, 0, -0.0, -0.0])  # floor(x / y)
    assert list(np.signbit(fd[6:])) == [False, True, True]
    fm = _run1(tf.floormod, x[[0, 1, 2, 3, 6, 7, 8]], y[[0, 1, 2, 3, 6, 7, 8]])
    np.testing.assert_array_equal(fm, [1.5, 0.5, -0.5, -1.5, 5.0, np.inf, -0.0])
    assert np.signbit(fm[-1])


def test_integer_division_by_zero():
    x = np.array([7, 1], np.int32)
    y = np.array([0, 1], np.int32)
    for fn in [tf.floordiv, tf.floormod, tf.div]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
            _run1(fn, x, y)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        _run1(tf.floordiv, x.astype(np.uint8), y.astype(np.uint8))
    # An empty output performs no division.
    r = _run1(tf.floordiv, np.zeros([0], np.int32), np.array([0], np.int32))
    assert r.shape == (0,)


def test_pow_integers():
    x = np.array([2, 3, -2, 0, 3], np.int32)
    y = np.array([3, 0, 3, 0, 40], np.int32)
    np.testing.assert_array_equal(_run1(tf.pow, x, y), [8, 1, -8, 1, 689956897])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Integers to negative integer powers are not allowed"):
        _run1(tf.pow, np.array([2], np.int32), np.array([-1], np.int32))


def test_pow_float_special_cases():
    x = np.array([2, -8, 0, -2, 0, np.nan, 1, -0.0], np.float32)
    y = np.array([0.5, 1 / 3, -1, 2, 0, 0, np.nan, -1], np.float32)
    with np.errstate(all="ignore"):
        want = np.power(x, y)
    np.testing.assert_allclose(_run1(tf.pow, x, y), want, rtol=1e-6)
    # Scalar exponent fast paths agree with std::pow.
    v = _values(np.float32, (1000,))
    for e in [2.0, 1.0, 0.5, 3.0, -1.0]:
        with tf.Graph().as_default():
            p = tf.placeholder(tf.float32)
            got = _run(tf.pow(p, e), {p: v})
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(got, np.power(v.astype(np.float64), e).astype(np.float32),
                                       rtol=1e-6)


def test_maximum_minimum_nan_and_zero():
    x = np.array([np.nan, 1, np.nan, 0.0, -0.0], np.float32)
    y = np.array([1, np.nan, np.nan, -0.0, 0.0], np.float32)
    mx = _run1(tf.maximum, x, y)
    mn = _run1(tf.minimum, x, y)
    assert np.isnan(mx[:3]).all() and np.isnan(mn[:3]).all()
    # Neither is greater: TF returns x.
    assert list(np.signbit(mx[3:])) == [False, True]
    assert list(np.signbit(mn[3:])) == [False, True]


def test_integer_wraparound():
    i32 = np.array([2 ** 31 - 1, -2 ** 31], np.int32)
    np.testing.assert_array_equal(_run1(tf.add, i32, np.array([1, -1], np.int32)),
                                  [-2 ** 31, 2 ** 31 - 1])
    np.testing.assert_array_equal(_run1(tf.abs, np.array([-2 ** 31], np.int32)), [-2 ** 31])
    np.testing.assert_array_equal(_run1(tf.negative, np.array([-2 ** 31], np.int32)), [-2 ** 31])
    u8 = np.array([1], np.uint8)
    np.testing.assert_array_equal(_run1(tf.subtract, u8, np.array([2], np.uint8)), [255])
    np.testing.assert_array_equal(_run1(tf.square, np.array([200], np.uint8)), [64])
    u16 = np.array([60000], np.uint16)
    np.testing.assert_array_equal(_run1(tf.multiply, u16, u16), (u16.astype(np.uint64) ** 2 % 65536))


def test_cast():
    f = np.array([1.7, -1.7, 2.5, -0.5, 0.0], np.float32)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32)
        outs = {dt: tf.cast(p, dt) for dt in [tf.int32, tf.int64, tf.int8, tf.uint8, tf.bool,
                                              tf.float64, tf.uint32, tf.uint64, tf.int16]}
        r = _run(outs, {p: f})
    for dt, v in r.items():
        assert v.dtype == dt.as_numpy_dtype
    np.testing.assert_array_equal(r[tf.int32], [1, -1, 2, 0, 0])
    np.testing.assert_array_equal(r[tf.int64], [1, -1, 2, 0, 0])
    np.testing.assert_array_equal(r[tf.bool], [True, True, True, True, False])
    np.testing.assert_array_equal(r[tf.float64], f.astype(np.float64))
    np.testing.assert_array_equal(r[tf.uint8][[0, 2, 3, 4]], [1, 2, 0, 0])
    # Out-of-range values follow TF's vectorised x86 kernel: int32/int64 get
    # MIN, 8/16-bit types saturate, uint32 is 2^31 outside (-2^31, 2^32).
    odd = np.array([np.nan, np.inf, 3e9, 300.0, -1.0, -np.inf, 70000.0, -5e9], np.float32)
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.int32), odd),
                                  [-2 ** 31, -2 ** 31, -2 ** 31, 300, -1, -2 ** 31, 70000, -2 ** 31])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.uint8), odd),
                                  [0, 0, 0, 255, 0, 0, 255, 0])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.int8), odd),
                                  [-128, -128, -128, 127, -1, -128, 127, -128])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.int16), odd),
                                  [-32768, -32768, -32768, 300, -1, -32768, 32767, -32768])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.uint32), odd),
                                  [2 ** 31, 2 ** 31, 3000000000, 300, 2 ** 32 - 1, 2 ** 31, 70000,
                                   2 ** 31])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.int64), odd[:3]),
                                  [-2 ** 63, -2 ** 63, 3000000000])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.uint64), odd[[0, 2, 4]]),
                                  [2 ** 63, 3000000000, 2 ** 64 - 1])
    # Integer and bool sources.
    i = np.array([300, -1, 0], np.int32)
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.uint8), i), [44, 255, 0])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.bool), i), [True, True, False])
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.float32), np.array([True, False])),
                                  [1.0, 0.0])
    big = np.arange(70000, dtype=np.int64) * 1000
    np.testing.assert_array_equal(_run1(lambda t: tf.cast(t, tf.float64), big),
                                  big.astype(np.float64))


def test_cast_string_unsupported():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.string)
        c = tf.cast(p, tf.int32)
        with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int32"):
            _run(c, {p: np.array([b"1"], object)})


def test_add_n():
    a = _values(np.float32, (3, 4))
    b = _values(np.float32, (3, 4))
    c = _values(np.float32, (3, 4))
    big = [_values(np.float64, (70001,)) for _ in range(4)]
    with tf.Graph().as_default():
        pa, pb, pc = (tf.placeholder(tf.float32, [3, 4]) for _ in range(3))
        pbig = [tf.placeholder(tf.float64) for _ in range(4)]
        s = tf.add_n([pa, pb, pc])
        s2 = tf.add_n([pa, pa])
        s3 = tf.add_n(pbig)
        s4 = tf.add_n([tf.constant([1, 2]), [3, 4], tf.constant([5, 6])])
        feed = {pa: a, pb: b, pc: c}
        feed.update(zip(pbig, big))
        r = _run([s, s2, s3, s4], feed)
    np.testing.assert_allclose(r[0], a + b + c, rtol=1e-6)
    np.testing.assert_allclose(r[1], a + a, rtol=1e-6)
    np.testing.assert_allclose(r[2], big[0] + big[1] + big[2] + big[3], rtol=1e-12)
    np.testing.assert_array_equal(r[3], [9, 12])


def test_add_n_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
            tf.add_n([tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])])
        with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal, but are "
                                             r"3 and 4\. Shapes are \[2,3\] and \[2,4\]"):
            tf.add_n([tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [2, 4])])
        with pytest.raises(TypeError):
            tf.add_n([tf.placeholder(tf.float32, [2]), tf.placeholder(tf.int32, [2])])
        with pytest.raises(ValueError):
            tf.add_n([])
        a = tf.placeholder(tf.float32, None)
        b = tf.placeholder(tf.float32, None)
        s = tf.add_n([a, b])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Inputs to operation AddN(_\d+)? of type AddN must have the same size "
                                 r"and shape\.  Input 0: \[2,3\] != input 1: \[3\]"):
            _run(s, {a: np.zeros([2, 3]), b: np.zeros([3])})


def test_gradient_helper_ops():
    from tfcore.framework.op_def_library import apply_op
    y = _values(np.float32, (4, 5), low=0.1, high=2, positive=True)
    dy = _values(np.float32, (4, 5))
    want = {
        "SigmoidGrad": dy * y * (1 - y),
        "TanhGrad": dy * (1 - y * y),
        "SqrtGrad": 0.5 * dy / y,
        "RsqrtGrad": -0.5 * (dy * y) * (y * y),
        "ReciprocalGrad": -dy * y * y,
        "InvGrad": -dy * y * y,
    }
    with tf.Graph().as_default():
        py = tf.placeholder(tf.float32, [4, None])
        pdy = tf.placeholder(tf.float32, [None, 5])
        outs = {k: apply_op(k, y=py, dy=pdy).outputs[0] for k in want}
        for t in outs.values():
            assert t.shape.as_list() == [4, None]
        r = _run(outs, {py: y, pdy: dy})
        for k, w in want.items():
            np.testing.assert_allclose(r[k], w, rtol=1e-6, err_msg=k)
        bad = apply_op("TanhGrad", y=tf.placeholder(tf.float32), dy=tf.placeholder(tf.float32))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="must have same number of elements, got 3 and 2"):
            _run(bad.outputs[0], {bad.inputs[0]: np.ones(3), bad.inputs[1]: np.ones(2)})


def test_in_place_reuse_is_safe():
    """Chains reuse intermediate buffers; shared intermediates must not be clobbered."""
    x = _values(np.float32, (1000, 70))
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32)
        y = p * 2.0
        a = y + 1.0           # may take y's buffer only if y has no other reader
        b = y * 3.0
        c = tf.exp(tf.tanh(a - b))
        d = tf.maximum(c, 0.5) + tf.constant(np.ones([70], np.float32))
        ra, rb, rc, rd, rx = _run([a, b, c, d, p], {p: x})
    np.testing.assert_array_equal(rx, x)  # the fed array is never written
    np.testing.assert_allclose(ra, x * 2 + 1, rtol=1e-6)
    np.testing.assert_allclose(rb, x * 6, rtol=1e-6)
    np.testing.assert_allclose(rc, np.exp(np.tanh((x * 2 + 1) - x * 6)), rtol=2e-6)
    np.testing.assert_allclose(rd, np.maximum(rc, 0.5) + 1, rtol=1e-6)


# ---------------------------------------------------------------- shapes and errors

def test_static_broadcast_shapes():
    cases = [
        ([2, 3], [3], [2, 3]),
        ([None, 3], [2, 1], [2, 3]),
        ([None], [5], [5]),
        ([None], [1], [None]),
        ([1], [None], [None]),
        ([None, 1], [None, 4], [None, 4]),
        ([1, None], [3, 1], [3, None]),
        ([5, 1, 3], [4, 1], [5, 4, 3]),
        ([], [2, 3], [2, 3]),
        ([0, 3], [1], [0, 3]),
        (None, [3], None),
    ]
    with tf.Graph().as_default():
        for xs, ys, want in cases:
            out = tf.add(tf.placeholder(tf.float32, xs), tf.placeholder(tf.float32, ys))
            assert out.shape.as_list() == want if want is not None else out.shape.ndims is None
            cmp = tf.less(tf.placeholder(tf.int32, xs), tf.placeholder(tf.int32, ys))
            assert cmp.dtype == tf.bool
            assert cmp.shape.as_list() == want if want is not None else cmp.shape.ndims is None


def test_graph_time_incompatible_shapes():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [2, 3])
        b = tf.placeholder(tf.float32, [4])
        with pytest.raises(ValueError) as e:
            tf.add(a, b)
        msg = str(e.value)
        assert "Dimensions must be equal, but are 3 and 4 for '{{node Add}} = AddV2[T=DT_FLOAT]" \
            in msg
        assert "with input shapes: [2,3], [4]." in msg
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
            a + b
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 5 and 4"):
            tf.multiply(tf.placeholder(tf.float32, [2, 3, 5]), tf.placeholder(tf.float32, [2, 1, 4]))
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 0 and 2"):
            tf.equal(tf.placeholder(tf.float32, [0]), tf.placeholder(tf.float32, [2]))


def test_run_time_incompatible_shapes():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, None)
        b = tf.placeholder(tf.float32, None)
        out = a + b
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Incompatible shapes: \[2,3\] vs\. \[4\]"):
            _run(out, {a: np.zeros([2, 3]), b: np.zeros([4])})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Incompatible shapes: \[2,3,5\] vs\. \[2,1,4\]"):
            _run(tf.less(a, b), {a: np.zeros([2, 3, 5]), b: np.zeros([2, 1, 4])})


def test_type_errors():
    with tf.Graph().as_default():
        f = tf.placeholder(tf.float32, [2])
        i = tf.placeholder(tf.int32, [2])
        with pytest.raises(TypeError, match="not in list of allowed values"):
            tf.sqrt(i)
        with pytest.raises(TypeError):
            tf.logical_and(f, f)
        with pytest.raises(TypeError, match="not in list of allowed values"):
            tf.less(tf.placeholder(tf.bool), tf.placeholder(tf.bool))
        with pytest.raises(TypeError):
            tf.add(f, i)
        with pytest.raises(TypeError):
            i + 1.5
        with pytest.raises(TypeError, match="must have the same dtype"):
            f / i


def test_realdiv_int_has_no_kernel():
    from tfcore.framework.op_def_library import apply_op
    with tf.Graph().as_default():
        x = tf.constant([4, 6])
        out = apply_op("RealDiv", x=x, y=x).outputs[0]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="No OpKernel was registered to support Op 'RealDiv'"):
            _run(out)


# ---------------------------------------------------------------- names

def _in_names(t):
    return [(x.op.name, x.op.type) for x in t.op.inputs]


def test_wrapper_node_names():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [2, 3], name="a")
        b = tf.placeholder(tf.float32, [3], name="b")
        i = tf.placeholder(tf.int32, [2, 3], name="i")
        s = tf.placeholder(tf.string, [2], name="s")
        t = tf.add(a, b)
        assert (t.op.name, t.op.type) == ("Add", "AddV2")
        t = tf.add(s, s)
        assert (t.op.name, t.op.type) == ("Add_1", "Add")
        t = tf.add(a, 5)
        assert (t.op.name, t.op.type) == ("Add_2", "AddV2")
        assert _in_names(t)[1] == ("Add_2/y", "Const") and t.op.inputs[1].dtype == tf.float32
        assert tf.subtract(a, b).op.name == "Sub"
        assert tf.multiply(a, b).op.name == "Mul"
        t = tf.div(a, b)
        assert (t.op.name, t.op.type) == ("div", "RealDiv")
        t = tf.div(i, i)
        assert (t.op.name, t.op.type) == ("div_1", "FloorDiv")
        t = tf.truediv(i, i)
        assert (t.op.name, t.op.type, t.dtype) == ("truediv", "RealDiv", tf.float64)
        assert _in_names(t) == [("truediv/Cast", "Cast"), ("truediv/Cast_1", "Cast")]
        t = tf.divide(a, b)
        assert (t.op.name, t.op.type) == ("truediv_1", "RealDiv")
        t = tf.floordiv(a, b)
        assert (t.op.name, t.op.type) == ("floordiv", "FloorDiv")
        assert tf.realdiv(a, b).op.name == "RealDiv"
        t = tf.mod(i, i)
        assert t.op.type == "FloorMod"
        assert tf.pow(a, b).op.name == "Pow"
        assert tf.maximum(a, b).op.name == "Maximum"
        assert tf.squared_difference(a, b).op.name == "SquaredDifference"
        for fn, n in [(tf.negative, "Neg"), (tf.abs, "Abs"), (tf.square, "Square"),
                      (tf.sqrt, "Sqrt"), (tf.exp, "Exp"), (tf.sigmoid, "Sigmoid"),
                      (tf.tanh, "Tanh"), (tf.reciprocal, "Reciprocal"), (tf.floor, "Floor")]:
            assert fn(a).op.name == n
        assert tf.round(i) is i
        assert tf.cast(a, tf.float32) is a
        t = tf.cast(a, tf.int32)
        assert (t.op.name, t.op.type) == ("Cast", "Cast")
        assert t.op.get_attr("DstT") == tf.int32 and t.op.get_attr("SrcT") == tf.float32
        assert tf.to_float(i).op.name == "ToFloat"
        assert tf.to_int32(a).op.name == "ToInt32"
        assert tf.to_int64(a).op.name == "ToInt64"
        assert tf.to_double(a).op.name == "ToDouble"
        assert tf.add_n([a]) is a
        assert tf.add_n([a, a, a]).op.name == "AddN"
        t = tf.sqrt(4.0)
        assert t.op.name == "Sqrt_1" and _in_names(t) == [("Sqrt_1/x", "Const")]
        t = tf.cast([1, 2], tf.float32)
        assert _in_names(t) == [("Cast_1/x", "Const")]
        assert tf.mul is tf.multiply and tf.sub is tf.subtract and tf.neg is tf.negative
        t = tf.add(a, b, name="my_add")
        assert t.op.name == "my_add"


def test_operator_node_names():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [2, 3], name="a")
        b = tf.placeholder(tf.float32, [3], name="b")
        i = tf.placeholder(tf.int32, [2, 3], name="i")
        bb = tf.placeholder(tf.bool, [2], name="bb")
        t = a + b
        assert (t.op.name, t.op.type) == ("add", "AddV2")
        t = 5 + a
        assert t.op.name == "add_1" and _in_names(t) == [("add_1/x", "Const"), ("a", "Placeholder")]
        assert t.op.inputs[0].dtype == tf.float32
        t = a + 5
        assert _in_names(t) == [("a", "Placeholder"), ("add_2/y", "Const")]
        t = 5 - a
        assert (t.op.name, t.op.type) == ("sub", "Sub") and _in_names(t)[0] == ("sub/x", "Const")
        t = 2 * a
        assert (t.op.name, t.op.type) == ("mul", "Mul")
        t = a / b
        assert (t.op.name, t.op.type) == ("truediv", "RealDiv")
        t = 2 / a
        assert _in_names(t)[0] == ("truediv_1/x", "Const")
        t = i / 2
        assert t.dtype == tf.float64
        assert _in_names(t) == [("truediv_2/Cast", "Cast"), ("truediv_2/Cast_1", "Cast")]
        assert t.op.inputs[1].op.inputs[0].op.name == "truediv_2/y"
        t = a // b
        assert (t.op.name, t.op.type) == ("floordiv", "FloorDiv")
        t = 7 // i
        assert _in_names(t)[0] == ("floordiv_1/x", "Const") and t.dtype == tf.int32
        t = a % b
        assert (t.op.name, t.op.type) == ("mod", "FloorMod")
        t = a ** 2
        assert (t.op.name, t.op.type) == ("pow", "Pow") and _in_names(t)[1] == ("pow/y", "Const")
        t = -a
        assert (t.op.name, t.op.type) == ("Neg", "Neg")
        t = abs(a)
        assert (t.op.name, t.op.type) == ("Abs", "Abs")
        assert (a < b).op.type == "Less" and (a <= b).op.type == "LessEqual"
        assert (a > b).op.type == "Greater" and (a >= b).op.type == "GreaterEqual"
        t = 3 < a  # reflected: a > 3
        assert t.op.type == "Greater" and _in_names(t)[1][0].endswith("/y")
        t = bb & bb
        assert (t.op.name, t.op.type) == ("and", "LogicalAnd")
        t = bb | bb
        assert (t.op.name, t.op.type) == ("or", "LogicalOr")
        t = bb ^ bb
        assert (t.op.name, t.op.type) == ("xor", "LogicalAnd")
        assert _in_names(t) == [("xor/LogicalOr", "LogicalOr"), ("xor/LogicalNot", "LogicalNot")]
        t = ~bb
        assert (t.op.name, t.op.type) == ("LogicalNot", "LogicalNot")
        t = True & bb
        assert t.op.name == "and_1" and _in_names(t)[0] == ("and_1/x", "Const")
        t = tf.logical_xor(bb, bb)
        assert (t.op.name, t.op.type) == ("LogicalXor", "LogicalAnd")
        # numpy operands on the left defer to the Tensor and take its dtype.
        t = np.float32(2) * a
        assert t.op.type == "Mul" and t.op.inputs[0].op.name.endswith("/x")
        t = np.array([1.0, 2.0, 3.0]) + a
        assert t.dtype == tf.float32 and t.op.inputs[1] is a
        # Names are unique case-insensitively, like TF: "Add" exists, so a+a is add_3.
        tf.add(a, a)
        assert (a + a).op.name == "add_5"


def test_operator_values_and_reflection():
    x = np.array([[1.0, -2.0, 3.5]], np.float32)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, [1, 3])
        outs = [p + 1, 1 + p, p - 1, 1 - p, p * 2, 2 * p, p / 2, 2 / p, p // 2, 7 // p,
                p % 2, 7 % p, p ** 2, 2 ** p, -p, abs(p), p < 1, 1 < p]
        r = _run(outs, {p: x})
    want = [x + 1, 1 + x, x - 1, 1 - x, x * 2, 2 * x, x / 2, 2 / x, np.floor(x / 2),
            np.floor(7 / x), np.mod(x, 2), np.mod(7, x), x ** 2, 2 ** x, -x, np.abs(x), x < 1,
            1 < x]
    for k, (g, w) in enumerate(zip(r, want)):
        np.testing.assert_allclose(g, w, rtol=1e-6, err_msg=str(k))


def test_math_exports():
    for n in math_ops.__all__:
        assert hasattr(tf, n), n
    for n in math_ops._math_exports:
        assert hasattr(math_ops, n), n


def test_subnormals_flush_to_zero_like_tf():
    """TF computes with subnormals flushed to zero (values checked against TF 2.21);
    the caller's own floating-point mode is left as it was."""
    with tf.Graph().as_default():
        x = tf.constant([100.0, 0.0, 10.0])
        tiny = tf.constant([1e-39, 1.0])
        with tf.Session() as s:
            sm, dbl, raw, sg = s.run([tf.nn.softmax(x), tiny * 2.0, tiny, tf.sign(tiny)])
    np.testing.assert_array_equal(sm, [1.0, 0.0, 0.0])   # exp(-90) is subnormal: 0
    np.testing.assert_array_equal(dbl, [0.0, 2.0])
    assert raw[0] == np.float32(1e-39)                  # no arithmetic: kept as given
    np.testing.assert_array_equal(sg, [0.0, 1.0])
    with np.errstate(all="ignore"):
        assert np.float32(1e-39) * np.float32(2.0) != 0.0  # numpy in this thread unaffected

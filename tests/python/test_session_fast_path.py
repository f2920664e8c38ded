"""Session.run's native fast path (Note [Session.run fast path] in
csrc/bind/module.cc): the second and later runs of a signature go through one
native call. Every behaviour must be the same as on the first (Python) run."""
import numpy as np
import pytest

import tfcore as tf


def _twice(fn):
    """Runs fn twice: once resolving the signature, once on the fast path."""
    return fn(), fn()


def test_values_and_structures_repeat():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = x * 2.0
        z = tf.reduce_sum(y)
        s = tf.Session()
        a = np.arange(6, dtype=np.float32).reshape(2, 3)
        for r in _twice(lambda: s.run(y, {x: a})):
            np.testing.assert_array_equal(r, a * 2)
        for r in _twice(lambda: s.run([y, z], {x: a})):
            assert isinstance(r, list) and len(r) == 2
            np.testing.assert_array_equal(r[0], a * 2)
            assert r[1] == pytest.approx(30.0)
        for r in _twice(lambda: s.run((z, y), feed_dict={x: a})):
            assert isinstance(r, tuple)
            assert r[0] == pytest.approx(30.0)
        # The returned list is a fresh object every run.
        r1 = s.run([z], {x: a})
        r1.append("mutated")
        assert len(s.run([z], {x: a})) == 1
        # The same tensor fetched twice is one array, as in TF.
        for r in _twice(lambda: s.run([y, y], {x: a})):
            assert r[0] is r[1]


def test_feed_conversions_on_the_fast_path():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = x + 1.0
        s = tf.Session()
        s.run(y, {x: np.zeros(2, np.float32)})  # resolve the signature
        # Lists, float64 arrays, strided views and big-endian data are converted.
        np.testing.assert_array_equal(s.run(y, {x: [1, 2]}), [2.0, 3.0])
        np.testing.assert_array_equal(s.run(y, {x: np.array([1.5, 2.5])}), [2.5, 3.5])
        np.testing.assert_array_equal(s.run(y, {x: np.arange(4, dtype=np.float32)[::2]}), [1.0, 3.0])
        np.testing.assert_array_equal(s.run(y, {x: np.array([1, 2], dtype=">f4")}), [2.0, 3.0])
        assert s.run(y, {x: np.zeros(2, np.float32)}).dtype == np.float32
        # A fed array is not copied, and not modified either.
        a = np.array([5.0, 6.0], np.float32)
        s.run(y, {x: a})
        np.testing.assert_array_equal(a, [5.0, 6.0])


def test_feed_errors_on_the_fast_path():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = x + 1.0
        s = tf.Session()
        s.run(y, {x: np.zeros(2, np.float32)})
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor x:0, "
                                             r"which has shape \(2,\)"):
            s.run(y, {x: np.zeros(3, np.float32)})
        with pytest.raises(ValueError):
            s.run(y, {x: np.zeros((1, 2), np.float32)})
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            s.run(y, {x: tf.constant([1.0, 2.0])})
        with pytest.raises(ValueError):
            s.run(y, {x: ["a", "b"]})
        # Still fine afterwards.
        np.testing.assert_array_equal(s.run(y, {x: [0.0, 1.0]}), [1.0, 2.0])


def test_runtime_errors_and_targets_on_the_fast_path():
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        inc = tf.assign_add(v, 1.0)
        x = tf.placeholder(tf.float32, [None], name="x")
        idx = tf.placeholder(tf.int32, [], name="idx")
        g = tf.gather(x, idx)
        s = tf.Session()
        for _ in range(2):
            with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
                s.run(v)
        s.run(v.initializer)
        assert _twice(lambda: s.run(inc.op)) == (None, None)
        assert s.run(v) == 3.0
        assert s.run(g, {x: [1.0, 2.0], idx: 1}) == 2.0
        for _ in range(2):
            with pytest.raises(tf.errors.InvalidArgumentError):
                s.run(g, {x: [1.0, 2.0], idx: 5})
        s.close()
        with pytest.raises(RuntimeError, match="closed Session"):
            s.run(v)


def test_variable_fetch_and_feed_dict_order():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [], name="a")
        b = tf.placeholder(tf.float32, [], name="b")
        d = a - b
        w = tf.Variable([1.0, 2.0], name="w")
        s = tf.Session()
        s.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(_twice(lambda: s.run(w))[1], [1.0, 2.0])
        # The same keys in another order are another signature, still correct.
        assert _twice(lambda: s.run(d, {a: 5.0, b: 3.0})) == (2.0, 2.0)
        assert _twice(lambda: s.run(d, {b: 3.0, a: 5.0})) == (2.0, 2.0)
        # Names work too (not cached natively, same results).
        assert _twice(lambda: s.run("sub:0", {"a:0": 4.0, b: 1.0})) == (3.0, 3.0)


def test_python_scalar_feeds():
    """Python numbers fed to scalar placeholders convert like np.asarray(v, dtype)."""
    with tf.Graph().as_default():
        f32 = tf.placeholder(tf.float32, [], name="f32")
        f64 = tf.placeholder(tf.float64, None, name="f64")
        i32 = tf.placeholder(tf.int32, [], name="i32")
        i64 = tf.placeholder(tf.int64, [], name="i64")
        b = tf.placeholder(tf.bool, [], name="b")
        outs = [tf.identity(f32), tf.identity(f64), tf.identity(i32), tf.identity(i64),
                tf.logical_not(b)]
        s = tf.Session()
        for _ in range(2):
            r = s.run(outs, {f32: 0.1, f64: 0.1, i32: -7, i64: 2 ** 40, b: True})
            assert r[0] == np.float32(0.1) and r[0].dtype == np.float32
            assert r[1] == 0.1 and r[1].dtype == np.float64
            assert r[2] == -7 and r[2].dtype == np.int32
            assert r[3] == 2 ** 40 and r[3].dtype == np.int64
            assert not r[4]
        r = s.run(outs, {f32: 3, f64: 5, i32: 1, i64: -1, b: False})
        assert r[0] == 3.0 and r[0].dtype == np.float32 and r[1] == 5.0
        # Outside the exact cases numpy decides (and raises), as on the first run.
        with pytest.raises(OverflowError):
            s.run(outs, {f32: 1.0, f64: 1.0, i32: 2 ** 40, i64: 1, b: True})
        with pytest.raises(ValueError):
            s.run(outs[0], {f32: [1.0, 2.0]})
        assert s.run(outs[0], {f32: np.float64(2.5)}) == 2.5
        # numpy scalars of the placeholder's type, and of another type.
        for _ in range(2):
            r = s.run(outs, {f32: np.float32(1.5), f64: np.float64(-2.0), i32: np.int32(-3),
                             i64: np.int64(-2 ** 40), b: np.bool_(False)})
            assert r[:4] == [1.5, -2.0, -3, -2 ** 40] and r[4]
            assert [x.dtype for x in r] == [np.float32, np.float64, np.int32, np.int64, np.bool_]
        r = s.run(outs, {f32: np.float64(0.1), f64: np.float32(0.1), i32: np.int64(5),
                         i64: np.int32(6), b: 0})
        assert r[0] == np.float32(0.1) and r[1] == np.float64(np.float32(0.1))
        assert r[2] == 5 and r[3] == 6 and r[4]

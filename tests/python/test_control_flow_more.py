"""tf.map_fn, tf.scan, tf.foldl, tf.foldr and tf.TensorArray: results vs numpy, names
and static shapes as TensorFlow 1.x prints them (recorded from TF 2.21 compat.v1),
TensorArrays carried through tf.while_loop, errors."""
import collections

import numpy as np
import pytest

import tfcore as tf
from gradcheck import check_gradients
from tfcore.util import nest


def test_names_and_shapes_match_tf():
    x = tf.placeholder(tf.float32, [None, 3])
    m = tf.map_fn(lambda r: r * 2.0, x)
    m2 = tf.map_fn(lambda r: (r[0] * r[1], tf.reduce_sum(r[0])), (x, x),
                   dtype=(tf.float32, tf.float32))
    s = tf.scan(lambda a, r: a + r, x)
    s2 = tf.scan(lambda a, r: a + r, x, initializer=tf.zeros([3]), reverse=True)
    f = tf.foldl(lambda a, r: a + r, x)
    f2 = tf.foldr(lambda a, r: a + r, x, initializer=tf.zeros([3]))
    c = tf.constant([1, 2, 3])
    got = [repr(t) if isinstance(t, tuple) else str(t) for t in
           [m, m2, s, s2, f, f2, tf.map_fn(lambda v: v * 2, c),
            tf.scan(lambda a, v: a + v, c), tf.foldl(lambda a, v: a + v, c)]]
    assert got == [
        'Tensor("map/TensorArrayStack/TensorArrayGatherV3:0", shape=(?, 3), dtype=float32)',
        "(<tf.Tensor 'map_1/TensorArrayStack/TensorArrayGatherV3:0' shape=(?, 3) "
        "dtype=float32>, <tf.Tensor 'map_1/TensorArrayStack_1/TensorArrayGatherV3:0' "
        "shape=(?,) dtype=float32>)",
        'Tensor("scan/TensorArrayStack/TensorArrayGatherV3:0", shape=(?, 3), dtype=float32)',
        'Tensor("scan_1/TensorArrayStack/TensorArrayGatherV3:0", shape=(?, 3), dtype=float32)',
        'Tensor("foldl/while/Exit_2:0", shape=(3,), dtype=float32)',
        'Tensor("foldr/while/Exit_2:0", shape=(3,), dtype=float32)',
        'Tensor("map_2/TensorArrayStack/TensorArrayGatherV3:0", shape=(3,), dtype=int32)',
        'Tensor("scan_2/TensorArrayStack/TensorArrayGatherV3:0", shape=(3,), dtype=int32)',
        'Tensor("foldl_1/while/Exit_2:0", shape=(), dtype=int32)',
    ]
    xv = np.arange(12, dtype=np.float32).reshape(4, 3)
    with tf.Session() as sess:
        out = sess.run([m, m2, s, s2, f, f2], {x: xv})
    np.testing.assert_array_equal(out[0], xv * 2)
    np.testing.assert_array_equal(out[1][0], xv * xv)
    np.testing.assert_array_equal(out[1][1], xv.sum(1))
    np.testing.assert_array_equal(out[2], np.cumsum(xv, 0))
    np.testing.assert_array_equal(out[3], np.cumsum(xv[::-1], 0)[::-1])
    np.testing.assert_array_equal(out[4], xv.sum(0))
    np.testing.assert_array_equal(out[5], xv.sum(0))


def test_structures_strings_and_nesting():
    x = tf.placeholder(tf.float32, [2, 3])
    nm = tf.map_fn(lambda r: tf.map_fn(lambda v: v * v, r), x)
    d = tf.map_fn(lambda e: {"a": e["a"] + 1.0, "b": e["b"] * 2},
                  {"a": x, "b": tf.constant([1, 2])}, dtype={"a": tf.float32, "b": tf.int32})
    sc = tf.scan(lambda a, v: (a[0] + v, a[1] * v), tf.constant([1., 2., 3., 4.]),
                 initializer=(0., 1.))
    Pair = collections.namedtuple("Pair", ["p", "q"])
    fl = tf.foldl(lambda a, e: Pair(a.p + e.p, a.q * e.q),
                  Pair(tf.constant([1, 2, 3]), tf.constant([2., 3., 4.])))
    fr = tf.foldr(lambda a, v: a * 10 + v, tf.constant([1, 2, 3]))
    fr0 = tf.foldr(lambda a, v: a * 10 + v, tf.constant([1, 2, 3]), initializer=0)
    strs = tf.map_fn(lambda s: s, tf.constant(["a", "bc"]))
    lens = tf.map_fn(lambda s: tf.size(tf.reshape(s, [-1])), tf.constant(["a", "bc"]),
                     dtype=tf.int32)
    assert d["b"].shape.as_list() == [2] and isinstance(fl, Pair)
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as s:
        out = s.run([nm, d, sc, fl, fr, fr0, strs, lens], {x: xv})
    np.testing.assert_array_equal(out[0], xv * xv)
    np.testing.assert_array_equal(out[1]["a"], xv + 1)
    np.testing.assert_array_equal(out[1]["b"], [2, 4])
    np.testing.assert_array_equal(out[2][0], [1., 3., 6., 10.])
    np.testing.assert_array_equal(out[2][1], [1., 2., 6., 24.])
    assert out[3].p == 6 and out[3].q == 24.0
    assert out[4] == 321 and out[5] == 321
    assert list(out[6]) == [b"a", b"bc"]
    np.testing.assert_array_equal(out[7], [1, 1])


def test_scan_and_map_with_unknown_length():
    x = tf.placeholder(tf.float64, [None])
    s = tf.scan(lambda a, v: a * 0.5 + v, x, reverse=True)
    m = tf.map_fn(lambda v: tf.stack([v, -v]), x)
    assert s.shape.as_list() == [None] and m.shape.as_list() == [None, 2]
    xv = np.array([1., 2., 3., 4., 5.])
    ref = np.zeros(5)
    acc = xv[-1]
    ref[-1] = acc
    for k in range(3, -1, -1):
        acc = acc * 0.5 + xv[k]
        ref[k] = acc
    with tf.Session() as sess:
        sv, mv = sess.run([s, m], {x: xv})
        sv1, mv1 = sess.run([s, m], {x: xv[:1]})
    np.testing.assert_allclose(sv, ref)
    np.testing.assert_array_equal(mv, np.stack([xv, -xv], 1))
    np.testing.assert_array_equal(sv1, [1.])
    np.testing.assert_array_equal(mv1, [[1., -1.]])


def test_tensor_array_api():
    ta = tf.TensorArray(tf.float32, size=3)
    ta2 = ta.write(0, [1., 2.])
    assert [str(t) for t in [ta2.read(0), ta2.stack()]] == [
        'Tensor("TensorArrayReadV3:0", shape=(2,), dtype=float32)',
        'Tensor("TensorArrayStack/TensorArrayGatherV3:0", shape=(3, 2), dtype=float32)']
    x = tf.placeholder(tf.float32, [3, 3])
    un = tf.TensorArray(tf.float32, size=3).unstack(x)
    assert str(un.stack()) == ('Tensor("TensorArrayStack_1/TensorArrayGatherV3:0", '
                               'shape=(3, 3), dtype=float32)')
    e = tf.TensorArray(tf.float32, size=3, element_shape=[3])
    assert e.stack().shape.as_list() == [3, 3] and e.gather([0, 1]).shape.as_list() == [2, 3]
    cat = un.concat()
    assert cat.shape.as_list() == [9]
    t3 = tf.TensorArray(tf.float32, size=4).scatter([3, 1], [[1., 2.], [3., 4.]])
    sp = tf.TensorArray(tf.float32, size=2).split([1., 2., 3., 4.], [2, 2])
    ti = tf.TensorArray(tf.int64, size=2, element_shape=[]).write(1, 7)
    xv = np.arange(9, dtype=np.float32).reshape(3, 3)
    with tf.Session() as s:
        out = s.run([ta2.stack(), ta2.read(0), ta2.size(), un.read(2), cat, un.gather([2, 0]),
                     t3.gather([1, 3]), t3.stack(), sp.stack(), sp.concat(), ti.stack(),
                     un.identity().stack()], {x: xv})
        s.run(un.close(), {x: xv})
    np.testing.assert_array_equal(out[0], [[1., 2.], [0., 0.], [0., 0.]])
    np.testing.assert_array_equal(out[1], [1., 2.])
    assert out[2] == 3
    np.testing.assert_array_equal(out[3], xv[2])
    np.testing.assert_array_equal(out[4], xv.reshape(-1))
    np.testing.assert_array_equal(out[5], xv[[2, 0]])
    np.testing.assert_array_equal(out[6], [[3., 4.], [1., 2.]])
    np.testing.assert_array_equal(out[7], [[0., 0.], [3., 4.], [0., 0.], [1., 2.]])
    np.testing.assert_array_equal(out[8], [[1., 2.], [3., 4.]])
    np.testing.assert_array_equal(out[9], [1., 2., 3., 4.])
    assert out[10].dtype == np.int64 and list(out[10]) == [0, 7]
    np.testing.assert_array_equal(out[11], xv)


def test_tensor_array_through_while_loop_dynamic_size():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    n = tf.placeholder(tf.int32, [])

    def body(i, ta):
        return i + 1, ta.write(i, tf.fill([2], tf.cast(i, tf.float32)))

    _, ta_out = tf.while_loop(lambda i, ta: i < n, body, [0, ta])
    st = ta_out.stack()
    size = ta_out.size()
    assert str(st) == ('Tensor("TensorArrayStack/TensorArrayGatherV3:0", shape=(?, 2), '
                       'dtype=float32)')
    assert size.name == "TensorArraySizeV3:0"
    with tf.Session() as s:
        v, k = s.run([st, size], {n: 4})
        v0 = s.run(ta_out.size(), {n: 0})
    np.testing.assert_array_equal(v, np.repeat(np.arange(4, dtype=np.float32)[:, None], 2, 1))
    assert k == 4 and v0 == 0


def test_errors():
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Tried to write to index 5 but array is not resizeable "
                                 "and size is: 2"):
            s.run(tf.TensorArray(tf.float32, size=2).write(5, 1.).stack())
        # A later write must match the element shape of the earlier ones.
        ta = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.])
        with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible"):
            s.run(ta.write(1, [1., 2.]).stack())
    with pytest.raises(ValueError, match="^Inconsistent shapes: saw \\(2,\\) but expected \\(1,\\) $"):
        tf.TensorArray(tf.float32, size=2).write(0, [1.]).write(1, [1., 2.])
    with pytest.raises(TypeError, match="has dtype <dtype: 'int32'>, but expected dtype <dtype: 'float32'>"):
        tf.TensorArray(tf.float32, size=2).write(0, tf.constant(1))
    with pytest.raises(ValueError, match="^Elements in elems must be 1\\+ dimensional Tensors, "
                                         "not scalars$"):
        tf.map_fn(lambda v: v, tf.constant(1.0))
    with pytest.raises(ValueError, match="which does not contain any Tensors"):
        tf.map_fn(lambda v: v, [])
    with pytest.raises(TypeError):
        tf.map_fn(lambda v: v, tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="^Dimensions 2 and 3 are not compatible$"):
        tf.map_fn(lambda v: v, (tf.constant([1, 2]), tf.constant([1, 2, 3])))


# -- gradients through while_loop, map_fn, scan, folds and TensorArrays -------------------


def test_while_loop_gradient_captures_and_variables():
    x = tf.placeholder(tf.float64, [])
    w = tf.Variable(np.float64(1.5))
    c = tf.constant(np.float64(0.5))
    _, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x * w + c), (0, x))
    g = tf.gradients(y, [x, w, c])
    assert g[1].name == "gradients/while/loop_grad/TfcoreWhileGrad:2"
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([y] + g, {x: 2.0})
    # y = f(f(f(x))), f(v) = v*x*w + c; values from TensorFlow 1.x (and by hand).
    np.testing.assert_allclose(out, [60.5, 113.25, 115.0, 13.0], rtol=1e-12)


def test_while_loop_gradient_matches_finite_differences():
    def build(x, a):
        def body(i, v, s):
            return i + 1, tf.tanh(tf.matmul(v, a)) + v, s + tf.reduce_sum(v * v)
        return tf.while_loop(lambda i, v, s: i < 3, body,
                             (0, x, tf.constant(0.0, tf.float64)))[1:]

    rng = np.random.RandomState(1)
    xv, av = rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 3))
    check_gradients(lambda x, a: build(x, a)[0], [xv, av])
    check_gradients(lambda x, a: build(x, a)[1], [xv, av])
    # Zero iterations: the gradient passes straight through; captured gets zeros.
    x = tf.placeholder(tf.float64, [2])
    k = tf.constant(np.float64(3.0))
    y = tf.while_loop(lambda v: tf.reduce_sum(v) > 100.0, lambda v: v * k, [x])
    gx, gk = tf.gradients(tf.reduce_sum(y * y), [x, k])
    with tf.Session() as s:
        vx, vk = s.run([gx, gk], {x: [1.0, 2.0]})
    np.testing.assert_array_equal(vx, [2.0, 4.0])
    assert vk == 0.0


def test_map_fn_scan_fold_gradients():
    rng = np.random.RandomState(2)
    xv = rng.uniform(-1, 1, (4, 3))
    wv = rng.uniform(-1, 1, (3,))
    check_gradients(lambda x, w: tf.map_fn(lambda r: tf.reduce_sum(tf.sin(r) * w), x),
                    [xv, wv])
    check_gradients(lambda x, w: tf.map_fn(lambda r: (r * w, r[0]), x,
                                           dtype=(tf.float64, tf.float64))[0], [xv, wv])
    check_gradients(lambda x, w: tf.scan(lambda a, r: a * r + w, x), [xv, wv])
    check_gradients(lambda x, w: tf.scan(lambda a, r: tf.tanh(a * w) + r, x,
                                         initializer=w, reverse=True), [xv, wv])
    check_gradients(lambda x, w: tf.foldl(lambda a, r: a * r + w, x), [xv, wv])
    check_gradients(lambda x, w: tf.foldr(lambda a, r: a * tf.cos(r), x, initializer=w),
                    [xv, wv])


def test_tensor_array_gradients():
    rng = np.random.RandomState(3)
    xv = rng.uniform(-1, 1, (4, 3))

    def build(x):
        ta = tf.TensorArray(tf.float64, size=4).unstack(x)
        tb = tf.TensorArray(tf.float64, size=5).scatter([4, 0], ta.gather([1, 3]) * 2.0)
        tb = tb.write(2, ta.read(0) * ta.read(2))
        return tf.concat([tb.stack(), ta.stack() * 3.0], 0)

    check_gradients(build, [xv])

    def loop(x):
        ta = tf.TensorArray(tf.float64, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, ta: i < 3,
                              lambda i, ta: (i + 1, ta.write(i, x[i] * x[i + 1])), (0, ta))
        return ta.stack()

    check_gradients(loop, [xv])


def test_optimizer_trains_through_scan():
    x = tf.constant(np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32))
    w = tf.Variable(np.full([3], 0.5, np.float32))
    y = tf.scan(lambda a, r: tf.tanh(a * w + r), x)
    loss = tf.reduce_sum(tf.square(y - 0.25))
    grad = tf.gradients(loss, w)[0]
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        w0, g0, l0 = s.run([w, grad, loss])
        s.run(train)
        w1 = s.run(w)
        for _ in range(30):
            s.run(train)
        l1 = s.run(loss)
    np.testing.assert_allclose(w1, w0 - 0.1 * g0, rtol=1e-6)
    assert l1 < l0


def test_nested_loop_gradients_match_tf():
    x = tf.placeholder(tf.float64, [])
    w = tf.Variable(np.float64(1.5))
    c = tf.constant(np.float64(0.5))
    _, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x * w + c), (0, x))

    def body(i, v):
        inner = tf.while_loop(lambda j, u: j < i, lambda j, u: (j + 1, u * x), (0, v))[1]
        return i + 1, tf.sin(inner) + v

    _, y2 = tf.while_loop(lambda i, v: i < 3, body, (0, x))
    g = tf.gradients(y, [x, w, c]) + tf.gradients(y2, x)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([y, y2] + g, {x: 0.7})
    # Printed by TensorFlow 2.21 (compat.v1) for the same graph.
    np.testing.assert_allclose(out, [2.3865874999999996, 3.0220622955225793,
                                     6.955499999999999, 2.7056749999999994, 3.1525,
                                     5.565684616134284], rtol=1e-12)


# -- dynamic_rnn over an unknown number of time steps ------------------------------------

def _rnn_run(cell_fn, static, time_major=False, seq=True):
    xv = np.random.RandomState(0).uniform(-1, 1, (4, 2, 2) if time_major else (2, 4, 2))
    xv = xv.astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        shape = list(xv.shape) if static else [None, None, 2]
        x = tf.placeholder(tf.float32, shape)
        sl = tf.placeholder(tf.int32, [None])
        out, st = tf.nn.dynamic_rnn(cell_fn(), x, sequence_length=sl if seq else None,
                                    dtype=tf.float32, time_major=time_major)
        loss = tf.reduce_sum(out * out) + sum(tf.reduce_sum(s) for s in nest.flatten(st))
        vs = tf.trainable_variables()
        grads = tf.gradients(loss, [x] + vs)
        rng = np.random.RandomState(1)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for v in vs:
                s.run(v.assign(rng.uniform(-.5, .5, v.shape.as_list()).astype(np.float32)))
            vals = s.run([out, st, grads], {x: xv, sl: [4, 2]})
    return out, st, vals


@pytest.mark.parametrize("cell_fn", [lambda: tf.nn.rnn_cell.BasicLSTMCell(3),
                                     lambda: tf.nn.rnn_cell.GRUCell(3),
                                     lambda: tf.nn.rnn_cell.BasicRNNCell(3)])
@pytest.mark.parametrize("time_major", [False, True])
def test_dynamic_rnn_unknown_time_matches_unrolled(cell_fn, time_major):
    _, _, ref = _rnn_run(cell_fn, True, time_major)
    out, st, got = _rnn_run(cell_fn, False, time_major)
    assert out.shape.as_list() == [None, None, 3]
    for a, b in zip(nest.flatten(got), nest.flatten(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_dynamic_rnn_unknown_time_names_and_training():
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, None, 2])
    sl = tf.placeholder(tf.int32, [None])
    out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, sequence_length=sl,
                                dtype=tf.float32)
    # As TensorFlow 1.x prints them.
    assert str(out) == 'Tensor("rnn/transpose_1:0", shape=(?, ?, 3), dtype=float32)'
    assert [t.name for t in st] == ["rnn/while/Exit_3:0", "rnn/while/Exit_4:0"]
    loss = tf.reduce_mean(tf.square(out - 0.3))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    xv = np.random.RandomState(0).uniform(-1, 1, (3, 5, 2)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        l0 = s.run(loss, {x: xv, sl: [5, 3, 1]})
        for _ in range(40):
            s.run(train, {x: xv, sl: [5, 3, 1]})
        l1 = s.run(loss, {x: xv, sl: [5, 3, 1]})
        # Other lengths with the same graph.
        o = s.run(out, {x: xv[:, :2], sl: [2, 2, 1]})
    # (The zero outputs past each length keep the loss above ~0.036.)
    assert l1 < 0.7 * l0
    assert o.shape == (3, 2, 3) and np.all(o[2, 1] == 0)


def test_while_gradient_connectivity_matches_tf():
    x = tf.placeholder(tf.float64, [2])
    c = tf.constant(np.array([0.5, 2.0]))
    r = tf.while_loop(lambda i, v, s, u: i < 3,
                      lambda i, v, s, u: (i + 1, v, s + v * v, c), (0, x, x * 0.0, x))
    g1 = tf.gradients(r[2], [x, c])
    g2 = tf.gradients(r[3], [x, c])
    g3 = tf.gradients(r[1], [x, c])
    # TensorFlow 1.x: None where the loop gives the captured tensor no gradient.
    assert g1[1] is None and g3[1] is None
    with tf.Session() as s:
        out = s.run([g1[0], g2[0], g2[1], g3[0]], {x: [1., 3.]})
    for got, want in zip(out, [[6., 18.], [0., 0.], [1., 1.], [1., 1.]]):
        np.testing.assert_array_equal(got, want)


def test_back_prop_false_stops_gradients():
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda v: v < 10, lambda v: v * 2, [x], back_prop=False)
    m = tf.map_fn(lambda v: v * 2, tf.ones([3]) * x, back_prop=False)
    assert y.name == "while/Exit:0"
    assert tf.gradients(y, x) == [None] and tf.gradients(m, x) == [None]
    with tf.Session() as s:
        assert s.run(y, {x: 3.0}) == 12.0


def _birnn_run(static):
    xv = np.random.RandomState(0).uniform(-1, 1, (2, 4, 2)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, list(xv.shape) if static else [None, None, 2])
        sl = tf.placeholder(tf.int32, [None])
        (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3), x, sequence_length=sl,
            dtype=tf.float32)
        loss = tf.reduce_sum(fw * bw) + tf.reduce_sum(sf * sb)
        vs = tf.trainable_variables()
        grads = tf.gradients(loss, [x] + vs)
        rng = np.random.RandomState(1)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for v in vs:
                s.run(v.assign(rng.uniform(-.5, .5, v.shape.as_list()).astype(np.float32)))
            return s.run([fw, bw, sf, sb, grads], {x: xv, sl: [4, 2]})


def test_bidirectional_dynamic_rnn_unknown_time_matches_unrolled():
    ref = _birnn_run(True)
    got = _birnn_run(False)
    for a, b in zip(nest.flatten(got), nest.flatten(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

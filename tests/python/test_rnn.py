"""tf.nn.rnn_cell / tf.contrib.rnn cells and the RNN drivers (static_rnn,
dynamic_rnn, bidirectional_*): variable names and shapes (as TF 1.x names
them), cell numbers against numpy, sequence_length semantics, errors, and the
same programs (outputs, final states, dropout masks, an Adam training loop)
run under real TensorFlow."""
import zlib

import numpy as np
import pytest

import tfcore as tf
from tforacle import dec, needs_tf, run_tf


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _val(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()) % (2 ** 31))
    return rng.uniform(-0.6, 0.6, size=shape).astype(np.float32)


def _set_weights(sess):
    vs = tf.trainable_variables()
    sess.run([v.assign(_val(v.name, v.get_shape().as_list())) for v in vs])
    return {v.name: _val(v.name, v.get_shape().as_list()) for v in vs}


def _names(vars_):
    return [(v.name, v.get_shape().as_list()) for v in vars_]


# ------------------------------------------------------------ names and shapes
# From TensorFlow 1.x (tf.compat.v1 + legacy Keras cells).

def test_variable_names_and_shapes_match_tf():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert cell.scope_name == "rnn/basic_lstm_cell"
    assert _names(cell.trainable_weights) == [("rnn/basic_lstm_cell/kernel:0", [7, 16]),
                                              ("rnn/basic_lstm_cell/bias:0", [16])]
    cells = [tf.nn.rnn_cell.GRUCell(4),
             tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2),
             tf.nn.rnn_cell.BasicRNNCell(4),
             tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                          tf.nn.rnn_cell.GRUCell(3)]),
             tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(4), output_keep_prob=0.5)]
    for i, c in enumerate(cells):
        tf.nn.dynamic_rnn(c, x, dtype=tf.float32, scope="s%d" % i)
    assert _names(cells[0].trainable_weights) == [
        ("s0/gru_cell/gates/kernel:0", [7, 8]), ("s0/gru_cell/gates/bias:0", [8]),
        ("s0/gru_cell/candidate/kernel:0", [7, 4]), ("s0/gru_cell/candidate/bias:0", [4])]
    assert _names(cells[1].trainable_weights) == [
        ("s1/lstm_cell/kernel:0", [5, 16]), ("s1/lstm_cell/bias:0", [16]),
        ("s1/lstm_cell/w_f_diag:0", [4]), ("s1/lstm_cell/w_i_diag:0", [4]),
        ("s1/lstm_cell/w_o_diag:0", [4]), ("s1/lstm_cell/projection/kernel:0", [4, 2])]
    assert _names(cells[2].trainable_weights) == [("s2/basic_rnn_cell/kernel:0", [7, 4]),
                                                  ("s2/basic_rnn_cell/bias:0", [4])]
    assert _names(cells[3].trainable_weights) == [
        ("s3/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", [7, 16]),
        ("s3/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", [16]),
        ("s3/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0", [7, 6]),
        ("s3/multi_rnn_cell/cell_1/gru_cell/gates/bias:0", [6]),
        ("s3/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0", [7, 3]),
        ("s3/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0", [3])]
    assert cells[4].trainable_weights == []
    assert [v.name for v in tf.global_variables()][-2:] == ["s4/lstm_cell/kernel:0",
                                                            "s4/lstm_cell/bias:0"]
    # Every variable exactly once although the cells ran 5 time steps.
    assert len(tf.global_variables()) == 2 + 4 + 6 + 2 + 6 + 2
    assert (cell.name, cells[3].name) == ("basic_lstm_cell_1", "multi_rnn_cell_1")

    tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2), x,
                                    dtype=tf.float32, sequence_length=[3, 5])
    tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2),
                                   tf.unstack(x, axis=1), dtype=tf.float32, scope="sb")
    names = [v.name for v in tf.global_variables()]
    for d in ("fw", "bw"):
        for sc in ("bidirectional_rnn", "sb"):
            assert "%s/%s/gru_cell/gates/kernel:0" % (sc, d) in names
            assert "%s/%s/gru_cell/candidate/bias:0" % (sc, d) in names
    assert len(names) == 22 + 16


def test_initializers_like_tf():
    x = tf.placeholder(tf.float32, [2, 3, 3])
    tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32, scope="g")
    tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32, scope="l")
    with tf.variable_scope("u", initializer=tf.constant_initializer(0.25)):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(2, use_peepholes=True), x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        v = {k.name: sess.run(k) for k in tf.global_variables()}
    np.testing.assert_array_equal(v["g/gru_cell/gates/bias:0"], np.ones(8))
    np.testing.assert_array_equal(v["g/gru_cell/candidate/bias:0"], np.zeros(4))
    np.testing.assert_array_equal(v["l/basic_lstm_cell/bias:0"], np.zeros(16))
    # Kernels: glorot uniform, limit sqrt(6 / (fan_in + fan_out)).
    k = v["l/basic_lstm_cell/kernel:0"]
    assert np.abs(k).max() <= np.sqrt(6.0 / (7 + 16)) and k.std() > 0.1
    np.testing.assert_array_equal(v["u/rnn/lstm_cell/kernel:0"], np.full((5, 8), 0.25))
    np.testing.assert_array_equal(v["u/rnn/lstm_cell/w_f_diag:0"], np.full(2, 0.25))
    np.testing.assert_array_equal(v["u/rnn/lstm_cell/bias:0"], np.zeros(8))


def test_sizes_and_zero_state():
    rc = tf.nn.rnn_cell
    assert rc.BasicLSTMCell(4).state_size == rc.LSTMStateTuple(4, 4)
    assert rc.BasicLSTMCell(4, state_is_tuple=False).state_size == 8
    assert rc.LSTMCell(4, num_proj=2).state_size == (4, 2)
    assert rc.LSTMCell(4, num_proj=2).output_size == 2
    assert rc.LSTMCell(4, num_proj=2, state_is_tuple=False).state_size == 6
    m = rc.MultiRNNCell([rc.BasicLSTMCell(4), rc.GRUCell(3)])
    assert m.state_size == (rc.LSTMStateTuple(4, 4), 3) and m.output_size == 3
    assert rc.MultiRNNCell([rc.BasicLSTMCell(4, state_is_tuple=False), rc.GRUCell(3)],
                           state_is_tuple=False).state_size == 11
    z = m.zero_state(3, tf.float32)
    assert isinstance(z[0], rc.LSTMStateTuple)
    assert z[0].c.name == "MultiRNNCellZeroState/BasicLSTMCellZeroState/zeros:0"
    assert z[1].name == "MultiRNNCellZeroState/GRUCellZeroState/zeros:0"
    bs = tf.placeholder(tf.int32, [])
    zd = rc.BasicLSTMCell(4).zero_state(bs, tf.float32)
    assert zd.h.get_shape().as_list() == [None, 4]
    zw = rc.DropoutWrapper(rc.GRUCell(5)).zero_state(2, tf.float64)
    assert zw.get_shape().as_list() == [2, 5] and zw.dtype == tf.float64
    assert zw.name.startswith("DropoutWrapperZeroState/GRUCellZeroState/")
    with tf.Session() as sess:
        a, b = sess.run([z, zd], {bs: 5})
    assert a[0].c.shape == (3, 4) and a[1].shape == (3, 3) and b.h.shape == (5, 4)
    assert not a[0].c.any()
    init = rc.BasicLSTMCell(4).get_initial_state(batch_size=3, dtype=tf.float32)
    assert init.c.get_shape().as_list() == [3, 4]
    assert tf.contrib.rnn.LSTMStateTuple is rc.LSTMStateTuple
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn


# ------------------------------------------------------------ numbers vs numpy

def _np_step(kind, w, x, state, **kw):
    if kind == "rnn":
        h = np.tanh(np.concatenate([x, state], 1) @ w["kernel"] + w["bias"])
        return h, h
    if kind == "gru":
        v = _sig(np.concatenate([x, state], 1) @ w["gates/kernel"] + w["gates/bias"])
        r, u = np.split(v, 2, axis=1)
        c = np.tanh(np.concatenate([x, r * state], 1) @ w["candidate/kernel"] +
                    w["candidate/bias"])
        h = u * state + (1 - u) * c
        return h, h
    if kind == "basic_lstm":
        c, h = state
        z = np.concatenate([x, h], 1) @ w["kernel"] + w["bias"]
        i, j, f, o = np.split(z, 4, axis=1)
        c = c * _sig(f + kw.get("forget_bias", 1.0)) + _sig(i) * np.tanh(j)
        h = np.tanh(c) * _sig(o)
        return h, (c, h)
    if kind == "lstm":
        c, m = state
        z = np.concatenate([x, m], 1) @ w["kernel"] + w["bias"]
        i, j, f, o = np.split(z, 4, axis=1)
        fb = kw.get("forget_bias", 1.0)
        if kw.get("use_peepholes"):
            c = _sig(f + fb + w["w_f_diag"] * c) * c + _sig(i + w["w_i_diag"] * c) * np.tanh(j)
        else:
            c = _sig(f + fb) * c + _sig(i) * np.tanh(j)
        if kw.get("cell_clip") is not None:
            c = np.clip(c, -kw["cell_clip"], kw["cell_clip"])
        if kw.get("use_peepholes"):
            m = _sig(o + w["w_o_diag"] * c) * np.tanh(c)
        else:
            m = _sig(o) * np.tanh(c)
        if kw.get("num_proj"):
            m = m @ w["projection/kernel"]
            if kw.get("proj_clip") is not None:
                m = np.clip(m, -kw["proj_clip"], kw["proj_clip"])
        return m, (c, m)
    raise ValueError(kind)


_CELLS = [
    ("rnn", lambda: tf.nn.rnn_cell.BasicRNNCell(5), {}),
    ("gru", lambda: tf.nn.rnn_cell.GRUCell(5), {}),
    ("basic_lstm", lambda: tf.nn.rnn_cell.BasicLSTMCell(5, forget_bias=0.3), {"forget_bias": 0.3}),
    ("lstm", lambda: tf.nn.rnn_cell.LSTMCell(5, use_peepholes=True, cell_clip=0.5, num_proj=3,
                                             proj_clip=0.4, forget_bias=0.7),
     {"use_peepholes": True, "cell_clip": 0.5, "num_proj": 3, "proj_clip": 0.4,
      "forget_bias": 0.7}),
    ("lstm", lambda: tf.nn.rnn_cell.LSTMCell(5), {}),
]


def _weights_by_suffix(values, prefix):
    return {k[len(prefix):-2]: v for k, v in values.items() if k.startswith(prefix)}


def _np_rnn(kind, w, xs, state, lens=None, **kw):
    """Batch-major xs [B, T, D]; TF's sequence_length semantics."""
    outs = []
    for t in range(xs.shape[1]):
        out, new = _np_step(kind, w, xs[:, t], state, **kw)
        if lens is not None:
            keep = (t < lens)[:, None]
            out = np.where(keep, out, 0.0)
            if isinstance(new, tuple):
                new = tuple(np.where(keep, n, s) for n, s in zip(new, state))
            else:
                new = np.where(keep, new, state)
        outs.append(out)
        state = new
    return np.stack(outs, 1), state


@pytest.mark.parametrize("case", range(len(_CELLS)))
def test_cell_step_and_dynamic_rnn_vs_numpy(case):
    kind, make, kw = _CELLS[case]
    rng = np.random.RandomState(case)
    xv = rng.randn(3, 4, 2).astype(np.float32)
    lens = np.array([4, 1, 3], np.int32)
    cell = make()
    x = tf.placeholder(tf.float32, [3, 4, 2])
    sl = tf.placeholder(tf.int32, [3])
    outs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=sl, dtype=tf.float32)
    outs_tm, state_tm = tf.nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]), time_major=True,
                                          dtype=tf.float32)
    # One direct call of the cell, reusing its variables.
    st0 = cell.zero_state(3, tf.float32)
    one_out, _ = cell(x[:, 0], st0)
    assert len(tf.trainable_variables()) == len(cell.trainable_weights)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = _weights_by_suffix(_set_weights(sess), cell.scope_name + "/")
        got = sess.run([outs, state, outs_tm, state_tm, one_out], {x: xv, sl: lens})
    if kind in ("basic_lstm", "lstm"):
        z0 = (np.zeros((3, 5), np.float32), np.zeros((3, kw.get("num_proj") or 5), np.float32))
    else:
        z0 = np.zeros((3, 5), np.float32)
    ref_o, ref_s = _np_rnn(kind, w, xv, z0, lens, **kw)
    np.testing.assert_allclose(got[0], ref_o, rtol=1e-5, atol=1e-6)
    def cat(st):
        return np.concatenate(list(st), 1) if isinstance(st, tuple) else st
    np.testing.assert_allclose(cat(got[1]), cat(ref_s), rtol=1e-5, atol=1e-6)
    ref_o2, ref_s2 = _np_rnn(kind, w, xv, z0, None, **kw)
    np.testing.assert_allclose(got[2], ref_o2.transpose(1, 0, 2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[4], ref_o2[:, 0], rtol=1e-5, atol=1e-6)
    # Sequence 1 ended after 1 step: zero outputs afterwards, its state frozen.
    assert not got[0][1, 1:].any() and got[0][1, 0].any()
    final_h = got[1][1] if isinstance(ref_s, tuple) else got[1]
    np.testing.assert_allclose(final_h[1], got[0][1, 0], rtol=1e-6)
    np.testing.assert_allclose(cat(got[3]), cat(ref_s2), rtol=1e-5, atol=1e-6)


def test_concatenated_state_and_multi_cell_vs_numpy():
    rc = tf.nn.rnn_cell
    cell = rc.MultiRNNCell([rc.BasicLSTMCell(3, state_is_tuple=False),
                            rc.LSTMCell(4, num_proj=2, state_is_tuple=False),
                            rc.GRUCell(2)], state_is_tuple=False)
    assert cell.state_size == 6 + 6 + 2
    xv = np.random.RandomState(1).randn(2, 3, 2).astype(np.float32)
    x = tf.constant(xv)
    outs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="m")
    assert state.get_shape().as_list() == [2, 14]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = _set_weights(sess)
        o, s = sess.run([outs, state])
    w0 = _weights_by_suffix(vals, "m/multi_rnn_cell/cell_0/basic_lstm_cell/")
    w1 = _weights_by_suffix(vals, "m/multi_rnn_cell/cell_1/lstm_cell/")
    w2 = _weights_by_suffix(vals, "m/multi_rnn_cell/cell_2/gru_cell/")
    st = [(np.zeros((2, 3)), np.zeros((2, 3))), (np.zeros((2, 4)), np.zeros((2, 2))),
          np.zeros((2, 2))]
    ref = []
    for t in range(3):
        h, st[0] = _np_step("basic_lstm", w0, xv[:, t], st[0])
        h, st[1] = _np_step("lstm", w1, h, st[1], num_proj=2)
        h, st[2] = _np_step("gru", w2, h, st[2])
        ref.append(h)
    np.testing.assert_allclose(o, np.stack(ref, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s, np.concatenate(list(st[0]) + list(st[1]) + [st[2]], 1),
                               rtol=1e-5, atol=1e-6)


def test_bidirectional_and_static_vs_numpy():
    rc = tf.nn.rnn_cell
    xv = np.random.RandomState(2).randn(3, 5, 2).astype(np.float32)
    lens = np.array([5, 2, 0], np.int32)
    x = tf.constant(xv)
    (of, ob), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        rc.GRUCell(3), rc.BasicRNNCell(2), x, sequence_length=lens, dtype=tf.float32)
    so, ssf, ssb = tf.nn.static_bidirectional_rnn(
        rc.GRUCell(3), rc.BasicRNNCell(2), tf.unstack(x, axis=1), sequence_length=lens,
        dtype=tf.float32, scope="st")
    assert len(so) == 5 and so[0].get_shape().as_list() == [3, 5]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = _set_weights(sess)
        got = sess.run([of, ob, sf, sb, so, ssf, ssb])
    for sc, (gof, gob, gsf, gsb) in (("bidirectional_rnn", got[:4]),
                                     ("st", (np.stack(got[4], 1)[..., :3],
                                             np.stack(got[4], 1)[..., 3:], got[5], got[6]))):
        wf = _weights_by_suffix(vals, sc + "/fw/gru_cell/")
        wb = _weights_by_suffix(vals, sc + "/bw/basic_rnn_cell/")
        rof, rsf = _np_rnn("gru", wf, xv, np.zeros((3, 3), np.float32), lens)
        xr = np.stack([np.concatenate([xv[b, :lens[b]][::-1], xv[b, lens[b]:]])
                       for b in range(3)])
        rob, rsb = _np_rnn("rnn", wb, xr, np.zeros((3, 2), np.float32), lens)
        rob = np.stack([np.concatenate([rob[b, :lens[b]][::-1], rob[b, lens[b]:]])
                        for b in range(3)])
        np.testing.assert_allclose(gof, rof, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(gob, rob, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(gsf, rsf, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(gsb, rsb, rtol=1e-5, atol=1e-6)
    assert not got[0][2].any() and not got[2][2].any()   # length 0: zeros, zero state


def test_static_rnn_equals_dynamic_rnn_and_custom_cell_reuse():
    class MyCell(tf.nn.rnn_cell.RNNCell):
        """A user cell calling tf.get_variable inside call (TF1 idiom)."""
        @property
        def state_size(self):
            return 2

        @property
        def output_size(self):
            return 2

        def call(self, inputs, state):
            w = tf.get_variable("w", [inputs.get_shape()[1].value + 2, 2])
            out = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
            return out, out

    class OldStyleCell(MyCell):
        """Overrides __call__ itself, with its own variable scope."""
        def __call__(self, inputs, state, scope=None):
            with tf.variable_scope(scope or "old_cell"):
                return self.call(inputs, state)

    xv = np.random.RandomState(3).randn(2, 4, 3).astype(np.float32)
    x = tf.constant(xv)
    c1 = MyCell()
    o1, s1 = tf.nn.static_rnn(c1, tf.unstack(x, axis=1), dtype=tf.float32, scope="a")
    o2, s2 = tf.nn.dynamic_rnn(OldStyleCell(), x, dtype=tf.float32, scope="b")
    assert [v.name for v in tf.global_variables()] == ["a/my_cell/w:0", "b/old_cell/w:0"]
    assert [v.name for v in c1.trainable_weights] == ["a/my_cell/w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        wv = _val("w", [5, 2])
        sess.run([v.assign(wv) for v in tf.global_variables()])
        r1, r2, f1, f2 = sess.run([o1, o2, s1, s2])
    np.testing.assert_allclose(np.stack(r1, 1), r2, rtol=1e-6)
    np.testing.assert_allclose(f1, f2, rtol=1e-6)
    h = np.zeros((2, 2))
    for t in range(4):
        h = np.tanh(np.concatenate([xv[:, t], h], 1) @ wv)
    np.testing.assert_allclose(f1, h, rtol=1e-5)


def test_zero_time_steps():
    cell = tf.nn.rnn_cell.LSTMCell(3)
    x = tf.placeholder(tf.float32, [None, 0, 2])
    o, s = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert o.get_shape().as_list() == [None, 0, 3]
    # TF builds the loop body once: the variables exist.
    assert [v.name for v in tf.global_variables()] == ["rnn/lstm_cell/kernel:0",
                                                       "rnn/lstm_cell/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ov, sv = sess.run([o, s], {x: np.zeros((4, 0, 2))})
    assert ov.shape == (4, 0, 3) and sv.c.shape == (4, 3) and not sv.h.any()


def test_dropout_wrapper_keep_prob_placeholder():
    rc = tf.nn.rnn_cell
    kp = tf.placeholder(tf.float32, [])
    cell = rc.DropoutWrapper(rc.BasicLSTMCell(3), input_keep_prob=kp, output_keep_prob=kp,
                             state_keep_prob=kp)
    ref = rc.BasicLSTMCell(3)
    x = tf.constant(np.random.RandomState(4).randn(2, 3, 2).astype(np.float32))
    o, s = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="d")
    o_ref, _ = tf.nn.dynamic_rnn(ref, x, dtype=tf.float32, scope="r")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in tf.trainable_variables():
            sess.run(v.assign(_val(v.name[2:], v.get_shape().as_list())))
        np.testing.assert_allclose(sess.run(o, {kp: 1.0}), sess.run(o_ref), rtol=1e-6)
        dropped, st = sess.run([o, s], {kp: 0.5})
    # Output dropout: kept entries scaled by 2 or zeroed; c is never dropped.
    assert (dropped == 0).any()
    assert (st.c != 0).all()


def test_gradients_through_lstm_vs_finite_differences():
    from gradcheck import check_gradients

    def build(xp, h0, kernel, bias, w_f, w_i, w_o):
        given = {"kernel": kernel, "bias": bias, "w_f_diag": w_f, "w_i_diag": w_i,
                 "w_o_diag": w_o}

        def getter(_, name, *args, **kwargs):   # the weights come from placeholders
            return given[name.split("/")[-1]]
        with tf.variable_scope("g", custom_getter=getter):
            cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, cell_clip=0.9)
            init = tf.nn.rnn_cell.LSTMStateTuple(h0, tf.tanh(h0))
            out, st = tf.nn.dynamic_rnn(cell, xp, initial_state=init, sequence_length=[3, 2])
        return tf.concat([tf.reshape(out, [2, 9]), st.c], 1)

    rng = np.random.RandomState(6)
    err = check_gradients(build, [rng.randn(2, 3, 2), rng.randn(2, 3) * 0.5,
                                  rng.uniform(-0.5, 0.5, (5, 12)), rng.randn(12) * 0.1,
                                  rng.randn(3) * 0.3, rng.randn(3) * 0.3, rng.randn(3) * 0.3])
    assert err < 1e-6


def test_errors():
    rc = tf.nn.rnn_cell
    x = tf.placeholder(tf.float32, [2, 5, 3])
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        rc.BasicLSTMCell(4)(x, rc.BasicLSTMCell(4).zero_state(2, tf.float32))
    with pytest.raises(ValueError, match="Expected inputs.shape"):
        rc.GRUCell(4)(tf.placeholder(tf.float32, [2, None]), tf.zeros([2, 4]))
    with pytest.raises(ValueError, match="dtype` must be specified"):
        tf.nn.dynamic_rnn(rc.GRUCell(4), x)
    with pytest.raises(ValueError, match="sequence_length must be a vector"):
        tf.nn.dynamic_rnn(rc.GRUCell(4), x, dtype=tf.float32, sequence_length=[[1, 2]])
    with pytest.raises(ValueError, match="must have rank at least 3"):
        tf.nn.dynamic_rnn(rc.GRUCell(4), tf.placeholder(tf.float32, [2, 5]), dtype=tf.float32)
    with pytest.raises(ValueError, match="depth of inputs"):
        tf.nn.dynamic_rnn(rc.GRUCell(4), tf.placeholder(tf.float32, [2, 5, None]),
                          dtype=tf.float32)
    # An unknown number of time steps runs as a while loop (test_control_flow_more.py).
    out_unknown_t, _ = tf.nn.dynamic_rnn(rc.GRUCell(4), tf.placeholder(tf.float32, [2, None, 3]),
                                         dtype=tf.float32, scope="unknown_t")
    assert out_unknown_t.shape.as_list() == [2, None, 4]
    with pytest.raises(TypeError, match="is not an RNNCell"):
        tf.nn.dynamic_rnn("foo", x, dtype=tf.float32)
    with pytest.raises(TypeError, match="must be a sequence"):
        tf.nn.static_rnn(rc.GRUCell(4), x, dtype=tf.float32)
    with pytest.raises(ValueError, match="must not be empty"):
        tf.nn.static_rnn(rc.GRUCell(4), [], dtype=tf.float32)
    with pytest.raises(ValueError, match="at least one cell"):
        rc.MultiRNNCell([])
    with pytest.raises(TypeError, match="cells must be a list or tuple"):
        rc.MultiRNNCell(rc.GRUCell(4))
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        rc.MultiRNNCell([rc.BasicLSTMCell(4)], state_is_tuple=False)
    with pytest.raises(ValueError, match="input_keep_prob must be between 0 and 1"):
        rc.DropoutWrapper(rc.GRUCell(4), input_keep_prob=1.5)
    with pytest.raises(ValueError, match="dtype must be provided"):
        rc.DropoutWrapper(rc.GRUCell(4), input_keep_prob=0.5, variational_recurrent=True)
    with pytest.raises(ValueError, match="input_size must be provided"):
        rc.DropoutWrapper(rc.GRUCell(4), input_keep_prob=0.5, variational_recurrent=True,
                          dtype=tf.float32)
    with pytest.raises(ValueError, match="Expected state to be a tuple of length 1"):
        rc.MultiRNNCell([rc.GRUCell(4)])(x[:, 0], tf.zeros([2, 4]))
    with pytest.raises(NotImplementedError, match="Abstract method"):
        rc.RNNCell().state_size
    with pytest.raises(ValueError, match="batch_size and dtype cannot be None"):
        rc.BasicLSTMCell(4).get_initial_state()
    with pytest.raises(ValueError, match="expects 1 input"):
        tf.nn.dynamic_rnn(rc.GRUCell(3), (x, x[:, :, :2]), dtype=tf.float32, scope="nested")
    z = tf.zeros([2, 4])
    with pytest.raises(TypeError, match="don't have the same nested structure"):
        tf.nn.dynamic_rnn(rc.BasicLSTMCell(4), x, initial_state=(z, z), scope="st")
    with pytest.raises(TypeError, match="don't have the same nested structure"):
        tf.nn.static_rnn(rc.BasicLSTMCell(4), tf.unstack(x, axis=1), initial_state=(z, z),
                         sequence_length=[1, 2], scope="st2")
    # A second RNN in the same scope with a new cell: TF's "already exists".
    tf.nn.dynamic_rnn(rc.GRUCell(4), x, dtype=tf.float32, scope="dup")
    with pytest.raises(ValueError, match="already exists"):
        tf.nn.dynamic_rnn(rc.GRUCell(4), x, dtype=tf.float32, scope="dup")
    # Wrong sequence_length size: run-time assertion, as in TF.
    sl = tf.placeholder(tf.int32, [None])
    o, _ = tf.nn.dynamic_rnn(rc.GRUCell(2), x, dtype=tf.float32, sequence_length=sl, scope="q")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected shape for Tensor"):
            sess.run(o, {x: np.zeros((2, 5, 3)), sl: [1, 2, 3]})


# ------------------------------------------------------------ against TensorFlow
# One program, run by TensorFlow (subprocess) and by tfcore (exec): same weights
# (set by name), same inputs; outputs, final states, seeded dropout and the loss
# trajectory of an Adam training loop must agree.

_PROGRAM = r"""
import zlib
def _val(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()) % (2 ** 31))
    return rng.uniform(-0.6, 0.6, size=shape).astype(np.float32)
def flat(s):
    if isinstance(s, (list, tuple)):
        return [y for e in s for y in flat(e)]
    return [s]
rc = tf.nn.rnn_cell
T, B, D = 6, 3, 4
rng = np.random.RandomState(0)
xv = rng.randn(B, T, D).astype(np.float32)
lens = np.array([6, 0, 4], np.int32)
g = tf.Graph()
with g.as_default():
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [B, T, D])
    xt = tf.placeholder(tf.float32, [T, B, D])
    sl = tf.placeholder(tf.int32, [B])
    kp = tf.placeholder(tf.float32, [])
    res = {}
    res["a"] = tf.nn.dynamic_rnn(rc.BasicLSTMCell(5, forget_bias=0.7), x, sequence_length=sl,
                                 dtype=tf.float32, scope="a")
    res["b"] = tf.nn.dynamic_rnn(rc.GRUCell(5), xt, time_major=True, dtype=tf.float32,
                                 scope="b")
    res["c"] = tf.nn.dynamic_rnn(rc.LSTMCell(5, use_peepholes=True, num_proj=3, cell_clip=0.8,
                                             proj_clip=0.6, forget_bias=0.5),
                                 x, sequence_length=sl, dtype=tf.float32, scope="c")
    res["d"] = tf.nn.dynamic_rnn(rc.MultiRNNCell([rc.BasicLSTMCell(4), rc.GRUCell(3),
                                                  rc.BasicRNNCell(2, activation=tf.nn.relu)]),
                                 x, sequence_length=sl, dtype=tf.float32, scope="d")
    res["e"] = tf.nn.dynamic_rnn(rc.MultiRNNCell([rc.BasicLSTMCell(3, state_is_tuple=False),
                                                  rc.LSTMCell(3, num_proj=2,
                                                              state_is_tuple=False)],
                                                 state_is_tuple=False),
                                 x, dtype=tf.float32, scope="e")
    res["f"] = tf.nn.bidirectional_dynamic_rnn(rc.GRUCell(3), rc.BasicLSTMCell(4), x,
                                               sequence_length=sl, dtype=tf.float32, scope="f")
    res["g"] = tf.nn.static_rnn(rc.BasicLSTMCell(4), tf.unstack(x, axis=1), sequence_length=sl,
                                dtype=tf.float32, scope="g")
    res["h"] = tf.nn.static_bidirectional_rnn(rc.LSTMCell(3), rc.GRUCell(3),
                                              tf.unstack(x, axis=1), sequence_length=sl,
                                              dtype=tf.float32, scope="h")
    res["i"] = tf.nn.static_rnn(rc.DropoutWrapper(rc.BasicLSTMCell(4), input_keep_prob=0.8,
                                                  output_keep_prob=kp, state_keep_prob=0.7,
                                                  seed=3),
                                tf.unstack(x, axis=1), dtype=tf.float32, scope="i")
    # In dynamic_rnn TF's dropout op draws a new mask at each loop iteration.
    res["m"] = tf.nn.dynamic_rnn(rc.DropoutWrapper(rc.BasicLSTMCell(4), input_keep_prob=0.8,
                                                   output_keep_prob=kp, state_keep_prob=0.7,
                                                   seed=3),
                                 x, dtype=tf.float32, scope="m")
    res["j"] = tf.nn.dynamic_rnn(rc.DropoutWrapper(rc.GRUCell(3), input_keep_prob=0.7,
                                                   state_keep_prob=0.8, output_keep_prob=0.9,
                                                   variational_recurrent=True, input_size=D,
                                                   dtype=tf.float32, seed=11),
                                 x, dtype=tf.float32, scope="j")
    h0 = tf.constant(rng.randn(B, D).astype(np.float32))
    res["k"] = tf.nn.dynamic_rnn(rc.ResidualWrapper(rc.BasicRNNCell(D)), x, initial_state=h0,
                                 sequence_length=sl, scope="k")
    c0 = tf.constant(rng.randn(B, 4).astype(np.float32))
    res["l"] = tf.nn.static_rnn(rc.BasicLSTMCell(4), tf.unstack(x, axis=1),
                                initial_state=rc.LSTMStateTuple(c0, c0 * 0.5), scope="l")
    out["names"] = [(v.name, v.get_shape().as_list()) for v in tf.global_variables()]
    keys = sorted(res)
    fetch = [flat(res[k]) for k in keys]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(_val(v.name, v.get_shape().as_list()))
                  for v in tf.trainable_variables()])
        got = sess.run(fetch, {x: xv, xt: xv.transpose(1, 0, 2), sl: lens, kp: 0.6})
    for k, vals in zip(keys, got):
        out[k] = [enc(v) for v in vals]

# Training: an LSTM regressing the (length-masked) sum of its inputs, Adam.
xs = rng.uniform(-1, 1, (8, 5, 2)).astype(np.float32)
ln = np.array([5, 3, 1, 5, 4, 2, 5, 3], np.int32)
ys = np.array([[xs[b, :ln[b]].sum()] for b in range(8)], np.float32)
g = tf.Graph()
with g.as_default():
    cell = rc.MultiRNNCell([rc.LSTMCell(6, use_peepholes=True), rc.GRUCell(4)])
    outs, st = tf.nn.dynamic_rnn(cell, tf.constant(xs), sequence_length=tf.constant(ln),
                                 dtype=tf.float32)
    w = tf.get_variable("w", [4, 1])
    b = tf.get_variable("b", [1])
    pred = tf.matmul(st[1], w) + b + 0.1 * tf.reduce_sum(outs, [1, 2])[:, None]
    loss = tf.reduce_mean(tf.square(pred - ys))
    train = tf.train.AdamOptimizer(0.03).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(_val(v.name, v.get_shape().as_list()))
                  for v in tf.trainable_variables()])
        losses = []
        for _ in range(12):
            losses.append(float(sess.run([loss, train])[0]))
        out["losses"] = losses
        out["trained"] = [enc(v) for v in sess.run(tf.trainable_variables())]
"""


def _enc(v):
    v = np.asarray(v)
    return {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.reshape(-1).tolist()}


def _run_tfcore_program():
    out = {}
    exec(_PROGRAM, {"tf": tf, "np": np, "enc": _enc, "out": out})
    return out


@pytest.fixture(scope="module")
def tf_results():
    return run_tf(_PROGRAM)


@pytest.fixture(scope="module")
def mine():
    return _run_tfcore_program()


@needs_tf
def test_outputs_and_states_match_tensorflow(tf_results, mine):
    theirs = tf_results
    assert [tuple(n) for n, _ in mine["names"]] == [tuple(n) for n, _ in theirs["names"]]
    assert [s for _, s in mine["names"]] == [s for _, s in theirs["names"]]
    for k in "abcdefghijkl":  # all but "m"
        assert len(mine[k]) == len(theirs[k]), k
        for i, (a, b) in enumerate(zip(mine[k], theirs[k])):
            np.testing.assert_allclose(dec(a), dec(b), rtol=2e-5, atol=2e-6,
                                       err_msg="%s[%d]" % (k, i))
    # dynamic_rnn + DropoutWrapper(seed): TF's one dropout op draws a new mask at
    # each loop iteration (which window an iteration gets depends on TF's
    # scheduling of parallel iterations); tfcore draws all steps' masks with one
    # op. Both: a different output mask at each step.
    for res in (mine, theirs):
        mo = dec(res["m"][0])
        zero_pattern = [tuple((mo[:, t] == 0).reshape(-1)) for t in range(mo.shape[1])]
        assert len(set(zero_pattern)) >= 4


@needs_tf
def test_training_loss_trajectory_matches_tensorflow(tf_results, mine):
    assert mine["losses"][-1] < 0.5 * mine["losses"][0]
    np.testing.assert_allclose(mine["losses"], tf_results["losses"], rtol=1e-4)
    for a, b in zip(mine["trained"], tf_results["trained"]):
        np.testing.assert_allclose(dec(a), dec(b), rtol=1e-3, atol=1e-5)

"""tf.while_loop: results, names and shapes as TensorFlow 1.x gives them (recorded from
TF 2.21 compat.v1), captured tensors, nesting, variables updated in the body, errors."""
import collections

import numpy as np
import pytest

import tfcore as tf


def test_results_names_and_shapes_match_tf():
    i = tf.constant(0)
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    r2 = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s * 2.0), (0, tf.constant(1.0)))
    x = tf.placeholder(tf.float32, [None])
    w = tf.Variable(2.0)
    r3 = tf.while_loop(lambda i, v: i < 3, lambda i, v: [i + 1, v * w], [0, x])
    r4 = tf.while_loop(lambda i: i < 10, lambda i: i + 2, [i], maximum_iterations=3)
    with pytest.raises(ValueError, match="enters the loop with shape \\(1,\\), but has shape "
                                         "\\(2,\\) after one iteration"):
        tf.while_loop(lambda v: tf.size(v) < 3, lambda v: tf.concat([v, v], 0),
                      [tf.constant([1.0])])
    r5 = tf.while_loop(lambda v: tf.size(v) < 3, lambda v: tf.concat([v, v], 0),
                       [tf.constant([1.0])], shape_invariants=[tf.TensorShape([None])])
    assert r.name == "while/Exit:0" and r.shape.as_list() == []
    assert isinstance(r2, tuple) and [t.name for t in r2] == ["while_1/Exit:0",
                                                              "while_1/Exit_1:0"]
    assert isinstance(r3, list) and r3[1].shape.as_list() == [None]
    assert r4.name == "while_3/Exit_1:0"
    assert r5.name == "while_5/Exit:0" and r5.shape.as_list() == [None]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([r, r2, r3, r4, r5], {x: [1., 2.]})
    assert out[0] == 10 and out[1] == (5, 32.0) and out[3] == 6
    np.testing.assert_array_equal(out[2][1], [8., 16.])
    np.testing.assert_array_equal(out[4], [1., 1., 1., 1.])


def test_captures_run_once_and_nesting():
    # The random value is captured at loop entry: every iteration adds the same one.
    u = tf.random_uniform([])
    total = tf.while_loop(lambda i, acc: i < 4, lambda i, acc: (i + 1, acc + u), (0, 0.0))
    # A cond inside the body, and a loop inside the loop.
    def body(i, acc):
        inner = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + 1), (0, 0))[1]
        step = tf.cond(i % 2 > 0, lambda: inner * 10, lambda: inner)
        return i + 1, acc + step
    nested = tf.while_loop(lambda i, acc: i < 4, body, (0, 0))
    with tf.Session() as s:
        (_, tv), uv = s.run([total, u])
        _, nv = s.run(nested)
    assert nv == 0 + 10 + 2 + 30
    # One draw per run, shared by the loop and the fetch.
    assert tv == pytest.approx(4 * uv, rel=1e-6)


def test_namedtuple_loop_vars_and_variable_updates():
    State = collections.namedtuple("State", ["i", "x"])
    v = tf.Variable(0)
    def body(i, x):
        with tf.control_dependencies([tf.assign_add(v, i)]):
            return State(i + 1, x * 2)
    out = tf.while_loop(lambda i, x: i < 5, body, State(tf.constant(0), tf.constant(1.0)))
    assert isinstance(out, State)
    with tf.Session() as s:
        s.run(v.initializer)
        o = s.run(out)
        assert (o.i, o.x) == (5, 32.0)
        assert s.run(v) == 0 + 1 + 2 + 3 + 4


def test_runtime_error_inside_body_and_gradient():
    x = tf.placeholder(tf.float32, [None])
    out = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, tf.check_numerics(v * 0.0 / 0.0,
                                                                                  "in loop")),
                        (0, x))
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="in loop : Tensor had NaN"):
            s.run(out, {x: [1.0]})
    y = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * 2.0), (0, x))[1]
    # Gradients flow through the loop (more in test_control_flow_more.py).
    gx = tf.gradients(y, x)[0]
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(gx, {x: [1.0, 3.0]}), [4.0, 4.0])
    with pytest.raises(TypeError, match="cond must be callable"):
        tf.while_loop(1, lambda i: i, [0])

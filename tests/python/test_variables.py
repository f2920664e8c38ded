"""tf.Variable, get_variable and variable scopes with TF1's names and errors (issue 2)."""
import numpy as np
import pytest

import tfcore as tf


def _op_names():
    return [o.name for o in tf.get_default_graph().get_operations()]


def test_variable_node_pattern_and_repr():
    x = tf.Variable(1, name="x")
    assert repr(x) == "<tf.Variable 'x:0' shape=() dtype=int32_ref>"
    assert _op_names() == ["x/initial_value", "x", "x/Assign", "x/read"]
    assert x.dtype._is_ref_dtype and x.dtype.name == "int32_ref" and x.dtype.base_dtype == tf.int32
    assert x.value().name == "x/read:0"
    assert x.initializer.name == "x/Assign"
    assert x.op.type == "VariableV2"
    assert x in tf.global_variables() and x in tf.trainable_variables()
    y = tf.Variable(2.0, trainable=False)
    assert y.name == "Variable:0"
    assert y not in tf.trainable_variables() and y in tf.global_variables()


def test_uninitialized_variable_is_failed_precondition():
    w = tf.Variable(tf.zeros((2, 2)) if hasattr(tf, "zeros") else np.zeros((2, 2), np.float32),
                    name="weight")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value weight"):
            sess.run(w)
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w), np.zeros((2, 2)))


def test_assign_ops_and_fetched_values_do_not_alias():
    v = tf.Variable([1.0, 2.0], name="v")
    add = tf.assign_add(v, [1.0, 1.0])
    sub = v.assign_sub([0.5, 0.5])
    put = v.assign([9.0, 8.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(v)
        np.testing.assert_array_equal(sess.run(add), [2.0, 3.0])
        np.testing.assert_array_equal(before, [1.0, 2.0])  # earlier fetch unchanged
        np.testing.assert_array_equal(sess.run(sub), [1.5, 2.5])
        np.testing.assert_array_equal(sess.run(put), [9.0, 8.0])
        np.testing.assert_array_equal(sess.run(v), [9.0, 8.0])
    # State belongs to the session: a new session starts uninitialised.
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)


def test_feeding_a_numpy_array_to_assign_copies_it():
    v = tf.Variable(np.zeros(3, np.float32))
    p = tf.placeholder(tf.float32, [3])
    put = tf.assign(v, p)
    data = np.array([1, 2, 3], np.float32)
    with tf.Session() as sess:
        sess.run(put, {p: data})
        data[:] = 0
        np.testing.assert_array_equal(sess.run(v), [1, 2, 3])


def test_report_uninitialized_and_variables_initializer():
    a = tf.Variable(1, name="a")
    b = tf.Variable(2, name="b")
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        assert list(sess.run(report)) == [b"a", b"b"]
        sess.run(tf.variables_initializer([a]))
        assert list(sess.run(report)) == [b"b"]
        sess.run(tf.variables_initializer([]))  # a no-op, still valid


def test_get_variable_names_with_scopes_seed_example():
    with tf.variable_scope("var"):
        with tf.name_scope("name"):
            v1 = tf.get_variable("var1", [1], dtype=tf.float32)
            v2 = tf.Variable(1, name="var2", dtype=tf.float32)
    assert v1.name == "var/var1:0"
    assert v2.name == "var/name/var2:0"


def test_get_variable_reuse_rules():
    with tf.variable_scope("bar"):
        foo1 = tf.get_variable(name="a", shape=1)
        assert foo1.name == "bar/a:0"
        with pytest.raises(ValueError, match="Variable bar/a already exists, disallowed. Did "
                                             "you mean to set reuse=True or reuse=tf.AUTO_REUSE "
                                             "in VarScope\\? Originally defined at:"):
            tf.get_variable(name="a", shape=1)
    with tf.variable_scope("foo", reuse=tf.AUTO_REUSE):
        f1 = tf.get_variable(name="a", shape=1)
        f2 = tf.get_variable(name="a", shape=1)
    assert f1 is f2 and f1.name == "foo/a:0"
    with tf.name_scope("bar"):
        with tf.variable_scope("foo", reuse=True):
            v1 = tf.get_variable("a")
    assert v1 is f1
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match="Variable foo/missing does not exist, or was not "
                                             "created with tf.get_variable\\(\\)"):
            tf.get_variable("missing", [1])
        with pytest.raises(ValueError, match="Trying to share variable foo/a, but specified "
                                             "shape \\(2,\\) and found shape \\(1,\\)"):
            tf.get_variable("a", [2])


def test_reuse_variables_and_scope_objects_seed_examples():
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar") as scp:
            var1 = tf.get_variable("var", [1])
            scp.reuse_variables()
            var2 = tf.get_variable("var", [1])
        with tf.variable_scope("bar", reuse=True):
            var3 = tf.get_variable("var", [1])
    assert var1.name == var2.name == var3.name == "foo/bar/var:0"
    assert var1 is var2 is var3
    # Re-entering a scope object keeps its variable scope; a reusing parent is inherited.
    with tf.variable_scope(scp, reuse=True):
        assert tf.get_variable("var", [1]) is var1
        with tf.variable_scope("inner", reuse=False):
            assert tf.get_variable_scope().reuse is True


def test_tf_variable_is_never_shared():
    var1 = tf.Variable([1], name="var")
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar") as scp:
            var2 = tf.Variable([1], name="var")
            scp.reuse_variables()
            var3 = tf.Variable([1], name="var")
    assert (var1.name, var2.name, var3.name) == ("var:0", "foo/bar/var:0", "foo/bar/var_1:0")


def test_variable_and_get_variable_names_interleave_like_tf():
    a = tf.Variable(0, name="a")
    b = tf.get_variable(initializer=0, name="a")
    c = tf.Variable(0, name="a")
    d = tf.get_variable(initializer=0, name="b")
    assert [v.name for v in (a, b, c, d)] == ["a:0", "a_1:0", "a_2:0", "b:0"]
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
        tf.get_variable("z", shape=[1], initializer=0)


def test_variable_scope_name_scopes_are_uniquified_but_variable_scope_is_not():
    with tf.variable_scope("s"):
        c1 = tf.constant(1, name="c")
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        c2 = tf.constant(1, name="c")
        v = tf.get_variable("v", [2], initializer=tf.zeros_initializer()
                            if hasattr(tf, "zeros_initializer") else None)
    assert c1.name == "s/c:0" and c2.name == "s_1/c:0" and v.name == "s/v:0"
    with tf.variable_scope(None, default_name="layer"):
        l1 = tf.get_variable("w", [1])
    with tf.variable_scope(None, default_name="layer"):
        l2 = tf.get_variable("w", [1])
    assert (l1.name, l2.name) == ("layer/w:0", "layer_1/w:0")


def test_scope_default_initializer_and_dtype():
    with tf.variable_scope("init", initializer=tf.constant_initializer(3.0)
                           if hasattr(tf, "constant_initializer") else None, dtype=tf.float64):
        v = tf.get_variable("v", [2])
    assert v.dtype.base_dtype == tf.float64
    if hasattr(tf, "constant_initializer"):
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_array_equal(sess.run(v), [3.0, 3.0])


def test_initialized_value_and_variable_arithmetic():
    w = tf.Variable(np.array([1.0, 2.0], np.float32), name="weights")
    w2 = tf.Variable(w.initialized_value(), name="w2")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w2), [1.0, 2.0])


def test_initialized_value_reads_current_value_once_initialized():
    with tf.name_scope("s"):
        w = tf.Variable(tf.ones([2]), name="w")
        iv = w.initialized_value()
        w2 = tf.Variable(iv * 2, name="w2")
    assert iv.name == "s/cond/Merge:0"
    with tf.Session() as s:
        s.run(w2.initializer)  # w itself is uninitialised: its initial value is used
        np.testing.assert_array_equal(s.run(w2), [2., 2.])
        s.run(w.initializer)
        s.run(w.assign([5., 6.]))
        np.testing.assert_array_equal(s.run(iv), [5., 6.])
        s.run(w2.initializer)
        np.testing.assert_array_equal(s.run(w2), [10., 12.])


def test_feeding_a_variable():
    """A variable can be fed like a tensor (its readers see the fed value, the variable
    keeps its own); ops that update it cannot take a fed value (TF's error)."""
    with tf.Graph().as_default():
        w = tf.Variable(np.zeros(3, np.float32), name="w")
        y = w * 2.0
        upd = tf.assign_add(w, [1.0, 1.0, 1.0])
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run(y, {w: np.ones(3)}), [2.0, 2.0, 2.0])
            np.testing.assert_array_equal(s.run(w, {w: [4, 5, 6]}), [4.0, 5.0, 6.0])
            with pytest.raises(tf.errors.FailedPreconditionError):
                s.run(y)  # not fed, not initialized
            s.run(w.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Input 0 of node AssignAdd was passed float from w:0 "
                                     "incompatible with expected float_ref"):
                s.run(upd, {w: np.ones(3)})
            np.testing.assert_array_equal(s.run(w), [0.0, 0.0, 0.0])

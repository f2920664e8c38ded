"""Interoperability with real TensorFlow: checkpoints, meta graphs and frozen
graphs written by tfcore load in TensorFlow, and TensorFlow's load in tfcore.

TensorFlow runs in a separate interpreter: $TFCORE_TF_PYTHON, else
/opt/tfref/bin/python when it exists (CI installs tensorflow-cpu into its own
virtualenv and points TFCORE_TF_PYTHON at it). Skipped when neither exists.
"""
import os

import numpy as np

import tfcore as tf
import tforacle
from tfcore.framework import graph_util
from tfcore.framework import importer
from tfcore.framework import protos


TF_PY = tforacle.TF_PY
pytestmark = tforacle.needs_tf
_run_tf = tforacle.run_tf
_dec = tforacle.dec


_VALUES = {
    "f32": np.array([[1.5, -2.25], [np.inf, 3.0]], np.float32),
    "f64": np.array([1e-300, -0.0, np.pi], np.float64),
    "i32": np.array([-(2 ** 31), 7, 2 ** 31 - 1], np.int32),
    "i64": np.array(2 ** 40 + 3, np.int64),
    "u8": np.array([0, 255], np.uint8),
    "i8": np.array([-128, 127], np.int8),
    "i16": np.array([-5, 5], np.int16),
    "u16": np.array([65535], np.uint16),
    "flag": np.array([True, False, True]),
    "empty": np.zeros((0, 4), np.float32),
    "scope/str": np.array([b"", b"hello", "ünï".encode(), b"\x00\xff"], dtype=object),
    # Large enough to be written as concurrent pieces, not a whole number of them.
    "big": np.random.RandomState(1).standard_normal((9 << 18) + 3).astype(np.float32),
}


def test_tfcore_files_load_in_tensorflow(tmp_path):
    variables = {k: tf.Variable(v, name=k) for k, v in _VALUES.items()}
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), name="w")
    y = tf.nn.relu(tf.matmul(x, w) - 5.0, name="y")
    saver = tf.train.Saver(max_to_keep=2)
    feed = np.array([[1.0, 1.0], [2.0, -1.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(w * 2.0))
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=42)
        want_y = sess.run(y, {x: feed})
        frozen = graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(), ["y"])
    tf.train.write_graph(frozen, str(tmp_path), "frozen.pb", as_text=False)
    script = r"""
prefix, d = sys.argv[1], sys.argv[2]
r = tf.train.NewCheckpointReader(prefix)
out["reader"] = {k: enc(r.get_tensor(k)) for k in r.get_variable_to_shape_map()}
out["latest"] = tf.train.latest_checkpoint(d)
names = [k for k in out["reader"] if k != "w"]
with tf.Graph().as_default():
    vs = {k: tf.Variable(np.asarray(r.get_tensor(k)) if k != "scope/str" else
                         np.array([b""] * 4, dtype=object), name=k) for k in names}
    s = tf.train.Saver(vs)
    with tf.Session() as sess:
        s.restore(sess, prefix)
        out["restored"] = {k: enc(sess.run(v)) for k, v in vs.items()}
with tf.Graph().as_default():
    saver = tf.train.import_meta_graph(prefix + ".meta")
    g = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, prefix)
        out["meta_y"] = enc(sess.run("y:0", {"x:0": [[1.0, 1.0], [2.0, -1.0]]}))
        out["meta_vars"] = sorted(v.op.name for v in tf.global_variables())
        out["meta_trainable"] = len(tf.trainable_variables())
with tf.Graph().as_default():
    gd = tf.GraphDef()
    with open(os.path.join(d, "frozen.pb"), "rb") as f:
        gd.ParseFromString(f.read())
    tf.import_graph_def(gd, name="")
    with tf.Session() as sess:
        out["frozen_y"] = enc(sess.run("y:0", {"x:0": [[1.0, 1.0], [2.0, -1.0]]}))
"""
    res = _run_tf(script, path, str(tmp_path))
    assert res["latest"] == path
    for k, v in _VALUES.items():
        got = _dec(res["reader"][k])
        assert got.shape == v.shape and got.dtype == v.dtype, k
        np.testing.assert_array_equal(got, v)
        np.testing.assert_array_equal(_dec(res["restored"][k]), v)
    np.testing.assert_array_equal(_dec(res["reader"]["w"]), [[2, 4], [6, 8]])
    np.testing.assert_allclose(_dec(res["meta_y"]), want_y)
    np.testing.assert_allclose(_dec(res["frozen_y"]), want_y)
    assert res["meta_vars"] == sorted(list(_VALUES) + ["w"])
    assert res["meta_trainable"] == len(_VALUES) + 1


def test_tensorflow_files_load_in_tfcore(tmp_path):
    script = r"""
d = sys.argv[1]
x = tf.placeholder(tf.float32, [None, 3], name="x")
with tf.variable_scope("layer"):
    w = tf.get_variable("kernel", initializer=np.arange(6, dtype=np.float32).reshape(3, 2) / 4)
    b = tf.get_variable("bias", initializer=np.array([0.5, -1.0], np.float32))
y = tf.nn.softmax(tf.matmul(x, w) + b, name="y")
gs = tf.train.get_or_create_global_step()
s_var = tf.Variable(np.array([b"a", b"bc"], dtype=object), name="strs")
saver = tf.train.Saver()
feed = [[1.0, 0.0, 2.0]]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(tf.assign(gs, 7))
    out["path"] = saver.save(sess, os.path.join(d, "model.ckpt"), global_step=gs)
    out["y"] = enc(sess.run(y, {x: feed}))
    frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(), ["y"])
    tf.train.write_graph(frozen, d, "frozen.pb", as_text=False)
"""
    res = _run_tf(script, str(tmp_path))
    path = res["path"]
    want = _dec(res["y"])
    assert tf.train.latest_checkpoint(str(tmp_path)) == path
    # 1. Restore into a graph built here with the same names.
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("kernel", shape=[3, 2])
        b = tf.get_variable("bias", shape=[2])
    y = tf.nn.softmax(tf.matmul(x, w) + b)
    gs = tf.train.get_or_create_global_step()
    strs = tf.Variable(np.array([b"", b""], dtype=object), name="strs")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        np.testing.assert_allclose(sess.run(y, {x: [[1.0, 0.0, 2.0]]}), want, rtol=1e-6)
        assert sess.run(gs) == 7
        assert list(sess.run(strs)) == [b"a", b"bc"]
    # 2. import_meta_graph + restore, as the seeds do.
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        got = sess.run(g.get_tensor_by_name("y:0"), {g.get_tensor_by_name("x:0"): [[1, 0, 2]]})
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert sorted(v.op.name for v in tf.global_variables()) == [
        "global_step", "layer/bias", "layer/kernel", "strs"]
    # 3. The frozen graph.
    tf.reset_default_graph()
    gd = protos.GraphDef()
    with open(str(tmp_path / "frozen.pb"), "rb") as f:
        gd.ParseFromString(f.read())
    yy, = importer.import_graph_def(gd, return_elements=["y:0"], name="")
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(yy, {"x:0": [[1, 0, 2]]}), want, rtol=1e-6)

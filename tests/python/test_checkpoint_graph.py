"""Graphs on disk: GraphDef / MetaGraphDef round trips, import_graph_def
(prefix, input_map, return_elements), import_meta_graph + restore, freezing
with convert_variables_to_constants, write_graph, and fuzzed inputs."""
import os
import random

import numpy as np
import pytest

import tfcore as tf
from tfcore._native import _C
from tfcore.framework import graph_util
from tfcore.framework import importer
from tfcore.framework import protos
from tfcore.framework import text_format

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF = os.environ.get("TFCORE_TF_REFERENCE_DIR", os.path.join(ROOT, "..", "shared", "tf-reference"))


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _read_text(path):
    with open(path) as f:
        return f.read()


def _model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10, name="w")
    b = tf.Variable(np.array([0.5, -0.5], np.float32), name="b")
    y = tf.add(tf.matmul(x, w), b, name="y")
    return x, w, b, y


def test_graph_def_round_trip_and_import_prefix():
    c = tf.constant([[1.0, 2.0]], name="c")
    d = tf.multiply(c, 3.0, name="d")
    gd = tf.get_default_graph().as_graph_def()
    assert isinstance(gd, protos.GraphDef)
    assert [n.name for n in gd.node] == ["c", "d/y", "d"]
    assert gd.node[2].op == "Mul" and list(gd.node[2].input) == ["c", "d/y"]
    assert gd.node[0].attr["dtype"].type == tf.float32.as_datatype_enum
    assert gd.versions.producer > 0
    data = gd.SerializeToString()
    gd2 = protos.GraphDef()
    gd2.ParseFromString(data)
    assert gd2 == gd
    tf.reset_default_graph()
    out, = importer.import_graph_def(gd2, return_elements=["d:0"])
    assert out.name == "import/d:0"
    op, = importer.import_graph_def(gd2, return_elements=["d"])
    assert op.name == "import_1/d"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), [[3.0, 6.0]])


def test_import_input_map_and_uniquify():
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.identity(a * 2.0, name="out")
    gd = tf.get_default_graph().as_graph_def()
    tf.reset_default_graph()
    tf.constant(0.0, name="out")  # takes the name "out"
    feed = tf.constant([1.0, 4.0], name="feed")
    out, = importer.import_graph_def(gd, input_map={"a:0": feed}, return_elements=["out:0"], name="")
    assert out.name == "out_1:0"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), [2.0, 8.0])
    with pytest.raises(ValueError, match="not found in graph_def"):
        importer.import_graph_def(gd, input_map={"zzz:0": feed})
    with pytest.raises(TypeError):
        importer.import_graph_def("not a graph def")
    with pytest.raises(ValueError, match="not found in graph def"):
        importer.import_graph_def(gd, return_elements=["nope:0"])


def test_meta_graph_export_import_restore(tmp_path):
    x, w, b, y = _model()
    tf.add_to_collection("my_ops", y)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(np.ones((3, 2), np.float32)))
        path = saver.save(sess, str(tmp_path / "my_test_model"), global_step=1000)
        want = sess.run(y, {x: [[1, 2, 3]]})
    meta = path + ".meta"
    m = protos.MetaGraphDef()
    m.ParseFromString(_read(meta))
    assert m.saver_def.filename_tensor_name == "save/Const:0"
    assert sorted(m.collection_def) == ["my_ops", "trainable_variables", "variables"]
    vd = protos.VariableDef.FromString(m.collection_def["variables"].bytes_list.value[0])
    assert (vd.variable_name, vd.initializer_name, vd.snapshot_name) == ("w:0", "w/Assign",
                                                                        "w/read:0")
    assert vd.trainable
    tf.reset_default_graph()
    new_saver = tf.train.import_meta_graph(meta)
    g = tf.get_default_graph()
    assert [v.name for v in tf.global_variables()] == ["w:0", "b:0"]
    assert [v.name for v in tf.trainable_variables()] == ["w:0", "b:0"]
    assert g.get_collection("my_ops")[0].name == "y:0"
    with tf.Session() as sess:
        new_saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        got = sess.run(g.get_tensor_by_name("y:0"), {g.get_tensor_by_name("x:0"): [[1, 2, 3]]})
        np.testing.assert_allclose(got, want)
        np.testing.assert_array_equal(sess.run(g.get_tensor_by_name("w:0")), np.ones((3, 2)))
        # The imported saver can save again.
        p2 = new_saver.save(sess, str(tmp_path / "again"))
    assert tf.train.list_variables(p2) == [("b", [2]), ("w", [3, 2])]


def test_import_meta_graph_with_scope_and_text(tmp_path):
    _model()
    saver = tf.train.Saver()
    f = str(tmp_path / "g.meta.txt")
    m = saver.export_meta_graph(f, as_text=True)
    assert _read_text(f).startswith("meta_info_def {")
    assert m.graph_def.node[0].name == "x"
    tf.reset_default_graph()
    s = tf.train.import_meta_graph(f, import_scope="net")
    assert s.saver_def.restore_op_name == "net/save/restore_all"
    assert [v.name for v in tf.global_variables()] == ["net/w:0", "net/b:0"]
    # Without a SaverDef in the file, a new Saver over the imported variables.
    tf.reset_default_graph()
    _model()
    tf.train.export_meta_graph(f)
    tf.reset_default_graph()
    s = tf.train.import_meta_graph(f)
    assert s.saver_def.restore_op_name == "save/restore_all"
    assert not m.HasField("saver_def") or m.saver_def.save_tensor_name == "save/control_dependency:0"


def test_freeze_graph(tmp_path):
    x, w, b, y = _model()
    tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want = sess.run(y, {x: [[1, 2, 3], [0, 1, 0]]})
        frozen = graph_util.convert_variables_to_constants(
            sess, sess.graph.as_graph_def(), ["y"])
    ops_ = {n.name: n.op for n in frozen.node}
    assert ops_["w"] == "Const" and ops_["b"] == "Const" and "save/SaveV2" not in ops_
    assert "w/Assign" not in ops_ and ops_["w/read"] == "Identity"
    path = tf.train.write_graph(frozen, str(tmp_path), "frozen.pb", as_text=False)
    txt = tf.train.write_graph(frozen, str(tmp_path), "frozen.pbtxt")
    tf.reset_default_graph()
    gd = protos.GraphDef()
    with open(path, "rb") as f:
        gd.ParseFromString(f.read())
    gd_txt = text_format.Parse(_read_text(txt), protos.GraphDef())
    assert gd_txt == gd
    y2, = importer.import_graph_def(gd, return_elements=["y:0"], name="")
    with tf.Session() as sess:
        got = sess.run(y2, {"x:0": [[1, 2, 3], [0, 1, 0]]})
    np.testing.assert_allclose(got, want, rtol=1e-6)
    with pytest.raises(AssertionError, match="nope is not in graph"):
        graph_util.extract_sub_graph(gd, ["nope"])


def test_text_format_matches_protobuf():
    tf.constant(np.array([1.5, 2.0], np.float32), name="c")
    txt = text_format.MessageToString(tf.get_default_graph().as_graph_def())
    assert 'node {\n  name: "c"\n  op: "Const"\n  attr {\n    key: "dtype"\n    value {\n' \
           '      type: DT_FLOAT\n    }\n  }\n' in txt
    assert 'tensor_content: "\\000\\000\\300?\\000\\000\\000@"' in txt


def test_fuzzed_graph_defs_never_crash():
    _model()
    tf.train.Saver()
    data = tf.get_default_graph().as_graph_def().SerializeToString()
    rng = random.Random(1)
    cases = [data[:k] for k in range(0, len(data), max(1, len(data) // 200))]
    for _ in range(300):
        b = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        cases.append(bytes(b))
    cases += [bytes(rng.randrange(256) for _ in range(rng.randrange(64))) for _ in range(300)]
    for case in cases:
        tf.reset_default_graph()
        try:
            importer.import_graph_def(case, name="f")
        except (ValueError, TypeError, tf.errors.OpError):
            pass
        for fn in (_C.decode_attr_value, _C.tensor_proto_to_numpy, _C.proto_fields):
            try:
                fn(case)
            except _C.StatusError:
                pass


def test_golden_meta_graph_imports_and_restores():
    meta = os.path.join(REF, "ckpt_sharded", "model.ckpt-3.meta")
    if not os.path.exists(meta):
        pytest.skip("tf-reference golden files not available")
    saver = tf.train.import_meta_graph(meta)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ["a", "b", "c", "z"]
    with tf.Session() as sess:
        saver.restore(sess, os.path.join(REF, "ckpt_sharded", "model.ckpt-3"))
        g = tf.get_default_graph()
        np.testing.assert_array_equal(sess.run(g.get_tensor_by_name("z:0")), [7, 8])
        assert sess.run(g.get_tensor_by_name("c:0")) == 2.5


def test_import_empty_list_attrs():
    """`list {}` attrs carry no element kind: import takes the op's (PyFunc Tin = [])."""
    with tf.Graph().as_default() as g:
        y = tf.py_func(lambda: np.float32(3.0), [], tf.float32, name="f")
        z = tf.py_func(lambda a: a * 2, [y], tf.float32, name="g")
        gd = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="imp")
        assert g2.get_operation_by_name("imp/f").get_attr("Tin") == []
        assert g2.get_operation_by_name("imp/g").get_attr("Tin") == [tf.float32]
        with tf.Session() as s:
            assert s.run(g2.get_tensor_by_name("imp/g:0")) == 6.0

"""tf.train.Saver semantics: paths, state file, max_to_keep, partial restores,
errors, the graph it builds, and crash safety (a save killed midway)."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import tfcore as tf
from childenv import child_env

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _read_text(path):
    with open(path) as f:
        return f.read()


def _files(d):
    return sorted(os.listdir(str(d)))


def _state(d):
    with open(os.path.join(str(d), "checkpoint")) as f:
        return f.read()


def test_save_restore_roundtrip_without_initializer(tmp_path):
    v1 = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="v1")
    v2 = tf.Variable(np.array([1, -2, 3], np.int64), name="scope/v2")
    v3 = tf.Variable(np.array([True, False]), name="flags")
    s = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = s.save(sess, str(tmp_path / "model.ckpt"), global_step=1000)
        assert path == str(tmp_path / "model.ckpt-1000")
        sess.run(v1.assign(np.zeros((2, 3), np.float32)))
    assert _files(tmp_path) == ["checkpoint", "model.ckpt-1000.data-00000-of-00001",
                                "model.ckpt-1000.index", "model.ckpt-1000.meta"]
    with tf.Session() as sess:  # fresh session: nothing initialised
        s.restore(sess, path)
        a, b, c = sess.run([v1, v2, v3])
    np.testing.assert_array_equal(a, np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(b, [1, -2, 3])
    np.testing.assert_array_equal(c, [True, False])
    reader = tf.train.NewCheckpointReader(path)
    assert reader.get_variable_to_shape_map() == {"v1": [2, 3], "scope/v2": [3], "flags": [2]}


def test_saved_files_are_tf_layout(tmp_path):
    tf.Variable(3.5, name="scalar_f32")
    s = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        s.save(sess, str(tmp_path / "m"))
    index = _read(str(tmp_path / "m.index"))
    # Header entry then the scalar's entry, exactly as TF encodes them.
    assert index[:9] == bytes.fromhex("000006") + bytes.fromhex("08011a020801")
    assert bytes.fromhex("08011200280435") in index
    assert index[-8:] == bytes.fromhex("57fb808b247547db")
    assert _read(str(tmp_path / "m.data-00000-of-00001")) == np.float32(3.5).tobytes()


def test_graph_nodes_and_saver_def_match_tf():
    tf.Variable(1.0, name="b")
    tf.Variable(2.0, name="a")
    s = tf.train.Saver(max_to_keep=2)
    sd = s.saver_def
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    assert sd.max_to_keep == 2 and sd.version == tf.train.SaverDef.V2
    assert sd.keep_checkpoint_every_n_hours == 10000.0
    g = tf.get_default_graph()
    names = [op.name for op in g.get_operations() if op.name.startswith("save/")]
    assert names == ["save/filename/input", "save/filename", "save/Const",
                     "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", "save/SaveV2",
                     "save/control_dependency", "save/RestoreV2/tensor_names",
                     "save/RestoreV2/shape_and_slices", "save/RestoreV2", "save/Assign",
                     "save/Assign_1", "save/restore_all"]
    save = g.get_operation_by_name("save/SaveV2")
    assert save.type == "SaveV2"
    assert [t.op.name for t in save.inputs[3:]] == ["a", "b"]  # sorted by name
    assert [t.name for t in g.get_operation_by_name("save/Assign").inputs] == ["a:0",
                                                                            "save/RestoreV2:0"]
    s2 = tf.train.Saver()
    assert s2.saver_def.restore_op_name == "save_1/restore_all"


def test_dict_var_list_and_missing_key(tmp_path):
    v2 = tf.Variable([1.0, 2.0], name="v2")
    s = tf.train.Saver({"my_v2": v2})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = s.save(sess, str(tmp_path / "dict"))
    assert tf.train.list_variables(path) == [("my_v2", [2])]
    tf.reset_default_graph()
    v2 = tf.Variable([0.0, 0.0], name="v2")
    other = tf.Variable([5.0], name="other")
    with tf.Session() as sess:
        tf.train.Saver({"my_v2": v2}).restore(sess, path)
        np.testing.assert_array_equal(sess.run(v2), [1, 2])
        with pytest.raises(tf.errors.NotFoundError, match="Key v2 not found in checkpoint"):
            tf.train.Saver([v2]).restore(sess, path)
        # The rest of a partially restored model is initialised separately.
        sess.run(tf.variables_initializer([other]))
        assert sess.run(other)[0] == 5.0
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Assign requires shapes of both tensors to match"):
            tf.train.Saver({"my_v2": other}).restore(sess, path)
        assert sess.run(other)[0] == 5.0


def test_dtype_mismatch_and_invalid_paths(tmp_path):
    v = tf.Variable(np.zeros(2, np.float64), name="v")
    s = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = s.save(sess, str(tmp_path / "x"))
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(2, np.float32), name="v")
    s = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="expected dtype float does not equal original dtype double"):
            s.restore(sess, path)
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint"):
            s.restore(sess, str(tmp_path / "nothere"))
        with pytest.raises(ValueError, match="Can't load save_path when it is None"):
            s.restore(sess, None)
        sess.run(v.initializer)
        with pytest.raises(ValueError, match="Parent directory of .* doesn't exist"):
            s.save(sess, str(tmp_path / "a" / "b" / "c"))
        with pytest.raises(ValueError, match="'latest_filename' collides"):
            s.save(sess, str(tmp_path / "checkpoint"))
        # One missing directory level is created, as TF does.
        assert s.save(sess, str(tmp_path / "new" / "m")) == str(tmp_path / "new" / "m")


def test_max_to_keep_and_state_file(tmp_path):
    v = tf.Variable(0, name="v")
    s = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in (5, 6, 7):
            sess.run(v.assign(step))
            s.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
    files = _files(tmp_path)
    assert not any(f.startswith("model.ckpt-5") for f in files)
    assert "model.ckpt-6.index" in files and "model.ckpt-7.meta" in files
    prefix = str(tmp_path / "model.ckpt")
    assert _state(tmp_path) == (
        'model_checkpoint_path: "%s-7"\nall_model_checkpoint_paths: "%s-6"\n'
        'all_model_checkpoint_paths: "%s-7"\n' % (prefix, prefix, prefix))
    assert s.last_checkpoints == [prefix + "-6", prefix + "-7"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix + "-7"
    st = tf.train.get_checkpoint_state(str(tmp_path))
    assert list(st.all_model_checkpoint_paths) == [prefix + "-6", prefix + "-7"]
    with tf.Session() as sess:
        s.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        assert sess.run(v) == 7


def test_max_to_keep_none_keeps_everything(tmp_path):
    v = tf.Variable(0, name="v")
    s = tf.train.Saver(max_to_keep=None, save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(3):
            s.save(sess, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    assert len([f for f in _files(tmp_path) if f.endswith(".index")]) == 3
    assert _state(tmp_path) == 'model_checkpoint_path: "m-2"\nall_model_checkpoint_paths: "m-2"\n'


def test_keep_checkpoint_every_n_hours(tmp_path, monkeypatch):
    from tfcore.training import saver as saver_mod
    clock = [1000.0]
    monkeypatch.setattr(saver_mod.time, "time", lambda: clock[0])
    v = tf.Variable(0, name="v")
    s = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1.0)  # next keep: +1h
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step, t in [(1, 1000 + 3700), (2, 1000 + 3800), (3, 1000 + 3900), (4, 1000 + 7300),
                        (5, 1000 + 7400)]:
            clock[0] = t
            s.save(sess, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    idx = [f for f in _files(tmp_path) if f.endswith(".index")]
    # m-1 is past the first 1-hour mark: kept (the mark moves to +2h); m-2 and
    # m-3 are before it: deleted; m-4 is past it: kept; m-5 is the newest.
    assert idx == ["m-1.index", "m-4.index", "m-5.index"]
    assert _state(tmp_path).count("all_model_checkpoint_paths") == 1


def test_relative_paths_pad_step_and_latest_filename(tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))
    os.mkdir("train")
    gs = tf.Variable(7, dtype=tf.int64, name="global_step")
    s = tf.train.Saver(pad_step_number=True)
    with tf.Session() as sess:
        sess.run(gs.initializer)
        path = s.save(sess, "train/model.ckpt", global_step=gs, latest_filename="ckpt_state")
    assert path == "train/model.ckpt-00000007"
    assert _read_text("train/ckpt_state") == (
        'model_checkpoint_path: "model.ckpt-00000007"\n'
        'all_model_checkpoint_paths: "model.ckpt-00000007"\n')
    assert tf.train.latest_checkpoint("train", "ckpt_state") == "train/model.ckpt-00000007"
    assert tf.train.latest_checkpoint("train") is None
    with pytest.raises(ValueError, match="must not contain path components"):
        with tf.Session() as sess:
            s.save(sess, "train/x", latest_filename="a/b")


def test_write_state_false_and_empty_savers(tmp_path):
    v = tf.Variable(1.0, name="v")
    s = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        s.save(sess, str(tmp_path / "m"), write_state=False, write_meta_graph=False)
    assert _files(tmp_path) == ["m.data-00000-of-00001", "m.index"]
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    empty = tf.train.Saver(allow_empty=True)
    d = tf.train.Saver(defer_build=True)
    with tf.Session() as sess:
        assert empty.save(sess, str(tmp_path / "e"), write_meta_graph=False) is None
        with pytest.raises(RuntimeError, match="should be called before save"):
            d.save(sess, str(tmp_path / "d"))
    with pytest.raises(ValueError, match="build cannot be deferred"):
        tf.train.Saver([v], defer_build=True)


def test_sharded_restore_sequentially_reshape(tmp_path):
    a = tf.Variable(np.arange(4, dtype=np.float32), name="a")
    b = tf.Variable(np.ones((2, 2), np.int32), name="b")
    s = tf.train.Saver(sharded=True)
    assert s.saver_def.sharded
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = s.save(sess, str(tmp_path / "sh"), global_step=3)
    assert path == str(tmp_path / "sh-3")
    assert "sh-3.data-00000-of-00001" in _files(tmp_path)
    assert not os.path.exists(str(tmp_path / "sh-3_temp"))
    tf.reset_default_graph()
    a = tf.Variable(np.zeros((2, 2), np.float32), name="a")  # same size, new shape
    b = tf.Variable(np.zeros((2, 2), np.int32), name="b")
    with tf.Session() as sess:
        tf.train.Saver(reshape=True, restore_sequentially=True).restore(sess, path)
        np.testing.assert_array_equal(sess.run(a), [[0, 1], [2, 3]])
        np.testing.assert_array_equal(sess.run(b), [[1, 1], [1, 1]])


def test_large_and_string_variables(tmp_path):
    big = np.random.RandomState(0).standard_normal((1024, 4096)).astype(np.float32)  # 16 MB
    odd = np.random.RandomState(1).standard_normal((9 << 18) + 3)  # float64, 18 MB + 24 B
    v = tf.Variable(big, name="big")
    v2 = tf.Variable(odd, name="big2")
    small = tf.Variable([1, 2, 3], name="c_small")  # written after the large ones
    s_var = tf.Variable(np.array([b"", b"x" * 300, "ünï".encode()], dtype=object), name="strs")
    s = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = s.save(sess, str(tmp_path / "big"))
        sess.run([v.assign(tf.zeros_like(v)), v2.assign(tf.zeros_like(v2)), small.assign([0, 0, 0])])
        s.restore(sess, path)
        np.testing.assert_array_equal(sess.run(v), big)
        np.testing.assert_array_equal(sess.run(v2), odd)
        np.testing.assert_array_equal(sess.run(small), [1, 2, 3])
    r = tf.train.NewCheckpointReader(path)
    np.testing.assert_array_equal(r.get_tensor("big"), big)
    np.testing.assert_array_equal(r.get_tensor("big2"), odd)
    assert list(r.get_tensor("strs")) == [b"", b"x" * 300, "ünï".encode()]
    # Every byte is covered by a checksum: corrupt one inside the second piece.
    data = path + ".data-00000-of-00001"
    with open(data, "rb") as f:
        raw = bytearray(f.read())
    raw[len(raw) // 2 + 4096] ^= 0x40
    with open(data, "wb") as f:
        f.write(bytes(raw))
    r = tf.train.NewCheckpointReader(path)
    with pytest.raises(tf.errors.DataLossError):
        [r.get_tensor(k) for k in ("big", "big2")]


_CHILD = r"""
import sys, numpy as np
import tfcore as tf
d = sys.argv[1]
v = tf.Variable(np.zeros(8 << 20, np.float32), name="v")   # 32 MB per save
step = tf.Variable(0, name="step")
inc = [v.assign_add(np.ones(8 << 20, np.float32)), step.assign_add(1)]
s = tf.train.Saver(max_to_keep=3)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    i = 0
    while True:
        sess.run(inc)
        i += 1
        s.save(sess, d + "/model.ckpt", global_step=i)
        if i == 2:
            print("ready", flush=True)
"""


def test_killed_save_leaves_previous_checkpoint_loadable(tmp_path):
    env = child_env()
    for delay in (0.05, 0.3):
        d = tmp_path / ("run%s" % delay)
        d.mkdir()
        p = subprocess.Popen([sys.executable, "-c", _CHILD, str(d)], stdout=subprocess.PIPE,
                             env=env)
        try:
            assert p.stdout.readline().strip() == b"ready"
            time.sleep(delay)
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
            p.stdout.close()
        tf.reset_default_graph()
        v = tf.Variable(np.zeros(8 << 20, np.float32), name="v")
        step = tf.Variable(0, name="step")
        latest = tf.train.latest_checkpoint(str(d))
        assert latest is not None
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, latest)
            val, n = sess.run([v, step])
        assert n >= 2 and latest.endswith("-%d" % n)
        assert val[0] == n and val[-1] == n and np.all(val == n)
        # Every checkpoint with an index is complete and verifies.
        for f in os.listdir(str(d)):
            if f.endswith(".index"):
                r = tf.train.NewCheckpointReader(str(d / f[:-6]))
                r.get_tensor("v")

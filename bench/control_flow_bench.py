"""Control-flow benchmark: tf.map_fn / tf.scan (forward and forward+backward) and a
dynamic_rnn over an unknown number of time steps, tfcore vs TensorFlow (compat.v1).
Best of --rounds runs, in milliseconds; each framework runs in its own process.

    TFCORE_DEV_BUILD=build/dev PYTHONPATH=python python bench/control_flow_bench.py
"""
import argparse
import json
import os
import subprocess
import sys
import time

TF_PY = os.environ.get("TFREF_PYTHON", "/opt/tfref/bin/python")


def workloads(tf, np):
    out = {}
    x = tf.placeholder(tf.float32, [None, 256])
    xv = np.random.RandomState(0).uniform(-1, 1, (1000, 256)).astype(np.float32)
    m = tf.map_fn(lambda r: tf.tanh(r) * 2.0, x)
    s = tf.scan(lambda a, r: a * 0.5 + r, x)
    out["map_fn 1000x256 fwd"] = (m, {x: xv})
    out["scan 1000x256 fwd"] = (s, {x: xv})
    out["map_fn 1000x256 fwd+bwd"] = (tf.gradients(tf.reduce_sum(m), x)[0], {x: xv})
    out["scan 1000x256 fwd+bwd"] = (tf.gradients(tf.reduce_sum(s), x)[0], {x: xv})
    xr = tf.placeholder(tf.float32, [None, None, 32])
    o, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(64), xr, dtype=tf.float32)
    loss = tf.reduce_sum(o)
    rv = np.random.RandomState(1).uniform(-1, 1, (32, 50, 32)).astype(np.float32)
    out["dynamic_rnn GRU64 b32 T=50 (unknown T) fwd"] = (o, {xr: rv})
    out["dynamic_rnn GRU64 b32 T=50 (unknown T) fwd+bwd"] = (
        tf.gradients(loss, tf.trainable_variables()), {xr: rv})
    return out


def run(framework, rounds):
    import numpy as np
    if framework == "tensorflow":
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        try:
            tf.nn.rnn_cell.GRUCell
        except AttributeError:
            pass
    else:
        import tfcore as tf
    res = {}
    try:
        wl = workloads(tf, np)
    except Exception as e:  # e.g. TF's rnn_cell needs legacy Keras
        return {"error": str(e)[:200]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for name, (fetch, feed) in wl.items():
            sess.run(fetch, feed)
            best = float("inf")
            for _ in range(rounds):
                t0 = time.perf_counter()
                sess.run(fetch, feed)
                best = min(best, time.perf_counter() - t0)
            res[name] = best * 1e3
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", default=None)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(run(a.child, a.rounds)))
        return
    results = {"tfcore": run("tfcore", a.rounds)}
    try:
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
        p = subprocess.run([TF_PY, __file__, "--child", "tensorflow", "--rounds",
                            str(a.rounds)], capture_output=True, text=True, env=env)
        results["tensorflow"] = json.loads(p.stdout.strip().splitlines()[-1])
    except Exception as e:  # noqa: BLE001
        results["tensorflow"] = {"error": str(e)[:200]}
    names = list(results["tfcore"])
    print("| workload | tfcore ms | tensorflow ms |")
    print("|---|---|---|")
    for n in names:
        tfv = results["tensorflow"].get(n)
        print("| %s | %.2f | %s |" % (n, results["tfcore"][n],
                                     "%.2f" % tfv if isinstance(tfv, float) else "-"))
    if "error" in results["tensorflow"]:
        print("tensorflow:", results["tensorflow"]["error"])


if __name__ == "__main__":
    sys.exit(main())

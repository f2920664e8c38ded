"""Checkpoint save/restore speed: tfcore vs TensorFlow's Saver, same run.

Saves and restores `--mb` MB (default 256) of float32 variables (`--vars`
variables of equal size) with tf.train.Saver, `--reps` times each, into a
temporary directory on the same disk for both libraries, and reports the
median (and best) wall time and the throughput. The meta graph is not
written (write_meta_graph=False for both): the benchmark measures the
checkpoint itself. The first saves of a fresh process into new files are
slow for both libraries on a VM (the guest's page cache pages are cold):
`--warmup` saves (default 3) run first and are reported apart, so the
medians compare steady-state saving, as in a training loop that
checkpoints. TensorFlow runs in its own interpreter: $TFCORE_TF_PYTHON,
else /opt/tfref/bin/python when it exists. Run:

  TFCORE_DEV_BUILD=build/<dir> PYTHONPATH=python python bench/bench_checkpoint.py
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

_WORKER = r"""
import json, os, statistics, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import numpy as np
mode, d, mb, nvars, reps, warmup = (sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                                    int(sys.argv[5]), int(sys.argv[6]))
if mode == "tf":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import tfcore as tf
n = mb * (1 << 20) // 4 // nvars
cols = 1024
rows = n // cols
vs = [tf.Variable(tf.random_normal([rows, cols], seed=i), name="layer%03d/kernel" % i)
      for i in range(nvars)]
saver = tf.train.Saver(max_to_keep=2)
res = {"save": [], "save_cold": [], "restore": [], "bytes": rows * cols * 4 * nvars}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    check = sess.run(vs[-1])[0, :4]
    for r in range(warmup + reps):
        t = time.perf_counter()
        path = saver.save(sess, os.path.join(d, "model.ckpt"), global_step=r,
                          write_meta_graph=False)
        res["save" if r >= warmup else "save_cold"].append(time.perf_counter() - t)
    sess.run([v.initializer for v in vs])
    for r in range(reps):
        t = time.perf_counter()
        saver.restore(sess, path)
        res["restore"].append(time.perf_counter() - t)
    ok = bool(np.array_equal(sess.run(vs[-1])[0, :4], check))
    res["restored_values_ok"] = ok
print("JSON:" + json.dumps(res))
"""


def _tf_python():
    p = os.environ.get("TFCORE_TF_PYTHON")
    if p:
        return p
    return "/opt/tfref/bin/python" if os.path.exists("/opt/tfref/bin/python") else None


def _run(python, mode, mb, nvars, reps, warmup, env):
    d = tempfile.mkdtemp(prefix="bench_ckpt_%s_" % mode)
    try:
        r = subprocess.run([python, "-c", _WORKER, mode, d, str(mb), str(nvars), str(reps),
                            str(warmup)],
                           capture_output=True, text=True, env=env, timeout=1800)
        if r.returncode != 0:
            print("%s worker failed:\n%s" % (mode, r.stderr[-3000:]), file=sys.stderr)
            return None
        line = [x for x in r.stdout.splitlines() if x.startswith("JSON:")][-1]
        return json.loads(line[5:])
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=256)
    ap.add_argument("--vars", type=int, default=16)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3,
                    help="untimed-in-the-median saves first (reported as 'cold')")
    ap.add_argument("--no-tf", action="store_true")
    args = ap.parse_args()
    results = {}
    env = dict(os.environ)
    results["tfcore"] = _run(sys.executable, "tfcore", args.mb, args.vars, args.reps,
                             args.warmup, env)
    tf_py = None if args.no_tf else _tf_python()
    if tf_py:
        tf_env = {k: v for k, v in env.items() if k not in ("PYTHONPATH", "TFCORE_DEV_BUILD")}
        results["tensorflow"] = _run(tf_py, "tf", args.mb, args.vars, args.reps,
                                     args.warmup, tf_env)
    print("%d MB in %d float32 variables, %d reps after %d warm-up saves "
          "(median / best, MB/s of the median)" % (args.mb, args.vars, args.reps, args.warmup))
    for name, res in results.items():
        if not res:
            continue
        mb = res["bytes"] / (1 << 20)
        for what in ("save", "restore"):
            ts = res[what]
            med = statistics.median(ts)
            print("  %-10s %-8s %7.3f s / %7.3f s  %8.0f MB/s   [%s]" % (
                name, what, med, min(ts), mb / med, " ".join("%.3f" % t for t in ts)))
        if res.get("save_cold"):
            print("  %-10s %-8s first saves (page cache still cold): [%s]" % (
                name, "save", " ".join("%.3f" % t for t in res["save_cold"])))
        if not res.get("restored_values_ok"):
            print("  %s: restored values differ!" % name)
    if results.get("tfcore") and results.get("tensorflow"):
        for what in ("save", "restore"):
            a = statistics.median(results["tfcore"][what])
            b = statistics.median(results["tensorflow"][what])
            print("  %s: tfcore is %.2fx TensorFlow's speed" % (what, b / a))


if __name__ == "__main__":
    main()

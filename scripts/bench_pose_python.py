"""ONNX Runtime's own Python API on the crops the Rust pipeline took, for scripts/bench-pose.

Usage: python bench_pose_python.py MODEL.onnx OUT_DIR THREADS

Reads OUT_DIR/crops.f32 (N x 256 x 256 x 3, little-endian float32) and OUT_DIR/landmarks.f32 (the
Rust run's raw landmark output for each crop), runs the same model with the same session settings
(THREADS intra-op threads, no spinning), and prints the median ms per crop over five passes and the
largest difference between the two runtimes' outputs.
"""

import statistics
import sys
import time

import numpy as np
import onnxruntime as ort

PASSES = 5


def main() -> None:
    model, out, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    crops = np.fromfile(f"{out}/crops.f32", dtype="<f4").reshape(-1, 1, 256, 256, 3)
    rust = np.fromfile(f"{out}/landmarks.f32", dtype="<f4").reshape(len(crops), -1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    for crop in crops[:5]:  # warm up, as the Rust side did
        session.run(["Identity"], {name: crop})
    passes = []
    for _ in range(PASSES):
        started = time.perf_counter()
        for crop in crops:
            session.run(["Identity"], {name: crop})
        passes.append((time.perf_counter() - started) * 1000 / len(crops))
    python = np.stack([session.run(["Identity"], {name: crop})[0].reshape(-1) for crop in crops])
    print(f"python_landmark_ms_per_crop {statistics.median(passes):.2f}")
    print(f"max_output_difference {np.abs(python - rust).max():.2e}")


if __name__ == "__main__":
    main()

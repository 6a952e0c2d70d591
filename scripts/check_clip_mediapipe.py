"""Checks a rendered hip-IR clip (scripts/render-clip) against its truth with MediaPipe BlazePose.

Runs the legacy `mediapipe.solutions.pose.Pose(model_complexity=1, static_image_mode=False)` over
every frame and reads the tested leg's knee->ankle line (landmarks 26->28 right, 25->27 left): its
angle from vertical in pixels, positive when the ankle lies outward of the knee (image left for the
right leg in a frontal view), minus its mean over the first second (the neutral calibration). The
reading is compared with the truth column for that leg, frame by frame.

Setup (once):
    /root/.pyenv/shims/python3.11 -m venv target/render/mpvenv
    target/render/mpvenv/bin/pip install mediapipe==0.10.14
Usage:
    target/render/mpvenv/bin/python scripts/check_clip_mediapipe.py CLIP.mp4 [--side right|left]
        [--max-mae DEG]
The truth is read from CLIP.truth.csv. Prints frames with a person found, MAE, RMSE, the largest
error, a least-squares fit reading = a * truth + b, and the readings at the peak (the mean over the
frames held at the peak, and the largest). With --max-mae, exits 1 when the MAE is larger or a frame
has no person.
"""

import argparse
import csv
import math
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
warnings.filterwarnings("ignore", category=UserWarning, module="google.protobuf")

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402
import numpy as np  # noqa: E402

CALIBRATION_MS = 1000
LANDMARKS = {"right": (26, 28), "left": (25, 27)}  # knee, ankle


def shank_angles(clip, side):
    """Knee->ankle angle from vertical (degrees, positive outward) per frame; NaN if no person."""
    knee, ankle = LANDMARKS[side]
    outward = -1.0 if side == "right" else 1.0
    cap = cv2.VideoCapture(str(clip))
    angles = []
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            if result.pose_landmarks is None:
                angles.append(math.nan)
                continue
            lm = result.pose_landmarks.landmark
            dx = (lm[ankle].x - lm[knee].x) * w
            dy = (lm[ankle].y - lm[knee].y) * h
            angles.append(math.degrees(math.atan2(outward * dx, dy)))
    return np.array(angles)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("clip", type=Path)
    p.add_argument("--side", choices=list(LANDMARKS), default="right")
    p.add_argument("--max-mae", type=float)
    args = p.parse_args()

    with open(args.clip.with_suffix(".truth.csv")) as f:
        rows = list(csv.DictReader(f))
    t_ms = np.array([int(r["t_ms"]) for r in rows])
    truth = np.array([float(r[f"{args.side}_ir_deg"]) for r in rows])
    raw = shank_angles(args.clip, args.side)
    if len(raw) != len(truth):
        sys.exit(f"{args.clip}: {len(raw)} frames but {len(truth)} truth rows")

    found = ~np.isnan(raw)
    calib = found & (t_ms < CALIBRATION_MS)
    if not calib.any():
        sys.exit(f"{args.clip}: no person found in the first second; cannot calibrate")
    reading = raw - raw[calib].mean()
    err = (reading - truth)[found]
    slope, intercept = np.polyfit(truth[found], reading[found], 1)
    at_peak = found & (truth == truth.max())
    print(f"{args.clip} ({args.side} leg)")
    print(f"  person found      {found.sum()}/{len(found)} frames")
    print(f"  neutral raw angle {raw[calib].mean():+.2f} deg (subtracted)")
    print(f"  MAE {np.abs(err).mean():.2f} deg, RMSE {np.sqrt((err ** 2).mean()):.2f} deg, "
          f"max |error| {np.abs(err).max():.2f} deg")
    print(f"  fit reading = {slope:.3f} * truth {intercept:+.2f} deg")
    print(f"  at the peak ({truth.max():g} deg): mean reading {reading[at_peak].mean():.2f} deg, "
          f"largest reading {np.nanmax(reading):.2f} deg")
    if args.max_mae is not None and (np.abs(err).mean() > args.max_mae or not found.all()):
        sys.exit(1)


main()

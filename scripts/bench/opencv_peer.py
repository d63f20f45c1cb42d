#!/usr/bin/env python3
"""OpenCV peer of `npm run bench:engine` (scripts/bench): times OpenCV's HDR functions on the
same inputs as our in-process runs and writes their outputs for the agreement check.

Usage: python3 opencv_peer.py job.json   (the job is written by scripts/bench/opencv.ts)

Job: {"runs": N, "slowSeconds": S, "outDir": dir, "resultFile": path,
      "frames": [png...], "times": [s...], "response": raw.f32, "hdr": raw.f32,
      "width": W, "height": H, "tasks": [{"id", "op", "params"}]}

Inputs are loaded once, before any timing: frames with cv2.imread and converted BGR -> RGB (so
OpenCV's COLOR_RGB2GRAY luminance weights apply to the right channels, as ours do), the HDR image
and our response curve from raw float32 files (exactly our pixels and curve; the response is
OpenCV's 256x1x3 layout). Each task: one warm-up call, then N timed calls (perf_counter), or one
timed call when the warm-up took longer than S seconds. Outputs are written as raw float32.

Parameter mapping (ours -> OpenCV):
- calibrate_debevec: CalibrateDebevec(samples=70, lambda=10, random=False): ours defaults
  (70 samples, lambda 10, stratified grid sampling).
- merge_debevec / merge_robertson: MergeDebevec / MergeRobertson given OUR calibrated response,
  so that only the merge differs (OpenCV's triangle weights are 1, not 0, at codes 0 and 255).
- mertens: MergeMertens(contrast=1, saturation=1, exposure=1), ours defaults (sigma 0.2).
- drago: TonemapDrago(gamma, saturation=1, bias=0.85) <- drago03 (bias 0.85, saturation 1).
- reinhard: TonemapReinhard(gamma, intensity=0, light_adapt=1, color_adapt=0) <- reinhard05
  defaults (intensity 0, light 1, chromatic 0; automatic contrast in both).
- mantiuk: TonemapMantiuk(gamma, scale=0.7, saturation=0.8) <- mantiuk06. OpenCV's is a
  simplified Mantiuk 2006 (power-law transducer, plain CG); its scale multiplies that
  transducer's response and 0.7 is its documented default; saturation 0.8 as ours / pfstmo.
Tone mappers are timed with gamma=2.2 (display-ready output, as ours is sRGB-encoded); the output
kept for the agreement comes from one more, untimed call with gamma=1 (display-linear), which the
benchmark sRGB-encodes before comparing it with ours.
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def timed(fn, runs, slow_s):
    t0 = time.perf_counter()
    out = fn()
    warm = time.perf_counter() - t0
    n = 1 if warm > slow_s else runs
    ms = []
    for _ in range(n):
        out = None
        t = time.perf_counter()
        out = fn()
        ms.append((time.perf_counter() - t) * 1000.0)
    return out, ms, warm


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    runs = int(job["runs"])
    slow_s = float(job["slowSeconds"])
    out_dir = job["outDir"]
    w, h = int(job["width"]), int(job["height"])
    frames = [cv2.cvtColor(cv2.imread(p, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB) for p in job["frames"]]
    times = np.asarray(job["times"], dtype=np.float32)
    response = np.fromfile(job["response"], dtype=np.float32).reshape(256, 1, 3)
    hdr = np.fromfile(job["hdr"], dtype=np.float32).reshape(h, w, 3)

    def tonemapper(op, p, gamma):
        if op == "drago":
            return cv2.createTonemapDrago(gamma, p.get("saturation", 1.0), p.get("bias", 0.85))
        if op == "reinhard":
            return cv2.createTonemapReinhard(
                gamma, p.get("intensity", 0.0), p.get("light_adapt", 1.0), p.get("color_adapt", 0.0)
            )
        if op == "mantiuk":
            return cv2.createTonemapMantiuk(gamma, p.get("scale", 0.7), p.get("saturation", 1.0))
        raise ValueError("unknown op " + op)

    results = []
    for task in job["tasks"]:
        tid, op, p = task["id"], task["op"], task.get("params", {})
        try:
            if op == "calibrate_debevec":
                cal = cv2.createCalibrateDebevec(int(p.get("samples", 70)), float(p.get("lambda", 10)), False)
                out, ms, warm = timed(lambda: cal.process(frames, times), runs, slow_s)
            elif op == "merge_debevec":
                m = cv2.createMergeDebevec()
                out, ms, warm = timed(lambda: m.process(frames, times, response), runs, slow_s)
            elif op == "merge_robertson":
                m = cv2.createMergeRobertson()
                out, ms, warm = timed(lambda: m.process(frames, times, response), runs, slow_s)
            elif op == "mertens":
                m = cv2.createMergeMertens(1.0, 1.0, 1.0)
                out, ms, warm = timed(lambda: m.process(frames), runs, slow_s)
            else:
                tm = tonemapper(op, p, 2.2)
                _, ms, warm = timed(lambda: tm.process(hdr), runs, slow_s)
                out = tonemapper(op, p, 1.0).process(hdr)
            out = np.ascontiguousarray(out, dtype=np.float32)
            path = os.path.join(out_dir, "opencv-%s.f32" % tid)
            out.tofile(path)
            results.append({"id": tid, "ms": ms, "warmupMs": warm * 1000.0, "output": path, "shape": list(out.shape)})
        except Exception as e:  # report, keep going
            results.append({"id": tid, "error": "%s: %s" % (type(e).__name__, e)})
        print("opencv %s: %s" % (tid, results[-1].get("ms", results[-1].get("error"))), file=sys.stderr, flush=True)

    with open(job["resultFile"], "w") as f:
        json.dump({"version": cv2.__version__, "threads": cv2.getNumThreads(), "results": results}, f)


if __name__ == "__main__":
    main()

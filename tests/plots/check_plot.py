#!/usr/bin/python3
"""Run one plotting script and check what it wrote (ctest "plots: ..." tests).

  check_plot.py STEM [--expect TEXT]... -- /usr/bin/python3 SCRIPT.py ARGS... -o STEM
      the command must exit 0 and write STEM.png (a PNG, non-empty) and STEM.svg (non-empty SVG
      containing every TEXT: panel titles, axis labels, the scenario name, the footer)
  check_plot.py STEM --fail TEXT [--fail TEXT]... -- COMMAND...
      the command must exit non-zero, print every TEXT on stderr (e.g. the file and the missing
      dataset), print no Python traceback and write no STEM.png
"""

import argparse
import html
import os
import subprocess
import sys


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        fail("usage: check_plot.py STEM [--expect TEXT]... [--fail TEXT]... -- COMMAND...")
    split = argv.index("--")
    p = argparse.ArgumentParser()
    p.add_argument("stem")
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--fail", action="append", default=[])
    args = p.parse_args(argv[:split])
    command = argv[split + 1:]
    for ext in (".png", ".svg"):
        if os.path.exists(args.stem + ext):
            os.remove(args.stem + ext)

    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    print("$", " ".join(command))
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)

    if args.fail:
        if proc.returncode == 0:
            fail("the command succeeded; expected a non-zero exit")
        if "Traceback" in proc.stderr:
            fail("the command failed with a Python traceback instead of a clear message")
        for text in args.fail:
            if text not in proc.stderr:
                fail(f"stderr does not contain {text!r}")
        if os.path.exists(args.stem + ".png"):
            fail(f"{args.stem}.png written although the command failed")
        print(f"OK: exit {proc.returncode} with a clear message")
        return

    if proc.returncode != 0:
        fail(f"exit status {proc.returncode}")
    png, svg = args.stem + ".png", args.stem + ".svg"
    for path in (png, svg):
        if not os.path.exists(path):
            fail(f"{path} not written")
        if os.path.getsize(path) == 0:
            fail(f"{path} is empty")
    with open(png, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail(f"{png} is not a PNG file")
    with open(svg, encoding="utf-8") as f:
        text = html.unescape(f.read())
    if "<svg" not in text:
        fail(f"{svg} is not an SVG file")
    for expected in args.expect:
        if expected not in text:
            fail(f"{svg} does not contain {expected!r}")
    print(f"OK: {png} ({os.path.getsize(png)} bytes), {svg} ({os.path.getsize(svg)} bytes), "
          f"{len(args.expect)} expected texts found")


if __name__ == "__main__":
    main()

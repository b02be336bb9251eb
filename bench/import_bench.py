"""Import speed: 1,000 and 10,000 synthetic articles (no images) into fresh SQLite
databases, one process and one temporary folder per size.

    .venv/bin/python bench/import_bench.py              # 1000 and 10000
    .venv/bin/python bench/import_bench.py --sizes 500   # quicker

Prints articles per second over the whole import_jsonl command (load, search index,
queueing the reference index), by wall clock and by CPU time: on a shared machine the
second shows what the importer itself costs.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The target set for the importer: 10,000 articles at 100 articles/s or better.
TARGET_RATE = 100


def run_one(count, images):
    sys.path.insert(0, str(ROOT))
    from bench.common import fresh_database, load_corpus

    with tempfile.TemporaryDirectory(prefix="masthead-import-bench-") as var_dir:
        fresh_database(var_dir)
        result = load_corpus(count, images=images)
    print(
        json.dumps(
            {
                "count": count,
                "seconds": round(result.seconds, 2),
                "cpu_seconds": round(result.cpu_seconds, 2),
                "summary": result.output.strip().splitlines(),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--images", action="store_true", help="with lead images")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.images)
        return

    print(f"{'articles':>9} {'seconds':>8} {'articles/s':>11} {'cpu s':>7} {'per cpu-s':>10}")
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size)]
        if args.images:
            command.append("--images")
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"the {size}-article run failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rate = result["count"] / result["seconds"]
        cpu_rate = result["count"] / result["cpu_seconds"]
        print(
            f"{result['count']:>9} {result['seconds']:>8.1f} {rate:>11.0f} "
            f"{result['cpu_seconds']:>7.1f} {cpu_rate:>10.0f}"
        )
        for line in result["summary"]:
            print(f"{'':>10}{line}")
    print(f"(target: {TARGET_RATE} articles/s for 10,000)")


if __name__ == "__main__":
    main()

"""Print locust's stats CSV as the load table: requests, rps, p50, p95 and failures per page."""

import csv
import sys


def main(path: str, title: str) -> None:
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    print(f"\n{title}")
    print(f"{'page':<32} {'requests':>8} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} {'failures':>8}")
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "all"
        print(
            f"{name:<32} {r['Request Count']:>8} {float(r['Requests/s']):>7.1f} {r['50%']:>8} {r['95%']:>8}"
            f" {r['Failure Count']:>8}"
        )


if __name__ == "__main__":
    main(sys.argv[1], " ".join(sys.argv[2:]))

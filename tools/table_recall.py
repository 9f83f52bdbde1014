#!/usr/bin/env python3
"""Table recall of budget2csv output against the tables a document prints.

Usage: tools/table_recall.py REAL_DIR OUT_DIR

REAL_DIR/<doc>/tables.csv lists the tables each document prints: canonical
ID (or "--" for a table with no standard counterpart), printed title, first
and last page. OUT_DIR/<doc>/tables.csv is budget2csv's index of what it
wrote. A listed table is found when the output has a table with the same ID
(an "xN" for "--") whose pages overlap the listed ones; an output table that
matches no listed table is a phantom. Documents that list no tables (the
narrative-only ones) must give none.

Prints one line per document and a closing line
    recall: N/M tables (P%), phantom tables: K
The exit status is 0 whatever the figures (this measures, it does not
judge); 2 on bad usage.
"""
import csv
import os
import sys


def read_index(path, id_key):
    """Rows of a tables.csv as (id, first, last); [] when it is absent."""
    if not os.path.exists(path):
        return []
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            try:
                first, last = int(r["first_page"]), int(r["last_page"])
            except (KeyError, ValueError):
                continue
            rows.append((r[id_key].strip(), first, last))
    return rows


def same_kind(want_id, got_id):
    if want_id == "--":
        return got_id.startswith("x")
    return want_id == got_id


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    real, out = argv[1], argv[2]
    total = found = phantoms = 0
    for doc in sorted(os.listdir(real)):
        listed = os.path.join(real, doc, "tables.csv")
        if not os.path.isfile(listed):
            continue
        want = read_index(listed, "id")
        got = read_index(os.path.join(out, doc, "tables.csv"), "id")
        used = [False] * len(got)
        hits = 0
        for wid, wa, wb in want:
            for k, (gid, ga, gb) in enumerate(got):
                if not used[k] and same_kind(wid, gid) and ga <= wb and gb >= wa:
                    used[k] = True
                    hits += 1
                    break
        extra = [got[k][0] for k in range(len(got)) if not used[k]]
        total += len(want)
        found += hits
        phantoms += len(extra)
        print(f"{doc:32} {hits}/{len(want)} found"
              + (f"  phantom: {' '.join(extra)}" if extra else ""))
    pct = 100.0 * found / total if total else 100.0
    print(f"recall: {found}/{total} tables ({pct:.1f}%), phantom tables: {phantoms}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

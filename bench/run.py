#!/usr/bin/env python3
"""Benchmark the pipeline against `pdftotext -layout`, its Poppler floor.

For every PDF: the whole pipeline (budget2csv), each stage alone
(budget-extract, budget-normalize, budget-csv on the previous stage's saved
output) and `pdftotext -layout`, alternated over several rounds so machine
noise hits both sides alike. Wall time, CPU time (user+sys) and peak RSS come
from wait4() of each process (peak RSS is the largest process of the run).
Also: one long document (>= 300 pages, joined with qpdf), the normalizer's
throughput on plain table text, and batch throughput on both cores. On a
shared machine wall time follows the load; the ratio and throughput are
also given by CPU time, which does not.

Usage: bench/run.py BIN_DIR [SHARED_DIR] [--rounds N] [--work DIR]
Uses SHARED_DIR/corpus/dev/*/doc.pdf when present, else samples/*/doc.pdf.
Outputs go to a temporary folder in DIR (default: /dev/shm, see
default_work()), removed at the end.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def run(argv, stdin_path=None, stdout_path=None):
    """Runs argv; returns (wall_s, cpu_s, maxrss_kib, exit_status)."""
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    fout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=fin, stdout=fout,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        fin.close()
    if stdout_path:
        fout.close()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def page_count(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def join_to_300_pages(pdfs, dest):
    """Joins the inputs (repeating them) into one PDF of >= 300 pages."""
    chosen, pages = [], 0
    while pages < 300:
        for pdf in pdfs:
            chosen.append(pdf)
            pages += page_count(pdf)
            if pages >= 300:
                break
    subprocess.run(["qpdf", "--empty", "--pages", *chosen, "--", dest],
                   check=True)
    return dest


class Stats:
    def __init__(self):
        self.wall, self.cpu, self.rss = [], [], []

    def add(self, wall, cpu, rss):
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss.append(rss)

    def med_wall(self):
        return statistics.median(self.wall)

    def med_cpu(self):
        return statistics.median(self.cpu)

    def peak_rss_mib(self):
        return max(self.rss) / 1024.0


def fresh_folder(work):
    """A folder name not used before in this run: every run writes its CSVs
    into a new folder (a journalist's first run), and nothing is deleted
    until the bench ends (see default_work())."""
    fresh_folder.n += 1
    return os.path.join(work, f"out-{fresh_folder.n}")


fresh_folder.n = 0


def mount_of(path):
    """The file system type path is on, from /proc/mounts ("?" if unknown)."""
    best, fstype = "", "?"
    try:
        with open("/proc/mounts") as fh:
            for line in fh:
                f = line.split()
                if len(f) >= 3 and (path == f[1] or path.startswith(
                        f[1].rstrip("/") + "/")) and len(f[1]) > len(best):
                    best, fstype = f[1], f[2]
    except OSError:
        pass
    return fstype


def default_work():
    """Where the outputs go unless --work says: /dev/shm (tmpfs) when there
    is one with room, so the figures are the tools' and not the disk's. On
    ext4 without a journal, as on the CI machines, creating a file near
    inodes deleted in the last minute (six, while their block is unwritten)
    costs a scan past each of them (recently_deleted() in ext4's inode
    allocator): after one bench's clean-up, 0.5 ms a file, where the CSV
    stage's own work is 2 ms for its 19 files. pdftotext's side writes to
    a pipe."""
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK) and
            mount_of(shm) == "tmpfs"):
        return None
    # The bench writes about 40 MB; a container's /dev/shm may hold 64.
    st = os.statvfs(shm)
    return shm if st.f_bavail * st.f_frsize >= 256 * 1024 * 1024 else None


def bench_doc(bins, pdf, rounds, work):
    """Returns dict of name -> Stats for one document; "csv_again" is the
    CSV stage run once more over the folder it has just written."""
    res = {k: Stats() for k in
           ("pdftotext", "pipeline", "extract", "normalize", "csv",
            "csv_again")}
    stream = os.path.join(work, "extract.txt")
    tables = os.path.join(work, "normalize.txt")
    for r in range(rounds):
        order = ("pdftotext", "pipeline") if r % 2 == 0 else \
                ("pipeline", "pdftotext")
        for what in order:
            if what == "pdftotext":
                s = run(["pdftotext", "-layout", pdf, "-"])
            else:
                s = run([bins["budget2csv"], pdf, "-o", fresh_folder(work)])
            res[what].add(*s[:3])
        res["extract"].add(*run([bins["budget-extract"], pdf],
                                stdout_path=stream)[:3])
        res["normalize"].add(*run([bins["budget-normalize"]],
                                  stdin_path=stream, stdout_path=tables)[:3])
        outdir = fresh_folder(work)
        res["csv"].add(*run([bins["budget-csv"], "-o", outdir],
                            stdin_path=tables)[:3])
    res["csv_again"].add(*run([bins["budget-csv"], "-o", outdir],
                              stdin_path=tables)[:3])
    return res


def normalizer_throughput(bins, text_files, work):
    """MB/s of budget-normalize on plain table text (concatenated inputs)."""
    big = os.path.join(work, "plain.txt")
    with open(big, "wb") as out:
        size = 0
        while size < 20 * 1024 * 1024:
            for f in text_files:
                with open(f, "rb") as fh:
                    data = fh.read()
                out.write(data + b"\n\f\n")
                size += len(data) + 3
    best = best_cpu = None
    for _ in range(3):
        wall, cpu, rss, _ = run([bins["budget-normalize"]], stdin_path=big)
        best = wall if best is None else min(best, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    mib = os.path.getsize(big) / (1024 * 1024)
    return mib / best, mib / best_cpu, rss


def batch_throughput(bins, pdfs, work, jobs):
    """Pages per second converting every PDF with `jobs` at once: the same
    as the README's `xargs -P` recipe, driven from here to time it. With
    two or more at once each document gets one extract process, as
    budget-batch does (BUDGET_EXTRACT_JOBS=1)."""
    env = dict(os.environ)
    if jobs >= 2:
        env["BUDGET_EXTRACT_JOBS"] = "1"
    pending = list(enumerate(pdfs))
    running = []
    t0 = time.perf_counter()
    while pending or running:
        while pending and len(running) < jobs:
            i, pdf = pending.pop(0)
            running.append(subprocess.Popen(
                [bins["budget2csv"], pdf, "-o",
                 os.path.join(work, f"batch{jobs}", str(i))],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=env))
        running[0].wait()
        running = [p for p in running if p.poll() is None]
    wall = time.perf_counter() - t0
    return sum(page_count(p) for p in pdfs) / wall, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("shared", nargs="?", default=os.path.join(TOP, "..",
                                                             "shared"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", help="folder for the outputs (default: "
                    "/dev/shm when it is tmpfs, else $TMPDIR)")
    args = ap.parse_args()
    bins = {n: os.path.join(args.bin_dir, n) for n in
            ("budget2csv", "budget-extract", "budget-normalize",
             "budget-csv")}
    for n, p in bins.items():
        if not os.access(p, os.X_OK):
            sys.exit(f"bench: {p}: not built (run make build)")
    for tool in ("pdftotext", "pdfinfo", "qpdf"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} not found (tools/install-deps.sh)")

    pdfs = sorted(glob.glob(os.path.join(args.shared, "corpus/dev/*/doc.pdf")))
    source = "shared corpus/dev"
    if not pdfs:
        pdfs = sorted(glob.glob(os.path.join(TOP, "samples/*/doc.pdf")))
        source = "project samples"
    if not pdfs:
        sys.exit("bench: no PDFs found")

    work = tempfile.mkdtemp(prefix="budget-bench-",
                            dir=args.work or default_work())
    try:
        long_pdf = join_to_300_pages(pdfs, os.path.join(work, "long.pdf"))
        docs = pdfs + [long_pdf]
        # Wall times follow whatever else the machine runs: say how busy
        # it was, so a reader can tell an idle run from a loaded one.
        print(f"# {len(pdfs)} PDFs from {source} + long.pdf "
              f"({page_count(long_pdf)} pages); {args.rounds} rounds; "
              f"median wall/CPU, peak RSS; load average at start "
              f"{os.getloadavg()[0]:.2f}; outputs in {work} "
              f"({mount_of(work)})")
        hdr = (f"{'document':<22}{'pages':>6}{'pdftotext':>11}"
               f"{'pipeline':>10}{'ratio':>7}{'extract':>9}{'normal.':>9}"
               f"{'csv':>7}{'cpu':>8}{'rss MiB':>9}")
        print(hdr)
        tot = {k: 0.0 for k in ("pdftotext", "pipeline", "extract",
                                "normalize", "csv", "csv_again", "cpu",
                                "ptcpu")}
        long_rss = 0.0
        for pdf in docs:
            res = bench_doc(bins, pdf, args.rounds, work)
            name = ("long.pdf" if pdf == long_pdf else
                    os.path.basename(os.path.dirname(pdf)))
            pt, pl = res["pdftotext"].med_wall(), res["pipeline"].med_wall()
            rss = max(res[k].peak_rss_mib() for k in
                      ("pipeline", "extract", "normalize", "csv"))
            if pdf == long_pdf:
                long_rss = rss
            else:
                for k in ("pdftotext", "pipeline", "extract", "normalize",
                          "csv", "csv_again"):
                    tot[k] += res[k].med_wall()
                tot["cpu"] += res["pipeline"].med_cpu()
                tot["ptcpu"] += res["pdftotext"].med_cpu()
            print(f"{name:<22}{page_count(pdf):>6}{pt*1000:>9.0f}ms"
                  f"{pl*1000:>8.0f}ms{pl/pt:>7.2f}"
                  f"{res['extract'].med_wall()*1000:>7.0f}ms"
                  f"{res['normalize'].med_wall()*1000:>7.0f}ms"
                  f"{res['csv'].med_wall()*1000:>5.0f}ms"
                  f"{res['pipeline'].med_cpu()*1000:>6.0f}ms{rss:>9.1f}")
        stages = tot["extract"] + tot["normalize"] + tot["csv"]
        print(f"total (without long.pdf): pdftotext {tot['pdftotext']:.2f}s "
              f"(cpu {tot['ptcpu']:.2f}s), pipeline {tot['pipeline']:.2f}s "
              f"(cpu {tot['cpu']:.2f}s), ratio "
              f"{tot['pipeline']/tot['pdftotext']:.2f} "
              f"(by cpu {tot['cpu']/tot['ptcpu']:.2f})")
        print(f"stage share: extract {100*tot['extract']/stages:.1f}%, "
              f"normalize {100*tot['normalize']/stages:.1f}%, "
              f"csv {100*tot['csv']/stages:.1f}%")
        print(f"normalize + csv, each run alone: "
              f"{100*(tot['normalize']+tot['csv'])/tot['pipeline']:.1f}% "
              f"of the pipeline's wall time")
        print(f"csv stage over the folder it wrote, once per document: "
              f"{tot['csv_again']*1000:.0f} ms (into a new folder: "
              f"{tot['csv']*1000:.0f} ms)")
        print(f"peak RSS on long.pdf: {long_rss:.1f} MiB")

        texts = sorted(glob.glob(os.path.join(args.shared, "seeds/*/doc.txt")))
        if not texts:
            extracted = os.path.join(work, "extract.txt")
            run([bins["budget-extract"], pdfs[0]], stdout_path=extracted)
            texts = [extracted]
        mbs, cpu_mbs, rss = normalizer_throughput(bins, texts, work)
        print(f"normalizer throughput: {mbs:.1f} MB/s "
              f"({cpu_mbs:.1f} MB/s of CPU time; peak RSS {rss/1024:.1f} MiB)")
        for jobs in (1, 2):
            pps, wall = batch_throughput(bins, pdfs, work, jobs)
            print(f"batch -P{jobs}: {len(pdfs)} PDFs in {wall:.2f}s, "
                  f"{pps:.0f} pages/s")
        print(f"# load average at end {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

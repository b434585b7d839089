#!/usr/bin/env python3
"""Writes docs/PERFORMANCE-figures.md from compare.sh's raw results: medians [min-max] over the
rounds of the shared bench.sh phases (parsed with the shared summarize.py) and of kbench's JSON
lines.
usage: figures.py --shared RESULTS --kbench KBENCH.jsonl --meta META.json --summarize summarize.py --out FILE
"""
import argparse
import importlib.util
import json
import statistics
import sys
from collections import defaultdict

PEERS = [("ours", "ours"), ("kinesalite", "kinesalite 3.3.3"), ("kinesis-mock", "kinesis-mock 0.6.2"),
         ("nginx", "nginx ceiling")]


def load_summarize(path):
    sys.dont_write_bytecode = True  # leave no __pycache__ in the shared folder
    spec = importlib.util.spec_from_file_location("summarize", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def num(x):
    """Compact number: 17634 -> 17.6k, 0.2345 -> 0.235."""
    if x is None:
        return "—"
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:.3g}M"
    if a >= 1e4:
        return f"{x / 1e3:.3g}k"
    if a >= 1000:
        return f"{x / 1e3:.3g}k"
    if a >= 100 or x == int(x):
        return f"{x:.0f}"
    return f"{x:.3g}"


def cell(xs):
    if not xs:
        return "—"
    med = statistics.median(xs)
    if len(xs) == 1 or min(xs) == max(xs):
        return num(med)
    return f"{num(med)} [{num(min(xs))}–{num(max(xs))}]"


def shared_table(results_path, summarize, labels):
    data = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    hwm = defaultdict(list)
    for line in open(results_path):
        line = line.strip()
        if not line.startswith("LABEL=") or "RESULT" not in line:
            continue
        if "failed" in line.split("RESULT", 1)[1][:8]:
            continue
        try:
            d = summarize.parse(line)
            m = summarize.metrics(d)
        except (KeyError, ValueError, TypeError, json.JSONDecodeError):
            continue
        for k, v in m.items():
            data[d["LABEL"]][d["phase"]][k].append(v)
        if "VmHWM MB" in m:
            hwm[d["LABEL"]].append(m["VmHWM MB"])

    def row(name, phase, metric):
        return [name] + [cell(data[lab][phase].get(metric, [])) for lab, _ in labels]

    rows = []
    for c in ("1", "16", "64"):
        ph = "put" + c
        rows.append(row(f"PutRecord, {c} conn: req/s", ph, "req/s"))
        rows.append(row(f"PutRecord, {c} conn: p50 ms", ph, "p50 ms"))
        rows.append(row(f"PutRecord, {c} conn: p99 ms", ph, "p99 ms"))
        rows.append(row(f"PutRecord, {c} conn: req per server CPU-s", ph, "req/cpu-s"))
    rows.append(row("PutRecords 500 x 100 B, 1 conn: records/s", "batch1", "rec/s"))
    rows.append(row("PutRecords 500 x 100 B, 1 conn: p99 ms", "batch1", "p99 ms"))
    rows.append(row("PutRecords 500 x 100 B, 1 conn: records per server CPU-s", "batch1", "rec/cpu-s"))
    rows.append(row("read (1 shard): load records/s (PutRecords)", "read", "load rec/s"))
    rows.append(row("read (1 shard): GetRecords drain records/s", "read", "read rec/s"))
    rows.append(row("read (1 shard): records loaded", "read", "loaded"))
    rows.append(row("read (1 shard): complete and in order (1 = yes)", "read", "ok"))
    err_row = ["errors (non-2xx, socket, refused entries), all phases"]
    for lab, _ in labels:
        tot = [sum(v) for ph in data[lab].values() for k, v in ph.items() if k == "errors"]
        err_row.append(num(sum(tot)) if tot else "—")
    rows.append(err_row)
    rows.append(["peak RSS MB (VmHWM)"] + [num(max(hwm[lab])) if hwm.get(lab) else "—" for lab, _ in labels])
    return rows


def get(d, path):
    for p in path.split("/"):
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    if isinstance(d, bool):
        return 1.0 if d else 0.0
    return float(d) if isinstance(d, (int, float)) else None


KBENCH_ROWS = [
    ("put-c16", "PutRecord, 16 conn", [("req_per_s", "req/s"), ("latency_ms/p50", "p50 ms"),
                                        ("latency_ms/p99", "p99 ms"), ("latency_ms/p99.9", "p99.9 ms"),
                                        ("req_per_cpu_s", "req per server CPU-s"), ("errors_total", "errors")]),
    ("put-c64", "PutRecord, 64 conn", [("req_per_s", "req/s"), ("latency_ms/p50", "p50 ms"),
                                        ("latency_ms/p99", "p99 ms"), ("latency_ms/p99.9", "p99.9 ms"),
                                        ("req_per_cpu_s", "req per server CPU-s"), ("errors_total", "errors")]),
    ("put-records-c4", "PutRecords 500 x 100 B, 4 conn", [
        ("rec_per_s", "records/s"), ("MBps", "MB/s"), ("latency_ms/p50", "p50 ms"), ("latency_ms/p99", "p99 ms"),
        ("rec_per_cpu_s", "records per server CPU-s"), ("errors_total", "errors")]),
    ("drain", "drain 1 shard (GetRecords Limit 10000)", [
        ("loaded", "records loaded"), ("load_rec_per_s", "load records/s"), ("read_rec_per_s", "read records/s"),
        ("read_MBps", "read MB/s"), ("getrecords_latency_ms/p50", "GetRecords p50 ms"),
        ("rec_per_cpu_s", "read records per server CPU-s"), ("complete", "complete (1 = yes)"),
        ("order_ok", "in order (1 = yes)")]),
    ("mixed-c16", "mixed, 8 producers + 8 consumers", [
        ("put_req_per_s", "PutRecord req/s"), ("put_latency_ms/p99", "PutRecord p99 ms"),
        ("get_rec_per_s", "records consumed/s"), ("get_calls_per_s", "GetRecords calls/s"),
        ("lag_ms/p50", "end-to-end lag p50 ms"), ("lag_ms/p99", "end-to-end lag p99 ms"),
        ("lag_ms/max", "end-to-end lag max ms"), ("complete", "all consumed (1 = yes)"),
        ("errors_total", "errors")]),
    ("streams-1x4", "PutRecord 16 conn, 1 stream x 4 shards", [
        ("req_per_s", "req/s"), ("latency_ms/p99", "p99 ms"), ("req_per_cpu_s", "req per server CPU-s"),
        ("server_vmrss_kb", "server RSS kB")]),
    ("streams-100x10", "PutRecord 16 conn, 100 streams x 10 shards", [
        ("req_per_s", "req/s"), ("latency_ms/p99", "p99 ms"), ("req_per_cpu_s", "req per server CPU-s"),
        ("server_vmrss_kb", "server RSS kB")]),
    ("limiter-off", "PutRecord at {rate}/s (4 shards), limits off", [
        ("req_per_s", "req/s"), ("latency_ms/p50", "p50 ms"), ("latency_ms/p99", "p99 ms"),
        ("req_per_cpu_s", "req per server CPU-s"), ("errors_total", "errors")]),
    ("limiter-on", "PutRecord at {rate}/s (4 shards), limits on", [
        ("req_per_s", "req/s"), ("latency_ms/p50", "p50 ms"), ("latency_ms/p99", "p99 ms"),
        ("req_per_cpu_s", "req per server CPU-s"), ("errors_total", "errors")]),
    ("startup", "startup / restart ({records} records, random 100 B, on disk)", [
        ("first_start_ms", "first start to ListStreams answer, ms"), ("fill_rec_per_s", "fill records/s"),
        ("data_dir_MB", "data dir MB"), ("shutdown_ms", "SIGTERM to exit, ms"),
        ("restart_ms", "restart to ListStreams answer, ms"),
        ("restart_first_read_ms", "restart to first GetRecords answer, ms"),
        ("restart_cpu_s", "restart CPU s"), ("restart_vmhwm_kb", "RSS peak after restart kB"),
        ("restart_first_read_ok", "record read back (1 = yes)")]),
]


def kbench_tables(path, meta):
    runs = defaultdict(list)
    failed = defaultdict(list)
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        d = json.loads(line)
        if "failed" in d:
            failed[d.get("label", "?")].append(d["failed"])
        else:
            runs[d.get("label", d["phase"])].append(d)
    rows = []
    for label, title, metrics in KBENCH_ROWS:
        title = title.format(rate=meta.get("limiter_rate"), records=f"{meta.get('records'):,}")
        for key, name in metrics:
            xs = [v for v in (get(r, key) for r in runs.get(label, [])) if v is not None]
            rows.append([f"{title}: {name}", cell(xs), str(len(xs))])
    ratios = []

    def med(label, key):
        xs = [v for v in (get(r, key) for r in runs.get(label, [])) if v is not None]
        return statistics.median(xs) if xs else None

    def ratio(name, a, b):
        ratios.append([name, f"{a / b:.3f}" if a is not None and b else "—"])

    ratio("req/s, 100 streams x 10 shards / 1 stream x 4 shards (target: >= 0.90)",
          med("streams-100x10", "req_per_s"), med("streams-1x4", "req_per_s"))
    ratio("req per server CPU-s, 100x10 / 1x4", med("streams-100x10", "req_per_cpu_s"),
          med("streams-1x4", "req_per_cpu_s"))
    ratio("req per server CPU-s, limits on / off (under the limits)", med("limiter-on", "req_per_cpu_s"),
          med("limiter-off", "req_per_cpu_s"))
    ratio("PutRecord p99, limits on / off", med("limiter-on", "latency_ms/p99"), med("limiter-off", "latency_ms/p99"))
    return rows, ratios, failed


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--kbench", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--summarize", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    meta = json.load(open(a.meta))
    summarize = load_summarize(a.summarize)
    labels = [(lab, title) for lab, title in PEERS if lab in meta["labels"]]
    shared_rows = shared_table(a.shared, summarize, labels)
    kb_rows, ratios, failed = kbench_tables(a.kbench, meta)

    md = []
    md.append("# Performance figures (generated)\n")
    md.append("Generated by `bench/compare.sh` — do not edit by hand; run the script again instead "
              "(`QUICK=1 bench/compare.sh` for a short check run).\n")
    if meta.get("quick"):
        md.append("**This is a QUICK=1 run (1 round, short phases): the figures only show that the "
                  "script works; do not quote them.**\n")
    md.append(f"- date: {meta['date']}")
    md.append(f"- `uname -a`: `{meta['uname']}`")
    md.append(f"- `nproc`: {meta['nproc']}; CPU: {meta['cpu']}")
    md.append(f"- load average at start / end: {' '.join(meta.get('loadavg_start', []))} / "
              f"{' '.join(meta['loadavg_end'])} (other work on the machine makes every figure noisier; "
              "requests per server CPU-second is the steadier ratio)")
    md.append(f"- rounds: {meta['rounds']} (medians, [min–max] when they differ); {meta['duration']} s per "
              f"timed phase; all servers on 127.0.0.1; ours on disk with `--throughput-limits off`, "
              "the peers in memory")
    md.append("")
    if meta.get("notes"):
        md.append("Notes from the run:\n")
        md += [f"- {n}" for n in meta["notes"]]
        md.append("")
    md.append("## Shared phases (`../shared/bench/bench.sh`, wrk -t1, 100 B records, 4 shards)\n")
    md.append(table(["figure"] + [t for _, t in labels], shared_rows))
    md.append("\nnginx answers every POST with a fixed PutRecord body (`ceiling.sh`): the HTTP/1.1 ceiling "
              "of this machine for the put phases. wrk and the server share the machine's cores.\n")
    md.append("## kbench against our server (`bench/kbench`)\n")
    md.append(table(["figure", "median [min–max]", "n"], kb_rows))
    md.append("")
    md.append(table(["ratio of medians", "value"], ratios))
    if failed:
        md.append("\nFailed kbench runs:\n")
        for lab, msgs in failed.items():
            md += [f"- {lab}: {m[:300]}" for m in msgs]
    md.append("\n## Commands\n")
    md.append("```")
    md += meta["commands"]
    md.append("```")
    open(a.out, "w").write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()

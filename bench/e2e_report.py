#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The report of bench/e2e.sh: reads its raw TSV (link, load, round, kind,
value: an iperf3 JSON file, a ping output file or a CPU tick count), prints
a table of median (min-max) per link and load, the ratios against OpenVPN and
wireguard-go and the naive forwarder with the issue 12 §4 targets, writes
everything as JSON, and ends with one summary line of the headline ratios.

The table is GitHub markdown, ready for README.md. `--from-json FILE` prints
it again (with the ratios) from a run's JSON in bench/results/, with no raw
figures needed."""
import argparse
import json
import re
import statistics
import sys

LINKS = [
    ("raw", "raw veth"),
    ("ovpn-gcm", "OpenVPN 2.6 AES-256-GCM"),
    ("ovpn-none", "OpenVPN 2.6 no cipher"),
    ("wg", "wireguard-go"),
    ("naive", "naive forwarder (TUN <-> raw GRE)"),
    ("pptp-none", "openpptp no MPPE"),
    ("pptp-stateful", "openpptp MPPE-128 stateful"),
    ("pptp-stateless", "openpptp MPPE-128 stateless"),
    ("pptp-mppc", "openpptp MPPE-128 + MPPC"),
    ("pptp-none-nooffload", "openpptp no MPPE, --tun-offload off"),
    ("pptp-stateful-nooffload", "openpptp MPPE-128 stateful, --tun-offload off"),
]
# metric: (column title, unit, format)
METRICS = [
    ("tcp1_gbps", "1 TCP Gbit/s", "{:.2f}"),
    ("tcp4_gbps", "4 TCP Gbit/s", "{:.2f}"),
    ("udp_big_gbps", "UDP big Gbit/s", "{:.2f}"),
    ("udp_big_loss", "big loss %", "{:.1f}"),
    ("udp64_kpps", "64-B UDP kpps", "{:.0f}"),
    ("udp64_loss", "64-B loss %", "{:.1f}"),
    ("rtt_ms", "ping ms", "{:.3f}"),
    ("cpu_s_per_gb", "CPU s/GB", "{:.1f}"),
]
# Issue 12 §4 targets: (name, subject link, metric, reference link, op, target)
# "ge": subject/reference >= target; "le": subject/reference <= target.
TARGETS = [
    ("stateful 1 TCP vs OpenVPN-GCM", "pptp-stateful", "tcp1_gbps", "ovpn-gcm", "ge", 3.0),
    ("stateful 1 TCP vs wireguard-go", "pptp-stateful", "tcp1_gbps", "wg", "ge", 2.0),
    ("no MPPE 1 TCP vs OpenVPN no cipher", "pptp-none", "tcp1_gbps", "ovpn-none", "ge", 3.0),
    ("no MPPE 1 TCP vs naive forwarder", "pptp-none", "tcp1_gbps", "naive", "ge", 2.0),
    ("stateless 1 TCP vs OpenVPN-GCM", "pptp-stateless", "tcp1_gbps", "ovpn-gcm", "ge", 2.0),
    ("stateless 64-B UDP vs OpenVPN-GCM", "pptp-stateless", "udp64_kpps", "ovpn-gcm", "ge", 3.0),
    ("stateful 64-B UDP vs OpenVPN-GCM", "pptp-stateful", "udp64_kpps", "ovpn-gcm", "ge", 3.0),
    ("stateful CPU/GB vs OpenVPN-GCM", "pptp-stateful", "cpu_s_per_gb", "ovpn-gcm", "le", 1 / 3),
    ("stateless CPU/GB vs OpenVPN-GCM", "pptp-stateless", "cpu_s_per_gb", "ovpn-gcm", "le", 1 / 3),
    ("no MPPE CPU/GB vs OpenVPN no cipher", "pptp-none", "cpu_s_per_gb", "ovpn-none", "le", 1 / 3),
]


def iperf_metrics(load, path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    end = d["end"]
    if load.startswith("tcp"):
        r = end["sum_received"]
        return {f"{load}_gbps": r["bits_per_second"] / 1e9, f"{load}_bytes": r["bytes"]}
    s = end.get("sum_received") or end["sum"]
    if not s.get("seconds"):
        raise ValueError("iperf3 measured nothing (0 s)")
    delivered = s["packets"] - s["lost_packets"]
    out = {f"{load}_loss": s["lost_percent"]}
    if load == "udp64":
        out["udp64_kpps"] = delivered / s["seconds"] / 1e3
    else:
        out["udp_big_gbps"] = s["bits_per_second"] / 1e9
    return out


def ping_rtt(path):
    with open(path, encoding="utf-8") as f:
        m = re.search(r"= [\d.]+/([\d.]+)/", f.read())
    return {"rtt_ms": float(m.group(1))} if m else {}


def collect(raw, clk_tck):
    rounds = {}  # (link, round) -> {metric: value}
    failed = set()
    for line in open(raw, encoding="utf-8"):
        link, load, rnd, kind, value = line.rstrip("\n").split("\t")
        if kind == "failed":
            failed.add(link)
            continue
        m = rounds.setdefault((link, int(rnd)), {})
        try:
            if kind == "json":
                m.update(iperf_metrics(load, value))
            elif kind == "text":
                m.update(ping_rtt(value))
            elif kind == "cpu_ticks":
                m["cpu_s"] = int(value) / clk_tck
        except (OSError, KeyError, ValueError, TypeError, ZeroDivisionError) as e:
            print(f"e2e_report: {link} {load} round {rnd}: unreadable ({e})", file=sys.stderr)
    for m in rounds.values():
        if "cpu_s" in m and m.get("tcp1_bytes"):
            m["cpu_s_per_gb"] = m["cpu_s"] / (m["tcp1_bytes"] / 1e9)
    per_link = {}
    for (link, _), m in rounds.items():
        for k, v in m.items():
            per_link.setdefault(link, {}).setdefault(k, []).append(v)
    summary = {
        link: {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "rounds": v} for k, v in ms.items()}
        for link, ms in per_link.items()
    }
    return summary, failed


def cell(summary, link, metric, fmt):
    s = summary.get(link, {}).get(metric)
    if not s:
        return "-"
    if s["min"] == s["max"]:
        return fmt.format(s["median"])
    return f"{fmt.format(s['median'])} ({fmt.format(s['min'])}-{fmt.format(s['max'])})"


def table(summary, failed):
    """The results as one GitHub markdown table (README.md's bench section)."""
    shown = [(link, title) for link, title in LINKS if link in summary or link in failed]
    rows = []
    for link, title in shown:
        if link in failed:
            rows.append([title, "setup failed"] + [""] * (len(METRICS) - 1))
        else:
            rows.append([title] + [cell(summary, link, m, fmt) for m, _, fmt in METRICS])
    head = ["link"] + [t for _, t, _ in METRICS]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return lines


def ratios_of(summary):
    """Each target of TARGETS with its ratio of medians (None when a link is missing)."""
    ratios = []
    for name, subj, metric, ref, op, target in TARGETS:
        a = summary.get(subj, {}).get(metric, {}).get("median")
        b = summary.get(ref, {}).get(metric, {}).get("median")
        if a is None or not b:
            ratios.append({"name": name, "ratio": None, "target": target, "op": op, "met": None})
            continue
        ratio = a / b
        met = ratio >= target if op == "ge" else ratio <= target
        ratios.append({"name": name, "ratio": ratio, "target": target, "op": op, "met": met})
    return ratios


def print_ratios(ratios):
    print("ratios (medians, same run) against the issue 12 §4 targets:")
    for r in ratios:
        if r["ratio"] is None:
            print(f"  {r['name']:40s} n/a")
            continue
        sign = ">=" if r["op"] == "ge" else "<="
        print(f"  {r['name']:40s} {r['ratio']:6.2f}x  (target {sign} {r['target']:.2f}x: "
              f"{'met' if r['met'] else 'NOT met'})")


def from_json(path):
    """--from-json: the table and ratios of a finished run, again."""
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    print(f"commit {d['rev']}, {d['cpus']} CPUs, load {d['load']}; tunnel MTU {d['mtu']};"
          f" {d['rounds']} round(s) x {d['seconds']} s; median (min-max)")
    print()
    print("\n".join(table(d["links"], set(d["failed"]))))
    print()
    # Recomputed, so a run from before a target was added shows it too.
    print_ratios(ratios_of(d["links"]))
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--from-json":
        return from_json(sys.argv[2])
    ap = argparse.ArgumentParser(epilog="or: e2e_report.py --from-json bench/results/e2e-STAMP.json")
    for a in ("raw", "json", "load", "rev", "cpus"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--clk-tck", type=int, required=True)
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("--seconds", type=int, required=True)
    ap.add_argument("--mtu", type=int, required=True)
    args = ap.parse_args()
    summary, failed = collect(args.raw, args.clk_tck)

    print()
    print(f"openpptp end-to-end bench, commit {args.rev}, {args.cpus} CPUs, load {args.load}; tunnel MTU {args.mtu};"
          f" {args.rounds} round(s) x {args.seconds} s; median (min-max)")
    print("\n".join(table(summary, failed)))
    print("CPU s/GB: utime+stime of every tunnel process (both ends) over the 1-stream TCP load, per GB received")
    print()
    ratios = ratios_of(summary)
    print_ratios(ratios)

    with open(args.json, "w", encoding="utf-8") as f:
        json.dump({"rev": args.rev, "cpus": args.cpus, "load": args.load, "rounds": args.rounds,
                   "seconds": args.seconds, "mtu": args.mtu, "links": summary, "failed": sorted(failed),
                   "ratios": ratios}, f, indent=1)
    print(f"\nJSON: {args.json}")
    met = sum(1 for r in ratios if r["met"])
    heads = [r for r in ratios if r["ratio"] is not None][:5]
    short = ", ".join(f"{r['name'].split(' vs ')[0]} {r['ratio']:.2f}x {r['name'].split(' vs ')[1]}" for r in heads)
    print(f"bench-e2e summary: {met}/{len(ratios)} targets met; {short or 'no reference link in this run (LINKS)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

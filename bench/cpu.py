"""CPU time spent by process group over a run, for bench/http.sh:

    python -m bench.cpu snapshot SERVER_PID            # prints a snapshot (JSON)
    python -m bench.cpu report BEFORE AFTER REQUESTS   # CPU ms per request, by group

Groups: the API's workers (children of SERVER_PID), PostgreSQL's processes, and the whole
machine's busy time (/proc/stat, both cores); "other" is the rest of it: wrk (which has
exited when the run is read, so it cannot be read by process), the kernel's loopback
network work and anything else running."""

import json
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def _process_ticks(pid: int) -> tuple[str, int, int]:
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime


def snapshot(server_pid: int) -> dict:
    groups = {"api workers": 0, "postgresql": 0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            name, parent, ticks = _process_ticks(int(entry))
        except (FileNotFoundError, ProcessLookupError):
            continue
        if parent == server_pid:
            groups["api workers"] += ticks
        elif name.startswith("postgres"):
            groups["postgresql"] += ticks
    with open("/proc/stat") as stat:
        cpu = [int(value) for value in stat.readline().split()[1:]]
    groups["machine busy"] = sum(cpu) - cpu[3] - cpu[4]  # all but idle and iowait
    return groups


def report(before: dict, after: dict, requests: int) -> str:
    spent = {group: (after[group] - before[group]) * 1000 / TICKS / requests for group in before}
    spent["other"] = spent["machine busy"] - spent["api workers"] - spent["postgresql"]
    return ", ".join(f"{group} {ms:.2f}" for group, ms in spent.items())


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        print(json.dumps(snapshot(int(sys.argv[2]))))
    else:
        before, after = json.loads(sys.argv[2]), json.loads(sys.argv[3])
        print(f"CPU ms per request: {report(before, after, int(sys.argv[4]))}")

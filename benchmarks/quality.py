"""The quality runner: every method on every instance, each in a fresh, capped process.

``python -m benchmarks --instances school large xl --time-limit 60`` writes ``results.md`` and
``results.csv``. Methods run one after another (never side by side: CP-SAT takes both cores),
each as ``python -m benchmarks.run_one`` under an address-space cap (``RLIMIT_AS``) and a wall
timeout of the time limit plus :data:`GRACE_SECONDS`; a method that dies or overruns gets a
row saying so ("no plan (out of memory)", "no plan (timeout)").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.run_one import WORKERS

__all__ = [
    "COLUMNS",
    "GRACE_SECONDS",
    "MEMORY_CAP_BYTES",
    "add_ratios",
    "methods_for",
    "resolve_instance",
    "run_instance",
    "run_method",
    "write_results",
]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"
#: Presets generated on the fly (with seed 1, as the checked-in ones) rather than checked in.
GENERATED = ("xl",)
#: Instances on which the monolithic CP-SAT model runs too (it does not scale beyond).
MONOLITHIC_ON = ("tiny", "small", "school")
MEMORY_CAP_BYTES = 8 * 1024**3
GRACE_SECONDS = 120.0

#: (key, header, format) of every column, in CSV order; the markdown tables use subsets.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("instance", "instance", "s"),
    ("method", "method", "s"),
    ("learners", "learners", "d"),
    ("first_s", "first plan s", ".2f"),
    ("total_s", "total s", ".2f"),
    ("objective", "objective", ",.0f"),
    ("objective_checked", "= score", "check"),
    ("bound", "bound", ",.0f"),
    ("gap", "gap %", "pct"),
    ("coverage_gap", "coverage gap %", "pct"),
    ("peak_mib", "peak MiB", ",.0f"),
    ("wall_s", "process wall s", ".1f"),
    ("verdict", "checker", "s"),
    ("rules_broken", "rules broken", "rules"),
    ("goal_minutes_met_share", "goal min met", "pct"),
    ("unmet_goal_minutes", "unmet goal min", ",.0f"),
    ("teacher_led_ready_share", "ready", "pct"),
    ("teacher_led_focus_share", "focus", "pct"),
    ("mean_group_size", "mean group", ".1f"),
    ("teacher_utilisation", "teacher util.", "pct"),
    ("objective_ratio", "objective ÷ plsched", "ratio"),
    ("first_ratio", "first plan ÷ plsched", "ratio"),
    ("total_ratio", "total ÷ plsched", "ratio"),
    ("memory_ratio", "memory ÷ plsched", "ratio"),
    ("status", "status", "s"),
    ("strategy", "strategy", "s"),
    ("seed", "seed", "d"),
    ("time_limit", "time limit s", ".0f"),
)

_QUALITY = (
    "instance",
    "method",
    "learners",
    "first_s",
    "total_s",
    "objective",
    "objective_checked",
    "bound",
    "gap",
    "coverage_gap",
    "peak_mib",
    "verdict",
)
_KPIS = (
    "instance",
    "method",
    "goal_minutes_met_share",
    "teacher_led_ready_share",
    "teacher_led_focus_share",
    "mean_group_size",
    "teacher_utilisation",
    "rules_broken",
    "objective_ratio",
    "first_ratio",
    "total_ratio",
    "memory_ratio",
)


def cache_dir() -> Path:
    """Where generated instances are kept between runs (a temporary folder)."""
    return Path(tempfile.gettempdir()) / "plsched-bench"


def resolve_instance(name: str) -> Path:
    """A checked-in preset, a generated preset (``xl``, seed 1, cached) or a path to a file."""
    path = Path(name)
    if path.suffix == ".json":
        if not path.is_file():
            raise FileNotFoundError(f"instance file {name!r} does not exist.")
        return path.resolve()
    checked_in = INSTANCES / f"{name}.json"
    if checked_in.is_file():
        return checked_in
    if name in GENERATED:
        from plsched.generate import generate, to_json

        target = cache_dir() / f"{name}-seed1.json"
        if not target.is_file():
            log.info("generating %s (seed 1) into %s", name, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            partial.write_text(to_json(generate(name, 1)), encoding="utf-8")
            partial.replace(target)
        return target
    raise FileNotFoundError(f"no instance {name!r}: not in instances/, not a preset, not a file.")


def methods_for(name: str) -> tuple[str, ...]:
    """plsched and the baselines everywhere; the monolithic model on small instances only."""
    stem = Path(name).stem
    mono = ("monolithic",) if stem in MONOLITHIC_ON else ()
    return ("plsched", *mono, "greedy", "grade_classes")


def _cap_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))


#: A failed run whose peak memory reached this share of the cap ran out of memory, whatever
#: the error says: past RLIMIT_AS, OR-Tools' model builder once failed with "SystemError: ...
#: returned NULL without setting an exception" (the monolithic model of school, at 7.7 GiB).
NEAR_CAP = 0.9


def _failure(stderr: str, returncode: int, peak_kib: int = 0) -> str:
    text = stderr.lower()
    if "memoryerror" in text or "bad_alloc" in text or "cannot allocate memory" in text:
        return "no plan (out of memory)"
    if peak_kib * 1024 >= NEAR_CAP * MEMORY_CAP_BYTES:
        return "no plan (out of memory)"
    if returncode in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV):
        # past RLIMIT_AS, native code aborts or crashes when an allocation fails
        return "no plan (out of memory)"
    last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {returncode}"
    return f"no plan (error: {last[:120]})"


def run_method(
    method: str, instance_path: Path, time_limit: float, seed: int, *, name: str | None = None
) -> dict[str, Any]:
    """One row: ``method`` on the instance in a fresh process with the memory cap."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run_one",
        method,
        str(instance_path),
        repr(float(time_limit)),
        str(seed),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    base: dict[str, Any] = {
        "instance": name or instance_path.stem,
        "method": method,
        "seed": seed,
        "time_limit": time_limit,
    }
    log.info("running %s on %s (time limit %s s)", method, instance_path.name, time_limit)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=err, text=True, preexec_fn=_cap_memory
        )
        returncode, peak_kib, timed_out = _wait(proc, time_limit + GRACE_SECONDS)
        base["wall_s"] = time.monotonic() - t0
        base["peak_mib"] = peak_kib / 1024.0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if timed_out:
        return {**base, "verdict": f"no plan (timeout after {base['wall_s']:.0f} s)"}
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if returncode == 0 and lines:
        row: dict[str, Any] = json.loads(lines[-1])
        return {**row, **base}
    if lines and json.loads(lines[-1]).get("error") == "out of memory":
        return {**base, "verdict": "no plan (out of memory)"}
    return {**base, "verdict": _failure(stderr, returncode, peak_kib)}


def _wait(proc: subprocess.Popen[str], timeout: float) -> tuple[int, int, bool]:
    """Reap the child with wait4: (exit code, its own peak RSS in KiB, whether it was killed
    for overrunning ``timeout``)."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            timed_out = True
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return proc.returncode, int(usage.ru_maxrss), timed_out


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Objective, time and memory of each row divided by plsched's on the same instance."""
    reference = {r["instance"]: r for r in rows if r["method"] == "plsched"}
    pairs = {
        "objective_ratio": "objective",
        "first_ratio": "first_s",
        "total_ratio": "total_s",
        "memory_ratio": "peak_mib",
    }
    for row in rows:
        ref = reference.get(row["instance"])
        for ratio, key in pairs.items():
            mine = row.get(key)
            theirs = None if ref is None else ref.get(key)
            ok = isinstance(mine, int | float) and isinstance(theirs, int | float) and theirs > 0
            row[ratio] = mine / theirs if ok else None


def run_instance(
    name: str,
    time_limit: float,
    seed: int,
    *,
    methods: Sequence[str] | None = None,
    runner: Callable[..., dict[str, Any]] = run_method,
) -> list[dict[str, Any]]:
    """Every method's row on one instance, in order, with ratios against plsched."""
    path = resolve_instance(name)
    label = name.removesuffix(".json") if name.endswith(".json") else name
    rows = [runner(m, path, time_limit, seed, name=label) for m in (methods or methods_for(name))]
    learners = next((r["learners"] for r in rows if r.get("learners") is not None), None)
    if learners is None:
        learners = len(json.loads(path.read_text(encoding="utf-8")).get("learners", []))
    for row in rows:
        row.setdefault("learners", learners)
    add_ratios(rows)
    return rows


# --- output ------------------------------------------------------------------------------------


def _cell(value: Any, fmt: str) -> str:
    if value is None:
        return "—"
    if fmt == "check":
        return "✓" if value else "✗"
    if fmt == "pct":
        return f"{100 * value:.1f}"
    if fmt == "ratio":
        return format(value, ".2f" if value >= 0.1 else ".2g")
    if fmt == "rules":
        return ", ".join(str(r) for r in value) if value else "none"
    if fmt == "s" or isinstance(value, str):
        return str(value)
    return format(value, fmt)


def _table(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[str]:
    spec = {key: (header, fmt) for key, header, fmt in COLUMNS}
    numeric = {k for k in keys if spec[k][1] not in ("s", "check", "rules")}
    lines = [
        "| " + " | ".join(spec[k][0] for k in keys) + " |",
        "|" + "|".join("---:" if k in numeric else "---" for k in keys) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(k), spec[k][1]) for k in keys) + " |")
    return lines


def machine() -> dict[str, str]:
    """What the run ran on: cores, memory, Python, OR-Tools, plsched commit."""
    info = {
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "load": f"{os.getloadavg()[1]:.1f}",
    }
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        info["memory"] = f"{pages / 1024**3:.0f} GiB"
    except (ValueError, OSError):
        info["memory"] = "?"
    try:
        from ortools import __version__ as ortools_version

        info["ortools"] = ortools_version
    except ImportError:
        info["ortools"] = "?"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    info["commit"] = commit or "?"
    return info


def write_results(
    rows: list[dict[str, Any]], out: Path, *, time_limit: float, seed: int, command: str
) -> tuple[Path, Path]:
    """``results.md`` (two tables) and ``results.csv`` (every column) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "results.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([key for key, _, _ in COLUMNS])
        for row in rows:
            writer.writerow([_csv_value(row.get(key)) for key, _, _ in COLUMNS])
    info = machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    md = [
        "# plsched quality benchmark",
        "",
        f"`{command}` — {when}, plsched commit {info['commit']}; time limit {time_limit:g} s, "
        f"seed {seed}, {WORKERS} CP-SAT workers; {info['cores']} cores, {info['memory']}, "
        f"Python {info['python']}, OR-Tools {info['ortools']}; 5-minute load average "
        f"{info['load']} when written (the machine is shared). Each method ran alone in a "
        f"fresh process capped at {MEMORY_CAP_BYTES // 1024**3} GiB of address space.",
        "",
        "## Quality and cost",
        "",
        *_table(rows, _QUALITY),
        "",
        "## Domain KPIs (%) and ratios against plsched on the same instance",
        "",
        *_table(rows, _KPIS),
        "",
        "`= score`: ✓ when the plan's objective equals the scoring layer's recomputation from "
        "the plan alone. Column meanings: benchmarks/README.md.",
        "",
    ]
    md_path = out / "results.md"
    md_path.write_text("\n".join(md), encoding="utf-8")
    return md_path, csv_path


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return value

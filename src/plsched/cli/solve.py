"""``plsched solve INSTANCE -o PLAN``: plan a school and write the plan atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plsched.io import dump_json, load_instance, load_schedule, write_json_atomic


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "solve",
        help="Plan a school: groups, teachers, rooms and times, with a bound and a gap.",
        description="Plan a school within a time limit; the plan is written atomically "
        "(a crash never leaves half a plan nor clobbers an older one).",
    )
    p.add_argument("instance", type=Path, help="plsched/instance@1 file.")
    p.add_argument("-o", "--output", type=Path, required=True, help="Plan file to write.")
    p.add_argument("--time-limit", type=float, default=60.0, help="Seconds (default 60).")
    p.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="CP-SAT workers (default 2). With 1 the same instance and seed give the same plan, "
        "but the search counts its work instead of reading the clock and may end well past the "
        "time limit.",
    )
    p.add_argument(
        "--strategy",
        choices=("auto", "exact", "lns"),
        default="auto",
        help="auto (default): whole-problem CP-SAT for small schools, LNS beyond.",
    )
    p.add_argument("--previous", type=Path, help="Yesterday's plan, to stay close to.")
    p.add_argument("--quiet", "-q", action="store_true", help="No progress bar.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plsched.errors import InputError
    from plsched.solving import Progress, solve

    if args.time_limit <= 0:
        raise InputError(f"--time-limit must be positive, got {args.time_limit}.")
    if args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}.")
    if args.seed < 0:
        raise InputError(f"--seed must be non-negative, got {args.seed}.")
    instance = load_instance(args.instance)
    previous = load_schedule(args.previous) if args.previous else None
    if args.output.exists() and args.output.is_dir():
        raise InputError(f"output path {str(args.output)!r} is a folder.")

    show = not args.quiet and sys.stderr.isatty()
    callbacks = []
    progress = None
    if show:
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        progress = Bar(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[info]}"),
            transient=True,
        )
        task = progress.add_task("solving", total=args.time_limit, info="")

        def on_progress(p: Progress) -> None:
            info = (
                f"{p.phase}: objective {p.objective:,.2f}" if p.objective is not None else p.phase
            )
            if p.bound is not None:
                info += f"  bound {p.bound:,.2f}"
            progress.update(task, completed=min(p.seconds, args.time_limit), info=info)

        callbacks.append(on_progress)
        progress.start()
    try:
        result = solve(
            instance,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            callbacks=callbacks,
            previous=previous,
            strategy=args.strategy,
        )
    finally:
        if progress is not None:
            progress.stop()
    write_json_atomic(args.output, dump_json(result.plan))
    plan = result.plan
    if result.objective is None:
        reason = result.stats.get("reason", "no plan keeps every hard rule")
        print(f"{plan.status}: {reason}; wrote {args.output}")
        return 1
    short = sum(u.minutes_short for u in plan.unmet)
    print(
        f"{plan.status}: objective {result.objective:,.2f}, bound {result.bound:,.2f}, "
        f"gap {100 * (result.gap or 0):.2f} % in {plan.solve_seconds:.1f} s; "
        f"{len(plan.sessions)} sessions, {len(plan.unmet)} goals short by {short} minutes; "
        f"wrote {args.output}"
    )
    return 0

"""Command lines of the facecluster Airflow DAG (facecluster_dag.py), in plain Python 3 (standard library only).

Airflow is not needed to build or check them: the DAG imports this module; AirflowDagTest (JUnit) feeds what it
builds to the job's own argument parser; and

    python3 facecluster_commands.py run --date 2024-03-05

prints the argv of a day as JSON (also `eval-lfw` and `recluster`). The layout it assumes (every part is a
setting, see Settings):

    input   <input_root>/dt=YYYY-MM-DD/      the photos that arrived that day
    output  <output_root>/<table>/run_id=YYYY-MM-DD/
            one partition per day in each table (images, faces, clusters); the run id is the date, so a
            retry or a backfill of a day replaces that day's partitions and nothing else (idempotent)
    eval    <eval_output>/<table>/run_id=lfw-YYYY-MM-DD/, once a week (eval_weekday)
    library <library>: the person library (Delta tables of persons lasting across runs), only when set; every
            day's run adds its faces to it (a rerun of a day restores it to before that day's run and redoes
            it), and once a week, if recluster_weekday is set, `recluster` re-clusters all its faces (run id
            recluster-YYYY-MM-DD)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import shlex
import sys
from typing import Mapping, Optional, Sequence, Tuple

# An option key of the job (`submit.sh run --help`); its flag is "--" + key with dots as dashes, the rule of
# the job's ConfigOption.flag(). Whether the key exists is the job's parser's call, not this module's.
_KEY = re.compile(r"[a-z][a-z0-9.-]*")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where things are. Defaults are examples; a deployment sets FACECLUSTER_* variables (from_env)."""

    home: str = "/opt/facecluster"  # checkout with submit.sh, conf/ and models/ (FACECLUSTER_HOME)
    input_root: str = "s3a://photos/incoming"  # daily folders dt=YYYY-MM-DD below it
    output_root: str = "s3a://photos/facecluster"  # the job's --output: tables partitioned by run_id
    conf_file: str = "conf/facecluster.conf"  # job config for run, relative to home; "" for none
    lfw: str = "s3a://photos/eval/lfw"  # LFW image root for the weekly check
    lfw_pairs: str = "/opt/facecluster/eval/pairs.txt"  # LFW pairs.txt: a local file where the driver runs
    eval_output: str = "s3a://photos/facecluster-eval/lfw"
    eval_weekday: int = 6  # day of the weekly check, datetime.date.weekday(): Monday 0 ... Sunday 6
    run_options: Tuple[Tuple[str, str], ...] = ()  # more options of run, as (key, value)
    library: str = ""  # person library for run --library and recluster; "" for none (no library, no recluster)
    recluster_weekday: Optional[int] = None  # weekday of the weekly recluster (as eval_weekday); None: off

    _ENV = {
        "home": "FACECLUSTER_HOME",
        "input_root": "FACECLUSTER_INPUT_ROOT",
        "output_root": "FACECLUSTER_OUTPUT_ROOT",
        "conf_file": "FACECLUSTER_CONF",
        "lfw": "FACECLUSTER_LFW",
        "lfw_pairs": "FACECLUSTER_LFW_PAIRS",
        "eval_output": "FACECLUSTER_EVAL_OUTPUT",
        "eval_weekday": "FACECLUSTER_EVAL_WEEKDAY",
        "run_options": "FACECLUSTER_RUN_OPTIONS",
        "library": "FACECLUSTER_LIBRARY",
        "recluster_weekday": "FACECLUSTER_RECLUSTER_WEEKDAY",
    }

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Settings from FACECLUSTER_* variables (FACECLUSTER_RUN_OPTIONS: key=value,key=value).

        FACECLUSTER_LIBRARY and FACECLUSTER_RECLUSTER_WEEKDAY empty or unset: no library, no recluster."""
        env = os.environ if env is None else env
        values = {}
        for name, var in cls._ENV.items():
            if var in env:
                raw = env[var]
                if name == "eval_weekday":
                    values[name] = int(raw)
                elif name == "recluster_weekday":
                    values[name] = int(raw) if raw.strip() else None
                elif name == "library":
                    values[name] = raw.strip()
                elif name == "run_options":
                    values[name] = parse_options(o for o in raw.split(",") if o.strip())
                else:
                    values[name] = raw
        return cls(**values)

    def __post_init__(self):
        if not 0 <= self.eval_weekday <= 6:
            raise ValueError(f"eval_weekday {self.eval_weekday}: use 0 (Monday) ... 6 (Sunday)")
        if self.recluster_weekday is not None and not 0 <= self.recluster_weekday <= 6:
            raise ValueError(f"recluster_weekday {self.recluster_weekday}: use 0 (Monday) ... 6 (Sunday), "
                             "or none (off)")


def parse_options(items) -> Tuple[Tuple[str, str], ...]:
    """`key=value` strings as (key, value) pairs, in order."""
    out = []
    for item in items:
        key, sep, value = item.strip().partition("=")
        if not sep or not _KEY.fullmatch(key.strip()):
            raise ValueError(f"option {item!r}: write key=value with a key of `submit.sh run --help`")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def logical_day(value) -> datetime.date:
    """The day a DAG run is for: Airflow's `ds` (YYYY-MM-DD), a date, or a datetime (its date)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.date.fromisoformat(value)
    raise ValueError(f"not a day: {value!r} (expected YYYY-MM-DD)")


def flag(key: str) -> str:
    return "--" + key.replace(".", "-")


def run_id(day: datetime.date) -> str:
    """The run id of a day: its date, so that every rerun of the day replaces the same partitions."""
    return day.isoformat()


def input_prefix(day: datetime.date, settings: Settings) -> str:
    return f"{settings.input_root.rstrip('/')}/dt={day.isoformat()}/"


def _submit(settings: Settings) -> str:
    return os.path.join(settings.home, "submit.sh")


def _options(pairs) -> list:
    argv = []
    for key, value in pairs:
        argv += [flag(key), value]
    return argv


def run_argv(day, settings: Settings, options: Sequence[Tuple[str, str]] = ()) -> list:
    """`submit.sh run` for one day's photos (with --library when one is set); `options` (key, value) come after
    the settings' run_options."""
    day = logical_day(day)
    argv = [_submit(settings), "run", "--input", input_prefix(day, settings), "--output", settings.output_root,
            "--run-id", run_id(day)]
    if settings.conf_file:
        argv += ["--conf", os.path.join(settings.home, settings.conf_file)]
    if settings.library:
        argv += ["--library", settings.library]
    return argv + _options(settings.run_options) + _options(options)


def eval_lfw_argv(day, settings: Settings, options: Sequence[Tuple[str, str]] = ()) -> list:
    """`submit.sh eval-lfw`: the LFW 10-fold check of the models, run id lfw-<date>."""
    day = logical_day(day)
    argv = [_submit(settings), "eval-lfw", "--lfw", settings.lfw, "--pairs", settings.lfw_pairs,
            "--output", settings.eval_output, "--run-id", "lfw-" + day.isoformat()]
    return argv + _options(options)


def is_eval_day(day, settings: Settings) -> bool:
    """True on the weekday of the weekly LFW check."""
    return logical_day(day).weekday() == settings.eval_weekday


def recluster_argv(day, settings: Settings, options: Sequence[Tuple[str, str]] = ()) -> list:
    """`submit.sh recluster`: every library face clustered again, person ids carried over; run id
    recluster-<date>, so a retry redoes the same run. No --conf: recluster takes only the library, the run id and
    the graph's options, and refuses the other keys of a run's config file; so its graph settings are the job's
    built-in defaults unless `options` give others (the threshold: the library embedder's spec)."""
    day = logical_day(day)
    if not settings.library:
        raise ValueError("recluster needs a library: set FACECLUSTER_LIBRARY (or --library)")
    argv = [_submit(settings), "recluster", "--library", settings.library,
            "--run-id", "recluster-" + day.isoformat()]
    return argv + _options(options)


def is_recluster_day(day, settings: Settings) -> bool:
    """True on the weekly recluster weekday when both a library and that weekday are set; off otherwise."""
    return (bool(settings.library) and settings.recluster_weekday is not None
            and logical_day(day).weekday() == settings.recluster_weekday)


def shell_command(argv: Sequence[str]) -> str:
    """The argv as one shell command line (for BashOperator), every argument quoted as needed."""
    return shlex.join(argv)


def main(args: Optional[Sequence[str]] = None) -> int:
    """Prints the argv of `run`, `eval-lfw` or `recluster` for a day as JSON; settings from FACECLUSTER_* and the
    flags."""
    base = Settings.from_env()
    p = argparse.ArgumentParser(description="Print the facecluster command of a DAG run as a JSON array.")
    p.add_argument("command", choices=["run", "eval-lfw", "recluster"])
    p.add_argument("--date", required=True, type=logical_day, help="the run's logical date, YYYY-MM-DD")
    for field in dataclasses.fields(Settings):
        if field.name not in ("eval_weekday", "run_options", "recluster_weekday"):
            p.add_argument("--" + field.name.replace("_", "-"), default=getattr(base, field.name))
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="one more option of the job")
    a = p.parse_args(args)
    try:
        options = parse_options(a.option)
    except ValueError as e:
        p.error(str(e))
    settings = dataclasses.replace(base, home=a.home, input_root=a.input_root, output_root=a.output_root,
                                   conf_file=a.conf_file, lfw=a.lfw, lfw_pairs=a.lfw_pairs,
                                   eval_output=a.eval_output, library=a.library)
    build = {"run": run_argv, "eval-lfw": eval_lfw_argv, "recluster": recluster_argv}[a.command]
    try:
        argv = build(a.date, settings, options)
    except ValueError as e:
        p.error(str(e))
    print(json.dumps(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""facecluster on Airflow: every day, the job on that day's photos; once a week, the LFW check of the models
and, when set up, the recluster of the person library.

    run_faces  ->  is_eval_day  ->  eval_lfw
    submit.sh run --input <input_root>/dt={{ ds }}/ --output <output_root> --run-id {{ ds }} --conf ...
                   [--library <library>]  (only with FACECLUSTER_LIBRARY)
                   (short-circuit: skips eval_lfw except on eval_weekday)
                                    submit.sh eval-lfw --lfw ... --pairs ... --run-id lfw-{{ ds }}
               ->  is_recluster_day  ->  recluster_library
                   (short-circuit: skips recluster_library except on recluster_weekday, and always when no
                   library or no recluster weekday is set: off by default)
                                         submit.sh recluster --library <library> --run-id recluster-{{ ds }}

Deploy: put this file and facecluster_commands.py in the DAGs folder (both, side by side); the workers need
the facecluster checkout (FACECLUSTER_HOME: submit.sh, conf/, models/, the built job jar) and spark-submit, and
read their settings from FACECLUSTER_* variables (facecluster_commands.Settings). Cluster arguments for
spark-submit come from SPARK_SUBMIT_ARGS in the workers' environment, as for submit.sh by hand.

The run id is the logical date, so retries and backfills replace that day's partitions: no duplicates. With a
library, a retry of the day (same run id) restores the library to before that day's run and redoes it; the lock
of the killed attempt is taken over; a day that later library runs built on cannot be redone (the job refuses
it). The recluster runs after the day's run, never beside it. Every command line is built by
facecluster_commands, which tests check against the job's own parser without Airflow.
Needs Airflow 2.9+ (@task.bash) or 3.x.
"""

from __future__ import annotations

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import facecluster_commands as commands  # noqa: E402 (after the path above)

try:  # Airflow 3
    from airflow.sdk import dag, task
except ImportError:  # Airflow 2.9+
    from airflow.decorators import dag, task

SETTINGS = commands.Settings.from_env()


@dag(
    dag_id="facecluster",
    schedule="@daily",
    start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    # One day at a time: runs of different days would only compete for the same cluster.
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": datetime.timedelta(minutes=15)},
    tags=["facecluster"],
    doc_md=__doc__,
)
def facecluster():
    @task.bash
    def run_faces(ds=None):
        return commands.shell_command(commands.run_argv(ds, SETTINGS))

    @task.short_circuit
    def is_eval_day(ds=None):
        return commands.is_eval_day(ds, SETTINGS)

    @task.bash
    def eval_lfw(ds=None):
        return commands.shell_command(commands.eval_lfw_argv(ds, SETTINGS))

    @task.short_circuit
    def is_recluster_day(ds=None):
        return commands.is_recluster_day(ds, SETTINGS)

    @task.bash
    def recluster_library(ds=None):
        return commands.shell_command(commands.recluster_argv(ds, SETTINGS))

    faces = run_faces()
    faces >> is_eval_day() >> eval_lfw()
    # After the day's run: both hold the library's lock, so they must not overlap.
    faces >> is_recluster_day() >> recluster_library()


facecluster()

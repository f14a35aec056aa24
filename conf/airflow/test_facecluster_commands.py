"""Unit tests of facecluster_commands (stdlib unittest, no Airflow): python3 -m unittest discover -s conf/airflow

AirflowDagTest (JUnit) runs them in `mvn test`, and checks the command lines against the job's own parser.
"""

import ast
import contextlib
import dataclasses
import datetime
import io
import json
import os
import re
import shlex
import unittest

import facecluster_commands as c

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = datetime.date(2024, 3, 5)  # a Tuesday
SETTINGS = c.Settings(home="/opt/fc", input_root="s3a://photos/incoming/", output_root="s3a://photos/fc",
                      lfw="s3a://photos/eval/lfw", lfw_pairs="/opt/fc/eval/pairs.txt",
                      eval_output="s3a://photos/fc-eval/lfw")


class RunCommandTest(unittest.TestCase):
    def test_run_argv_of_a_day(self):
        self.assertEqual(c.run_argv(DAY, SETTINGS), [
            "/opt/fc/submit.sh", "run", "--input", "s3a://photos/incoming/dt=2024-03-05/",
            "--output", "s3a://photos/fc", "--run-id", "2024-03-05", "--conf", "/opt/fc/conf/facecluster.conf"])

    def test_ds_date_and_datetime_give_the_same_command(self):
        at_midnight = datetime.datetime(2024, 3, 5, tzinfo=datetime.timezone.utc)
        self.assertEqual(c.run_argv("2024-03-05", SETTINGS), c.run_argv(DAY, SETTINGS))
        self.assertEqual(c.run_argv(at_midnight, SETTINGS), c.run_argv(DAY, SETTINGS))

    def test_a_rerun_is_the_same_command_and_other_days_differ(self):
        self.assertEqual(c.run_argv(DAY, SETTINGS), c.run_argv(DAY, SETTINGS))
        days = [DAY + datetime.timedelta(days=i) for i in range(40)]
        self.assertEqual(len({c.run_id(d) for d in days}), 40)
        self.assertEqual(len({c.input_prefix(d, SETTINGS) for d in days}), 40)

    def test_run_ids_follow_the_jobs_rule(self):
        for day in (DAY, datetime.date(1999, 12, 31), datetime.date(2100, 1, 1)):
            for rid in (c.run_id(day), c.eval_lfw_argv(day, SETTINGS)[9]):
                self.assertRegex(rid, r"^[A-Za-z0-9._-]{1,64}$")

    def test_options_become_flags_after_the_settings(self):
        s = c.Settings(home="/opt/fc", conf_file="", run_options=(("cluster.knn", "20"),))
        argv = c.run_argv(DAY, s, [("input.images-per-partition", "32")])
        self.assertNotIn("--conf", argv)
        self.assertEqual(argv[-4:], ["--cluster-knn", "20", "--input-images-per-partition", "32"])

    def test_bad_days_and_options_are_refused(self):
        for bad in ("2024-02-30", "05.03.2024", "2024-3-5", None, 20240305):
            with self.assertRaises(ValueError, msg=repr(bad)):
                c.run_argv(bad, SETTINGS)
        for bad in ("cluster.knn", "--cluster-knn=3", "Cluster.knn=3", "=3"):
            with self.assertRaises(ValueError, msg=bad):
                c.parse_options([bad])
        with self.assertRaises(ValueError):
            c.Settings(eval_weekday=7)


class EvalCommandTest(unittest.TestCase):
    def test_eval_lfw_argv(self):
        self.assertEqual(c.eval_lfw_argv(DAY, SETTINGS), [
            "/opt/fc/submit.sh", "eval-lfw", "--lfw", "s3a://photos/eval/lfw", "--pairs", "/opt/fc/eval/pairs.txt",
            "--output", "s3a://photos/fc-eval/lfw", "--run-id", "lfw-2024-03-05"])

    def test_once_a_week_on_the_configured_day(self):
        week = [DAY + datetime.timedelta(days=i) for i in range(7)]
        self.assertEqual([d for d in week if c.is_eval_day(d, SETTINGS)], [datetime.date(2024, 3, 10)])  # Sunday
        monday = c.Settings(eval_weekday=0)
        self.assertEqual([d.weekday() for d in week if c.is_eval_day(d, monday)], [0])


LIBRARY = dataclasses.replace(SETTINGS, library="s3a://photos/fc-library")


class LibraryTest(unittest.TestCase):
    def test_no_library_by_default_and_the_run_command_is_unchanged(self):
        self.assertEqual(c.Settings().library, "")
        for env in ({}, {"FACECLUSTER_LIBRARY": ""}, {"FACECLUSTER_LIBRARY": "  "}):
            s = c.Settings.from_env(env)
            self.assertEqual(s.library, "", env)
            self.assertNotIn("--library", c.run_argv(DAY, s), env)

    def test_the_run_command_with_a_library(self):
        self.assertEqual(c.run_argv(DAY, LIBRARY), [
            "/opt/fc/submit.sh", "run", "--input", "s3a://photos/incoming/dt=2024-03-05/",
            "--output", "s3a://photos/fc", "--run-id", "2024-03-05", "--conf", "/opt/fc/conf/facecluster.conf",
            "--library", "s3a://photos/fc-library"])
        s = c.Settings.from_env({"FACECLUSTER_LIBRARY": "s3a://photos/fc-library", "FACECLUSTER_CONF": "",
                                 "FACECLUSTER_RUN_OPTIONS": "cluster.knn=20"})
        self.assertEqual(c.run_argv(DAY, s)[-4:], ["--library", "s3a://photos/fc-library", "--cluster-knn", "20"])

    def test_the_recluster_command(self):
        self.assertEqual(c.recluster_argv(DAY, LIBRARY), [
            "/opt/fc/submit.sh", "recluster", "--library", "s3a://photos/fc-library",
            "--run-id", "recluster-2024-03-05"])
        self.assertEqual(c.recluster_argv("2024-03-05", LIBRARY), c.recluster_argv(DAY, LIBRARY))
        self.assertEqual(c.recluster_argv(DAY, LIBRARY, [("cluster.knn", "20")])[-2:], ["--cluster-knn", "20"])
        self.assertNotIn("--conf", c.recluster_argv(DAY, LIBRARY), "recluster refuses a run's config file")
        for day in (DAY, datetime.date(1999, 12, 31), datetime.date(2100, 1, 1)):
            self.assertRegex(c.recluster_argv(day, LIBRARY)[-1], r"^[A-Za-z0-9._-]{1,64}$")

    def test_no_recluster_command_without_a_library(self):
        with self.assertRaisesRegex(ValueError, "FACECLUSTER_LIBRARY"):
            c.recluster_argv(DAY, SETTINGS)

    def test_recluster_is_off_by_default(self):
        week = [DAY + datetime.timedelta(days=i) for i in range(7)]
        self.assertIsNone(c.Settings().recluster_weekday)
        for env in ({"FACECLUSTER_LIBRARY": "s3a://photos/fc-library"},
                    {"FACECLUSTER_LIBRARY": "s3a://photos/fc-library", "FACECLUSTER_RECLUSTER_WEEKDAY": ""}):
            s = c.Settings.from_env(env)
            self.assertIsNone(s.recluster_weekday, env)
            self.assertEqual([d for d in week if c.is_recluster_day(d, s)], [], env)
        self.assertEqual([d for d in week if c.is_recluster_day(d, LIBRARY)], [])

    def test_once_a_week_on_the_recluster_weekday_and_only_with_a_library(self):
        week = [DAY + datetime.timedelta(days=i) for i in range(7)]
        sunday = c.Settings.from_env({"FACECLUSTER_LIBRARY": "s3a://photos/fc-library",
                                      "FACECLUSTER_RECLUSTER_WEEKDAY": "6"})
        self.assertEqual(sunday.recluster_weekday, 6)
        self.assertEqual([d for d in week if c.is_recluster_day(d, sunday)], [datetime.date(2024, 3, 10)])
        tuesday = dataclasses.replace(LIBRARY, recluster_weekday=1)
        self.assertEqual([d for d in week if c.is_recluster_day(d, tuesday)], [DAY])
        self.assertTrue(c.is_recluster_day("2024-03-05", tuesday))
        no_library = c.Settings.from_env({"FACECLUSTER_RECLUSTER_WEEKDAY": "1"})
        self.assertEqual(no_library.recluster_weekday, 1)
        self.assertEqual([d for d in week if c.is_recluster_day(d, no_library)], [], "a weekday without a library")

    def test_a_bad_recluster_weekday_is_refused(self):
        for bad in (-1, 7):
            with self.assertRaises(ValueError, msg=bad):
                c.Settings(recluster_weekday=bad)
        with self.assertRaises(ValueError):
            c.Settings.from_env({"FACECLUSTER_RECLUSTER_WEEKDAY": "sunday"})

    def test_cli_prints_the_recluster_command(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            c.main(["recluster", "--date", "2024-03-05", "--home", "/opt/fc",
                    "--library", "s3a://photos/fc-library"])
        self.assertEqual(json.loads(out.getvalue()), c.recluster_argv(DAY, LIBRARY))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as exit_:
            c.main(["recluster", "--date", "2024-03-05", "--library", ""])
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn("FACECLUSTER_LIBRARY", err.getvalue())


class SettingsAndCliTest(unittest.TestCase):
    def test_settings_from_the_environment(self):
        s = c.Settings.from_env({"FACECLUSTER_HOME": "/srv/fc", "FACECLUSTER_INPUT_ROOT": "hdfs:///in",
                                 "FACECLUSTER_EVAL_WEEKDAY": "2", "FACECLUSTER_CONF": "",
                                 "FACECLUSTER_RUN_OPTIONS": "cluster.knn=20, flip=true", "UNRELATED": "x"})
        self.assertEqual((s.home, s.input_root, s.eval_weekday, s.conf_file), ("/srv/fc", "hdfs:///in", 2, ""))
        self.assertEqual(s.run_options, (("cluster.knn", "20"), ("flip", "true")))
        self.assertEqual(s.output_root, c.Settings().output_root)

    def test_shell_command_splits_back_to_the_argv(self):
        argv = c.run_argv(DAY, c.Settings(home="/opt/face cluster"), [("cluster", "graph")])
        self.assertEqual(shlex.split(c.shell_command(argv)), argv)

    def test_cli_prints_the_argv_as_json(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            c.main(["run", "--date", "2024-03-05", "--home", "/opt/fc", "--input-root", "s3a://photos/incoming/",
                    "--output-root", "s3a://photos/fc", "--option", "cluster.knn=20"])
        self.assertEqual(json.loads(out.getvalue()), c.run_argv(DAY, SETTINGS, [("cluster.knn", "20")]))


class DagFileTest(unittest.TestCase):
    """The DAG cannot be imported without Airflow; its source is checked against this module instead."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(HERE, "facecluster_dag.py"), encoding="utf-8") as f:
            cls.tree = ast.parse(f.read(), "facecluster_dag.py")

    def test_uses_only_functions_this_module_has(self):
        used = {n.attr for n in ast.walk(self.tree)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "commands"}
        self.assertTrue({"run_argv", "eval_lfw_argv", "is_eval_day", "recluster_argv", "is_recluster_day",
                         "shell_command", "Settings"} <= used, used)
        for name in used:
            self.assertTrue(hasattr(c, name), name)

    def test_daily_schedule_and_task_order(self):
        source = ast.unparse(self.tree)
        self.assertRegex(source, r"schedule='@daily'")
        self.assertIn("faces = run_faces()", source)
        self.assertIn("faces >> is_eval_day() >> eval_lfw()", source)
        self.assertIn("faces >> is_recluster_day() >> recluster_library()", source)
        tasks = {f.name for f in ast.walk(self.tree) if isinstance(f, ast.FunctionDef)}
        self.assertTrue({"run_faces", "is_eval_day", "eval_lfw", "is_recluster_day", "recluster_library"} <= tasks)
        self.assertTrue(re.search(r"max_active_runs=1", source))


if __name__ == "__main__":
    unittest.main()

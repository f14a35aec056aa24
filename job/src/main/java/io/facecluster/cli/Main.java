package io.facecluster.cli;

import io.facecluster.config.ConfigException;
import io.facecluster.models.ModelException;
import io.facecluster.models.ModelRunException;
import io.facecluster.run.RunFailedException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of `submit.sh` and `spark-submit`: `<command> [options]`. Exit codes: 0 done, 1 the job failed
 * (a model fault is reported in one line, without a stack trace; the log has it), 2 bad usage or configuration
 * (one line, without a stack trace).
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: submit.sh <command> [options]",
      "",
      "commands:",
      "  run            detect, align and embed faces in images, cluster them, write Parquet tables and summary.json",
      "  recluster      re-cluster every face of a person library (--library) from scratch, carrying person ids over",
      "  eval-lfw       LFW 10-fold verification (official pairs.txt) through the same pipeline",
      "  eval-clusters  run on a labelled folder tree (label = parent folder) and score the clusters",
      "  calibrate      cosine distributions of all same / different-person pairs of an eval-clusters run",
      "  bench-clusters cluster synthetic embeddings (100K, 1M faces): time per stage, kNN recall, metrics",
      "  models         the model specs in models.dir: role, licence, whether the file is at hand",
      "  bench          images/s of the job against a bare ONNX Runtime loop on the same models and images",
      "",
      "submit.sh <command> --help lists the command's options with their defaults.");

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code (tests call this; main() exits with it). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "run":
          return RunCommand.execute(rest, out);
        case "recluster":
          return ReclusterCommand.execute(rest, out);
        case "eval-lfw":
          return EvalLfwCommand.execute(rest, out);
        case "eval-clusters":
          return EvalClustersCommand.execute(rest, out);
        case "calibrate":
          return CalibrateCommand.execute(rest, out);
        case "bench-clusters":
          return BenchClustersCommand.execute(rest, out);
        case "models":
          return ModelsCommand.execute(rest, out);
        case "bench":
          return BenchCommand.execute(rest, out);
        default:
          err.println("facecluster: unknown command '" + args[0] + "'\n\n" + USAGE);
          return 2;
      }
    } catch (io.facecluster.library.LibraryLockedException e) {
      // Another run writes the library: this one wrote nothing. One line, exit 1 (the job could not run).
      err.println("facecluster: " + e.getMessage());
      return 1;
    } catch (ConfigException | ModelException | io.facecluster.library.LibraryException e) {
      err.println("facecluster: error: " + e.getMessage());
      return 2;
    } catch (RunFailedException e) {
      // The job ran and its output explains why (e.g. the images table's reasons): one line, no stack trace.
      err.println("facecluster: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark throws SparkException (checked) through Scala code.
      String modelFault = modelFault(e);
      if (modelFault == null) {
        throw e;
      }
      err.println("facecluster: error: " + modelFault);
      return 1;
    }
  }

  /**
   * The one line of a {@link ModelRunException} under `e` (or of a {@link ModelException} raised in a task: a
 * session an executor cannot create), or null. A task's exception reaches the driver
   * wrapped in SparkExceptions (job aborted, stage failed after spark.task.maxFailures attempts, write failed):
   * its cause chain holds the executor's exception when the driver could deserialise it; else only the text of
   * the task's failure, "...ModelRunException: Model 'x': ..." with the executor's stack after it, is there.
   */
  static String modelFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ModelRunException || t instanceof ModelException) {
        return firstLine(t.getMessage());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      for (Class<?> c : List.of(ModelRunException.class, ModelException.class)) {
        int at = m == null ? -1 : m.indexOf(c.getName() + ": ");
        if (at >= 0) {
          return firstLine(m.substring(at + c.getName().length() + 2));
        }
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}

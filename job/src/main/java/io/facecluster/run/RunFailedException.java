package io.facecluster.run;

/** A run that ran but must not be committed (a quality gate failed): one line for the user, exit code 1. */
public final class RunFailedException extends RuntimeException {
  public RunFailedException(String message) {
    super(message);
  }
}

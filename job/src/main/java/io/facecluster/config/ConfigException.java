package io.facecluster.config;

/** Bad configuration: thrown before any work starts, with a message a user can act on. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

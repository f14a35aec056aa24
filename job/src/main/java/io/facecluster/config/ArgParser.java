package io.facecluster.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns "--flag value" / "--flag=value" arguments into option keys. Flags are derived from keys, so there is
 * one name per option everywhere (README, config files, help). "--conf FILE" names the config file.
 */
public final class ArgParser {
  public static final String CONF_FLAG = "--conf";

  /** The parsed command line: raw values by key, the config file if given, and whether help was asked. */
  public record Parsed(Map<String, String> values, Path confFile, boolean help) {}

  private ArgParser() {}

  public static Parsed parse(String command, List<ConfigOption<?>> options, String[] args) {
    Map<String, String> byFlag = new LinkedHashMap<>();
    options.forEach(o -> byFlag.put(o.flag(), o.key()));
    Map<String, String> values = new LinkedHashMap<>();
    Path conf = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new ConfigException("Unexpected argument '" + arg + "' for '" + command + "'; options look like "
            + "--name value (see ./submit.sh " + command + " --help)");
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!flag.equals(CONF_FLAG) && !byFlag.containsKey(flag)) {
        throw new ConfigException("Unknown option " + flag + " for '" + command + "' (see ./submit.sh " + command
            + " --help)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new ConfigException("Option " + flag + " needs a value");
        }
        value = args[++i];
      }
      if (flag.equals(CONF_FLAG)) {
        conf = Path.of(value);
      } else if (values.put(byFlag.get(flag), value) != null) {
        throw new ConfigException("Option " + flag + " given twice");
      }
    }
    return new Parsed(values, conf, help);
  }

  /** Help text: every option with its default, in declaration order. */
  public static String help(String usage, List<ConfigOption<?>> options) {
    StringBuilder sb = new StringBuilder(usage).append("\n\nOptions (precedence: command line > --conf file > default):\n");
    sb.append(String.format("  %s FILE%n        config file: Java properties whose keys are the option keys below%n",
        CONF_FLAG));
    for (ConfigOption<?> o : options) {
      sb.append(String.format("  %s VALUE%n        %s%n        key: %s; default: %s%n", o.flag(), o.doc(), o.key(),
          o.defaultText()));
    }
    return sb.toString();
  }
}

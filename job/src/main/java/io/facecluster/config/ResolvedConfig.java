package io.facecluster.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Raw option values after precedence: CLI flag, then config file, then the option's default. Each value
 * remembers where it came from, so an error can say "from --conf job.conf" rather than only "invalid".
 */
public final class ResolvedConfig {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();

  private ResolvedConfig() {}

  public static ResolvedConfig resolve(List<ConfigOption<?>> options, Map<String, String> cli, Path confFile) {
    Map<String, String> file = confFile == null ? Map.of() : readProperties(confFile);
    Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
    options.forEach(o -> known.put(o.key(), o));
    for (String key : file.keySet()) {
      if (!known.containsKey(key)) {
        throw new ConfigException("Unknown key '" + key + "' in config file " + confFile + "; known keys: "
            + new TreeSet<>(known.keySet()));
      }
    }
    ResolvedConfig resolved = new ResolvedConfig();
    for (ConfigOption<?> o : options) {
      if (cli.containsKey(o.key())) {
        resolved.put(o.key(), cli.get(o.key()), "command line " + o.flag());
      } else if (file.containsKey(o.key())) {
        resolved.put(o.key(), file.get(o.key()), "config file " + confFile);
      } else if (o.defaultValue() != null) {
        resolved.put(o.key(), o.defaultValue(), "default");
      }
    }
    return resolved;
  }

  private void put(String key, String value, String source) {
    values.put(key, value);
    sources.put(key, source);
  }

  /** The typed value, or null when the option has no value and no default. */
  public <T> T get(ConfigOption<T> option) {
    String raw = values.get(option.key());
    return raw == null ? null : option.parse(raw, sources.get(option.key()));
  }

  public <T> T require(ConfigOption<T> option) {
    T value = get(option);
    if (value == null) {
      throw new ConfigException("Missing required option " + option.flag() + " (config key '" + option.key()
          + "'): " + option.doc());
    }
    return value;
  }

  /** Key to raw value, in option order: what the job records in summary.json. */
  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  private static Map<String, String> readProperties(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("Config file not found: " + path);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("Cannot read config file " + path + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
    return out;
  }
}

package io.facecluster.config;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One documented option: a key (used in config files), the CLI flag derived from it ("--" + key with dots
 * as dashes), a parser, a default and a rule. Defaults are strings so that help text shows exactly what a
 * user would type; a null default means "none" (the option is optional and has no value).
 */
public final class ConfigOption<T> {
  private final String key;
  private final String defaultValue;
  private final String doc;
  private final Function<String, T> parser;
  private final Predicate<T> rule;
  private final String ruleText;
  private String defaultDoc;

  private ConfigOption(String key, String defaultValue, String doc, Function<String, T> parser,
      Predicate<T> rule, String ruleText) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.parser = parser;
    this.rule = rule;
    this.ruleText = ruleText;
  }

  public static ConfigOption<String> string(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, s -> s, s -> !s.isBlank(), "must not be blank");
  }

  public static ConfigOption<Boolean> bool(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, s -> {
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(s);
      }
      return Boolean.parseBoolean(s);
    }, v -> true, "must be true or false");
  }

  public static ConfigOption<Integer> positiveInt(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Integer::valueOf, v -> v > 0, "must be a positive integer");
  }

  public static ConfigOption<Integer> nonNegativeInt(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Integer::valueOf, v -> v >= 0, "must be an integer >= 0");
  }

  public static ConfigOption<Long> nonNegativeLong(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Long::valueOf, v -> v >= 0, "must be an integer >= 0");
  }

  public static ConfigOption<Double> positiveDouble(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Double::valueOf, v -> v > 0, "must be a positive number");
  }

  public static ConfigOption<Long> positiveLong(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Long::valueOf, v -> v > 0, "must be a positive integer");
  }

  public static ConfigOption<Double> unitInterval(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Double::valueOf, v -> v >= 0 && v <= 1,
        "must be a number in [0, 1]");
  }

  public static ConfigOption<Double> cosine(String key, String defaultValue, String doc) {
    return new ConfigOption<>(key, defaultValue, doc, Double::valueOf, v -> v >= -1 && v <= 1,
        "must be a cosine similarity in [-1, 1]");
  }

  public static <E extends Enum<E>> ConfigOption<E> choice(String key, Class<E> type, String defaultValue,
      String doc) {
    StringBuilder names = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      names.append(names.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
    }
    return new ConfigOption<>(key, defaultValue, doc + " (" + names + ")",
        s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_')), v -> true,
        "must be one of " + names);
  }

  public String key() {
    return key;
  }

  public String flag() {
    return "--" + key.replace('.', '-');
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Sets how help shows a default that is not a fixed string (one derived from a model spec, a clock, ...). */
  public ConfigOption<T> defaultDoc(String text) {
    this.defaultDoc = text;
    return this;
  }

  /** The default as help and the README show it. */
  public String defaultText() {
    if (defaultDoc != null) {
      return defaultDoc;
    }
    return defaultValue == null ? "none" : defaultValue;
  }

  /** Parses and checks a raw value; the message names the option and the source of the value. */
  public T parse(String raw, String source) {
    T value;
    try {
      value = parser.apply(raw.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(describe(raw, source) + ": " + ruleText);
    }
    if (!rule.test(value)) {
      throw new ConfigException(describe(raw, source) + ": " + ruleText);
    }
    return value;
  }

  private String describe(String raw, String source) {
    return "Invalid value '" + raw + "' for " + flag() + " (config key '" + key + "', from " + source + ")";
  }
}

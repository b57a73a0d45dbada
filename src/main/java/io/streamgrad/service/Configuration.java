package io.streamgrad.service;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.stream.StreamSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The service's settings, resolved flag > environment > file > built-in default (the shipped
 * config/streamgrad.properties). Every getter checks its value and names the setting and the
 * accepted values when it is wrong.
 */
public final class Configuration {
  static final String ENV_PREFIX = "STREAMGRAD_";
  private static final Set<String> SECRET_WORDS =
      Set.of("password", "secret", "jaas", "token", "key");

  private final Properties values;

  private Configuration(Properties values) {
    this.values = values;
  }

  /** Thrown for a setting that is missing, malformed or out of range: exit code 2. */
  public static final class InvalidSetting extends RuntimeException {
    public InvalidSetting(String message) {
      super(message);
    }
  }

  /**
   * @param file the configuration file, or null for the defaults alone
   * @param env the environment (System.getenv() outside tests)
   * @param flags settings given on the command line
   */
  public static Configuration load(Path file, Map<String, String> env, Map<String, String> flags)
      throws IOException {
    Properties values = defaults();
    if (file != null) {
      try (Reader reader = Files.newBufferedReader(file)) {
        Properties fromFile = new Properties();
        fromFile.load(reader);
        fromFile.forEach((k, v) -> values.put(k, v.toString().trim()));
      } catch (NoSuchFileException e) {
        throw new InvalidSetting("configuration file " + file + " does not exist");
      }
    }
    for (String key : Set.copyOf(values.stringPropertyNames())) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv.trim());
      }
    }
    // Pass-through Kafka settings may come from the environment too.
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX + "KAFKA_")) {
            values.put(
                "kafka."
                    + name.substring(ENV_PREFIX.length() + 6)
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.'),
                value);
          }
        });
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            values.put(k, v);
          }
        });
    return new Configuration(values);
  }

  public static Configuration defaultsOnly() {
    return new Configuration(defaults());
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Properties defaults() {
    Properties defaults = new Properties();
    try (InputStream in =
        Configuration.class.getResourceAsStream("/config/streamgrad.properties")) {
      defaults.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the jar lacks its default configuration", e);
    }
    return defaults;
  }

  public Configuration with(String key, String value) {
    Properties copy = new Properties();
    copy.putAll(values);
    copy.put(key, value);
    return new Configuration(copy);
  }

  public String string(String key) {
    String value = values.getProperty(key);
    if (value == null) {
      throw new InvalidSetting("setting " + key + " is missing");
    }
    return value.trim();
  }

  public long number(String key, long min, long max) {
    String text = string(key);
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw new InvalidSetting(
            "setting " + key + "=" + text + " is out of range: accepted " + min + ".." + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidSetting(
          "setting "
              + key
              + "="
              + text
              + " is not a whole number (accepted "
              + min
              + ".."
              + max
              + ")");
    }
  }

  public String choice(String key, String... accepted) {
    String value = string(key);
    for (String option : accepted) {
      if (option.equals(value)) {
        return value;
      }
    }
    throw new InvalidSetting(
        "setting " + key + "=" + value + " is not one of: " + String.join(", ", accepted));
  }

  public boolean flag(String key) {
    return Boolean.parseBoolean(choice(key, "true", "false"));
  }

  public String bootstrapServers() {
    return string("bootstrap.servers");
  }

  public StreamSettings streamSettings() {
    ModelSpec defaultSpec = null;
    String specPath = string("model.default.spec");
    if (!specPath.isEmpty()) {
      try {
        defaultSpec = ModelFile.parse(Files.readString(Path.of(specPath)));
      } catch (IOException e) {
        throw new InvalidSetting(
            "setting model.default.spec="
                + specPath
                + ": cannot read the file ("
                + e.getMessage()
                + ")");
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting("setting model.default.spec=" + specPath + ": " + e.getMessage());
      }
    }
    StatsSettings stats =
        new StatsSettings(
            number("loss.ewma.half-life.samples", 1, Integer.MAX_VALUE),
            (int) number("loss.window.samples", 1, 1_000_000));
    return new StreamSettings(
        string("topic.samples"),
        string("topic.models"),
        string("topic.predictions"),
        string("topic.loss"),
        string("topic.dead-letters"),
        OutputFormat.valueOf(choice("output.format", "avro", "json").toUpperCase(Locale.ROOT)),
        (int) number("loss.every.samples", 1, Integer.MAX_VALUE),
        number("loss.every.ms", 10, 86_400_000L),
        defaultSpec,
        stats,
        (int) number("input.max.record.bytes", 1, Integer.MAX_VALUE),
        (int) number("model.max.bytes", 1024, 1L << 30),
        number("unknown.model.wait.ms", 0, 86_400_000L),
        number("unknown.model.wait.max.bytes", 0, 1L << 40));
  }

  /** Every setting of the service, checked: the one place that reads them. */
  public ServiceSettings serviceSettings() {
    String applicationId = string("application.id");
    if (applicationId.isEmpty()) {
      throw new InvalidSetting("setting application.id must not be empty");
    }
    return new ServiceSettings(
        applicationId,
        bootstrapServers(),
        choice("processing.guarantee", "exactly_once_v2", "at_least_once"),
        number("commit.interval.ms", 10, 600_000),
        (int) number("topics.partitions", 1, 10_000),
        (short) number("topics.replication.factor", 1, 32),
        (int) number("num.standby.replicas", 0, 10),
        (int) number("num.stream.threads", 1, 64),
        flag("topics.create"),
        string("http.host"),
        (int) number("http.port", 0, 65_535),
        string("state.dir"),
        streamSettings(),
        kafkaPassThrough());
  }

  /** Settings passed through to Kafka's clients: kafka.X as X. */
  public Map<String, String> kafkaPassThrough() {
    Map<String, String> passed = new TreeMap<>();
    for (String key : values.stringPropertyNames()) {
      if (key.startsWith("kafka.")) {
        passed.put(key.substring("kafka.".length()), values.getProperty(key));
      }
    }
    return passed;
  }

  /** Every setting, sorted, secrets masked: for the log at start. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(values)
        .forEach(
            (k, v) ->
                text.append("  ")
                    .append(k)
                    .append(" = ")
                    .append(isSecret(k.toString()) && !v.toString().isEmpty() ? "********" : v)
                    .append('\n'));
    return text.toString();
  }

  private static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream()
        .anyMatch(
            word ->
                lower.contains(word)
                    && !lower.endsWith(".type")
                    && !lower.endsWith("location")
                    && !lower.endsWith("algorithm"));
  }
}

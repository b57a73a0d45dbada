package io.streamgrad.service;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.NearestName;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.stream.LabelSettings;
import io.streamgrad.stream.StreamSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service's settings, resolved flag > environment > file > built-in default (the shipped
 * config/streamgrad.properties). A key the shipped file does not have, other than a {@code kafka.}
 * pass-through, is an error wherever it comes from. Every getter checks its value and names the
 * setting and the accepted values when it is wrong.
 */
public final class Configuration {
  static final String ENV_PREFIX = "STREAMGRAD_";
  private static final String KAFKA_PREFIX = "kafka.";
  private static final Set<String> SECRET_WORDS =
      Set.of("password", "secret", "jaas", "token", "key", "user.info");

  /**
   * The keys of the shipped config/streamgrad.properties, sorted (so that a suggestion does not
   * depend on a hash order): every setting there is, the file being the built-in defaults.
   */
  private static final Set<String> KNOWN =
      Collections.unmodifiableSortedSet(new TreeSet<>(defaults().stringPropertyNames()));

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
        for (String key : new TreeSet<>(fromFile.stringPropertyNames())) {
          requireKnown(key, " in " + file);
          values.put(key, fromFile.getProperty(key).trim());
        }
      } catch (NoSuchFileException e) {
        throw new InvalidSetting("configuration file " + file + " does not exist");
      }
    }
    Map<String, String> keyOfEnvName = new TreeMap<>();
    for (String key : KNOWN) {
      keyOfEnvName.put(envName(key), key);
    }
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith(ENV_PREFIX)) {
        continue; // the environment holds everybody's variables; only STREAMGRAD_ ones are ours
      }
      String value = env.get(name);
      if (name.startsWith(ENV_PREFIX + "KAFKA_")) {
        // Pass-through Kafka settings may come from the environment too.
        values.put(
            "kafka."
                + name.substring(ENV_PREFIX.length() + 6)
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.'),
            value);
      } else if (keyOfEnvName.containsKey(name)) {
        values.put(keyOfEnvName.get(name), value.trim());
      } else {
        String hint =
            NearestName.of(name, keyOfEnvName.keySet())
                .map(near -> "; did you mean " + near + " (" + keyOfEnvName.get(near) + ")?")
                .orElse("");
        throw new InvalidSetting("environment variable " + name + " names no setting" + hint);
      }
    }
    for (var flag : new TreeMap<>(flags).entrySet()) {
      if (flag.getValue() != null) {
        requireKnown(flag.getKey(), "");
        values.put(flag.getKey(), flag.getValue());
      }
    }
    return new Configuration(values);
  }

  /**
   * A misspelt key would otherwise leave its setting at the default without a word (a service on
   * port 8080 after {@code http.prot=9090}), so a key that is neither one of the shipped file's nor
   * a {@code kafka.} pass-through is an error that names it and the key it most likely meant.
   */
  private static void requireKnown(String key, String where) {
    if (KNOWN.contains(key) || key.startsWith(KAFKA_PREFIX)) {
      return;
    }
    String hint = NearestName.suggestion(key, KNOWN);
    throw new InvalidSetting(
        "setting "
            + key
            + where
            + " is unknown"
            + (hint.isEmpty()
                ? "; a Kafka client setting takes the prefix kafka. (as kafka." + key + ")"
                : hint));
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

  /**
   * @throws InvalidSetting for a key that is neither known nor a {@code kafka.} pass-through
   */
  public Configuration with(String key, String value) {
    requireKnown(key, "");
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
            (int) number("loss.window.samples", 1, 1_000_000),
            flag("loss.metrics"));
    return new StreamSettings(
        string("topic.samples"),
        string("topic.models"),
        string("topic.predictions"),
        string("topic.loss"),
        string("topic.dead-letters"),
        OutputFormat.valueOf(
            choice("output.format", "avro", "json", "confluent-avro")
                .toUpperCase(Locale.ROOT)
                .replace('-', '_')),
        (int) number("loss.every.samples", 1, Integer.MAX_VALUE),
        number("loss.every.ms", 10, 86_400_000L),
        defaultSpec,
        stats,
        (int) number("input.max.record.bytes", 1, Integer.MAX_VALUE),
        (int) number("model.max.bytes", 1024, 1L << 30),
        number("unknown.model.wait.ms", 0, 86_400_000L),
        number("unknown.model.wait.max.bytes", 0, 1L << 40),
        string("topic.events"),
        new LabelSettings(
            string("topic.labels"),
            string("topic.outcomes"),
            number("label.pending.max.bytes", 0, 1L << 40)));
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
        replicationFactor(),
        (int) number("num.standby.replicas", 0, 10),
        (int) number("num.stream.threads", 1, 64),
        flag("topics.create"),
        string("http.host"),
        (int) number("http.port", 0, 65_535),
        string("http.advertised.host"),
        string("http.advertised.port").isEmpty()
            ? 0
            : (int) number("http.advertised.port", 1, 65_535),
        string("state.dir"),
        streamSettings(),
        kafkaPassThrough());
  }

  /** The schema registry settings, checked (see {@link SchemaRegistrySettings#of}). */
  public SchemaRegistrySettings schemaRegistrySettings() {
    return SchemaRegistrySettings.of(this);
  }

  /** -1 (the brokers' default.replication.factor) or 1 to 32; 0 would be no copy at all. */
  private short replicationFactor() {
    long factor = number("topics.replication.factor", -1, 32);
    if (factor == 0) {
      throw new InvalidSetting(
          "setting topics.replication.factor=0 is out of range: accepted -1 (the brokers'"
              + " default.replication.factor) or 1..32");
    }
    return (short) factor;
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

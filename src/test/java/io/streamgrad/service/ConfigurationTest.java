package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.Main;
import io.streamgrad.stream.StreamSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  @TempDir Path dir;

  @Test
  void shouldResolveFlagOverEnvironmentOverFileOverDefault() throws Exception {
    Path file = dir.resolve("s.properties");
    Files.writeString(file, "commit.interval.ms=500\nloss.every.samples=7\ntopic.loss=file.loss\n");
    Map<String, String> env =
        Map.of("STREAMGRAD_LOSS_EVERY_SAMPLES", "9", "STREAMGRAD_TOPIC_LOSS", "env.loss");
    Map<String, String> flags = new HashMap<>();
    flags.put("topic.loss", "flag.loss");
    Configuration config = Configuration.load(file, env, flags);
    assertEquals(500, config.number("commit.interval.ms", 0, 10_000));
    StreamSettings settings = config.streamSettings();
    assertEquals(9, settings.lossEverySamples());
    assertEquals("flag.loss", settings.lossTopic());
    assertEquals("streamgrad.samples", settings.samplesTopic(), "the shipped default");
  }

  @Test
  void shouldGiveTheTopologyTheSameDefaultsAsTheShippedFile() {
    assertEquals(
        StreamSettings.defaults(),
        Configuration.defaultsOnly().streamSettings(),
        "StreamSettings.defaults() (used by tests and benchmarks) must say what config/streamgrad.properties says");
  }

  @Test
  void shouldReadEveryServiceSettingFromTheConfiguration() {
    ServiceSettings settings =
        Configuration.defaultsOnly()
            .with("num.standby.replicas", "1")
            .with("http.host", "0.0.0.0")
            .with("kafka.linger.ms", "7")
            .serviceSettings();
    assertEquals("streamgrad", settings.applicationId());
    assertEquals("exactly_once_v2", settings.guarantee());
    assertEquals(1, settings.standbyReplicas());
    assertEquals("0.0.0.0", settings.httpHost());
    assertEquals(Map.of("linger.ms", "7"), settings.kafkaPassThrough());
    assertEquals(StreamSettings.defaults(), settings.stream());
  }

  @Test
  void shouldTurnTheQualityMetricsOffWhenAsked() {
    assertTrue(Configuration.defaultsOnly().streamSettings().stats().metrics());
    assertFalse(
        Configuration.defaultsOnly()
            .with("loss.metrics", "false")
            .streamSettings()
            .stats()
            .metrics());
  }

  @Test
  void shouldNameABadSettingAndItsAcceptedValues() throws Exception {
    Configuration config =
        Configuration.load(null, Map.of("STREAMGRAD_OUTPUT_FORMAT", "xml"), Map.of());
    Configuration.InvalidSetting e =
        assertThrows(Configuration.InvalidSetting.class, config::streamSettings);
    assertEquals(
        "setting output.format=xml is not one of: avro, json, confluent-avro", e.getMessage());
    Configuration bad = Configuration.defaultsOnly().with("commit.interval.ms", "soon");
    e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> bad.number("commit.interval.ms", 10, 600_000));
    assertTrue(e.getMessage().contains("commit.interval.ms=soon"), e.getMessage());
  }

  @Test
  void shouldSayWhenTheConfigurationFileIsMissing() {
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> Configuration.load(dir.resolve("nope.properties"), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void shouldPassKafkaSecuritySettingsThroughAndMaskSecrets() throws Exception {
    Configuration config =
        Configuration.load(
            null,
            Map.of("STREAMGRAD_KAFKA_SASL_JAAS_CONFIG", "user=secret"),
            Map.of(
                "kafka.security.protocol", "SASL_SSL", "kafka.ssl.truststore.password", "hunter2"));
    assertEquals("SASL_SSL", config.kafkaPassThrough().get("security.protocol"));
    assertEquals("user=secret", config.kafkaPassThrough().get("sasl.jaas.config"));
    String described = config.describe();
    assertFalse(described.contains("hunter2") || described.contains("user=secret"), described);
    assertTrue(described.contains("kafka.security.protocol = SASL_SSL"), described);
  }

  @Test
  void shouldExitWithUsageCodeForBadSettingsBeforeTouchingAnyBroker() {
    assertEquals(
        ExitCodes.USAGE,
        Main.execute(
            "run", "--set", "processing.guarantee=maybe", "--bootstrap-servers", "127.0.0.1:1"));
    assertEquals(
        ExitCodes.USAGE,
        Main.execute("run", "--config", dir.resolve("missing.properties").toString()));
  }

  @Test
  void shouldRejectAnUnknownKeyOfTheFileNamingTheNearestKnownKey() throws Exception {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "http.prot=9090\n");
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class, () -> Configuration.load(file, Map.of(), Map.of()));
    assertEquals(
        "setting http.prot in " + file + " is unknown; did you mean http.port?", e.getMessage());
  }

  @Test
  void shouldRejectAnUnknownKeyOfTheCommandLine() {
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> Configuration.load(null, Map.of(), Map.of("comit.interval.ms", "10")));
    assertEquals(
        "setting comit.interval.ms is unknown; did you mean commit.interval.ms?", e.getMessage());
  }

  @Test
  void shouldPointAKafkaKeyWithoutItsPrefixToThePrefix() {
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> Configuration.load(null, Map.of(), Map.of("security.protocol", "SSL")));
    assertEquals(
        "setting security.protocol is unknown; a Kafka client setting takes the prefix kafka. (as"
            + " kafka.security.protocol)",
        e.getMessage());
  }

  @Test
  void shouldRejectAStreamgradEnvironmentVariableThatNamesNoSetting() {
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> Configuration.load(null, Map.of("STREAMGRAD_HTTP_PROT", "9090"), Map.of()));
    assertEquals(
        "environment variable STREAMGRAD_HTTP_PROT names no setting; did you mean"
            + " STREAMGRAD_HTTP_PORT (http.port)?",
        e.getMessage());
  }

  @Test
  void shouldLeaveEnvironmentVariablesWithoutTheStreamgradPrefixAlone() throws Exception {
    Configuration config =
        Configuration.load(
            null,
            Map.of(
                "HTTP_PORT", "1", "STREAMGRAD", "x", "MY_STREAMGRAD_HTTP_PORT", "2", "PATH", "/"),
            Map.of());
    assertEquals(8080, config.serviceSettings().httpPort());
  }

  @Test
  void shouldPassKafkaKeysOfTheFileThrough() throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "kafka.client.rack=eu-1\n");
    assertEquals(
        Map.of("client.rack", "eu-1"),
        Configuration.load(file, Map.of(), Map.of()).kafkaPassThrough());
  }

  @Test
  void shouldRejectAnUnknownKeySetInCode() {
    Configuration.InvalidSetting e =
        assertThrows(
            Configuration.InvalidSetting.class,
            () -> Configuration.defaultsOnly().with("loss.every.sample", "5"));
    assertTrue(e.getMessage().contains("did you mean loss.every.samples?"), e.getMessage());
  }

  @Test
  void shouldExitWithUsageCodeForAnUnknownSetting() {
    assertEquals(
        ExitCodes.USAGE,
        Main.execute("run", "--set", "http.prot=9090", "--bootstrap-servers", "127.0.0.1:1"));
  }

  @Test
  void shouldExitWithUsageCodeForAnUnknownSettingInTheTopicsCommandsFile() throws Exception {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "topic.sample=mine\n");
    assertEquals(
        ExitCodes.USAGE,
        Main.execute("topics", "--bootstrap-servers", "127.0.0.1:1", "--config", file.toString()));
  }
}

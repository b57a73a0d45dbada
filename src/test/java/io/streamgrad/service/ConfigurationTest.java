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
  void shouldNameABadSettingAndItsAcceptedValues() throws Exception {
    Configuration config =
        Configuration.load(null, Map.of("STREAMGRAD_OUTPUT_FORMAT", "xml"), Map.of());
    Configuration.InvalidSetting e =
        assertThrows(Configuration.InvalidSetting.class, config::streamSettings);
    assertEquals("setting output.format=xml is not one of: avro, json", e.getMessage());
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
}

package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.SubjectNameStrategy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRegistrySettingsTest {
  @Test
  void shouldNeedNoRegistryByDefault() {
    SchemaRegistrySettings settings = Configuration.defaultsOnly().schemaRegistrySettings();
    assertFalse(settings.configured());
    assertEquals(SubjectNameStrategy.TOPIC, settings.subjectNameStrategy());
  }

  @Test
  void shouldTakeSeveralCommaSeparatedUrls() {
    SchemaRegistrySettings settings =
        Configuration.defaultsOnly()
            .with("schema.registry.url", "http://a:8081/, https://b:8443/apis/ccompat/v7")
            .schemaRegistrySettings();
    assertEquals(
        List.of(URI.create("http://a:8081"), URI.create("https://b:8443/apis/ccompat/v7")),
        settings.urls());
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttp() {
    Configuration config = Configuration.defaultsOnly().with("schema.registry.url", "a:8081");
    Configuration.InvalidSetting e =
        assertThrows(Configuration.InvalidSetting.class, config::schemaRegistrySettings);
    assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
  }

  @Test
  void shouldRefuseConfluentOutputWithoutARegistry() {
    Configuration config = Configuration.defaultsOnly().with("output.format", "confluent-avro");
    assertEquals(OutputFormat.CONFLUENT_AVRO, config.streamSettings().outputFormat());
    Configuration.InvalidSetting e =
        assertThrows(Configuration.InvalidSetting.class, config::schemaRegistrySettings);
    assertTrue(e.getMessage().contains("set schema.registry.url"), e.getMessage());
  }

  @Test
  void shouldRegisterOutputsOnlyForConfluentOutput() {
    Configuration config =
        Configuration.defaultsOnly().with("schema.registry.url", "http://r:8081");
    assertFalse(config.schemaRegistrySettings().registerOutputs());
    assertTrue(
        config.with("output.format", "confluent-avro").schemaRegistrySettings().registerOutputs());
  }

  @Test
  void shouldMaskTheBasicAuthCredentialsInTheLoggedConfiguration() {
    String described =
        Configuration.defaultsOnly()
            .with("schema.registry.basic.auth.user.info", "svc:hunter2")
            .describe();
    assertFalse(described.contains("hunter2"), described);
  }

  @Test
  void shouldRetryLookupsForHalfTheTransactionTimeoutOrPollInterval() {
    ServiceSettings defaults = Configuration.defaultsOnly().serviceSettings();
    assertEquals(Duration.ofSeconds(5), RegistryConnection.retryBudget(defaults));
    ServiceSettings longer =
        Configuration.defaultsOnly()
            .with("kafka.producer.transaction.timeout.ms", "120000")
            .serviceSettings();
    assertEquals(Duration.ofSeconds(60), RegistryConnection.retryBudget(longer));
    ServiceSettings longest =
        Configuration.defaultsOnly()
            .with("kafka.producer.transaction.timeout.ms", "900000")
            .serviceSettings();
    assertEquals(
        Duration.ofSeconds(150),
        RegistryConnection.retryBudget(longest),
        "and half of max.poll.interval.ms, so the group keeps the waiting consumer");
  }

  @Test
  void shouldNameTheSubjectStrategy() {
    assertEquals(
        SubjectNameStrategy.TOPIC_RECORD,
        Configuration.defaultsOnly()
            .with("schema.registry.subject.name.strategy", "topic_record")
            .schemaRegistrySettings()
            .subjectNameStrategy());
  }
}

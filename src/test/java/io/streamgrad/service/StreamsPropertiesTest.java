package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.stream.StreamSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
  private static Object transactionTimeout(long commitIntervalMs) {
    return StreamsProperties.of(
            "app",
            "127.0.0.1:9092",
            StreamsConfig.EXACTLY_ONCE_V2,
            commitIntervalMs,
            StreamSettings.defaults())
        .get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
  }

  @Test
  void shouldKeepTheTransactionTimeoutShortSoACrashStallsReadersBriefly() {
    // A killed instance's open transaction blocks read_committed readers until it times out.
    assertEquals(10_000, transactionTimeout(300));
    assertEquals(10_000, transactionTimeout(1_000));
  }

  @Test
  void shouldKeepTheTransactionTimeoutWellAboveALongCommitInterval() {
    assertEquals(50_000, transactionTimeout(5_000));
  }

  private static Object applicationServer(Configuration config) {
    ServiceSettings settings = config.with("http.port", "8081").serviceSettings();
    return StreamsProperties.forService(settings, "/state")
        .get(StreamsConfig.APPLICATION_SERVER_CONFIG);
  }

  @Test
  void shouldAdvertiseTheBoundAddressWhenNoOtherIsGiven() {
    assertEquals("127.0.0.1:8081", applicationServer(Configuration.defaultsOnly()));
  }

  @Test
  void shouldAdvertiseTheAdvertisedHostWithTheBoundPort() {
    assertEquals(
        "node-1.example:8081",
        applicationServer(
            Configuration.defaultsOnly()
                .with("http.host", "0.0.0.0")
                .with("http.advertised.host", "node-1.example")));
  }

  @Test
  void shouldAdvertiseTheAdvertisedPortInsteadOfTheBoundOne() {
    assertEquals(
        "node-1.example:30081",
        applicationServer(
            Configuration.defaultsOnly()
                .with("http.advertised.host", "node-1.example")
                .with("http.advertised.port", "30081")));
  }

  @Test
  void shouldGiveTheChangelogsAsManyReplicasAsTheCreatedTopics() {
    ServiceSettings settings =
        Configuration.defaultsOnly().with("topics.replication.factor", "3").serviceSettings();
    assertEquals(
        3,
        StreamsProperties.forService(settings, "/state")
            .get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
  }

  @Test
  void shouldLeaveTheReplicationToTheBrokersByDefault() {
    ServiceSettings settings = Configuration.defaultsOnly().serviceSettings();
    assertEquals(
        -1,
        StreamsProperties.forService(settings, "/state")
            .get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
  }

  @Test
  void shouldRefuseAReplicationFactorOfZero() {
    Configuration.InvalidSetting e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Configuration.InvalidSetting.class,
            () ->
                Configuration.defaultsOnly()
                    .with("topics.replication.factor", "0")
                    .serviceSettings());
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("setting topics.replication.factor=0 is out of range"),
        e.getMessage());
  }
}

package io.streamgrad.service;

import io.streamgrad.stream.StreamSettings;
import java.util.Map;

/**
 * Every setting of a running service, checked and typed, as {@link Configuration} resolved them.
 *
 * @param bootstrapServers the Kafka brokers, or empty to start an embedded broker
 * @param guarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param commitIntervalMs also the checkpoint interval of every model
 * @param partitions and {@code replicationFactor}: for the topics the service creates
 * @param httpHost the address the HTTP API binds to
 * @param httpPort 0 for any free port
 * @param advertisedHost the host other instances forward requests to, or empty for {@code httpHost}
 * @param advertisedPort the port other instances forward requests to, or 0 for {@code httpPort}
 * @param stateDir Kafka Streams' state directory, or empty for a temporary one deleted at exit
 * @param kafkaPassThrough the {@code kafka.*} settings without their prefix, for every client
 */
public record ServiceSettings(
    String applicationId,
    String bootstrapServers,
    String guarantee,
    long commitIntervalMs,
    int partitions,
    short replicationFactor,
    int standbyReplicas,
    int streamThreads,
    boolean createTopics,
    String httpHost,
    int httpPort,
    String advertisedHost,
    int advertisedPort,
    String stateDir,
    StreamSettings stream,
    Map<String, String> kafkaPassThrough) {

  public ServiceSettings {
    kafkaPassThrough = Map.copyOf(kafkaPassThrough);
  }

  /**
   * Kafka Streams' {@code application.server}: where the other instances send a request for a model
   * this one owns. The bound address is no use to them when it is a wildcard such as {@code
   * 0.0.0.0}, or a container's own address, hence the advertised host and port.
   */
  public String applicationServer() {
    String host = advertisedHost.isEmpty() ? httpHost : advertisedHost;
    int port = advertisedPort == 0 ? httpPort : advertisedPort;
    return host + ":" + port;
  }

  public ServiceSettings withBootstrapServers(String servers) {
    return new ServiceSettings(
        applicationId,
        servers,
        guarantee,
        commitIntervalMs,
        partitions,
        replicationFactor,
        standbyReplicas,
        streamThreads,
        createTopics,
        httpHost,
        httpPort,
        advertisedHost,
        advertisedPort,
        stateDir,
        stream,
        kafkaPassThrough);
  }

  public ServiceSettings withHttpPort(int port) {
    return new ServiceSettings(
        applicationId,
        bootstrapServers,
        guarantee,
        commitIntervalMs,
        partitions,
        replicationFactor,
        standbyReplicas,
        streamThreads,
        createTopics,
        httpHost,
        port,
        advertisedHost,
        advertisedPort,
        stateDir,
        stream,
        kafkaPassThrough);
  }

  public ServiceSettings withStateDir(String dir) {
    return new ServiceSettings(
        applicationId,
        bootstrapServers,
        guarantee,
        commitIntervalMs,
        partitions,
        replicationFactor,
        standbyReplicas,
        streamThreads,
        createTopics,
        httpHost,
        httpPort,
        advertisedHost,
        advertisedPort,
        dir,
        stream,
        kafkaPassThrough);
  }
}

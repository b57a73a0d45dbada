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
 * @param httpPort 0 for any free port
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
    String stateDir,
    StreamSettings stream,
    Map<String, String> kafkaPassThrough) {

  public ServiceSettings {
    kafkaPassThrough = Map.copyOf(kafkaPassThrough);
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
        dir,
        stream,
        kafkaPassThrough);
  }
}

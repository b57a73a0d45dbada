package io.streamgrad.stream;

import io.streamgrad.records.ConfluentWire;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology, a pure function of the settings (tests build the same one): one source over the
 * samples and models topics, the learner processor with its model store, and four sinks.
 *
 * <p>Specs and samples share one source so that they are co-partitioned: the spec of model m and
 * its samples land in the same task when both topics have the same partition count and producers
 * use Kafka's default (murmur2) partitioner; within a task, records of the two topics are
 * interleaved by timestamp among the records fetched. A sample of a model whose spec has not
 * arrived yet waits in a second store (see WaitingRoom) until it does, so a new model's spec comes
 * first whatever order the two topics are fetched in; Kafka Streams' own task idling, which would
 * re-check the idle models partition before every record, is off (max.task.idle.ms=-1): see
 * BENCHMARKS.md, "Kafka settings that matter".
 */
public final class StreamgradTopology {
  private StreamgradTopology() {}

  /** The topology with Kafka Streams' defaults (for TopologyTestDriver). */
  public static Topology build(StreamSettings settings) {
    return build(settings, new StreamMetrics(), new Topology());
  }

  /**
   * The topology under the given Streams configuration (so that e.g. processor.wrapper.class
   * applies).
   */
  public static Topology build(
      StreamSettings settings, StreamMetrics metrics, Properties streamsProperties) {
    return build(settings, metrics, streamsProperties, ConfluentWire.none());
  }

  /**
   * The topology under the given Streams configuration, reading and writing the Confluent wire
   * format with the registry of wire.
   */
  public static Topology build(
      StreamSettings settings,
      StreamMetrics metrics,
      Properties streamsProperties,
      ConfluentWire wire) {
    return build(
        settings,
        metrics,
        new Topology(new TopologyConfig(new StreamsConfig(streamsProperties))),
        wire);
  }

  private static Topology build(StreamSettings settings, StreamMetrics metrics, Topology topology) {
    return build(settings, metrics, topology, ConfluentWire.none());
  }

  private static Topology build(
      StreamSettings settings, StreamMetrics metrics, Topology topology, ConfluentWire wire) {
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    topology.addSource(
        "inputs",
        bytesIn,
        bytesIn,
        settings.samplesTopic(),
        settings.modelsTopic(),
        settings.labels().labelsTopic());
    topology.addProcessor("learner", () -> new LearnerProcessor(settings, metrics, wire), "inputs");
    topology.addStateStore(
        new WriteBehindStoreBuilder<>(
            StreamSettings.STORE, ModelStore::new, changelogConfig(settings)),
        "learner");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StreamSettings.WAITING_STORE),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withCachingDisabled()
            .withLoggingEnabled(
                Map.of("max.message.bytes", String.valueOf(settings.maxRecordBytes() + 64 * 1024))),
        "learner");
    // The pending store's changelog records are those of an in-memory key-value store (it replaced
    // one): an existing deployment's pending-labels changelog restores into it.
    topology.addStateStore(
        new WriteBehindStoreBuilder<>(
            StreamSettings.PENDING_STORE,
            PendingStore::new,
            Map.of("max.message.bytes", String.valueOf(settings.maxRecordBytes() + 64 * 1024))),
        "learner");
    topology.addSink(
        LearnerProcessor.OUTCOMES,
        settings.labels().outcomesTopic(),
        bytesOut,
        bytesOut,
        "learner");
    topology.addSink(
        LearnerProcessor.PREDICTIONS, settings.predictionsTopic(), bytesOut, bytesOut, "learner");
    topology.addSink(LearnerProcessor.LOSS, settings.lossTopic(), bytesOut, bytesOut, "learner");
    topology.addSink(
        LearnerProcessor.DEAD_LETTERS, settings.deadLettersTopic(), bytesOut, bytesOut, "learner");
    topology.addSink(
        LearnerProcessor.EVENTS, settings.eventsTopic(), bytesOut, bytesOut, "learner");
    return topology;
  }

  /**
   * The changelog holds one record per model per commit. Big models need a record limit above the
   * default 1 MB; frequent compaction keeps restore from reading every old snapshot.
   */
  static Map<String, String> changelogConfig(StreamSettings settings) {
    return Map.of(
        "max.message.bytes", String.valueOf(settings.maxModelBytes()),
        "segment.bytes", String.valueOf(64 * 1024 * 1024),
        "min.cleanable.dirty.ratio", "0.1",
        "max.compaction.lag.ms", String.valueOf(10 * 60 * 1000),
        "segment.ms", String.valueOf(10 * 60 * 1000));
  }
}

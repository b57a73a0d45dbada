package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.Event;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.records.SampleDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events topic: spec events from the processor, drift and divergence from the learner. */
class EventsTopologyTest {
  static final String DRIFTING =
      """
      {"model": "d", "layers": [{"in": 2, "out": 8, "activation": "tanh"},
       {"in": 8, "out": 1, "activation": "identity"}], "loss": "l2",
       "optimizer": {"type": "sgd", "learning_rate": 0.05}, "seed": 7,
       "drift": {"detector": "adwin"}, "on_drift": "reset_model", "divergence": {"window": 50}}
      """;

  private final SampleDecoder sampleCodec = new SampleDecoder();
  private final OutputDecoder decoder = new OutputDecoder().readingRegistry(OwnSchemas.wire());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> models;
  private TestOutputTopic<byte[], byte[]> events;

  void start(StreamSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    driver =
        new TopologyTestDriver(
            StreamgradTopology.build(settings, new StreamMetrics(), props, OwnSchemas.wire()),
            props);
    ByteArraySerializer out = new ByteArraySerializer();
    samples = driver.createInputTopic(settings.samplesTopic(), out, out);
    models = driver.createInputTopic(settings.modelsTopic(), out, out);
    events =
        driver.createOutputTopic(
            settings.eventsTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** y = x0 + x1/2 until the change, then 1 − y: the concept flips. */
  static List<Sample> flipping(int length, int change) {
    SplittableRandom random = new SplittableRandom(1);
    List<Sample> list = new ArrayList<>();
    for (int t = 0; t < length; t++) {
      double[] x = random.doubles(2, -1, 1).toArray();
      double y = x[0] + 0.5 * x[1];
      list.add(new Sample("s" + t, x, new double[] {t < change ? y : 1 - y}, 0));
    }
    return list;
  }

  private List<Event> readEvents() {
    List<Event> read = new ArrayList<>();
    while (!events.isEmpty()) {
      TestRecord<byte[], byte[]> record = events.readRecord();
      Event event = decoder.event(record.value());
      assertEquals(event.getModel(), new String(record.key(), StandardCharsets.UTF_8));
      read.add(event);
    }
    return read;
  }

  @Test
  void shouldSayWhenASpecIsAppliedResetAndDeleted() {
    start(StreamSettings.defaults().withOutputFormat(OutputFormat.JSON));
    String spec = DRIFTING.replace("\"seed\": 7", "\"version\": 1, \"seed\": 7");
    models.pipeInput(bytes("d"), bytes(spec), 1000L);
    models.pipeInput(bytes("d"), bytes(spec), 1001L); // the same spec again: nothing happens
    for (Sample sample : flipping(10, 10)) {
      samples.pipeInput(bytes("d"), sampleCodec.encodeAvro(sample), 1002L);
    }
    models.pipeInput(bytes("d"), bytes(spec.replace("\"version\": 1", "\"version\": 2")), 1003L);
    models.pipeInput(bytes("d"), null, 1004L);
    models.pipeInput(bytes("d"), null, 1005L); // nothing left to delete: no event
    List<Event> read = readEvents();
    assertEquals(
        List.of("SPEC_APPLIED", "SPEC_RESET", "SPEC_DELETED"),
        read.stream().map(Event::getType).toList());
    assertEquals(List.of(1000L, 1003L, 1004L), read.stream().map(Event::getTime).toList());
    Event reset = read.get(1);
    assertEquals(2, reset.getVersion());
    assertEquals(
        Map.of("previous_version", 1.0, "previous_steps", 10.0, "previous_samples", 10.0),
        reset.getEvidence());
    assertEquals(0L, reset.getStep());
    assertEquals(2, read.get(2).getVersion());
  }

  @Test
  void shouldSayWhenTheDefaultSpecIsApplied() {
    start(
        StreamSettings.defaults()
            .withDefaultSpec(ModelFile.parse(DRIFTING))
            .withEventsTopic("my.events"));
    samples.pipeInput(bytes("new-one"), sampleCodec.encodeAvro(flipping(1, 1).get(0)), 5L);
    List<Event> read = readEvents();
    assertEquals(1, read.size());
    assertEquals("SPEC_APPLIED", read.get(0).getType());
    assertEquals("new-one", read.get(0).getModel());
    assertTrue(read.get(0).getMessage().contains("default spec"), read.get(0).getMessage());
  }

  @Test
  void shouldEmitTheLearnersDriftEventsAsTheOfflineLearnerMakesThem() {
    for (OutputFormat format : OutputFormat.values()) {
      start(StreamSettings.defaults().withOutputFormat(format));
      models.pipeInput(bytes("d"), bytes(DRIFTING), 0L);
      Learner offline = Learner.create(ModelFile.parse(DRIFTING), StatsSettings.DEFAULT);
      List<Event> expected = new ArrayList<>();
      long time = 1;
      for (Sample sample : flipping(3000, 1500)) {
        samples.pipeInput(bytes("d"), sampleCodec.encodeAvro(sample), time);
        offline.learn(sample);
        for (LearnerEvent event : offline.takeEvents()) {
          expected.add(OutputRecords.event("d", event, time));
        }
        time++;
      }
      List<Event> read = readEvents();
      assertEquals("SPEC_APPLIED", read.get(0).getType());
      List<Event> learnt = read.subList(1, read.size());
      assertEquals(expected, learnt, format.name());
      assertEquals(
          1,
          learnt.stream().filter(e -> e.getType().equals("DRIFT_DETECTED")).count(),
          "one drift: " + learnt);
      Event drift =
          learnt.stream().filter(e -> e.getType().equals("DRIFT_DETECTED")).findFirst().get();
      assertEquals("reset_model", drift.getReaction());
      assertTrue(drift.getStep() > 1500 && drift.getStep() < 1650, "step " + drift.getStep());
      ModelStore store = (ModelStore) driver.getStateStore(StreamSettings.STORE);
      assertEquals(offline.modelFile(), store.get("d").modelFile());
      driver.close();
    }
    start(StreamSettings.defaults()); // for the @AfterEach
  }
}

package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.CommandRun;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.LocalResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that talk to Kafka, through the real entry point: what they say and the exit code,
 * on one embedded broker for the tests that need one, and on a closed port or a host that does not
 * resolve for the ones that must fail fast.
 */
class CommandsIT {
  /** Short, so that a test of the unreachable case costs seconds; the default is 15 s. */
  private static final String TIMEOUT = "3s";

  /** The timeout, plus the time to build and close a client on a busy machine. */
  private static final Duration WITHIN = Duration.ofSeconds(12);

  private static final String SPEC =
      "{\"model\": \"%s\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
          + " \"loss\": \"l2\"}";

  private static EmbeddedBroker broker;

  @TempDir Path dir;

  @BeforeAll
  static void startBrokerAndCreateTopics() {
    broker = EmbeddedBroker.start();
    CommandRun topics = CommandRun.of("topics", "--bootstrap-servers", broker.bootstrapServers());
    assertEquals(ExitCodes.OK, topics.code(), topics.said());
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private Path samples() throws Exception {
    Path samples = dir.resolve("s.jsonl");
    Files.writeString(
        samples,
        "{\"id\": \"1\", \"features\": [1, 2], \"label\": 3}\n"
            + "{\"id\": \"2\", \"features\": [2, 1], \"label\": 0}\n"
            + "{\"id\": \"3\", \"features\": [0, 1], \"label\": 1}\n");
    return samples;
  }

  private Path spec(String name, String text) throws Exception {
    Path spec = dir.resolve(name);
    Files.writeString(spec, text);
    return spec;
  }

  /** How many committed records of topic have this key, read to the end of every partition. */
  private static long committedRecordsWithKey(String topic, String key) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.readCommittedConsumer(broker.bootstrapServers(), Map.of())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertTrue(System.nanoTime() < deadline, "read " + topic + " to its end in time");
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() != null
              && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            count++;
          }
        }
      }
      return count;
    }
  }

  private static void assertUnreachable(CommandRun run, String servers) {
    assertEquals(ExitCodes.UNREACHABLE, run.code(), run.said());
    assertTrue(run.err().contains(servers), "names the servers: " + run.said());
    assertTrue(run.took().compareTo(WITHIN) < 0, "gave up within the timeout: " + run.said());
  }

  private static String closedPort() {
    return "127.0.0.1:" + LocalResources.freePort();
  }

  @Test
  void shouldCountTheSamplesTheBrokerAcknowledged() throws Exception {
    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--model",
            "acknowledged",
            "--samples",
            samples().toString());

    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(run.err().contains("delivered 3 of 3 samples for model 'acknowledged'"), run.said());
    assertEquals(3, committedRecordsWithKey("streamgrad.samples", "acknowledged"));
  }

  @Test
  void shouldSendTheSamplesOfAnAvroContainerFile() throws Exception {
    Path avro = dir.resolve("s.avro");
    try (var out = Files.newOutputStream(avro)) {
      io.streamgrad.records.SampleAvroFile.write(
          io.streamgrad.records.SampleFile.readAll(samples(), "label"), out);
    }
    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--model",
            "from-avro",
            "--samples",
            avro.toString());

    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(run.err().contains("delivered 3 of 3 samples for model 'from-avro'"), run.said());
    assertEquals(3, committedRecordsWithKey("streamgrad.samples", "from-avro"));
  }

  @Test
  void shouldDeliverNothingToAMissingTopicAndSayHowToCreateIt() throws Exception {
    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--timeout",
            TIMEOUT,
            "--model",
            "m",
            "--topic",
            "no-such-topic",
            "--samples",
            samples().toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("topic no-such-topic does not exist"), run.said());
    assertTrue(
        run.err().contains("streamgrad topics --bootstrap-servers " + broker.bootstrapServers()),
        run.said());
    assertTrue(run.took().compareTo(WITHIN) < 0, "quickly: " + run.said());
  }

  @Test
  void shouldSendNothingWhenTheSpecIsInvalid() throws Exception {
    Path spec = spec("invalid.json", "{\"model\": \"invalid-spec\", \"loss\": \"l2\"}");

    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--model",
            "invalid-spec",
            "--spec",
            spec.toString(),
            "--samples",
            samples().toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("spec file " + spec + " is invalid: layers"), run.said());
    assertEquals(0, committedRecordsWithKey("streamgrad.models", "invalid-spec"));
    assertEquals(0, committedRecordsWithKey("streamgrad.samples", "invalid-spec"));
  }

  @Test
  void shouldSendNothingWhenTheSpecIsForAnotherModel() throws Exception {
    Path spec = spec("other.json", String.format(SPEC, "other-model"));

    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--model",
            "mismatch",
            "--spec",
            spec.toString(),
            "--samples",
            samples().toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(
        run.err().contains("spec file " + spec + " is for model 'other-model', not for --model"),
        run.said());
    assertEquals(0, committedRecordsWithKey("streamgrad.models", "mismatch"));
    assertEquals(0, committedRecordsWithKey("streamgrad.samples", "mismatch"));
  }

  @Test
  void shouldGiveUpOnAClosedPortWithinTheTimeoutWhenProducing() throws Exception {
    String servers = closedPort();
    assertUnreachable(
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            servers,
            "--timeout",
            TIMEOUT,
            "--model",
            "m",
            "--samples",
            samples().toString()),
        servers);
  }

  @Test
  void shouldGiveUpOnAClosedPortWithinTheTimeoutWhenLoading() {
    String servers = closedPort();
    assertUnreachable(
        CommandRun.of(
            "load", "--bootstrap-servers", servers, "--timeout", TIMEOUT, "--seconds", "1"),
        servers);
  }

  @Test
  void shouldGiveUpOnAClosedPortWithinTheTimeoutWhenTailing() {
    String servers = closedPort();
    assertUnreachable(
        CommandRun.of("tail", "--bootstrap-servers", servers, "--timeout", TIMEOUT), servers);
  }

  @Test
  void shouldGiveUpOnAClosedPortWithinTheTimeoutWhenCreatingTopics() {
    String servers = closedPort();
    assertUnreachable(
        CommandRun.of("topics", "--bootstrap-servers", servers, "--timeout", TIMEOUT), servers);
  }

  @Test
  void shouldGiveUpOnAClosedPortWithinTheTimeoutWhenRunning() {
    String servers = closedPort();
    assertUnreachable(
        CommandRun.of(
            "run", "--bootstrap-servers", servers, "--timeout", TIMEOUT, "--http-port", "0"),
        servers);
  }

  @Test
  void shouldNameAnUnresolvableHostWhenProducing() throws Exception {
    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            "no-such-host.invalid:9092",
            "--timeout",
            TIMEOUT,
            "--model",
            "m",
            "--samples",
            samples().toString());

    assertUnreachable(run, "no-such-host.invalid:9092");
    assertTrue(run.err().contains("cannot resolve"), run.said());
  }

  @Test
  void shouldNameAnUnresolvableHostWhenRunning() {
    CommandRun run =
        CommandRun.of(
            "run",
            "--bootstrap-servers",
            "no-such-host.invalid:9092",
            "--timeout",
            TIMEOUT,
            "--http-port",
            "0");

    assertUnreachable(run, "no-such-host.invalid:9092");
    assertTrue(run.err().contains("cannot resolve"), run.said());
  }
}

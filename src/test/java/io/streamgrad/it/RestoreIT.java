package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/**
 * A cold restore of a large model, watched from outside: not ready while the changelog is read back
 * (with the partition's progress in /health/ready, /metrics and the dashboard's status), ready once
 * it is, and the model then exactly the one checkpointed before the restart. The broker's fetch
 * quota slows the restore enough to be seen by a client polling every few milliseconds.
 */
class RestoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "big";
  // Fewer checkpoints than fill one 64 MB changelog segment: the segment stays active, so the log
  // cleaner cannot compact it away and the restore reads every checkpoint, whatever the timing.
  private static final int CHECKPOINTS = 12;
  private static final int SAMPLES_PER_CHECKPOINT = 4;

  @Test
  void shouldBeUnreadyWhileRestoringAndShowTheProgressEverywhere() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Configuration config =
          Configuration.defaultsOnly()
              .with("bootstrap.servers", broker.bootstrapServers())
              .with("application.id", "restore-it")
              .with("commit.interval.ms", "100")
              // One checkpoint per fetch, so the fetch quota spaces them out instead of letting
              // the first fetch take the whole changelog in one burst.
              .with("kafka.restore.consumer.max.partition.fetch.bytes", "1024")
              .with("http.port", "0");
      String checkpointed = trainAndStop(config, broker.bootstrapServers());
      // Slow enough that the restore outlasts the dashboard watcher's connection and first
      // status events (every 250 ms) on a quiet machine, not only /health/ready's 20 ms polls.
      throttleFetches(broker.bootstrapServers(), 1_000_000);

      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (Instance restarted =
          Instance.start(config, new PrintStream(log, true, StandardCharsets.UTF_8))) {
        int port = restarted.httpPort();
        AtomicReference<JsonNode> dashboardRestoring = new AtomicReference<>();
        Thread dashboard = watchDashboard(port, dashboardRestoring);
        JsonNode unready = null;
        int unreadyStatus = 0;
        String metricsWhileRestoring = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        HttpResponse<String> ready = ItSupport.get(port, "/health/ready");
        while (ready.statusCode() != 200) {
          assertTrue(System.nanoTime() < deadline, "never ready: " + ready.body());
          JsonNode body = JSON.readTree(ready.body());
          if (body.get("restoring").size() > 0) {
            unready = body;
            unreadyStatus = ready.statusCode();
            String metrics = ItSupport.get(port, "/metrics").body();
            if (metrics.contains("streamgrad_restore_partitions_active 1.0")) {
              metricsWhileRestoring = metrics;
            }
          }
          Thread.sleep(20);
          ready = ItSupport.get(port, "/health/ready");
        }
        dashboard.interrupt();

        assertTrue(unready != null, "never seen unready with a restore in progress");
        assertEquals(503, unreadyStatus, unready.toString());
        JsonNode partition = unready.get("restoring").get(0);
        assertTrue(partition.get("restored").asLong() <= partition.get("total").asLong());
        assertTrue(partition.get("total").asLong() >= CHECKPOINTS / 2, unready.toString());
        assertTrue(metricsWhileRestoring != null, "/metrics never showed the restore");
        assertTrue(
            metricsWhileRestoring.contains("streamgrad_restore_records_remaining{"),
            metricsWhileRestoring);
        assertTrue(dashboardRestoring.get() != null, "the dashboard never showed the restore");
        assertEquals(
            partition.get("store").asText(), dashboardRestoring.get().get(0).get("store").asText());

        assertEquals(0, JSON.readTree(ready.body()).get("restoring").size());
        String metrics = ItSupport.get(port, "/metrics").body();
        assertTrue(metrics.contains("streamgrad_restore_partitions_active 0.0"), metrics);
        assertTrue(metrics.contains("streamgrad_restore_partitions_completed_total"), metrics);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("restored store"), log.toString());
        assertEquals(
            checkpointed,
            ItSupport.awaitModel(
                port, MODEL, CHECKPOINTS * SAMPLES_PER_CHECKPOINT, Duration.ofSeconds(60)));
      }
    }
  }

  /**
   * Trains a 784-128-10 Adam model (about 2.5 MB of learner state) over many commits, so that its
   * changelog holds many checkpoints; returns its model file as served before the stop.
   */
  private static String trainAndStop(Configuration config, String bootstrap) throws Exception {
    try (Instance first =
        Instance.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      first.awaitRunning(Duration.ofSeconds(60));
      ObjectNode adam = (ObjectNode) JSON.readTree(ModelFile.sketch(MODEL, "784-128-10"));
      adam.putObject("optimizer").put("type", "adam").put("learning_rate", 0.001);
      String spec = JSON.writeValueAsString(adam);
      try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
        producer.send(new ProducerRecord<>("streamgrad.models", utf8(MODEL), utf8(spec)));
        for (int c = 0; c < CHECKPOINTS; c++) {
          for (int s = 0; s < SAMPLES_PER_CHECKPOINT; s++) {
            int n = c * SAMPLES_PER_CHECKPOINT + s;
            producer.send(new ProducerRecord<>("streamgrad.samples", utf8(MODEL), utf8(sample(n))));
          }
          producer.flush();
          Thread.sleep(150); // longer than commit.interval.ms: one checkpoint per round
        }
      }
      return ItSupport.awaitModel(
          first.httpPort(), MODEL, CHECKPOINTS * SAMPLES_PER_CHECKPOINT, Duration.ofSeconds(120));
    }
  }

  private static String sample(int n) {
    StringBuilder json = new StringBuilder("{\"id\":\"s").append(n).append("\",\"features\":[");
    for (int i = 0; i < 784; i++) {
      json.append(i > 0 ? "," : "").append(((n * 31 + i * 7) % 17) / 17.0);
    }
    return json.append("],\"label\":").append(n % 10).append('}').toString();
  }

  /** A default fetch quota for every client: the restore reads the changelog at this rate. */
  private static void throttleFetches(String bootstrap, long bytesPerSecond) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of())) {
      Map<String, String> defaultClient = new java.util.HashMap<>();
      defaultClient.put(ClientQuotaEntity.CLIENT_ID, null);
      admin
          .alterClientQuotas(
              List.of(
                  new ClientQuotaAlteration(
                      new ClientQuotaEntity(defaultClient),
                      List.of(
                          new ClientQuotaAlteration.Op(
                              "consumer_byte_rate", (double) bytesPerSecond)))))
          .all()
          .get();
    }
  }

  /** Reads the dashboard's event stream, keeping the first non-empty restore list it shows. */
  private static Thread watchDashboard(int port, AtomicReference<JsonNode> restoring) {
    Thread thread =
        new Thread(
            () -> {
              try {
                HttpResponse<InputStream> events =
                    HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/events"))
                                .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                  String event = "";
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("event: ")) {
                      event = line.substring(7);
                    } else if (line.startsWith("data: ") && event.equals("status")) {
                      JsonNode list = JSON.readTree(line.substring(6)).get("restoring");
                      if (list.size() > 0 && restoring.get() == null) {
                        restoring.set(list);
                      }
                    }
                  }
                }
              } catch (Exception stopped) {
                // the test is over, or the instance closed the stream
              }
            },
            "dashboard-watch");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

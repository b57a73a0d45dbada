package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.Promtool;
import io.streamgrad.avro.LossReport;
import io.streamgrad.service.RestoreProgress;
import io.streamgrad.stream.StreamMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final Map<MetricName, Metric> kafka = new LinkedHashMap<>();
  private final Map<String, LossReport> reports = new LinkedHashMap<>();
  private Set<String> owned = Set.of("iris", "digits");
  private final StreamMetrics metrics = new StreamMetrics();

  @Test
  void shouldExportModelCountsAsCountersWithTotalSuffix() throws Exception {
    reports.put("iris", report("iris", 150));
    String text = scrape();
    assertTrue(text.contains("# TYPE streamgrad_model_samples_total counter"), text);
    assertTrue(text.contains("streamgrad_model_samples_total{model=\"iris\"} 150.0"), text);
    assertTrue(text.contains("streamgrad_model_steps_total{model=\"iris\"} 140.0"), text);
    assertTrue(text.contains("streamgrad_model_refused_steps_total{model=\"iris\"} 2.0"), text);
    assertTrue(text.contains("# TYPE streamgrad_model_mean_loss gauge"), text);
  }

  @Test
  void shouldExportQualityMetricsAndTheLearningRateAsGauges() throws Exception {
    reports.put("iris", report("iris", 150));
    String text = scrape();
    for (String gauge :
        new String[] {
          "streamgrad_model_learning_rate{model=\"iris\"} 0.01",
          "streamgrad_model_accuracy{model=\"iris\"} 0.9",
          "streamgrad_model_window_accuracy{model=\"iris\"} 0.95",
          "streamgrad_model_log_loss{model=\"iris\"} 0.31",
          "streamgrad_model_window_log_loss{model=\"iris\"} 0.2",
          "streamgrad_model_macro_f1{model=\"iris\"} 0.88",
          "streamgrad_model_window_macro_f1{model=\"iris\"} 0.93",
          "streamgrad_model_window_roc_auc{model=\"iris\"} 0.97"
        }) {
      assertTrue(text.contains(gauge + "\n"), gauge + " in\n" + text);
      String name = gauge.substring(0, gauge.indexOf('{'));
      assertTrue(text.contains("# TYPE " + name + " gauge"), name);
    }
    assertFalse(
        text.contains("streamgrad_model_mae{"), "a classifier has no regression metrics: " + text);
  }

  @Test
  void shouldExportPerModelSeriesOnlyForModelsThisInstanceOwns() throws Exception {
    reports.put("iris", report("iris", 150));
    reports.put("digits", report("digits", 10));
    owned = Set.of("digits");
    String text = scrape();
    assertTrue(text.contains("streamgrad_model_samples_total{model=\"digits\"} 10.0"), text);
    assertFalse(text.contains("model=\"iris\""), text);
  }

  @Test
  void shouldExportEachKafkaMetricAsItsOwnMetricWithTagsAsLabels() throws Exception {
    put("stream-thread-metrics", "process-rate", Map.of("thread-id", "t-1"), 12.5);
    String text = scrape();
    assertTrue(
        text.contains("# TYPE kafka_streams_stream_thread_metrics_process_rate gauge"), text);
    assertTrue(
        text.contains("kafka_streams_stream_thread_metrics_process_rate{thread_id=\"t-1\"} 12.5"),
        text);
  }

  @Test
  void shouldExportKafkaCumulativeMetricsAsCounters() throws Exception {
    put("stream-thread-metrics", "process-total", Map.of("thread-id", "t-1"), 40.0);
    String text = scrape();
    assertTrue(
        text.contains("# TYPE kafka_streams_stream_thread_metrics_process_total counter"), text);
    assertTrue(
        text.contains("kafka_streams_stream_thread_metrics_process_total{thread_id=\"t-1\"} 40.0"),
        text);
  }

  @Test
  void shouldSkipKafkaMetricsWhoseValueIsNotAFiniteNumber() throws Exception {
    put("app-info", "version", Map.of("client-id", "c"), "4.4.0");
    put("stream-thread-metrics", "commit-latency-max", Map.of("thread-id", "t"), Double.NaN);
    put("stream-thread-metrics", "poll-ratio", Map.of("thread-id", "t"), Double.NEGATIVE_INFINITY);
    String text = scrape();
    assertFalse(text.contains("version"), text);
    assertFalse(text.contains("commit_latency_max"), text);
    assertFalse(text.contains("poll_ratio"), text);
  }

  @Test
  void shouldConvertKafkaMetricsWithAnAbbreviatedUnitToSeconds() throws Exception {
    put("producer-metrics", "io-time-ns-avg", Map.of("client-id", "p"), 2_000_000.0);
    put("producer-metrics", "txn-commit-time-ns-total", Map.of("client-id", "p"), 3e9);
    put("app-info", "start-time-ms", Map.of("client-id", "p"), 1500.0);
    String text = scrape();
    assertTrue(
        text.contains("kafka_streams_producer_metrics_io_time_avg_seconds{client_id=\"p\"} 0.002"),
        text);
    assertTrue(
        text.contains(
            "kafka_streams_producer_metrics_txn_commit_time_seconds_total{client_id=\"p\"} 3.0"),
        text);
    assertTrue(
        text.contains("kafka_streams_app_info_start_time_seconds{client_id=\"p\"} 1.5"), text);
  }

  @Test
  void shouldRenameKafkaGaugesThatEndInAReservedSuffix() throws Exception {
    put("consumer-metrics", "connection-count", Map.of("client-id", "c"), 3.0);
    String text = scrape();
    assertTrue(text.contains("kafka_streams_consumer_metrics_connection_count_value{"), text);
  }

  @Test
  void shouldKeepOneSeriesWhenTwoKafkaMetricsSanitizeToTheSameNameAndLabels() throws Exception {
    put("g", "a-b", Map.of("t", "1"), 1.0);
    put("g", "a_b", Map.of("t", "1"), 2.0);
    String text = scrape();
    assertEquals(1, text.lines().filter(l -> l.startsWith("kafka_streams_g_a_b{")).count(), text);
  }

  @Test
  void shouldWriteTheSameTextForTheSameMetricsInAnyOrder() throws Exception {
    put("stream-task-metrics", "process-rate", Map.of("task-id", "0_1", "thread-id", "t"), 1.0);
    put("stream-task-metrics", "process-rate", Map.of("task-id", "0_0", "thread-id", "t"), 2.0);
    String first = scrape();
    Map<MetricName, Metric> copy = Map.copyOf(kafka);
    List<MetricName> names = new ArrayList<>(kafka.keySet());
    Collections.reverse(names);
    kafka.clear();
    names.forEach(name -> kafka.put(name, copy.get(name)));
    assertEquals(first, scrape());
  }

  @Test
  void shouldCountDriftsAndDivergencesPerModelOnlyForModelsThisInstanceOwns() throws Exception {
    metrics.event("iris", io.streamgrad.learn.LearnerEvent.Type.DRIFT_DETECTED);
    metrics.event("iris", io.streamgrad.learn.LearnerEvent.Type.DRIFT_DETECTED);
    metrics.event("digits", io.streamgrad.learn.LearnerEvent.Type.DIVERGENCE_DETECTED);
    metrics.event("other", io.streamgrad.learn.LearnerEvent.Type.DIVERGENCE_DETECTED);
    metrics.event("iris", io.streamgrad.learn.LearnerEvent.Type.SPEC_APPLIED);
    String text = scrape();
    assertTrue(text.contains("# TYPE streamgrad_model_drifts_total counter"), text);
    assertTrue(text.contains("streamgrad_model_drifts_total{model=\"iris\"} 2.0"), text);
    assertTrue(text.contains("streamgrad_model_divergences_total{model=\"digits\"} 1.0"), text);
    assertFalse(text.contains("model=\"other\""), text);
    assertFalse(text.contains("streamgrad_model_drifts_total{model=\"digits\"}"), text);
  }

  @Test
  void shouldCountUnnamedFieldsPerModelOnlyForModelsThisInstanceOwns() throws Exception {
    metrics.unnamedFields("iris", 3);
    metrics.unnamedFields("iris", 2);
    metrics.unnamedFields("other", 1);
    String text = scrape();
    assertTrue(text.contains("# TYPE streamgrad_model_unnamed_fields_total counter"), text);
    assertTrue(text.contains("streamgrad_model_unnamed_fields_total{model=\"iris\"} 5.0"), text);
    assertFalse(text.contains("model=\"other\""), text);
  }

  @Test
  void shouldPassPromtoolWithoutComplaint() throws Exception {
    metrics.event("iris", io.streamgrad.learn.LearnerEvent.Type.DRIFT_DETECTED);
    metrics.event("iris", io.streamgrad.learn.LearnerEvent.Type.DIVERGENCE_DETECTED);
    reports.put("iris", report("iris", 150));
    reports.put(
        "digits",
        LossReport.newBuilder(report("digits", 10))
            .setAccuracy(null)
            .setMae(1.5)
            .setWindowMae(1.25)
            .setRmse(2.0)
            .setWindowRmse(1.75)
            .setR2(-0.5)
            .setWindowR2(0.25)
            .build());
    put("stream-thread-metrics", "process-rate", Map.of("thread-id", "t-1"), 12.5);
    put("stream-thread-metrics", "process-total", Map.of("thread-id", "t-1"), 40.0);
    put("consumer-metrics", "connection-count", Map.of("client-id", "c"), 3.0);
    put("stream-state-metrics", "put-rate", Map.of("in-memory-state-id", "models"), 1.0);
    put("stream-state-metrics", "put-rate", Map.of("rocksdb-state-id", "waiting"), 2.0);
    put("producer-metrics", "io-time-ns-avg", Map.of("client-id", "p"), 2_000_000.0);
    put("producer-metrics", "txn-commit-time-ns-total", Map.of("client-id", "p"), 3e9);
    Promtool.assertClean(scrape());
  }

  @Test
  void shouldExportRestoresNowAndSinceStartPassingPromtool() throws Exception {
    RestoreProgress restores =
        new RestoreProgress(new PrintStream(OutputStream.nullOutputStream()));
    TopicPartition done = new TopicPartition("app-models-changelog", 0);
    TopicPartition running = new TopicPartition("app-models-changelog", 3);
    restores.onRestoreStart(done, "models", 0, 40);
    restores.onBatchRestored(done, "models", 40, 40);
    restores.onRestoreEnd(done, "models", 40);
    restores.onRestoreStart(running, "models", 100, 350);
    restores.onBatchRestored(running, "models", 200, 100);
    MetricsEndpoint endpoint =
        new MetricsEndpoint(Map::of, new StreamMetrics(), Map::of, model -> false)
            .withRestores(restores);
    String text = new String(endpoint.scrape(), StandardCharsets.UTF_8);
    assertTrue(text.contains("streamgrad_restore_records_total 140.0"), text);
    assertTrue(text.contains("streamgrad_restore_partitions_completed_total 1.0"), text);
    assertTrue(text.contains("streamgrad_restore_partitions_active 1.0"), text);
    assertTrue(
        text.contains(
            "streamgrad_restore_records_remaining{partition=\"3\",store=\"models\","
                + "topic=\"app-models-changelog\"} 150.0"),
        text);
    Promtool.assertClean(text);
  }

  @Test
  void shouldCountPredictRequestsByStatusAndWhoAnswered() throws Exception {
    PredictCounts counts = new PredictCounts();
    counts.count(200, PredictCounts.AnsweredBy.THIS_INSTANCE);
    counts.count(200, PredictCounts.AnsweredBy.THIS_INSTANCE);
    counts.count(400, PredictCounts.AnsweredBy.THIS_INSTANCE);
    counts.count(200, PredictCounts.AnsweredBy.OWNER);
    MetricsEndpoint endpoint =
        new MetricsEndpoint(Map::of, new StreamMetrics(), Map::of, model -> false)
            .withPredictions(counts);
    String text = new String(endpoint.scrape(), StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "streamgrad_predict_requests_total{answered_by=\"this_instance\",code=\"200\"} 2.0"),
        text);
    assertTrue(
        text.contains(
            "streamgrad_predict_requests_total{answered_by=\"this_instance\",code=\"400\"} 1.0"),
        text);
    assertTrue(
        text.contains("streamgrad_predict_requests_total{answered_by=\"owner\",code=\"200\"} 1.0"),
        text);
    Promtool.assertClean(text);
  }

  private String scrape() throws Exception {
    MetricsEndpoint endpoint =
        new MetricsEndpoint(() -> Map.copyOf(reports), metrics, () -> kafka, owned::contains);
    return new String(endpoint.scrape(), StandardCharsets.UTF_8);
  }

  private void put(String group, String name, Map<String, String> tags, Object value) {
    MetricName metricName = new MetricName(name, group, "", tags);
    kafka.put(
        metricName,
        new Metric() {
          @Override
          public MetricName metricName() {
            return metricName;
          }

          @Override
          public Object metricValue() {
            return value;
          }
        });
  }

  private static LossReport report(String model, long samples) {
    return LossReport.newBuilder()
        .setModel(model)
        .setVersion(1)
        .setSamples(samples)
        .setLabelled(samples)
        .setSteps(samples - 10)
        .setRefusedSteps(2)
        .setMeanLoss(0.5)
        .setEwmaLoss(0.4)
        .setWindowLoss(0.3)
        .setErrorRate(0.1)
        .setWindowErrorRate(null)
        .setLearningRate(0.01)
        .setAccuracy(0.9)
        .setWindowAccuracy(0.95)
        .setLogLoss(0.31)
        .setWindowLogLoss(0.2)
        .setMacroF1(0.88)
        .setWindowMacroF1(0.93)
        .setWindowRocAuc(0.97)
        .setTime(0)
        .build();
  }
}

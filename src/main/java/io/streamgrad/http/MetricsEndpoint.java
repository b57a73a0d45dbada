package io.streamgrad.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.stream.StreamMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * GET /metrics in the Prometheus text format, written by Prometheus' own client library: per model
 * (from the loss topic) samples, steps, refused steps, running losses and error rates; dead letters
 * by reason and records processed by this instance; and Kafka Streams' own metrics (process rate,
 * commit latency, records lag, …).
 */
final class MetricsEndpoint {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  MetricsEndpoint(LossFeed feed, StreamMetrics metrics, KafkaStreams streams) {
    modelGauge(
        feed, "streamgrad_model_samples", "Samples a model has seen", r -> (double) r.getSamples());
    modelGauge(
        feed,
        "streamgrad_model_labelled_samples",
        "Labelled samples a model has scored",
        r -> (double) r.getLabelled());
    modelGauge(
        feed,
        "streamgrad_model_steps",
        "Optimizer steps a model has taken",
        r -> (double) r.getSteps());
    modelGauge(
        feed,
        "streamgrad_model_refused_steps",
        "Steps refused for a non-finite loss or gradient",
        r -> (double) r.getRefusedSteps());
    modelGauge(
        feed,
        "streamgrad_model_mean_loss",
        "Mean progressive-validation loss over all time",
        LossReport::getMeanLoss);
    modelGauge(
        feed,
        "streamgrad_model_ewma_loss",
        "Exponentially weighted mean loss",
        LossReport::getEwmaLoss);
    modelGauge(
        feed,
        "streamgrad_model_window_loss",
        "Mean loss over the recent window",
        LossReport::getWindowLoss);
    modelGauge(
        feed,
        "streamgrad_model_error_rate",
        "Zero-one error rate of a classifier over all time",
        LossReport::getErrorRate);
    modelGauge(
        feed,
        "streamgrad_model_window_error_rate",
        "Zero-one error rate over the recent window",
        LossReport::getWindowErrorRate);
    CounterWithCallback.builder()
        .name("streamgrad_dead_letters")
        .help("Records sent to the dead-letter topic by this instance")
        .labelNames("reason")
        .callback(
            cb -> {
              for (ReasonCode reason : ReasonCode.values()) {
                cb.call(metrics.deadLetters(reason), reason.name());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_samples_processed")
        .help("Sample records processed by this instance")
        .callback(cb -> cb.call(metrics.samples()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_predictions")
        .help("Predictions emitted by this instance")
        .callback(cb -> cb.call(metrics.predictions()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_samples_waiting_for_spec")
        .help(
            "Samples of models without a spec, waiting for it in this instance's tasks (unknown.model.wait.ms)")
        .callback(cb -> cb.call(metrics.waiting()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_kafka_streams")
        .help(
            "Kafka Streams' own metrics (thread, task and store level), by group, name and client/thread/task")
        .labelNames("group", "name", "tags")
        .callback(
            cb -> {
              for (Metric metric : streams.metrics().values()) {
                Object value = metric.metricValue();
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                  // All of the metric's tags (thread, task, store, ...) in one label: unique per
                  // metric.
                  String tags = new TreeMap<>(metric.metricName().tags()).toString();
                  cb.call(
                      number.doubleValue(),
                      metric.metricName().group(),
                      metric.metricName().name(),
                      tags);
                }
              }
            })
        .register(registry);
  }

  private void modelGauge(
      LossFeed feed, String name, String help, Function<LossReport, Double> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("model")
        .callback(
            cb ->
                feed.latest()
                    .forEach(
                        (model, report) -> {
                          Double v = value.apply(report);
                          if (v != null) {
                            cb.call(v, model);
                          }
                        }))
        .register(registry);
  }

  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }
}

package io.streamgrad.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.service.RestoreProgress;
import io.streamgrad.service.SchemaRegistryClient;
import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * GET /metrics in the Prometheus text format, written by Prometheus' own client library and named
 * by Prometheus' rules (counters end in {@code _total}, gauges only for values that go up and
 * down): per model (from the loss topic, exported only by the instance that owns the model, so that
 * a sum over instances counts each model once) samples, steps, refused steps, running losses, error
 * rates, quality metrics and the learning rate; dead letters by reason, samples, specs and
 * predictions processed by this instance; and Kafka Streams' own metrics, one Prometheus metric
 * each. Every name is listed in docs/metrics.md.
 */
final class MetricsEndpoint {
  /** Prefix of Kafka Streams' own metrics, so they can never clash with Streamgrad's. */
  static final String KAFKA_PREFIX = "kafka_streams_";

  /**
   * At most this many Kafka Streams series per scrape: their number grows with threads, tasks and
   * stores, and a scrape must stay bounded whatever the deployment.
   */
  static final int MAX_KAFKA_SERIES = 20_000;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  MetricsEndpoint(LossFeed feed, StreamMetrics metrics, KafkaStreams streams) {
    this(feed::latest, metrics, streams::metrics, owner(streams));
  }

  /**
   * @param latest the latest loss report of every model, of every instance
   * @param kafkaMetrics Kafka Streams' own metrics
   * @param owns whether this instance owns a model (its active task holds the model's partition)
   */
  MetricsEndpoint(
      Supplier<Map<String, LossReport>> latest,
      StreamMetrics metrics,
      Supplier<Map<MetricName, ? extends Metric>> kafkaMetrics,
      Predicate<String> owns) {
    registry.register(new ModelCollector(latest, owns));
    CounterWithCallback.builder()
        .name("streamgrad_dead_letters_total")
        .help("Records sent to the dead-letter topic by this instance, by reason code")
        .labelNames("reason")
        .callback(
            cb -> {
              for (ReasonCode reason : ReasonCode.values()) {
                cb.call((double) metrics.deadLetters(reason), reason.name());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_samples_processed_total")
        .help("Sample records processed by this instance")
        .callback(cb -> cb.call((double) metrics.samples()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_specs_processed_total")
        .help("Model spec records (and tombstones) processed by this instance")
        .callback(cb -> cb.call((double) metrics.specs()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_predictions_total")
        .help("Predictions emitted by this instance")
        .callback(cb -> cb.call((double) metrics.predictions()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_model_drifts_total")
        .help(
            "Drift events emitted for a model by this instance (exported by the model's owner only)")
        .labelNames("model")
        .callback(cb -> metrics.drifts().forEach((model, n) -> ownedOnly(cb, owns, model, n)))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_model_divergences_total")
        .help(
            "Divergence events emitted for a model by this instance (exported by the model's owner"
                + " only)")
        .labelNames("model")
        .callback(cb -> metrics.divergences().forEach((model, n) -> ownedOnly(cb, owns, model, n)))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_labels_processed_total")
        .help(
            "Label records processed by this instance (labels topic, and labels on the samples topic)")
        .callback(cb -> cb.call((double) metrics.labels()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_outcomes_total")
        .help("Outcomes emitted by this instance: labels applied to their pending samples")
        .callback(cb -> cb.call((double) metrics.outcomes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_samples_pending_labels")
        .help("Samples waiting for their labels in this instance's tasks (label_wait_ms)")
        .callback(cb -> cb.call((double) metrics.pending()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_model_unnamed_fields_total")
        .help(
            "Fields of a model's named samples that none of its inputs names, ignored, by this"
                + " instance (exported by the model's owner only)")
        .labelNames("model")
        .callback(
            cb -> metrics.unnamedFields().forEach((model, n) -> ownedOnly(cb, owns, model, n)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_samples_waiting_for_spec")
        .help(
            "Samples of models without a spec, waiting for it in this instance's tasks"
                + " (unknown.model.wait.ms)")
        .callback(cb -> cb.call((double) metrics.waiting()))
        .register(registry);
    registry.register(new KafkaStreamsCollector(kafkaMetrics));
  }

  /**
   * Whether this instance owns a model: the partition of the model's key in the models store is one
   * of this instance's active tasks. Read from metadataForLocalThreads() rather than comparing
   * activeHost() with our own address, because with http.port=0 the advertised address
   * (application.server) is not the one we listen on. The topology has one sub-topology, so a
   * task's partition number is the partition of every topic and store it holds.
   */
  private static Predicate<String> owner(KafkaStreams streams) {
    StringSerializer serializer = new StringSerializer();
    return model -> {
      KeyQueryMetadata key = streams.queryMetadataForKey(StreamSettings.STORE, model, serializer);
      // Unknown during a rebalance (NOT_AVAILABLE has partition -1): no instance claims the model
      // until its task is assigned again.
      if (key == null || key.partition() < 0) {
        return false;
      }
      for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
        for (TaskMetadata task : thread.activeTasks()) {
          if (task.taskId().partition() == key.partition()) {
            return true;
          }
        }
      }
      return false;
    };
  }

  /** Adds the restores of this instance from their changelogs: now, and since it started. */
  /** The schema registry's health as this instance saw it: up or not, failed lookups. */
  MetricsEndpoint withSchemaRegistry(SchemaRegistryClient client) {
    GaugeWithCallback.builder()
        .name("streamgrad_schema_registry_up")
        .help(
            "1 while the schema registry answers this instance's lookups, 0 while a lookup it"
                + " needs fails (processing waits for it)")
        .callback(cb -> cb.call(client.outage().isPresent() ? 0 : 1))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_schema_registry_failures_total")
        .help("Schema lookups that found no registry to answer, each attempt counted")
        .callback(cb -> cb.call((double) client.failures()))
        .register(registry);
    return this;
  }

  MetricsEndpoint withRestores(RestoreProgress restores) {
    CounterWithCallback.builder()
        .name("streamgrad_restore_records_total")
        .help("Changelog records restored into this instance's stores since it started")
        .callback(cb -> cb.call((double) restores.restoredTotal()))
        .register(registry);
    CounterWithCallback.builder()
        .name("streamgrad_restore_partitions_completed_total")
        .help("Store partitions whose restore from the changelog ran to its end on this instance")
        .callback(cb -> cb.call((double) restores.partitionsCompleted()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_restore_partitions_active")
        .help("Store partitions being restored from their changelogs on this instance now")
        .callback(cb -> cb.call(restores.restoring().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamgrad_restore_records_remaining")
        .help(
            "Changelog records still to restore, per store partition being restored now (an upper"
                + " bound: offsets, which under exactly-once include transaction markers)")
        .labelNames("store", "topic", "partition")
        .callback(
            cb -> {
              for (RestoreProgress.Restoring r : restores.restoring()) {
                cb.call(
                    (double) Math.max(0, r.total() - r.restored()),
                    r.store(),
                    r.topic(),
                    String.valueOf(r.partition()));
              }
            })
        .register(registry);
    return this;
  }

  /** Adds the predict requests this instance answered. */
  MetricsEndpoint withPredictions(PredictCounts counts) {
    CounterWithCallback.builder()
        .name("streamgrad_predict_requests_total")
        .help(
            "POST /models/{id}/predict requests answered by this instance, by HTTP status and by"
                + " who computed the answer (this_instance, or the owner it was forwarded to)")
        .labelNames("code", "answered_by")
        .callback(
            cb ->
                counts
                    .snapshot()
                    .forEach(
                        (key, count) ->
                            cb.call(
                                (double) count,
                                String.valueOf(key.status()),
                                key.answeredBy().label())))
        .register(registry);
    return this;
  }

  private static void ownedOnly(
      CounterWithCallback.Callback cb, Predicate<String> owns, String model, long count) {
    if (owns.test(model)) {
      cb.call((double) count, model);
    }
  }

  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }

  /**
   * The per-model series from the loss feed. One collector for all of them, so that ownership is
   * decided once per model per scrape and every series of a model agrees on it. A new version of a
   * model restarts its counts at zero, which Prometheus' rate() reads as a counter reset.
   */
  private static final class ModelCollector implements MultiCollector {
    private record Counter(String name, String help, ToDoubleFunction<LossReport> value) {}

    private record Gauge(String name, String help, Function<LossReport, Double> value) {}

    private static final List<Counter> COUNTERS =
        List.of(
            new Counter(
                "streamgrad_model_samples", "Samples a model has seen", LossReport::getSamples),
            new Counter(
                "streamgrad_model_labelled_samples",
                "Labelled samples a model has scored",
                LossReport::getLabelled),
            new Counter(
                "streamgrad_model_steps",
                "Optimizer steps a model has taken",
                LossReport::getSteps),
            new Counter(
                "streamgrad_model_refused_steps",
                "Steps refused for a non-finite loss or gradient",
                LossReport::getRefusedSteps),
            new Counter(
                "streamgrad_model_delayed_labels",
                "Labels applied to samples predicted earlier (label_wait_ms)",
                LossReport::getDelayedLabels),
            new Counter(
                "streamgrad_model_expired_samples",
                "Pending samples whose label did not come within label_wait_ms",
                LossReport::getExpired),
            new Counter(
                "streamgrad_model_dropped_samples",
                "Pending samples dropped to keep a task within label.pending.max.bytes",
                LossReport::getDropped));

    private static final List<Gauge> GAUGES =
        List.of(
            new Gauge(
                "streamgrad_model_pending_samples",
                "Samples of the model waiting for their labels",
                report -> (double) report.getPending()),
            new Gauge(
                "streamgrad_model_label_delay_mean_ms",
                "Mean delay of the labels applied to pending samples, in ms",
                LossReport::getLabelDelayMeanMs),
            new Gauge(
                "streamgrad_model_label_delay_p99_ms",
                "99th percentile of the delay of the labels applied to pending samples, in ms",
                LossReport::getLabelDelayP99Ms),
            new Gauge(
                "streamgrad_model_mean_loss",
                "Mean progressive-validation loss over all time",
                LossReport::getMeanLoss),
            new Gauge(
                "streamgrad_model_ewma_loss",
                "Exponentially weighted mean loss",
                LossReport::getEwmaLoss),
            new Gauge(
                "streamgrad_model_window_loss",
                "Mean loss over the recent window",
                LossReport::getWindowLoss),
            new Gauge(
                "streamgrad_model_error_rate",
                "Zero-one error rate of a classifier over all time",
                LossReport::getErrorRate),
            new Gauge(
                "streamgrad_model_window_error_rate",
                "Zero-one error rate over the recent window",
                LossReport::getWindowErrorRate),
            new Gauge(
                "streamgrad_model_learning_rate",
                "Learning rate of the model's next optimizer step",
                LossReport::getLearningRate),
            new Gauge(
                "streamgrad_model_mae",
                "Regression: mean absolute error over all time, averaged over outputs",
                LossReport::getMae),
            new Gauge(
                "streamgrad_model_window_mae",
                "Regression: mean absolute error over the recent window",
                LossReport::getWindowMae),
            new Gauge(
                "streamgrad_model_rmse",
                "Regression: root mean squared error over all time, averaged over outputs",
                LossReport::getRmse),
            new Gauge(
                "streamgrad_model_window_rmse",
                "Regression: root mean squared error over the recent window",
                LossReport::getWindowRmse),
            new Gauge(
                "streamgrad_model_r2",
                "Regression: coefficient of determination over all time, averaged over outputs",
                LossReport::getR2),
            new Gauge(
                "streamgrad_model_window_r2",
                "Regression: coefficient of determination over the recent window",
                LossReport::getWindowR2),
            new Gauge(
                "streamgrad_model_accuracy",
                "Classifier: share of right decisions over all time",
                LossReport::getAccuracy),
            new Gauge(
                "streamgrad_model_window_accuracy",
                "Classifier: share of right decisions over the recent window",
                LossReport::getWindowAccuracy),
            new Gauge(
                "streamgrad_model_log_loss",
                "softmax_ce and bce: log loss of the output probabilities over all time",
                LossReport::getLogLoss),
            new Gauge(
                "streamgrad_model_window_log_loss",
                "softmax_ce and bce: log loss over the recent window",
                LossReport::getWindowLogLoss),
            new Gauge(
                "streamgrad_model_macro_f1",
                "Classifier: macro-averaged F1 over all time",
                LossReport::getMacroF1),
            new Gauge(
                "streamgrad_model_window_macro_f1",
                "Classifier: macro-averaged F1 over the recent window",
                LossReport::getWindowMacroF1),
            new Gauge(
                "streamgrad_model_window_roc_auc",
                "Single-output binary classifier: ROC AUC over the recent window",
                LossReport::getWindowRocAuc));

    private final Supplier<Map<String, LossReport>> latest;
    private final Predicate<String> owns;

    ModelCollector(Supplier<Map<String, LossReport>> latest, Predicate<String> owns) {
      this.latest = latest;
      this.owns = owns;
    }

    @Override
    public MetricSnapshots collect() {
      SortedMap<String, LossReport> owned = new TreeMap<>();
      latest
          .get()
          .forEach(
              (model, report) -> {
                if (owns.test(model)) {
                  owned.put(model, report);
                }
              });
      MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
      for (Counter counter : COUNTERS) {
        CounterSnapshot.Builder snapshot =
            CounterSnapshot.builder().name(counter.name()).help(counter.help());
        owned.forEach(
            (model, report) ->
                snapshot.dataPoint(
                    CounterDataPointSnapshot.builder()
                        .labels(Labels.of("model", model))
                        .value(counter.value().applyAsDouble(report))
                        .build()));
        snapshots.metricSnapshot(snapshot.build());
      }
      for (Gauge gauge : GAUGES) {
        GaugeSnapshot.Builder snapshot =
            GaugeSnapshot.builder().name(gauge.name()).help(gauge.help());
        owned.forEach(
            (model, report) -> {
              Double value = gauge.value().apply(report);
              // Null until the model has a value (no labelled sample yet, or not a classifier).
              if (value != null) {
                snapshot.dataPoint(
                    GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("model", model))
                        .value(value)
                        .build());
              }
            });
        snapshots.metricSnapshot(snapshot.build());
      }
      return snapshots.build();
    }

    @Override
    public List<String> getPrometheusNames() {
      List<String> names = new ArrayList<>();
      COUNTERS.forEach(c -> names.add(c.name()));
      GAUGES.forEach(g -> names.add(g.name()));
      return names;
    }
  }

  /**
   * Kafka Streams' own metrics (and those of its consumers, producers and admin client), one
   * Prometheus metric per Kafka metric: named {@code kafka_streams_<group>_<name>}, its tags as
   * labels. Kafka's cumulative metrics (names ending in -total) are counters; everything else
   * (rates, averages, maxima, current values) a gauge. Values that are not a finite number (the
   * version string, a max before any sample) are left out. A unit abbreviated in the name (-ns,
   * -ms) is converted to seconds; other values keep Kafka's unit (a latency without a unit in its
   * name is in ms or ns depending on its group, which the name does not say, so it is not guessed).
   */
  static final class KafkaStreamsCollector implements MultiCollector {
    private static final Pattern UNDERSCORE = Pattern.compile("_");
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    KafkaStreamsCollector(Supplier<Map<MetricName, ? extends Metric>> metrics) {
      this.metrics = metrics;
    }

    /** One Kafka metric in Prometheus' terms. */
    private record Series(String name, boolean counter, String help, Labels labels, double value) {}

    @Override
    public MetricSnapshots collect() {
      // Sorted by Prometheus name, then labels: the same metrics give the same text.
      SortedMap<String, SortedMap<Labels, Series>> byName = new TreeMap<>();
      Map<String, Boolean> kind = new TreeMap<>();
      int count = 0;
      for (Map.Entry<MetricName, ? extends Metric> entry : sorted(metrics.get())) {
        Object value = entry.getValue().metricValue();
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
          continue;
        }
        Series series = series(entry.getKey(), number.doubleValue());
        // Two Kafka metrics can sanitize to one name (a-b and a_b): the first kind wins, and a
        // series whose labels are taken already is dropped, never written twice.
        Boolean counter = kind.putIfAbsent(series.name(), series.counter());
        if (counter != null && counter != series.counter()) {
          continue;
        }
        SortedMap<Labels, Series> points =
            byName.computeIfAbsent(series.name(), n -> new TreeMap<>());
        if (points.putIfAbsent(series.labels(), series) == null && ++count >= MAX_KAFKA_SERIES) {
          break;
        }
      }
      MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
      byName.forEach((name, points) -> snapshots.metricSnapshot(snapshot(name, points)));
      return snapshots.build();
    }

    private static List<Map.Entry<MetricName, ? extends Metric>> sorted(
        Map<MetricName, ? extends Metric> metrics) {
      List<Map.Entry<MetricName, ? extends Metric>> entries = new ArrayList<>(metrics.entrySet());
      entries.sort(
          (a, b) -> {
            MetricName x = a.getKey();
            MetricName y = b.getKey();
            int c = x.group().compareTo(y.group());
            if (c == 0) {
              c = x.name().compareTo(y.name());
            }
            return c != 0
                ? c
                : new TreeMap<>(x.tags()).toString().compareTo(new TreeMap<>(y.tags()).toString());
          });
      return entries;
    }

    private static MetricSnapshot snapshot(String name, SortedMap<Labels, Series> points) {
      Series first = points.values().iterator().next();
      String help = first.help();
      if (first.counter()) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        points
            .values()
            .forEach(
                s ->
                    counter.dataPoint(
                        CounterDataPointSnapshot.builder()
                            .labels(s.labels())
                            .value(s.value())
                            .build()));
        return counter.build();
      }
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
      points
          .values()
          .forEach(
              s ->
                  gauge.dataPoint(
                      GaugeDataPointSnapshot.builder()
                          .labels(s.labels())
                          .value(s.value())
                          .build()));
      return gauge.build();
    }

    /**
     * The Prometheus form of one Kafka metric. A name ending in -total becomes a counter without
     * that suffix (the text format adds _total). A name with an abbreviated unit (-ns, -ms: Kafka's
     * io-time-ns-avg, start-time-ms) is converted to Prometheus' base unit, seconds, with the unit
     * at the end (io_time_avg_seconds). Gauge names that end in a suffix Prometheus reserves for
     * histograms, summaries and counters (_count, _sum, _bucket, _total, _created, _info) get
     * {@code _value} appended, so that no tool mistakes them for one.
     */
    static Series series(MetricName metric, double value) {
      List<String> words = new ArrayList<>(List.of(UNDERSCORE.split(sanitize(metric.name()))));
      words.removeIf(String::isEmpty);
      boolean counter = words.size() > 1 && words.get(words.size() - 1).equals("total");
      if (counter) {
        words.remove(words.size() - 1);
      }
      double scale = 1;
      if (words.remove("ns")) {
        scale = 1e-9;
        words.add("seconds");
      } else if (words.remove("ms")) {
        scale = 1e-3;
        words.add("seconds");
      }
      String name = KAFKA_PREFIX + sanitize(metric.group()) + "_" + String.join("_", words);
      if (!counter && name.matches(".*_(count|sum|bucket|total|created|info)$")) {
        name = name + "_value";
      }
      SortedMap<String, String> tags = new TreeMap<>();
      metric.tags().forEach((key, tagValue) -> tags.put(label(key), tagValue));
      String help =
          metric.description() == null || metric.description().isBlank()
              ? "Kafka metric " + metric.group() + "/" + metric.name()
              : metric.description()
                  + (scale == 1 ? "" : " (converted to seconds)")
                  + " [Kafka metric "
                  + metric.group()
                  + "/"
                  + metric.name()
                  + "]";
      return new Series(
          name,
          counter,
          help,
          Labels.of(new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values())),
          value * scale);
    }

    /** A Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*, never starting with __ (reserved). */
    static String label(String tag) {
      String label = sanitize(tag);
      if (label.isEmpty() || Character.isDigit(label.charAt(0))) {
        label = "_" + label;
      }
      return label.startsWith("__") ? "tag" + label : label;
    }

    /**
     * Every character outside [a-zA-Z0-9_] becomes '_' (':' too: Prometheus keeps it for recording
     * rules), runs of '_' collapse, and upper case becomes lower case: Kafka writes
     * "stream-thread-metrics", Prometheus wants snake_case.
     */
    static String sanitize(String text) {
      StringBuilder out = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        char next = ok ? Character.toLowerCase(c) : '_';
        if (next != '_' || out.length() == 0 || out.charAt(out.length() - 1) != '_') {
          out.append(next);
        }
      }
      return out.toString();
    }

    @Override
    public List<String> getPrometheusNames() {
      // Names depend on the running tasks; none is declared up front, and the kafka_streams_
      // prefix keeps them apart from the names other collectors declare.
      return List.of();
    }
  }
}

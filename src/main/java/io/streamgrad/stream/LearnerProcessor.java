package io.streamgrad.stream;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.Label;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.LastLookup;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.Served;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.LabelDecoder;
import io.streamgrad.records.OutcomeEncoder;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SpecDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The heart of the topology: for a sample, predict-then-train with its model's learner and emit the
 * prediction; for a spec, create, reset (new version) or delete (tombstone) the learner, ignore the
 * same spec sent again, and dead-letter a changed spec under the same version. Anything unusable
 * goes to the dead-letter sink with a reason and touches no model. Loss reports go out every N
 * samples of a model and, from a wall-clock punctuator, at least every T ms while the model learns.
 * Events (a spec applied, reset or deleted; a drift or divergence a learner detected) go to the
 * events sink, in the same transaction as the records that caused them.
 *
 * <p>For a model with {@code label_wait_ms}, an unlabelled sample's served prediction is kept in
 * the pending store ({@link PendingLabels}) until its label comes, on the labels topic or the
 * samples topic; the label is then scored against what was served and trained on, and its outcome
 * goes to the outcomes sink. Every record first lets go of the pending entries whose wait ended
 * before its time.
 */
final class LearnerProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String PREDICTIONS = "predictions-sink";
  static final String LOSS = "loss-sink";
  static final String DEAD_LETTERS = "dead-letters-sink";
  static final String EVENTS = "events-sink";
  static final String OUTCOMES = "outcomes-sink";

  private final StreamSettings settings;
  private final StreamMetrics metrics;

  /** Each sample is learnt before the next is decoded, so one features array serves them all. */
  private final SampleDecoder samples;

  private final SpecDecoder specs;
  private final LabelDecoder labels;

  /** Models that had pending samples released since the last {@link #reportReleases}, in order. */
  private final Set<String> releasedModels = new LinkedHashSet<>();

  private final OutputEncoder encoder;
  private final OutcomeEncoder outcomes;

  /**
   * Samples of each model since its last loss report, as a mutable count (no boxing per sample);
   * not checkpointed: it is cadence, not state (init owes each restored model one report).
   */
  private final Map<String, int[]> sinceReport = new HashMap<>();

  private final LastLookup<String, int[]> countOf =
      new LastLookup<>(model -> sinceReport.computeIfAbsent(model, m -> new int[1]));

  /**
   * The key bytes and model id of the last record: a run of one model's records decodes its key
   * once, and everything downstream sees one String instance for the run ({@link LastLookup}).
   */
  private byte[] lastKey;

  private String lastModel;
  private ProcessorContext<byte[], byte[]> context;
  private ModelStore store;
  private WaitingRoom waiting;
  private PendingLabels pending;

  LearnerProcessor(StreamSettings settings, StreamMetrics metrics) {
    this(settings, metrics, ConfluentWire.none());
  }

  /**
   * @param wire the schema registry for input in the Confluent wire format and the ids of our
   *     output schemas; a registry that cannot be asked for a schema no cache holds makes {@link
   *     #process} throw {@link io.streamgrad.records.SchemaUnavailableException}: the record is
   *     good, so it is not dead-lettered, and the thread's failure aborts the transaction so that
   *     it is processed again from the last commit (docs/schema-registry.md)
   */
  LearnerProcessor(StreamSettings settings, StreamMetrics metrics, ConfluentWire wire) {
    this.settings = settings;
    this.metrics = metrics;
    this.samples = SampleDecoder.reusingFeatures().readingRegistry(wire);
    this.specs = new SpecDecoder().readingRegistry(wire);
    this.labels = new LabelDecoder().readingRegistry(wire);
    this.encoder = new OutputEncoder(settings.outputFormat(), wire);
    this.outcomes = new OutcomeEncoder(settings.outputFormat(), wire);
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(StreamSettings.STORE);
    this.waiting =
        new WaitingRoom(
            context.getStateStore(StreamSettings.WAITING_STORE),
            settings.unknownModelWaitMaxBytes());
    metrics.waiting(waiting.size());
    this.pending =
        new PendingLabels(
            context.<PendingStore>getStateStore(StreamSettings.PENDING_STORE),
            settings.labels().pendingMaxBytes(),
            this::released);
    metrics.pending(pending.pending());
    sinceReport.clear();
    countOf.forget();
    // The samples learnt since a model's last report are not in the changelog: a task taken over
    // (or restarted) after its last commit but before its next report would never report them
    // once the samples stop. So every model restored here is reported once, at the first tick.
    for (String model : store.models()) {
      sinceReport.put(model, new int[] {1});
    }
    context.schedule(
        Duration.ofMillis(settings.lossEveryMs()),
        PunctuationType.WALL_CLOCK_TIME,
        now -> reportDue(now));
    if (settings.unknownModelWaitMs() > 0) {
      // A few checks per wait: a sample leaves at most a quarter of the wait late.
      long every = Math.max(10, Math.min(1000, settings.unknownModelWaitMs() / 4));
      context.schedule(
          Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, now -> expireWaiting(now));
    }
  }

  @Override
  public void close() {
    if (waiting != null) {
      metrics.waiting(
          -waiting.size()); // the task moves on: its waiting samples are counted elsewhere
    }
    if (pending != null) {
      metrics.pending(-pending.pending());
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    pending.advance(record.timestamp());
    reportReleases(record.timestamp());
    try {
      if (record.key() == null) {
        throw new RejectedException(ReasonCode.NULL_KEY, "a record needs a key: the model id");
      }
      // A spec may carry a warm start's weights, as large as a learner state: it has the limit
      // of one (model.max.bytes); samples have input.max.record.bytes.
      boolean spec = source.topic().equals(settings.modelsTopic());
      int limit = spec ? settings.maxModelBytes() : settings.maxRecordBytes();
      if (record.value() != null && record.value().length > limit) {
        throw new RejectedException(
            ReasonCode.RECORD_TOO_LARGE,
            "value of "
                + record.value().length
                + " bytes is over the limit of "
                + limit
                + (spec ? " (model.max.bytes)" : " (input.max.record.bytes)"));
      }
      String model = modelId(record.key());
      if (spec) {
        metrics.spec();
        applySpec(model, record.value(), record.timestamp());
      } else if (source.topic().equals(settings.labels().labelsTopic())
          || labels.isLabel(record.value())) {
        label(
            model,
            labels.decode(record.value()),
            record,
            source.topic(),
            source.partition(),
            source.offset());
      } else {
        metrics.sample();
        learnOrLabel(model, record, source);
      }
    } catch (RejectedException e) {
      deadLetter(record, source.topic(), source.partition(), source.offset(), e);
    }
  }

  /** The key as a model id, re-using the last one's String (and its cached hash) when equal. */
  private String modelId(byte[] key) {
    if (!Arrays.equals(key, lastKey)) {
      lastModel = new String(key, StandardCharsets.UTF_8);
      lastKey = key;
    }
    return lastModel;
  }

  private void applySpec(String model, byte[] value, long timestamp) {
    if (value == null) {
      Learner deleted = store.get(model);
      store.delete(model); // a tombstone deletes the model
      sinceReport.remove(model);
      countOf.forget();
      if (deleted != null) {
        event(model, LearnerEvent.specDeleted(deleted), timestamp);
      }
      return;
    }
    ModelSpec spec = specs.decode(model, value);
    Learner current = store.get(model);
    if (current != null && current.spec().version() == spec.version()) {
      // The same version again (a re-sent spec) must not reset a model that is learning. A
      // changed spec under the same version is not applied either, and says so: dropping it
      // silently would leave its author believing the model trains with the new settings.
      String differs = ModelFile.difference(current.spec(), spec);
      if (differs != null) {
        throw new RejectedException(
            ReasonCode.SPEC_VERSION_CONFLICT,
            "spec for model '"
                + model
                + "' has version "
                + spec.version()
                + ", the version of the current model, but differs from its spec in "
                + differs
                + ": the model keeps its current spec and goes on learning; to replace it (new"
                + " weights, optimizer state and statistics), publish the spec with another"
                + " version");
      }
      return;
    }
    Learner learner = Learner.create(spec, settings.stats());
    store.put(model, learner);
    sinceReport.remove(model);
    countOf.forget();
    event(
        model,
        current == null
            ? LearnerEvent.specApplied(learner, false)
            : LearnerEvent.specReset(current, learner),
        timestamp);
    learnWaiting(model, learner);
  }

  /**
   * A record of the samples topic: a sample, or a JSON label (an id and a label, no features), told
   * apart only when the record does not read as a sample, so that samples pay nothing for it.
   */
  private void learnOrLabel(String model, Record<byte[], byte[]> record, RecordMetadata source) {
    try {
      learn(model, record, source);
    } catch (RejectedException e) {
      Label label =
          e.reason() == ReasonCode.MALFORMED_JSON
              ? labels.labelInSamplesTopic(record.value())
              : null;
      if (label == null) {
        throw e;
      }
      label(model, label, record, source.topic(), source.partition(), source.offset());
    }
  }

  private void learn(String model, Record<byte[], byte[]> record, RecordMetadata source) {
    Sample sample = samples.decode(record.value());
    Learner learner = store.get(model);
    if (learner == null && settings.defaultSpec() != null) {
      learner = Learner.create(settings.defaultSpec().withModel(model), settings.stats());
      store.put(model, learner);
      event(model, LearnerEvent.specApplied(learner, true), record.timestamp());
      learnWaiting(model, learner); // samples that waited before a default spec was configured
    }
    if (learner == null) {
      waitForSpec(model, record, source.topic(), source.partition(), source.offset());
      return;
    }
    train(model, learner, sample, record);
  }

  /**
   * A record (sample or label) of a model with no spec waits for the spec in the waiting room, or
   * is rejected as UNKNOWN_MODEL when it cannot.
   */
  private void waitForSpec(
      String model, Record<byte[], byte[]> record, String topic, int partition, long offset) {
    if (settings.unknownModelWaitMs() == 0) {
      throw unknownModel(model, "no default spec configured");
    }
    WaitingRoom.Waiting waits =
        new WaitingRoom.Waiting(
            model, context.currentSystemTimeMs(), topic, partition, offset, record);
    if (!waiting.admit(waits)) {
      throw unknownModel(
          model,
          "the samples waiting for their specs already fill "
              + settings.unknownModelWaitMaxBytes()
              + " bytes (unknown.model.wait.max.bytes)");
    }
    metrics.waiting(1);
  }

  private RejectedException unknownModel(String model, String why) {
    return new RejectedException(
        ReasonCode.UNKNOWN_MODEL,
        "no spec for model '" + model + "' on " + settings.modelsTopic() + ": " + why);
  }

  /**
   * The samples that waited for this model's spec, in the order they came, before anything newer.
   */
  private void learnWaiting(String model, Learner learner) {
    List<WaitingRoom.Waiting> released = waiting.release(model);
    metrics.waiting(-released.size());
    for (WaitingRoom.Waiting sample : released) {
      try {
        Label label = waitingLabel(sample);
        if (label != null) {
          label(model, label, sample.record(), sample.topic(), sample.partition(), sample.offset());
        } else {
          train(model, learner, samples.decode(sample.record().value()), sample.record());
        }
      } catch (RejectedException e) {
        deadLetter(sample.record(), sample.topic(), sample.partition(), sample.offset(), e);
      }
    }
  }

  /** The label in a record that waited for its spec, or null for a sample. */
  private Label waitingLabel(WaitingRoom.Waiting waiting) {
    byte[] value = waiting.record().value();
    if (waiting.topic().equals(settings.labels().labelsTopic()) || labels.isLabel(value)) {
      return labels.decode(value);
    }
    try {
      samples.decode(value);
      return null;
    } catch (RejectedException e) {
      Label label =
          e.reason() == ReasonCode.MALFORMED_JSON ? labels.labelInSamplesTopic(value) : null;
      if (label == null) {
        throw e;
      }
      return label;
    }
  }

  private void expireWaiting(long now) {
    List<WaitingRoom.Waiting> expired = waiting.expire(now - settings.unknownModelWaitMs());
    metrics.waiting(-expired.size());
    for (WaitingRoom.Waiting sample : expired) {
      deadLetter(
          sample.record(),
          sample.topic(),
          sample.partition(),
          sample.offset(),
          unknownModel(
              sample.model(),
              "none arrived within "
                  + settings.unknownModelWaitMs()
                  + " ms (unknown.model.wait.ms)"));
    }
  }

  private void train(String model, Learner learner, Sample sample, Record<byte[], byte[]> record) {
    long unnamedBefore = learner.unnamedFields();
    LearnResult result = learner.learn(sample);
    if (learner.unnamedFields() != unnamedBefore) {
      metrics.unnamedFields(model, learner.unnamedFields() - unnamedBefore);
    }
    store.markDirty(model);
    context.forward(
        record.withValue(encoder.encodePrediction(model, result, System.currentTimeMillis())),
        PREDICTIONS);
    metrics.prediction();
    for (LearnerEvent event : learner.takeEvents()) {
      event(model, event, record.timestamp());
    }
    long wait = learner.spec().labelWaitMs();
    if (wait > 0 && !sample.isLabelled() && !sample.id().isEmpty()) {
      Served served = learner.served(sample, result, record.timestamp());
      PendingLabels.EarlyLabel early = pending.serve(model, sample.id(), served, wait);
      reportReleases(record.timestamp());
      if (early == null) {
        metrics.pending(1);
      } else {
        applyLabel(model, learner, served, early.label(), early.time(), record);
      }
    }
    if (++countOf.get(model)[0] >= settings.lossEverySamples()) {
      report(model, learner, record.timestamp());
    }
  }

  /**
   * A late label: checked against its model, then matched with its pending sample (applied), or
   * kept until its sample comes, or dead-lettered when its sample is not pending.
   */
  private void label(
      String model,
      Label label,
      Record<byte[], byte[]> record,
      String topic,
      int partition,
      long offset) {
    metrics.label();
    Learner learner = store.get(model);
    if (learner == null) {
      // Its spec may still come (as for a sample): the label waits for it, then for its sample.
      waitForSpec(model, record, topic, partition, offset);
      return;
    }
    long wait = learner.spec().labelWaitMs();
    if (wait == 0) {
      throw new RejectedException(
          ReasonCode.LABEL_NOT_PENDING,
          "label for sample '"
              + label.sampleId()
              + "': model '"
              + model
              + "' keeps no samples for late labels (its label_wait_ms is 0); send the label with"
              + " its sample, or publish the spec with label_wait_ms");
    }
    Rejection rejection = learner.validateLabel(label);
    if (rejection != null) {
      throw new RejectedException(rejection.reason(), rejection.message());
    }
    PendingLabels.Lookup found =
        pending.label(
            model,
            label,
            record.timestamp(),
            wait,
            learner.spec().version(),
            new WaitingOrigin(model, topic, partition, offset, record));
    if (found.notPending() != null) {
      throw new RejectedException(ReasonCode.LABEL_NOT_PENDING, found.notPending());
    }
    if (found.served() != null) {
      metrics.pending(-1);
      applyLabel(model, learner, found.served(), label, record.timestamp(), record);
    }
  }

  /** Scores and trains on a label of a served sample, and emits its outcome. */
  private void applyLabel(
      String model,
      Learner learner,
      Served served,
      Label label,
      long labelTime,
      Record<byte[], byte[]> record) {
    LabelResult result = learner.learnLabel(served, label, labelTime - served.time());
    store.markDirty(model);
    long time = Math.max(labelTime, record.timestamp());
    context.forward(
        new Record<>(
            model.getBytes(StandardCharsets.UTF_8),
            outcomes.encode(model, result, time),
            time,
            record.headers()),
        OUTCOMES);
    metrics.outcome();
    for (LearnerEvent event : learner.takeEvents()) {
      event(model, event, time);
    }
    // A label moves the model as a sample does: it counts towards the next loss report, so that
    // a model whose labels come in a burst after its samples still reports.
    if (++countOf.get(model)[0] >= settings.lossEverySamples()) {
      report(model, learner, time);
    }
  }

  /** A pending entry let go unmatched: counted on its model, or a waiting label dead-lettered. */
  private void released(
      PendingLabels.Release what, String model, String sampleId, Served served, byte[] origin) {
    switch (what) {
      case SAMPLE_EXPIRED, SAMPLE_DROPPED -> {
        metrics.pending(-1);
        Learner learner = store.get(model);
        if (learner != null && learner.spec().version() == served.version()) {
          learner.pendingReleased(what == PendingLabels.Release.SAMPLE_EXPIRED);
          releasedModels.add(model);
          store.markDirty(model);
        }
      }
      case LABEL_EXPIRED, LABEL_DROPPED -> {
        WaitingRoom.Waiting label = WaitingRoom.decode(origin);
        String why =
            what == PendingLabels.Release.LABEL_EXPIRED
                ? "no sample '"
                    + sampleId
                    + "' of model '"
                    + model
                    + "' was served within the model's label_wait_ms after its label came (never"
                    + " seen, dropped from a full pending store, or still to come)"
                : "the label for sample '"
                    + sampleId
                    + "' of model '"
                    + model
                    + "' waited for its sample and was dropped: the task's pending store was full"
                    + " (label.pending.max.bytes)";
        deadLetter(
            label.record(),
            label.topic(),
            label.partition(),
            label.offset(),
            new RejectedException(ReasonCode.LABEL_NOT_PENDING, why));
      }
    }
  }

  /** One event per model for the pending samples the last pass of the store let go of. */
  private void reportReleases(long timestamp) {
    if (releasedModels.isEmpty()) {
      return;
    }
    for (String model : releasedModels) {
      Learner learner = store.get(model);
      if (learner != null && learner.reportPendingReleases()) {
        for (LearnerEvent event : learner.takeEvents()) {
          event(model, event, timestamp);
        }
      }
    }
    releasedModels.clear();
  }

  private void event(String model, LearnerEvent event, long timestamp) {
    context.forward(
        new Record<>(
            model.getBytes(StandardCharsets.UTF_8),
            encoder.encode(OutputRecords.event(model, event, timestamp)),
            timestamp),
        EVENTS);
    metrics.event(model, event.type());
  }

  private void reportDue(long now) {
    for (var entry : Map.copyOf(sinceReport).entrySet()) {
      Learner learner = store.get(entry.getKey());
      if (entry.getValue()[0] > 0 && learner != null) {
        report(entry.getKey(), learner, now);
      }
    }
  }

  private void report(String model, Learner learner, long timestamp) {
    sinceReport.computeIfAbsent(model, m -> new int[1])[0] = 0;
    LossReport lossReport = OutputRecords.lossReport(model, learner, timestamp);
    lossReport.setPending(pending.pending(model));
    context.forward(
        new Record<>(model.getBytes(StandardCharsets.UTF_8), encoder.encode(lossReport), timestamp),
        LOSS);
  }

  private void deadLetter(
      Record<byte[], byte[]> record,
      String topic,
      int partition,
      long offset,
      RejectedException e) {
    DeadLetter letter =
        OutputRecords.deadLetter(
            e.rejection(),
            topic,
            partition,
            offset,
            record.key(),
            record.value(),
            record.timestamp());
    context.forward(record.withValue(encoder.encode(letter)), DEAD_LETTERS);
    metrics.deadLetter(e.reason());
  }
}

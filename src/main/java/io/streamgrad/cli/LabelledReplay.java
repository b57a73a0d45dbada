package io.streamgrad.cli;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.Served;
import io.streamgrad.records.LabelDecoder;
import io.streamgrad.records.SampleDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The offline path of a model whose labels come later: samples and labels in processing order
 * through the same {@link Learner} and {@link PendingLabels} as the stream, with the same rules
 * (docs/topics.md, "Delayed labels"), so that the same order and times give the same bits. A
 * record's time is the stream's record timestamp; in a file it is the record's {@code event_time}.
 */
final class LabelledReplay {
  /** What the replay made of each record. */
  interface Sink {
    void prediction(Sample sample, LearnResult result);

    void outcome(LabelResult result);

    void rejected(String what, String message);

    /** The learner has events that no prediction or outcome carries (pending samples released). */
    void events(long time);
  }

  private final Learner learner;
  private final PendingLabels pending;
  private final Sink sink;
  private final String model;

  LabelledReplay(Learner learner, long pendingMaxBytes, Sink sink) {
    this.learner = learner;
    this.sink = sink;
    this.model = learner.spec().model();
    this.pending = new PendingLabels(PendingLabels.inMemory(), pendingMaxBytes, this::released);
  }

  PendingLabels pending() {
    return pending;
  }

  /** A sample of the samples topic, at its record time. */
  void sample(Sample sample, long time) {
    pending.advance(time);
    reportReleases(time);
    LearnResult result;
    try {
      result = learner.learn(sample);
    } catch (RejectedException e) {
      sink.rejected("sample '" + sample.id() + "'", e.getMessage());
      return;
    }
    sink.prediction(sample, result);
    long wait = learner.spec().labelWaitMs();
    if (wait > 0 && !sample.isLabelled() && !sample.id().isEmpty()) {
      Served served = learner.served(sample, result, time);
      PendingLabels.EarlyLabel early = pending.serve(model, sample.id(), served, wait);
      reportReleases(time);
      if (early != null) {
        sink.outcome(learner.learnLabel(served, early.label(), early.time() - served.time()));
      }
    }
  }

  /** A label, of the labels topic or the samples topic, at its record time. */
  void label(Label label, long time) {
    pending.advance(time);
    reportReleases(time);
    String what = "label for sample '" + label.sampleId() + "'";
    long wait = learner.spec().labelWaitMs();
    if (wait == 0) {
      sink.rejected(what, ReasonCode.LABEL_NOT_PENDING + ": the model's label_wait_ms is 0");
      return;
    }
    Rejection rejection = learner.validateLabel(label);
    if (rejection != null) {
      sink.rejected(what, rejection.reason() + ": " + rejection.message());
      return;
    }
    PendingLabels.Lookup found =
        pending.label(model, label, time, wait, learner.spec().version(), () -> new byte[0]);
    if (found.notPending() != null) {
      sink.rejected(what, ReasonCode.LABEL_NOT_PENDING + ": " + found.notPending());
    } else if (found.served() != null) {
      sink.outcome(learner.learnLabel(found.served(), label, time - found.served().time()));
    }
  }

  private void reportReleases(long time) {
    if (learner.reportPendingReleases()) {
      sink.events(time);
    }
  }

  private void released(
      PendingLabels.Release what, String model, String sampleId, Served served, byte[] origin) {
    switch (what) {
      case SAMPLE_EXPIRED, SAMPLE_DROPPED -> {
        if (served.version() == learner.spec().version()) {
          learner.pendingReleased(what == PendingLabels.Release.SAMPLE_EXPIRED);
        }
      }
      case LABEL_EXPIRED, LABEL_DROPPED ->
          sink.rejected(
              "label for sample '" + sampleId + "'",
              ReasonCode.LABEL_NOT_PENDING
                  + ": "
                  + (what == PendingLabels.Release.LABEL_EXPIRED
                      ? "no such sample came within label_wait_ms"
                      : "dropped: the pending store was full"));
    }
  }

  /**
   * Replays a JSON-lines file of samples and labels (a line with an id and a label and no features
   * is a label), merged with a second file of labels when one is given: by time, a record of the
   * samples file first when two times are equal, each file in its own order.
   */
  void run(Path records, Path labels) throws IOException {
    SampleDecoder samples = new SampleDecoder();
    LabelDecoder labelDecoder = new LabelDecoder();
    try (BufferedReader main = Files.newBufferedReader(records, StandardCharsets.UTF_8);
        BufferedReader extra =
            labels == null ? null : Files.newBufferedReader(labels, StandardCharsets.UTF_8)) {
      Line next = read(main, records, samples, labelDecoder, 0);
      Line nextLabel = extra == null ? null : read(extra, labels, samples, labelDecoder, 0);
      while (next != null || nextLabel != null) {
        if (nextLabel == null || (next != null && next.time() <= nextLabel.time())) {
          apply(next);
          next = read(main, records, samples, labelDecoder, next.number());
        } else {
          apply(nextLabel);
          nextLabel = read(extra, labels, samples, labelDecoder, nextLabel.number());
        }
      }
    }
  }

  private record Line(long number, Sample sample, Label label, long time, String problem) {}

  private void apply(Line line) {
    if (line.problem() != null) {
      sink.rejected("line " + line.number(), line.problem());
    } else if (line.sample() != null) {
      sample(line.sample(), line.time());
    } else {
      label(line.label(), line.time());
    }
  }

  /** The next non-blank line as a sample or a label, or null at the end. */
  private static Line read(
      BufferedReader in, Path file, SampleDecoder samples, LabelDecoder labels, long number)
      throws IOException {
    String text;
    do {
      text = in.readLine();
      number++;
      if (text == null) {
        return null;
      }
    } while (text.isBlank());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      Sample sample = samples.decode(bytes);
      return new Line(number, sample, null, sample.eventTime(), null);
    } catch (RejectedException e) {
      try {
        Label label =
            e.reason() == ReasonCode.MALFORMED_JSON ? labels.labelInSamplesTopic(bytes) : null;
        if (label != null) {
          return new Line(number, null, label, label.eventTime(), null);
        }
      } catch (RejectedException labelProblem) {
        return new Line(
            number, null, null, Long.MIN_VALUE, file + ": " + labelProblem.getMessage());
      }
      return new Line(number, null, null, Long.MIN_VALUE, file + ": " + e.getMessage());
    }
  }
}

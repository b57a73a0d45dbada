package io.streamgrad.cli;

import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputRecords;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code replay} of a model with delayed labels: the progress table, rejections, the summary. */
final class LabelledReplayRun {
  private LabelledReplayRun() {}

  /**
   * Replays the file (and labels file) with the progress table and a summary on stderr.
   *
   * @param predictions where every prediction goes, one JSON object per line, or null
   * @param events where the model's events go, one JSON object per line, or null
   * @return the samples learnt, or -1 when --strict stopped at a record that could not be used
   */
  static long run(
      Learner learner,
      Path samples,
      Path labels,
      long pendingMaxBytes,
      boolean strict,
      Path predictions,
      Path events)
      throws IOException {
    try (PredictionLog log = predictions == null ? null : PredictionLog.open(predictions);
        BufferedWriter eventOut = events == null ? null : Files.newBufferedWriter(events)) {
      return run(learner, samples, labels, pendingMaxBytes, strict, log, eventOut, events);
    }
  }

  private static long run(
      Learner learner,
      Path samples,
      Path labels,
      long pendingMaxBytes,
      boolean strict,
      PredictionLog log,
      BufferedWriter eventOut,
      Path events)
      throws IOException {
    ProgressTable table = new ProgressTable(System.err);
    long[] counts = new long[3]; // predictions, outcomes, rejected
    String[] stop = new String[1];
    LabelledReplay replay =
        new LabelledReplay(
            learner,
            pendingMaxBytes,
            new LabelledReplay.Sink() {
              @Override
              public void prediction(Sample sample, LearnResult result) {
                counts[0]++;
                if (log != null) {
                  log.add(result);
                }
                writeEvents(learner, eventOut, events, sample.eventTime());
                if (table.addLoss(result.loss())) {
                  table.printLine(
                      ProgressTable.cell(null, sample.label()),
                      ProgressTable.cell(result.decision(), result.outputs()));
                }
              }

              @Override
              public void outcome(LabelResult result) {
                counts[1]++;
                writeEvents(learner, eventOut, events, result.served().time() + result.delayMs());
                if (table.addLoss(result.loss())) {
                  table.printLine(
                      ProgressTable.cell(null, result.label()),
                      ProgressTable.cell(result.served().decision(), result.served().outputs()));
                }
              }

              @Override
              public void events(long time) {
                writeEvents(learner, eventOut, events, time);
              }

              @Override
              public void rejected(String what, String message) {
                counts[2]++;
                if (strict && stop[0] == null) {
                  stop[0] = what + ": " + message;
                }
                System.err.println(what + " skipped: " + message);
              }
            });
    replay.run(samples, labels);
    if (stop[0] != null) {
      System.err.println("error: " + stop[0] + " (--strict)");
      return -1;
    }
    System.err.printf(
        Locale.ROOT,
        "%nfinished: %d samples, %d labels applied, %d pending, %d expired, %d dropped,"
            + " %d rejected, %d steps, average loss %.6f%n",
        counts[0],
        counts[1],
        replay.pending().pending(),
        learner.labelStats().expired(),
        learner.labelStats().dropped(),
        counts[2],
        learner.steps(),
        table.averageLoss());
    return counts[0];
  }

  /**
   * Reports the events of the last sample or label on stderr and, when asked, writes them as the
   * events topic's JSON form.
   */
  private static void writeEvents(Learner learner, BufferedWriter out, Path file, long time) {
    for (LearnerEvent event : learner.takeEvents()) {
      System.err.println(
          "sample " + event.sampleId() + ", step " + event.step() + ": " + event.message());
      if (out == null) {
        continue;
      }
      try {
        out.write(
            new String(
                OutputEncoder.json(OutputRecords.event(learner.spec().model(), event, time)),
                StandardCharsets.UTF_8));
        out.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException("events file " + file + " cannot be written: " + e, e);
      }
    }
  }
}

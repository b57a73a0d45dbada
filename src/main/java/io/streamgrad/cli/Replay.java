package io.streamgrad.cli;

import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import io.streamgrad.nn.Decision;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.records.SampleFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The learner offline: samples in file order through the same {@link Learner} the topology runs,
 * with the progress table on a stream, rejected lines reported and skipped (or fatal when strict).
 */
public final class Replay {
  /** What a replay did. */
  public record Summary(
      long samples, long rejected, long refused, double averageLoss, double seconds) {}

  /** Raised in strict mode at the first line that cannot be used. */
  public static final class StrictFailure extends RuntimeException {
    StrictFailure(String message) {
      super(message);
    }
  }

  private final Learner learner;
  private final PrintStream progress;
  private final boolean strict;
  private Path events;

  public Replay(Learner learner, PrintStream progress, boolean strict) {
    this.learner = learner;
    this.progress = progress;
    this.strict = strict;
  }

  /**
   * Also writes the model's events (drift, divergence), one JSON object per line as the events
   * topic's JSON form, each timed with its sample's event time (0 when it has none).
   */
  public Replay withEvents(Path file) {
    this.events = file;
    return this;
  }

  /**
   * Reads the file on a thread of its own ({@link LineFeed}) and writes predictions on another
   * ({@link PredictionLog}); this thread only trains, in file order.
   *
   * @param labelColumn the CSV label column, or null for a file without labels
   * @throws IOException when the samples file cannot be read (SampleFile.MissingLabelColumn when a
   *     CSV file lacks the label column)
   * @throws UncheckedIOException when the predictions cannot be written, naming the file
   */
  public Summary run(Path samples, String labelColumn, Path predictions) throws IOException {
    ProgressTable table = new ProgressTable(progress, true);
    String unit = SampleFile.Format.of(samples).unit();
    long rejected = 0;
    long start = System.nanoTime();
    boolean namedColumns =
        learner.spec().preprocessing() != null && learner.spec().preprocessing().hasInputs();
    try (LineFeed feed = LineFeed.start(samples, labelColumn, namedColumns);
        PredictionLog log = predictions == null ? null : PredictionLog.open(predictions);
        BufferedWriter eventOut = events == null ? null : openEvents(events)) {
      double size = Math.max(1, feed.size());
      for (LineFeed.Batch batch = feed.next(); batch != null; batch = feed.next()) {
        table.done(batch.position() / size);
        for (SampleFile.Line line : batch.lines()) {
          if (line.rejection() != null) {
            rejected++;
            reject(
                unit, line.number(), line.rejection().reason() + ": " + line.rejection().message());
            continue;
          }
          LearnResult result;
          try {
            result = learner.learn(line.sample());
          } catch (RejectedException e) {
            rejected++;
            reject(unit, line.number(), e.getMessage());
            continue;
          }
          if (table.addLoss(result.loss())) {
            table.printLine(
                labelCell(line.sample()), ProgressTable.cell(result.decision(), result.outputs()));
          }
          if (log != null) {
            log.add(result);
          }
          for (LearnerEvent event : learner.takeEvents()) {
            progress.println(
                "sample " + event.sampleId() + ", step " + event.step() + ": " + event.message());
            if (eventOut != null) {
              writeLine(
                  eventOut,
                  new String(
                      OutputEncoder.json(
                          OutputRecords.event(
                              learner.spec().model(), event, line.sample().eventTime())),
                      StandardCharsets.UTF_8),
                  events);
            }
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    table.printLine("", "");
    Summary summary =
        new Summary(
            table.samples(), rejected, learner.stats().refused(), table.averageLoss(), seconds);
    progress.printf(
        Locale.ROOT,
        "%nfinished: %d samples, %d rejected, %d steps (%d refused), "
            + "average loss %.6f%s, %.0f samples/s%n",
        summary.samples(),
        summary.rejected(),
        learner.steps(),
        summary.refused(),
        summary.averageLoss(),
        Double.isNaN(learner.stats().errorRate())
            ? ""
            : String.format(Locale.ROOT, ", error rate %.4f", learner.stats().errorRate()),
        summary.samples() / Math.max(seconds, 1e-9));
    return summary;
  }

  private void reject(String unit, long number, String message) {
    String text = unit + " " + number + " skipped: " + message;
    if (strict) {
      throw new StrictFailure(text);
    }
    progress.println(text);
  }

  private String labelCell(Sample sample) {
    if (!sample.isLabelled()) {
      return "unknown";
    }
    int decided = Decision.ofTarget(learner.architecture(), sample.label());
    return ProgressTable.cell(decided == Decision.NONE ? null : decided, sample.label());
  }

  private static BufferedWriter openEvents(Path file) {
    try {
      return Files.newBufferedWriter(file);
    } catch (IOException e) {
      throw new UncheckedIOException("events file " + file + " cannot be written: " + e, e);
    }
  }

  private static void writeLine(BufferedWriter out, String line, Path file) {
    try {
      out.write(line);
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("events file " + file + " cannot be written: " + e, e);
    }
  }
}

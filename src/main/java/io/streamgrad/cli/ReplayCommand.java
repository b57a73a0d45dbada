package io.streamgrad.cli;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code replay}: the same learner offline, in file order. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Train a model offline on a .jsonl, .csv or .avro file of samples, in file order.")
final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "a model file (docs/model-file.md)")
  Path model;

  @Option(
      names = "--samples",
      required = true,
      description = "FILE.jsonl, FILE.csv or FILE.avro (an Avro container file of Sample records)")
  Path samples;

  @Option(names = "--out", required = true, description = "where to write the trained model file")
  Path out;

  @Option(names = "--predictions", description = "also write every prediction, one JSON per line")
  Path predictions;

  @Option(
      names = "--events",
      description = "also write the model's events (drift, divergence), one JSON per line")
  Path events;

  @Mixin SampleFiles.LabelOptions labels = new SampleFiles.LabelOptions();

  @Option(names = "--strict", description = "stop at the first line that cannot be used")
  boolean strict;

  @Option(
      names = "--ewma-half-life",
      defaultValue = "100",
      description = "samples (default: ${DEFAULT-VALUE})")
  double ewmaHalfLife;

  @Option(
      names = "--loss-window",
      defaultValue = "100",
      description = "samples (default: ${DEFAULT-VALUE})")
  int lossWindow;

  @Option(
      names = "--labels",
      description =
          "a JSON-lines file of labels ({\"id\": ..., \"label\": ..., \"event_time\": ...}) for a"
              + " model with label_wait_ms, merged with the samples file by event_time (docs/topics.md,"
              + " \"Delayed labels\")")
  Path labelsFile;

  @Option(
      names = "--label-pending-max-bytes",
      defaultValue = "268435456",
      description =
          "the pending store's bound, as label.pending.max.bytes (default: ${DEFAULT-VALUE})")
  long pendingMaxBytes;

  @Override
  public Integer call() throws Exception {
    SampleFiles.checkReadable("model file", model);
    ModelSpec spec;
    try {
      spec = ModelFile.parse(Files.readString(model));
    } catch (IllegalArgumentException e) {
      System.err.println("error: model file " + model + " is invalid: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    SampleFiles.checkReadable("samples file", samples);
    String labelColumn = labels.column();
    // Where the results go is checked before training, which may take long, starts.
    SampleFiles.checkWritable("--out model file", out);
    if (predictions != null) {
      SampleFiles.checkWritable("--predictions file", predictions);
    }
    if (events != null) {
      SampleFiles.checkWritable("--events file", events);
    }
    Learner learner = Learner.create(spec, new StatsSettings(ewmaHalfLife, lossWindow));
    if (spec.labelWaitMs() > 0 || labelsFile != null) {
      if (SampleFile.Format.of(samples) != SampleFile.Format.JSON_LINES) {
        System.err.println(
            "error: a model with label_wait_ms (or --labels) replays a .jsonl file of samples and"
                + " labels");
        return ExitCodes.USAGE;
      }
      if (labelsFile != null) {
        SampleFiles.checkReadable("labels file", labelsFile);
      }
      long learnt =
          LabelledReplayRun.run(
              learner, samples, labelsFile, pendingMaxBytes, strict, predictions, events);
      if (learnt < 0) {
        return ExitCodes.FAILURE;
      }
      Files.writeString(out, learner.modelFile());
      System.err.println("model written to " + out);
      return ExitCodes.OK;
    }
    Replay.Summary summary;
    try {
      summary =
          new Replay(learner, System.err, strict)
              .withEvents(events)
              .run(samples, labelColumn, predictions);
    } catch (Replay.StrictFailure e) {
      System.err.println("error: " + e.getMessage() + " (--strict)");
      return ExitCodes.FAILURE;
    } catch (IOException e) {
      throw SampleFiles.failure(samples, e);
    }
    if (summary.samples() == 0) {
      System.err.println(
          "error: no line of samples file "
              + samples
              + " could be used ("
              + summary.rejected()
              + " rejected): no model file written");
      return ExitCodes.FAILURE;
    }
    try {
      Files.writeString(out, learner.modelFile());
    } catch (IOException e) {
      System.err.println("error: --out model file " + out + " could not be written: " + e);
      return ExitCodes.FAILURE;
    }
    System.err.println("model written to " + out);
    return ExitCodes.OK;
  }
}

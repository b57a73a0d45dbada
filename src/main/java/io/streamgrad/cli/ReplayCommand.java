package io.streamgrad.cli;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.service.ExitCodes;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay}: the same learner offline, in file order. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Train a model offline on a .jsonl or .csv file of samples, in file order.")
final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "a model file (docs/model-file.md)")
  Path model;

  @Option(names = "--samples", required = true, description = "FILE.jsonl or FILE.csv")
  Path samples;

  @Option(names = "--out", required = true, description = "where to write the trained model file")
  Path out;

  @Option(names = "--predictions", description = "also write every prediction, one JSON per line")
  Path predictions;

  @Option(
      names = "--label",
      defaultValue = "label",
      description = "CSV label column (default: ${DEFAULT-VALUE})")
  String label;

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

  @Override
  public Integer call() throws Exception {
    ModelSpec spec;
    try {
      spec = ModelFile.parse(Files.readString(model));
    } catch (NoSuchFileException e) {
      System.err.println("error: model file " + model + " does not exist");
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException e) {
      System.err.println("error: model file " + model + " is invalid: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (!Files.isReadable(samples)) {
      System.err.println("error: samples file " + samples + " does not exist or cannot be read");
      return ExitCodes.USAGE;
    }
    Learner learner = Learner.create(spec, new StatsSettings(ewmaHalfLife, lossWindow));
    try {
      new Replay(learner, System.err, strict).run(samples, label, predictions);
    } catch (Replay.StrictFailure e) {
      System.err.println("error: " + e.getMessage() + " (--strict)");
      return ExitCodes.FAILURE;
    }
    Files.writeString(out, learner.modelFile());
    System.err.println("model written to " + out);
    return ExitCodes.OK;
  }
}

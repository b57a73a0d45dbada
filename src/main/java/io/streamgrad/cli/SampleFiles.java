package io.streamgrad.cli;

import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The files of replay and produce: the --label/--no-label choice, and checks that say which file is
 * wrong and how, before any work starts (a typo in --out found after an hour of training costs the
 * hour).
 */
final class SampleFiles {
  /** The label options, shared so that replay and produce read a file the same way. */
  static final class LabelOptions {
    @Option(names = "--label", description = "CSV label column (default: label)")
    String label;

    @Option(
        names = "--no-label",
        description =
            "the CSV file has no label column: every column is a feature, every sample is to"
                + " predict only")
    boolean noLabel;

    /** The label column to read, or null for none. */
    String column() {
      if (noLabel && label != null) {
        throw new CommandFailure(ExitCodes.USAGE, "--label and --no-label exclude each other");
      }
      return noLabel ? null : (label == null ? "label" : label);
    }
  }

  private SampleFiles() {}

  /** Fails (exit 2) unless path is a file this process can read. */
  static void checkReadable(String what, Path path) {
    if (!Files.exists(path)) {
      throw new CommandFailure(ExitCodes.USAGE, what + " " + path + " does not exist");
    }
    if (Files.isDirectory(path)) {
      throw new CommandFailure(ExitCodes.USAGE, what + " " + path + " is a folder, not a file");
    }
    if (!Files.isReadable(path)) {
      throw new CommandFailure(
          ExitCodes.USAGE, what + " " + path + " cannot be read (check its permissions)");
    }
  }

  /** Fails (exit 2) unless path can be written: its folder exists and takes files. */
  static void checkWritable(String what, Path path) {
    Path absolute = path.toAbsolutePath();
    Path folder = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw new CommandFailure(ExitCodes.USAGE, what + " " + path + " is a folder, not a file");
    }
    if (folder != null && !Files.isDirectory(folder)) {
      throw new CommandFailure(
          ExitCodes.USAGE,
          what
              + " "
              + path
              + " cannot be written: its folder "
              + folder
              + (Files.exists(folder) ? " is not a folder" : " does not exist"));
    }
    if (folder != null && !Files.isWritable(folder)) {
      throw new CommandFailure(
          ExitCodes.USAGE,
          what + " " + path + " cannot be written: its folder " + folder + " is not writable");
    }
    if (Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new CommandFailure(
          ExitCodes.USAGE, what + " " + path + " exists and cannot be overwritten");
    }
  }

  /** Reads a samples file; a file that cannot be read as a whole fails (exit 2) naming it. */
  static void read(Path path, String labelColumn, Consumer<SampleFile.Line> consumer) {
    read(path, labelColumn, false, consumer);
  }

  /** As above; with namedColumns, a CSV file's rows are samples of named features. */
  static void read(
      Path path, String labelColumn, boolean namedColumns, Consumer<SampleFile.Line> consumer) {
    try {
      SampleFile.read(path, labelColumn, namedColumns, consumer);
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  /** What went wrong with a whole samples file, as the user can fix it. */
  static CommandFailure failure(Path path, IOException e) {
    if (e instanceof SampleFile.MissingLabelColumn missing) {
      return new CommandFailure(
          ExitCodes.USAGE,
          "samples file "
              + path
              + " has no label column '"
              + missing.column()
              + "' (its columns: "
              + String.join(", ", missing.columns())
              + "): name the label column with --label COLUMN, or pass --no-label for a file"
              + " of samples to predict only");
    }
    return new CommandFailure(
        ExitCodes.USAGE, "samples file " + path + " cannot be read: " + e.getMessage());
  }
}

package io.streamgrad.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code java -jar streamgrad.jar ARGS} in a child process, as a user types it: the
 * jar's own manifest, class path and logging configuration, nothing from the test's class path.
 */
record JarRun(int exitCode, String stdout, String stderr) {

  /** The jar that {@code package} built; failsafe runs after it. */
  static Path builtJar() {
    Path jar = Path.of("target", "streamgrad.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: the integration tests run after `package`");
    }
    return jar;
  }

  /**
   * Runs the jar in {@code workDir} and waits at most {@code timeout}; stdout and stderr go to
   * files there, so that a chatty child never blocks on a full pipe.
   */
  static JarRun run(Path jar, Path workDir, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    // Nothing to type: a command that read stdin would see its end at once, not hang.
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          String.join(" ", command)
              + " did not end within "
              + timeout
              + "\n--- stdout\n"
              + Files.readString(out, StandardCharsets.UTF_8)
              + "\n--- stderr\n"
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new JarRun(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Both streams, for failure messages. */
  String output() {
    return "--- exit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
  }
}

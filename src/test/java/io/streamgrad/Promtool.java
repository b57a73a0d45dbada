package io.streamgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Prometheus' own checker, {@code promtool check metrics}, on a scrape. Debian's {@code prometheus}
 * package ships it and .ci/run installs it; when it is missing the test fails (never skips), so
 * that a machine without it cannot pass the metrics checks by accident.
 */
public final class Promtool {
  private Promtool() {}

  /** Asserts that promtool finds the text valid and has no lint complaint. */
  public static void assertClean(String text) throws IOException, InterruptedException {
    Path promtool = find();
    Process process =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool check metrics did not finish in 60 s");
    }
    assertEquals("", output.strip(), "promtool check metrics complains:\n" + output);
    assertEquals(0, process.exitValue(), "promtool check metrics exit code; output:\n" + output);
  }

  private static Path find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String dir :
        Pattern.compile(Pattern.quote(File.pathSeparator)).splitAsStream(path).toList()) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "promtool is not installed: the /metrics checks need Prometheus' own checker. Install it"
            + " with: sudo apt-get install prometheus (Debian's package ships promtool), or run"
            + " bash .ci/run, which installs it");
  }
}

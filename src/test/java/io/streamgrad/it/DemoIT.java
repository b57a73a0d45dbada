package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, shortened, end to end on its embedded broker: the loss it reports falls, and run from
 * the jar as a user runs it, it prints no error from a logger.
 */
class DemoIT {
  /**
   * A log line at ERROR: slf4j-simple writes "HH:mm:ss.SSS ERROR logger - message", other formats
   * put " ERROR " after a date or thread; the word alone, in capitals. Streamgrad's own messages to
   * the user say "error: ..." in lower case and are not counted.
   */
  private static final Pattern ERROR_LINE = Pattern.compile("(^|\\s)ERROR\\s");

  /** What SLF4J prints when it finds no provider, or several, in the jar. */
  private static final Pattern SLF4J_LINE = Pattern.compile("^SLF4J");

  /** One run for the tests that read it: a demo costs tens of seconds on a shared machine. */
  @TempDir static Path folder;

  private static JarRun fromTheJar;

  @Test
  void shouldShowTheLossFalling() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute("demo", "--passes", "3", "--limit", "600", "--http-port", "0");
    } finally {
      System.setOut(saved);
    }
    String table = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, table);
    Matcher pass =
        Pattern.compile(
                "-- pass \\d: loss topic says (\\d+) samples, \\d+ steps, mean loss ([0-9.]+), "
                    + "recent loss ([0-9.]+), recent error rate ([0-9.]+)")
            .matcher(table);
    List<Double> recentLoss = new ArrayList<>();
    double lastError = 1;
    while (pass.find()) {
      recentLoss.add(Double.parseDouble(pass.group(3)));
      lastError = Double.parseDouble(pass.group(4));
    }
    assertEquals(3, recentLoss.size(), table);
    assertTrue(recentLoss.get(2) < recentLoss.get(0), "recent loss falls: " + recentLoss);
    assertTrue(lastError < 0.5, "error rate well below chance (0.9): " + lastError);
    assertTrue(table.contains("average") && table.contains("since"), table);
  }

  /**
   * The real entry point in a child JVM, from an empty folder: the jar's logging configuration, not
   * the test class path's.
   */
  @BeforeAll
  static void runAShortDemoFromTheJar() throws Exception {
    fromTheJar =
        JarRun.run(
            JarRun.builtJar(),
            folder,
            Duration.ofMinutes(3),
            "demo",
            "--passes",
            "3",
            "--limit",
            "600",
            "--http-port",
            "0");
  }

  @Test
  void shouldLogNoErrorLineFromTheJar() {
    JarRun run = fromTheJar;

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.stdout().contains("-- pass 3:"), run.output());
    List<String> errors = linesMatching(run, ERROR_LINE);
    assertTrue(errors.isEmpty(), "lines at ERROR:\n" + String.join("\n", errors));
  }

  @Test
  void shouldFindOneLoggingProviderInTheJar() {
    JarRun run = fromTheJar;

    assertEquals(0, run.exitCode(), run.output());
    List<String> slf4j = linesMatching(run, SLF4J_LINE);
    assertTrue(slf4j.isEmpty(), "SLF4J's own warnings:\n" + String.join("\n", slf4j));
  }

  private static List<String> linesMatching(JarRun run, Pattern pattern) {
    return Stream.concat(run.stdout().lines(), run.stderr().lines())
        .filter(line -> pattern.matcher(line).find())
        .collect(Collectors.toList());
  }
}

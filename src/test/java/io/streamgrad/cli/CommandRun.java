package io.streamgrad.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One run of the real entry point, Main.execute, with what it printed: the tests check what a user
 * sees (exit code and message), not what a method returns.
 */
public record CommandRun(int code, String out, String err, Duration took) {
  public static CommandRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    int code;
    try {
      code = Main.execute(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new CommandRun(
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** For assertion messages: everything the command said. */
  public String said() {
    return "exit "
        + code
        + " after "
        + took.toMillis()
        + " ms\nstdout:\n"
        + out
        + "stderr:\n"
        + err;
  }
}

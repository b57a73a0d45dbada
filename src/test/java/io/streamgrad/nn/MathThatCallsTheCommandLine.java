package io.streamgrad.nn;

import io.streamgrad.cli.Main;

/** A deliberate layer violation (nn calling cli) that LayersTest must catch. */
public final class MathThatCallsTheCommandLine {
  private MathThatCallsTheCommandLine() {}

  static int run() {
    return Main.execute("--version");
  }
}

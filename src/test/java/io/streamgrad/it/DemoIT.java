package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo, shortened, end to end on its embedded broker: the loss it reports falls. */
class DemoIT {
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
}

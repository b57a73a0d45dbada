package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/streamgrad.jar copied alone into an empty folder runs: every class, service file and
 * resource it needs is inside it (no target/lib, no target/classes, no repository files).
 */
class StandaloneJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path folder;
  private Path jar;

  @BeforeEach
  void copyTheJarAlone() throws Exception {
    jar = folder.resolve("streamgrad.jar");
    Files.copy(JarRun.builtJar(), jar);
  }

  @Test
  void shouldPrintTheVersion() throws Exception {
    JarRun run = JarRun.run(jar, folder, TIMEOUT, "--version");

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.stdout().startsWith("streamgrad "), run.output());
  }

  @Test
  void shouldReplayAFileOfSamples() throws Exception {
    Files.writeString(
        folder.resolve("xor.json"),
        """
        {"format": "streamgrad-model/1", "model": "xor", "version": 1,
         "layers": [{"in": 2, "out": 4, "activation": "tanh"},
                    {"in": 4, "out": 1, "activation": "sigmoid"}],
         "loss": "bce", "optimizer": {"type": "sgd", "learning_rate": 0.1}, "minibatch": 1,
         "seed": 7, "init": "xavier"}
        """);
    List<String> samples = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      int a = random.nextInt(2);
      int b = random.nextInt(2);
      samples.add(
          String.format(
              Locale.ROOT,
              "{\"id\": \"s-%d\", \"features\": [%d, %d], \"label\": %d}",
              i,
              a,
              b,
              a ^ b));
    }
    Files.write(folder.resolve("xor.jsonl"), samples);

    // Relative paths: the files sit beside the jar, as a user's would.
    JarRun run =
        JarRun.run(
            jar,
            folder,
            TIMEOUT,
            "replay",
            "--model",
            "xor.json",
            "--samples",
            "xor.jsonl",
            "--out",
            "trained.json",
            "--strict");

    assertEquals(0, run.exitCode(), run.output());
    Path trained = folder.resolve("trained.json");
    assertTrue(Files.isRegularFile(trained), run.output());
    JsonNode model = new ObjectMapper().readTree(trained.toFile());
    assertEquals("xor", model.get("model").asText(), model.toString());
    assertEquals(200, model.path("steps").asLong(), "one step per sample: " + model);
  }
}

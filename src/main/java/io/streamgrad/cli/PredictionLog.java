package io.streamgrad.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamgrad.learn.LearnResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The predictions of a replay, one JSON object per line, written on a thread of their own so that
 * formatting numbers does not slow training: results pass in batches through a bounded queue, in
 * the order they were made.
 */
final class PredictionLog implements AutoCloseable {
  private static final int BATCH = 256;
  private static final List<LearnResult> END = List.of();

  private final Path path;
  private final BlockingQueue<List<LearnResult>> queue = new ArrayBlockingQueue<>(8);
  private final Thread writer;
  private List<LearnResult> batch = new ArrayList<>(BATCH);
  private volatile IOException failure;

  private PredictionLog(Path path, OutputStream out) {
    this.path = path;
    this.writer = new Thread(() -> writeAll(out), "prediction-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * @throws UncheckedIOException when the file cannot be created, naming it
   */
  static PredictionLog open(Path path) {
    try {
      return new PredictionLog(path, Files.newOutputStream(path));
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  /**
   * @throws UncheckedIOException when an earlier write failed, naming the file
   */
  void add(LearnResult result) {
    batch.add(result);
    if (batch.size() == BATCH) {
      hand(batch);
      batch = new ArrayList<>(BATCH);
    }
  }

  /**
   * Writes what is left and waits for it.
   *
   * @throws UncheckedIOException when a write failed, naming the file
   */
  @Override
  public void close() {
    if (!batch.isEmpty()) {
      hand(batch);
      batch = new ArrayList<>();
    }
    hand(END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure(path, failure);
    }
  }

  private void hand(List<LearnResult> results) {
    if (failure != null) {
      throw failure(path, failure);
    }
    try {
      queue.put(results);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          "predictions file " + path + ": interrupted", new java.io.InterruptedIOException());
    }
  }

  /** After a failed write the queue is still drained, so that the trainer never waits on it. */
  private void writeAll(OutputStream out) {
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.setRootValueSeparator(null);
      String newline = System.lineSeparator();
      while (true) {
        List<LearnResult> results = queue.take();
        if (results == END) {
          return;
        }
        if (failure != null) {
          continue;
        }
        try {
          for (LearnResult result : results) {
            write(json, result);
            json.writeRaw(newline);
          }
        } catch (IOException e) {
          failure = e;
        }
      }
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The fields and order of the predictions file (docs/model-file.md). */
  private static void write(JsonGenerator json, LearnResult result) throws IOException {
    json.writeStartObject();
    json.writeStringField("sample_id", result.sampleId());
    json.writeArrayFieldStart("outputs");
    for (double v : result.outputs()) {
      json.writeNumber(v);
    }
    json.writeEndArray();
    if (result.decision() != null) {
      json.writeNumberField("decision", result.decision());
    }
    if (result.loss() != null) {
      json.writeNumberField("loss", result.loss());
    }
    json.writeNumberField("step", result.step());
    json.writeEndObject();
  }

  private static UncheckedIOException failure(Path path, IOException e) {
    return new UncheckedIOException("predictions file " + path + " cannot be written: " + e, e);
  }
}

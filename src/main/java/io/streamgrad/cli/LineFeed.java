package io.streamgrad.cli;

import io.streamgrad.records.SampleFile;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The lines of a samples file, read and decoded on a thread of their own while the caller trains on
 * the ones before: batches pass through a bounded queue in file order, so training sees exactly the
 * order of the file (and a model exactly its bits), and memory holds a few batches whatever the
 * file's size.
 */
final class LineFeed implements AutoCloseable {
  /** Lines per batch: one hand-over per batch, not per line, keeps the queue off the profile. */
  static final int BATCH_LINES = 256;

  /** Batches read ahead: enough to ride out a slow stretch of either side. */
  static final int BATCHES_AHEAD = 8;

  /**
   * Lines in file order, and how many bytes of the file were read when the last was decoded.
   * failure: why reading stopped after these lines, or null; last: no batch follows.
   */
  record Batch(List<SampleFile.Line> lines, long position, Exception failure, boolean last) {}

  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final Path path;
  private final String labelColumn;
  private final boolean namedColumns;
  private final long size;
  private final Thread reader;
  private volatile boolean closed;
  private boolean done;

  private LineFeed(Path path, String labelColumn, boolean namedColumns) throws IOException {
    this.path = path;
    this.labelColumn = labelColumn;
    this.namedColumns = namedColumns;
    this.size = Files.size(path);
    this.reader = new Thread(this::readAll, "sample-reader");
    reader.setDaemon(true);
  }

  /** Starts reading the file. */
  static LineFeed start(Path path, String labelColumn) throws IOException {
    return start(path, labelColumn, false);
  }

  /** Starts reading the file; with namedColumns, CSV rows are samples of named features. */
  static LineFeed start(Path path, String labelColumn, boolean namedColumns) throws IOException {
    LineFeed feed = new LineFeed(path, labelColumn, namedColumns);
    feed.reader.start();
    return feed;
  }

  /** The file's size in bytes, for the share a batch's position has reached. */
  long size() {
    return size;
  }

  /**
   * The next batch in file order, or null after the last.
   *
   * @throws IOException why the file could not be read further (after every line before it was
   *     handed out); SampleFile.MissingLabelColumn for a CSV file without its label column
   */
  Batch next() throws IOException {
    if (done) {
      return null;
    }
    Batch batch;
    try {
      batch = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + path, e);
    }
    if (batch.last()) {
      done = true;
      if (batch.failure() != null && batch.lines().isEmpty()) {
        throw rethrown(batch.failure());
      }
      if (batch.failure() != null) { // hand out its lines first; the failure comes next call
        queue.add(new Batch(List.of(), batch.position(), batch.failure(), true));
        done = false;
        return new Batch(batch.lines(), batch.position(), null, false);
      }
    }
    return batch;
  }

  private static IOException rethrown(Exception failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    throw (RuntimeException) failure;
  }

  private void readAll() {
    List<SampleFile.Line>[] batch = newBatch();
    try (Counting in = new Counting(Files.newInputStream(path))) {
      SampleFile.read(
          in,
          SampleFile.Format.of(path),
          labelColumn,
          namedColumns,
          line -> {
            batch[0].add(line);
            if (batch[0].size() == BATCH_LINES) {
              put(new Batch(batch[0], in.count, null, false));
              batch[0] = newBatch()[0];
            }
          });
      put(new Batch(batch[0], size, null, true));
    } catch (Stopped e) {
      // the consumer closed the feed: nobody waits for the rest
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        putQuietly(new Batch(batch[0], size, e, true));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<SampleFile.Line>[] newBatch() {
    return new List[] {new ArrayList<>(BATCH_LINES)};
  }

  private void put(Batch batch) {
    try {
      while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (closed) {
          throw new Stopped();
        }
      }
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }

  private void putQuietly(Batch batch) {
    try {
      put(batch);
    } catch (Stopped e) {
      // closed meanwhile
    }
  }

  /** Stops the reader (e.g. when --strict ended the replay early) and waits for it. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Unwinds the reader when the consumer is gone. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super(null, null, false, false);
    }
  }

  /** The bytes read so far, for percent done. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}

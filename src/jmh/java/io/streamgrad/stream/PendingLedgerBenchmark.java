package io.streamgrad.stream;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.Served;
import io.streamgrad.records.LabelDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the bookkeeping of one delayed sample without Kafka and without the network, as the stream
 * thread does it with labels in order on the samples topic: the sample served and kept, the Avro
 * label of the sample {@code lag} samples earlier decoded and matched (leaving its marker), the
 * deadline index advanced, and the changed keys flushed once per 1000 samples (a commit). The
 * markers stay for the wait, so the store holds {@code wait / 2 ms} keys, as a day's wait makes it
 * hold every sample of a run. Run: {@code ops/jmh.sh PendingLedgerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PendingLedgerBenchmark {
  /** Samples between a sample and its label. */
  @Param({"1000"})
  public int lag;

  /** Keys the store holds in the steady state (markers kept for the wait). */
  @Param({"300000"})
  public int held;

  @Param({"8"})
  public int inputs;

  private static final String MODEL = "m";
  private static final long MS_PER_SAMPLE = 2;
  private static final int COMMIT_EVERY = 1000;

  private final LabelDecoder decoder = new LabelDecoder();
  private PendingStore store;
  private PendingLabels ledger;
  private long wait;

  /** Sample ids and their labels' records, reused every 2 × held samples (long expired by then). */
  private String[] ids;

  private byte[][] labels;
  private long next;
  private long sent;

  @Setup
  public void setUp() {
    store = new PendingStore("pending");
    ledger = new PendingLabels(store, Long.MAX_VALUE, (what, model, id, served, origin) -> {});
    wait = held * MS_PER_SAMPLE;
    ids = new String[2 * (held + lag)];
    labels = new byte[ids.length][];
    for (int k = 0; k < ids.length; k++) {
      ids[k] = "p" + k;
      labels[k] = decoder.encodeAvro(new Label(ids[k], new double[] {k & 1}, 0));
    }
    // The steady state: as many markers as the wait keeps, then the benchmark's samples after them.
    for (int s = 0; s < held + lag; s++) {
      delayedSample();
    }
  }

  @Benchmark
  public long delayedSample() {
    long s = next++;
    long time = s * MS_PER_SAMPLE;
    ledger.advance(time);
    double[] input = new double[inputs];
    input[0] = s;
    Served served =
        new Served(input, new double[] {0.5}, new double[] {0.5}, null, s, 1, 1.0, time);
    PendingLabels.EarlyLabel early = ledger.serve(MODEL, ids[(int) (s % ids.length)], served, wait);
    long found = 0;
    if (s >= lag) {
      Label label = decoder.decode(labels[(int) ((s - lag) % ids.length)]);
      PendingLabels.Lookup lookup =
          ledger.label(MODEL, label, time + 1, wait, 1, () -> new byte[0]);
      found = lookup.served() == null ? 0 : lookup.served().step();
    }
    if (s % COMMIT_EVERY == 0) {
      store.flush((key, value) -> sent += value == null ? 1 : value.length);
    }
    return found + (early == null ? 0 : 1);
  }
}

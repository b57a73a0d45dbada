package io.streamgrad.cli;

import io.streamgrad.service.ExitCodes;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What the brokers acknowledged of a producer's records, counted in the send callbacks: send() only
 * queues a record, so counting its calls reports records that may never arrive. Failures are kept
 * by cause, so that a thousand records lost to one cause make one line, with its count.
 */
final class Deliveries implements Callback {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, Long> causes = new LinkedHashMap<>();
  private boolean onlyUnreachable = true;

  /**
   * Sends one record with this as its callback; a send that throws (a closed producer, a record too
   * large) counts as a failure like one that fails later.
   */
  void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
    sent.incrementAndGet();
    try {
      producer.send(record, this);
    } catch (KafkaException e) {
      fail(e);
    }
  }

  @Override
  public void onCompletion(RecordMetadata metadata, Exception exception) {
    if (exception == null) {
      acknowledged.incrementAndGet();
    } else {
      fail(exception);
    }
  }

  private synchronized void fail(Exception exception) {
    failed.incrementAndGet();
    causes.merge(
        exception.getClass().getSimpleName() + ": " + exception.getMessage(), 1L, Long::sum);
    onlyUnreachable &=
        exception instanceof TimeoutException || exception instanceof NetworkException;
  }

  long sent() {
    return sent.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long failed() {
    return failed.get();
  }

  /** Records sent whose fate is not known yet. */
  long pending() {
    return sent.get() - acknowledged.get() - failed.get();
  }

  /**
   * Says how it went and returns the exit code: 0 when every record was acknowledged, 3 when
   * nothing arrived because no broker answered, 1 otherwise.
   *
   * @param what the records, e.g. "samples for model 'm' to streamgrad.samples"
   */
  synchronized int report(PrintStream out, String what) {
    long total = sent.get();
    if (failed.get() == 0 && pending() == 0) {
      out.printf(Locale.ROOT, "delivered %d of %d %s%n", acknowledged.get(), total, what);
      return ExitCodes.OK;
    }
    out.printf(
        Locale.ROOT,
        "error: delivered %d of %d %s; %d not delivered:%n",
        acknowledged.get(),
        total,
        what,
        total - acknowledged.get());
    for (Map.Entry<String, Long> cause : causes.entrySet()) {
      out.printf(Locale.ROOT, "  %d failed: %s%n", cause.getValue(), cause.getKey());
    }
    if (pending() > 0) {
      out.printf(Locale.ROOT, "  %d without an answer before the producer closed%n", pending());
    }
    return acknowledged.get() == 0 && onlyUnreachable ? ExitCodes.UNREACHABLE : ExitCodes.FAILURE;
  }
}

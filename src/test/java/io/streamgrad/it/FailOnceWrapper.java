package io.streamgrad.it;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * Injects one failure into the learner processor through Kafka Streams' own hook
 * (processor.wrapper.class): after the record number {@link #FAIL_AT} has changed its model and
 * emitted its prediction, before any commit, it throws. The stream thread dies, its transaction is
 * aborted, and the replacement thread must restore every model from the changelog.
 */
public final class FailOnceWrapper implements ProcessorWrapper {
  static final AtomicLong FAIL_AT = new AtomicLong(Long.MAX_VALUE);
  static final AtomicLong SEEN = new AtomicLong();
  static final AtomicBoolean FAILED = new AtomicBoolean();

  @Override
  public <KIn, VIn, KOut, VOut>
      WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
          String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
    if (!name.equals("learner")) {
      return ProcessorWrapper.asWrapped(supplier);
    }
    return ProcessorWrapper.asWrapped(
        () ->
            new Processor<KIn, VIn, KOut, VOut>() {
              private final Processor<KIn, VIn, KOut, VOut> delegate = supplier.get();

              @Override
              public void init(ProcessorContext<KOut, VOut> context) {
                delegate.init(context);
              }

              @Override
              public void process(Record<KIn, VIn> record) {
                delegate.process(record);
                if (SEEN.incrementAndGet() >= FAIL_AT.get() && FAILED.compareAndSet(false, true)) {
                  throw new IllegalStateException("injected failure after record " + SEEN.get());
                }
              }

              @Override
              public void close() {
                delegate.close();
              }
            });
  }

  @Override
  public <KIn, VIn, VOut>
      WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
          String name, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
    return ProcessorWrapper.asWrappedFixedKey(supplier);
  }
}

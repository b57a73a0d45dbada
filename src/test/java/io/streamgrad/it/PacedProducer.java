package io.streamgrad.it;

import io.streamgrad.service.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends records in order at a steady rate on a thread of its own, so that a test can kill the
 * service while they flow: produced counts what was handed to the producer, producing turns false
 * when all are sent (or the thread is interrupted).
 */
final class PacedProducer {
  private PacedProducer() {}

  static Thread start(
      String bootstrapServers,
      List<ProducerRecord<byte[], byte[]>> records,
      int perSecond,
      AtomicBoolean producing,
      AtomicLong produced) {
    Thread thread =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer =
                  KafkaClients.producer(bootstrapServers, Map.of())) {
                long start = System.nanoTime();
                for (var record : records) {
                  var unused = producer.send(record);
                  long n = produced.incrementAndGet();
                  long due = start + n * 1_000_000_000L / perSecond;
                  long wait = due - System.nanoTime();
                  if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                  }
                }
                producer.flush();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                producing.set(false);
              }
            },
            "test-producer");
    thread.start();
    return thread;
  }
}

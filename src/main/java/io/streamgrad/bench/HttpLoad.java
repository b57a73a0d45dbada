package io.streamgrad.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * A bounded HTTP load on kept-alive connections, one thread and one connection each.
 *
 * <p>The client is Apache HttpClient's classic (blocking) one: it reads and writes on the calling
 * thread, with TCP_NODELAY, and sends a small request in one write. The JDK's clients each add what
 * they measure: {@code java.net.http.HttpClient} hands every request to its selector thread and
 * back (2.5 times the whole round trip of {@code GET /health/live}: p50 0.47 against 0.17 ms), and
 * {@code HttpURLConnection} sends a POST's headers and body in two writes without TCP_NODELAY, so
 * the body waits for an acknowledgement (p50 1.36 ms against 0.17 ms for the same request in one
 * write, measured side by side).
 *
 * <p>Closed loop (rate 0): each connection sends its next request as soon as the last is answered,
 * which gives the most requests a second. Open loop: the connections share a fixed rate, each
 * request due at its own time, and its latency counts from when it was due rather than when it was
 * sent, so a stall shows as the latency of every request it delayed and not only of the one that
 * met it (coordinated omission, as wrk2 corrects it).
 */
final class HttpLoad {
  /** What one run measured: latencies in microseconds. */
  record Result(long requests, long errors, double seconds, Histogram micros, String firstError) {
    double requestsPerSecond() {
      return requests / seconds;
    }

    double percentileMillis(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return micros.getMaxValue() / 1000.0;
    }
  }

  /** One request, sent again and again. body is null for a GET. */
  record Request(URI uri, byte[] body) {}

  private final Request request;
  private final int connections;
  private final double ratePerSecond;

  /**
   * @param ratePerSecond requests a second over all connections, or 0 for a closed loop
   */
  HttpLoad(Request request, int connections, double ratePerSecond) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be >= 1, got " + connections);
    }
    this.request = request;
    this.connections = connections;
    this.ratePerSecond = ratePerSecond;
  }

  /**
   * Runs the load for warm-up (not recorded), then for duration or until maxRequests answers,
   * whichever comes first.
   */
  Result run(Duration warmup, Duration duration, long maxRequests) throws InterruptedException {
    AtomicLong budget = new AtomicLong(maxRequests);
    List<Connection> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    for (int c = 0; c < connections; c++) {
      Connection worker = new Connection(c, start, measureFrom, end, budget);
      workers.add(worker);
      Thread thread = new Thread(worker, "http-load-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Histogram all = new Histogram(3_600_000_000L, 3);
    long requests = 0;
    long errors = 0;
    long last = measureFrom;
    String firstError = null;
    for (Connection worker : workers) {
      all.add(worker.micros);
      requests += worker.requests;
      errors += worker.errors;
      last = Math.max(last, worker.lastAnswer);
      if (firstError == null) {
        firstError = worker.firstError;
      }
    }
    return new Result(requests, errors, (last - measureFrom) / 1e9, all, firstError);
  }

  private final class Connection implements Runnable {
    final Histogram micros = new Histogram(3_600_000_000L, 3);
    final CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(1)
                    .setMaxConnPerRoute(1)
                    .setDefaultSocketConfig(
                        SocketConfig.custom()
                            .setTcpNoDelay(true)
                            .setSoTimeout(Timeout.ofSeconds(30))
                            .build())
                    .build())
            .disableAutomaticRetries()
            .build();
    final long start;
    final long measureFrom;
    final long end;
    final long intervalNanos;
    final AtomicLong budget;
    long next;
    long requests;
    long errors;
    long lastAnswer;
    String firstError;

    Connection(int index, long start, long measureFrom, long end, AtomicLong budget) {
      this.start = start;
      this.measureFrom = measureFrom;
      this.end = end;
      this.budget = budget;
      this.intervalNanos = ratePerSecond > 0 ? (long) (1e9 * connections / ratePerSecond) : 0;
      // Spread the connections' schedules over one interval instead of sending in bursts.
      this.next = start + intervalNanos * index / connections;
    }

    @Override
    public void run() {
      try (client) {
        load();
      } catch (IOException e) {
        // closing the client's one connection failed: the measurements stand
      }
    }

    private void load() {
      while (true) {
        long due = intervalNanos > 0 ? next : System.nanoTime();
        if (due >= end) {
          return;
        }
        waitUntil(due);
        boolean measured = due >= measureFrom;
        if (measured && budget.decrementAndGet() < 0) {
          return;
        }
        String error = send();
        long answered = System.nanoTime();
        if (measured) {
          requests++;
          lastAnswer = answered;
          micros.recordValue(Math.max(0, (answered - due) / 1000));
          if (error != null) {
            errors++;
            if (firstError == null) {
              firstError = error;
            }
          }
        }
        next += intervalNanos;
      }
    }

    /** Sends the request and reads the whole answer (so the connection is kept alive). */
    private String send() {
      ClassicHttpRequest message;
      if (request.body() == null) {
        message = new HttpGet(request.uri());
      } else {
        HttpPost post = new HttpPost(request.uri());
        post.setEntity(new ByteArrayEntity(request.body(), ContentType.APPLICATION_JSON));
        message = post;
      }
      try {
        return client.execute(
            message,
            response -> {
              byte[] answer =
                  response.getEntity() == null
                      ? new byte[0]
                      : EntityUtils.toByteArray(response.getEntity());
              return response.getCode() == 200
                  ? null
                  : response.getCode() + " " + new String(answer, StandardCharsets.UTF_8);
            });
      } catch (IOException e) {
        return e.toString();
      }
    }

    private void waitUntil(long due) {
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }
}

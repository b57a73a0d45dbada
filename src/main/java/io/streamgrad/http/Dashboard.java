package io.streamgrad.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.service.RestoreProgress.Restoring;
import io.streamgrad.stream.StreamMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The dashboard: one page (no build step, no CDN: it draws its charts in SVG itself) and a
 * server-sent event stream of loss reports from the loss topic, plus a status event each second
 * (records processed, dead letters by reason, and the store partitions being restored on this
 * instance).
 */
final class Dashboard implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LossFeed feed;
  private final StreamMetrics metrics;
  private final Supplier<List<Restoring>> restoring;
  private volatile boolean open = true;

  Dashboard(LossFeed feed, StreamMetrics metrics, Supplier<List<Restoring>> restoring) {
    this.feed = feed;
    this.metrics = metrics;
    this.restoring = restoring;
  }

  void page(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/index.html")) {
      body = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
    Consumer<String> listener = queue::offer;
    feed.subscribe(listener);
    OutputStream out = exchange.getResponseBody();
    try {
      for (String report : feed.history()) {
        send(out, "loss", report);
      }
      long nextStatus = 0;
      while (open) {
        String report = queue.poll(250, TimeUnit.MILLISECONDS);
        if (report != null) {
          send(out, "loss", report);
        }
        if (System.currentTimeMillis() >= nextStatus) {
          send(out, "status", status());
          nextStatus = System.currentTimeMillis() + 1000;
        }
      }
    } catch (IOException | InterruptedException gone) {
      // the browser went away, or the server stops
    } finally {
      feed.unsubscribe(listener);
    }
  }

  String status() throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("time", System.currentTimeMillis());
    node.put("samples", metrics.samples());
    node.put("predictions", metrics.predictions());
    ObjectNode dead = node.putObject("dead_letters");
    for (ReasonCode reason : ReasonCode.values()) {
      long count = metrics.deadLetters(reason);
      if (count > 0) {
        dead.put(reason.name(), count);
      }
    }
    ArrayNode restores = node.putArray("restoring");
    for (Restoring r : restoring.get()) {
      restores
          .addObject()
          .put("store", r.store())
          .put("topic", r.topic())
          .put("partition", r.partition())
          .put("restored", r.restored())
          .put("total", r.total());
    }
    return JSON.writeValueAsString(node);
  }

  private static void send(OutputStream out, String event, String data) throws IOException {
    out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    open = false;
  }
}

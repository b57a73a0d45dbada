package io.streamgrad.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks every running instance, all the time, for {@code GET /models} and for {@code GET
 * /models/{id}} of each model in turn, and writes down every answer that is neither the model (200)
 * nor an honest "not now" (503 with a message): a 404 for a model that exists, a 500, an instance
 * that does not answer while it is meant to run.
 */
final class HttpWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<ChildService> running = ConcurrentHashMap.newKeySet();
  private final List<String> models;
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicBoolean watching = new AtomicBoolean(true);
  private final Thread thread;

  HttpWatch(List<String> models) {
    this.models = List.copyOf(models);
    this.thread = new Thread(this::watch, "http-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** From now on the instance must answer. */
  void add(ChildService instance) {
    running.add(instance);
  }

  /** Before it is stopped or killed: from now on it need not answer. */
  void remove(ChildService instance) {
    running.remove(instance);
  }

  private void watch() {
    int next = 0;
    while (watching.get()) {
      for (ChildService instance : List.copyOf(running)) {
        String model = models.get(next++ % models.size());
        check(instance, "/models", null);
        check(instance, "/models/" + model, model);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void check(ChildService instance, String path, String model) {
    try {
      HttpResponse<String> response = instance.get(path);
      int status = response.statusCode();
      if (status == 200) {
        JsonNode body = JSON.readTree(response.body());
        if (model != null && !model.equals(body.path("model").asText())) {
          violate(instance, path, "200 with another body: " + response.body());
        } else {
          answered.incrementAndGet();
        }
      } else if (status == 503
          && !JSON.readTree(response.body()).path("message").asText().isEmpty()) {
        unavailable.incrementAndGet();
      } else {
        violate(instance, path, status + " " + response.body());
      }
    } catch (IOException e) {
      if (running.contains(instance)) {
        violate(instance, path, "no answer: " + e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void violate(ChildService instance, String path, String what) {
    if (running.contains(instance)) {
      violations.add("instance :" + instance.httpPort() + " GET " + path + " -> " + what);
    }
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  long answered() {
    return answered.get();
  }

  long unavailable() {
    return unavailable.get();
  }

  @Override
  public void close() throws InterruptedException {
    watching.set(false);
    thread.interrupt();
    thread.join(30_000);
  }
}

package io.streamgrad.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body and answer of {@code POST /models/{id}/predict}: one JSON sample or an array of them
 * (labels ignored) in, the committed model's outputs and decisions out. The answer is as stale as
 * the committed state it is computed from: up to one commit interval ({@code commit.interval.ms})
 * behind the live learner, plus the time a forward to the owning instance takes.
 */
final class Predict {
  /** The most samples one request may carry: bounds the time a request holds a model's lock. */
  static final int MAX_SAMPLES = 1_000;

  /** The largest body read (1 MiB); a larger one is answered 413 without being parsed. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  record Answer(int status, byte[] body) {}

  private Predict() {}

  /** Answers body with the predictions of learner, or a 400 naming what is wrong with it. */
  static Answer answer(String model, Learner learner, byte[] body) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return badRequest("not valid JSON: " + e.getOriginalMessage());
    }
    List<JsonNode> items = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(items::add);
    } else if (root != null && root.isObject()) {
      items.add(root);
    } else {
      return badRequest(
          "the body is a sample {\"id\": .., \"features\": [..]} or an array of them");
    }
    if (items.size() > MAX_SAMPLES) {
      return badRequest(
          "at most " + MAX_SAMPLES + " samples per request, this one has " + items.size());
    }
    List<String> ids = new ArrayList<>();
    Sample[] samples = new Sample[items.size()];
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (item.isObject()) {
        // Ignored, so not parsed either: a label the learner would refuse must not fail a query.
        ((ObjectNode) item).remove("label");
      }
      Sample sample;
      try {
        sample = SampleJson.parse(item);
      } catch (RejectedException e) {
        return badRequest("sample " + i + ": " + e.getMessage());
      }
      // validate reads the spec and, for named inputs, the statistics, which only a learning
      // learner changes (this is a decoded copy): safe without the learner's lock.
      Rejection rejection = learner.validate(sample);
      if (rejection != null) {
        return badRequest(rejection.message());
      }
      ids.add(sample.id());
      samples[i] = sample;
    }
    Learner.Prediction[] predictions = PredictCache.predict(learner, samples);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("model", model).put("version", learner.spec().version());
    answer.put("step", learner.steps());
    ArrayNode list = answer.putArray("predictions");
    for (int i = 0; i < predictions.length; i++) {
      ObjectNode node = list.addObject().put("id", ids.get(i));
      ArrayNode outputs = node.putArray("outputs");
      for (double y : predictions[i].outputs()) {
        outputs.add(y);
      }
      node.put("decision", predictions[i].decision());
    }
    return new Answer(200, JSON.writeValueAsBytes(answer));
  }

  private static Answer badRequest(String message) throws IOException {
    return new Answer(400, HttpApi.error(400, message));
  }
}

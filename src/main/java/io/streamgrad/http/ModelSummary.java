package io.streamgrad.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.RunningStats;
import io.streamgrad.nn.Architecture;

/** What GET /models says of one model: its id, shape, counters and running loss. */
final class ModelSummary {
  private ModelSummary() {}

  static void write(ObjectNode node, String model, Learner learner) {
    RunningStats stats = learner.stats();
    Architecture arch = learner.architecture();
    node.put("model", model);
    node.put("version", learner.spec().version());
    node.put("sizes", arch.sizes());
    node.put("loss", arch.loss().fileName());
    node.put("neurons", arch.neurons());
    node.put("weights", arch.weights());
    node.put("biases", arch.biases());
    node.put("parameters", arch.parameters());
    var layers = node.putArray("layers");
    for (var layer : arch.layers()) {
      layers
          .addObject()
          .put("in", layer.in())
          .put("out", layer.out())
          .put("activation", layer.activation().fileName());
    }
    node.set("optimizer", io.streamgrad.learn.ModelFile.specNode(learner.spec()).get("optimizer"));
    node.put("minibatch", learner.spec().minibatch());
    node.put("steps", learner.steps());
    node.put("samples", stats.samples());
    node.put("labelled", stats.labelled());
    node.put("refused_steps", stats.refused());
    putNumber(node, "mean_loss", stats.meanLoss());
    putNumber(node, "ewma_loss", stats.ewmaLoss());
    putNumber(node, "window_loss", stats.windowLoss());
    putNumber(node, "error_rate", stats.errorRate());
    putNumber(node, "window_error_rate", stats.windowErrorRate());
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}

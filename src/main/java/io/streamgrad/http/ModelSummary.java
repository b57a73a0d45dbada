package io.streamgrad.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.MetricValues;
import io.streamgrad.learn.RunningStats;
import io.streamgrad.nn.Architecture;

/**
 * What GET /models says of one model: its id, shape, learning rate, counters, running loss and
 * quality metrics (the loss report's names).
 */
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
    putNumber(node, "learning_rate", learner.learningRate());
    node.put("learning_rate_scale", learner.learningRateScale());
    node.put("drifts", learner.drifts());
    node.put("divergences", learner.divergences());
    MetricValues all = stats.metrics();
    MetricValues window = stats.windowMetrics();
    putNumber(node, "mae", all.mae());
    putNumber(node, "window_mae", window.mae());
    putNumber(node, "rmse", all.rmse());
    putNumber(node, "window_rmse", window.rmse());
    putNumber(node, "r2", all.r2());
    putNumber(node, "window_r2", window.r2());
    putNumber(node, "accuracy", all.accuracy());
    putNumber(node, "window_accuracy", window.accuracy());
    putNumber(node, "log_loss", all.logLoss());
    putNumber(node, "window_log_loss", window.logLoss());
    putNumber(node, "macro_f1", all.macroF1());
    putNumber(node, "window_macro_f1", window.macroF1());
    putNumber(node, "window_roc_auc", window.rocAuc());
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}

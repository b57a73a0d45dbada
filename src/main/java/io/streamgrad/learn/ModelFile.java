package io.streamgrad.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.LayerShape;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.ParameterLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model file ({@code "format": "streamgrad-model/1"}, docs/model-file.md): reads a spec or a
 * trained model, writes a trained one. Readers ignore fields they do not know and reject an
 * inconsistent file with a message that names the field.
 *
 * <p>Doubles are written in their shortest exact decimal form, so a file round trip keeps every
 * bit. {@code optimizer_state} holds flat buffers in the parameters' order (per layer: weights
 * row-major, then biases).
 */
public final class ModelFile {
  public static final String FORMAT = "streamgrad-model/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelFile() {}

  /** Parses a model file; throws IllegalArgumentException naming the field that is wrong. */
  public static ModelSpec parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a model file is a JSON object");
    }
    return parse(root);
  }

  public static ModelSpec parse(JsonNode root) {
    JsonNode format = root.get("format");
    if (format != null && !format.isNull() && !FORMAT.equals(format.asText())) {
      throw new IllegalArgumentException(
          "format: expected '" + FORMAT + "', got '" + format.asText() + "'");
    }
    String model = text(root, "model", null);
    JsonNode layersNode = root.get("layers");
    if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
      throw new IllegalArgumentException(
          "layers: expected a non-empty array of {in, out, activation}");
    }
    List<LayerShape> layers = new ArrayList<>();
    for (int l = 0; l < layersNode.size(); l++) {
      JsonNode layer = layersNode.get(l);
      String where = "layers[" + l + "]";
      try {
        layers.add(
            new LayerShape(
                integer(layer, "in", where),
                integer(layer, "out", where),
                Activation.fromFileName(text(layer, "activation", where))));
      } catch (IllegalArgumentException e) {
        throw e.getMessage().startsWith(where)
            ? e
            : new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    Loss loss;
    try {
      loss = Loss.fromFileName(text(root, "loss", null));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("loss")
          ? e
          : new IllegalArgumentException("loss: " + e.getMessage(), e);
    }
    Architecture architecture = new Architecture(layers, loss);
    Optimizer optimizer = optimizer(root.get("optimizer"));
    int version = root.has("version") ? integer(root, "version", null) : 1;
    int minibatch = root.has("minibatch") ? integer(root, "minibatch", null) : 1;
    double clipNorm = number(root, "clip_norm", 0.0, "");
    long seed = root.has("seed") ? root.get("seed").asLong() : 42L;
    Initializer init =
        root.has("init") ? Initializer.fromFileName(root.get("init").asText()) : Initializer.XAVIER;
    double[] parameters = parameters(root, architecture);
    long steps = root.has("steps") ? root.get("steps").asLong() : 0L;
    OptimizerState state =
        optimizerState(root.get("optimizer_state"), new ParameterLayout(architecture));
    return new ModelSpec(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        state,
        steps);
  }

  private static Optimizer optimizer(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optimizer.Sgd.plain(0.01);
    }
    String type = node.has("type") ? node.get("type").asText() : "sgd";
    String where = "optimizer.";
    return switch (type) {
      case "sgd" ->
          new Optimizer.Sgd(
              number(node, "learning_rate", 0.01, where),
              number(node, "momentum", 0.0, where),
              node.path("nesterov").asBoolean(false),
              number(node, "weight_decay", 0.0, where));
      case "adam" ->
          new Optimizer.Adam(
              number(node, "learning_rate", 0.001, where),
              number(node, "beta1", 0.9, where),
              number(node, "beta2", 0.999, where),
              number(node, "eps", 1e-8, where),
              number(node, "weight_decay", 0.0, where));
      default ->
          throw new IllegalArgumentException(
              "optimizer.type: unknown '" + type + "'; accepted: sgd, adam");
    };
  }

  private static double[] parameters(JsonNode root, Architecture architecture) {
    JsonNode weights = root.get("weights");
    JsonNode biases = root.get("biases");
    boolean hasWeights = weights != null && !weights.isNull();
    boolean hasBiases = biases != null && !biases.isNull();
    if (!hasWeights && !hasBiases) {
      return null;
    }
    if (hasWeights != hasBiases) {
      throw new IllegalArgumentException(
          (hasWeights ? "biases" : "weights")
              + ": missing; a warm start needs both weights and biases");
    }
    int layers = architecture.layers().size();
    if (!weights.isArray() || weights.size() != layers) {
      throw new IllegalArgumentException("weights: expected " + layers + " layer matrices");
    }
    if (!biases.isArray() || biases.size() != layers) {
      throw new IllegalArgumentException("biases: expected " + layers + " layer vectors");
    }
    double[] params = new double[architecture.parameters()];
    for (int l = 0; l < layers; l++) {
      LayerShape shape = architecture.layers().get(l);
      JsonNode w = weights.get(l);
      if (!w.isArray() || w.size() != shape.out()) {
        throw new IllegalArgumentException(
            "weights["
                + l
                + "]: expected "
                + shape.out()
                + " rows (one per neuron), got "
                + (w.isArray() ? w.size() : "no array"));
      }
      int offset = architecture.weightOffset(l);
      for (int j = 0; j < shape.out(); j++) {
        JsonNode row = w.get(j);
        if (!row.isArray() || row.size() != shape.in()) {
          throw new IllegalArgumentException(
              "weights["
                  + l
                  + "]["
                  + j
                  + "]: expected "
                  + shape.in()
                  + " values (one per input), got "
                  + (row.isArray() ? row.size() : "no array"));
        }
        for (int i = 0; i < shape.in(); i++) {
          params[offset + j * shape.in() + i] =
              finite(row.get(i), "weights[" + l + "][" + j + "][" + i + "]");
        }
      }
      JsonNode b = biases.get(l);
      if (!b.isArray() || b.size() != shape.out()) {
        throw new IllegalArgumentException(
            "biases[" + l + "]: expected " + shape.out() + " values");
      }
      int biasOffset = architecture.biasOffset(l);
      for (int j = 0; j < shape.out(); j++) {
        params[biasOffset + j] = finite(b.get(j), "biases[" + l + "][" + j + "]");
      }
    }
    return params;
  }

  private static OptimizerState optimizerState(JsonNode node, ParameterLayout layout) {
    if (node == null || node.isNull()) {
      return null;
    }
    long steps = node.path("steps").asLong(0);
    return new OptimizerState(
        steps,
        buffer(node.get("first"), layout, "optimizer_state.first"),
        buffer(node.get("second"), layout, "optimizer_state.second"));
  }

  private static double[][] buffer(JsonNode node, ParameterLayout layout, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    int size = layout.architecture().parameters();
    if (!node.isArray() || node.size() != size) {
      throw new IllegalArgumentException(where + ": expected " + size + " values");
    }
    double[] values = new double[size];
    for (int k = 0; k < size; k++) {
      values[k] = finite(node.get(k), where + "[" + k + "]");
    }
    return layout.toSegments(values);
  }

  private static double finite(JsonNode node, String where) {
    if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw new IllegalArgumentException(where + ": expected a finite number");
    }
    return node.doubleValue();
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    String name = where == null ? field : where + "." + field;
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(name + ": missing, expected a string");
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    String name = where == null ? field : where + "." + field;
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException(name + ": missing, expected an integer");
    }
    return value.asInt();
  }

  private static double number(JsonNode node, String field, double fallback, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(where + field + ": expected a number");
    }
    return value.doubleValue();
  }

  /** The model file of a spec alone (no weights): what a learner was created from. */
  public static ObjectNode specNode(ModelSpec spec) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("model", spec.model());
    root.put("version", spec.version());
    ArrayNode layers = root.putArray("layers");
    for (LayerShape layer : spec.architecture().layers()) {
      layers
          .addObject()
          .put("in", layer.in())
          .put("out", layer.out())
          .put("activation", layer.activation().fileName());
    }
    root.put("loss", spec.architecture().loss().fileName());
    ObjectNode optimizer = root.putObject("optimizer");
    if (spec.optimizer() instanceof Optimizer.Sgd sgd) {
      optimizer
          .put("type", "sgd")
          .put("learning_rate", sgd.learningRate())
          .put("momentum", sgd.momentum())
          .put("nesterov", sgd.nesterov())
          .put("weight_decay", sgd.weightDecay());
    } else if (spec.optimizer() instanceof Optimizer.Adam adam) {
      optimizer
          .put("type", "adam")
          .put("learning_rate", adam.learningRate())
          .put("beta1", adam.beta1())
          .put("beta2", adam.beta2())
          .put("eps", adam.eps())
          .put("weight_decay", adam.weightDecay());
    }
    root.put("minibatch", spec.minibatch());
    if (spec.clipNorm() > 0) {
      root.put("clip_norm", spec.clipNorm());
    }
    root.put("seed", spec.seed());
    root.put("init", spec.init().fileName());
    return root;
  }

  /** A trained model: the spec with its weights, biases, steps and optimizer state. */
  public static String write(ModelSpec spec, double[] params, OptimizerState state) {
    ObjectNode root = specNode(spec);
    Architecture architecture = spec.architecture();
    ArrayNode weights = root.putArray("weights");
    ArrayNode biases = root.putArray("biases");
    for (int l = 0; l < architecture.layers().size(); l++) {
      LayerShape shape = architecture.layers().get(l);
      ArrayNode matrix = weights.addArray();
      int offset = architecture.weightOffset(l);
      for (int j = 0; j < shape.out(); j++) {
        ArrayNode row = matrix.addArray();
        for (int i = 0; i < shape.in(); i++) {
          row.add(params[offset + j * shape.in() + i]);
        }
      }
      ArrayNode bias = biases.addArray();
      int biasOffset = architecture.biasOffset(l);
      for (int j = 0; j < shape.out(); j++) {
        bias.add(params[biasOffset + j]);
      }
    }
    root.put("steps", state.steps());
    ObjectNode saved = root.putObject("optimizer_state");
    saved.put("steps", state.steps());
    ParameterLayout layout = new ParameterLayout(architecture);
    putBuffer(
        saved,
        "first",
        state.firstOrNull() == null ? null : layout.toCanonical(state.firstOrNull()));
    putBuffer(
        saved,
        "second",
        state.secondOrNull() == null ? null : layout.toCanonical(state.secondOrNull()));
    return toJson(root);
  }

  private static void putBuffer(ObjectNode node, String name, double[] values) {
    if (values != null) {
      ArrayNode array = node.putArray(name);
      for (double v : values) {
        array.add(v);
      }
    }
  }

  public static String toJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * The model file of a plain network of the given size ("8-32-1"): sigmoid hidden layers, a
   * softmax output with cross-entropy for several outputs, identity with L2 for one; SGD at 0.01.
   * For load generators and benchmarks, which need many models of a size and nothing more.
   */
  public static String sketch(String model, String size) {
    String[] sizes = size.split("-");
    if (sizes.length < 2) {
      throw new IllegalArgumentException(
          "size " + size + " needs at least two layer widths, as 8-32-1");
    }
    boolean classifier = Integer.parseInt(sizes[sizes.length - 1]) > 1;
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ArrayNode layers = root.putArray("layers");
    for (int l = 0; l < sizes.length - 1; l++) {
      String activation = l < sizes.length - 2 ? "sigmoid" : (classifier ? "softmax" : "identity");
      layers
          .addObject()
          .put("in", Integer.parseInt(sizes[l]))
          .put("out", Integer.parseInt(sizes[l + 1]))
          .put("activation", activation);
    }
    root.put("loss", classifier ? "softmax_ce" : "l2");
    root.putObject("optimizer").put("type", "sgd").put("learning_rate", 0.01);
    String json = toJson(root);
    parse(json); // a size that makes no network fails here, with the parser's message
    return json;
  }
}

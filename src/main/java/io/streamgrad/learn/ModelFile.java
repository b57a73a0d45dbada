package io.streamgrad.learn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.ClassWeights;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.LayerShape;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.LrSchedule;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.ParameterLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The model file ({@code "format": "streamgrad-model/1"}, docs/model-file.md): reads a spec or a
 * trained model, writes a trained one. Readers reject a field they do not know (a typo would
 * otherwise train silently with a default), a value of the wrong type, and an inconsistent file,
 * with a message that names the field; the user's own notes go in {@code "metadata"}.
 *
 * <p>Doubles are written in their shortest exact decimal form, so a file round trip keeps every
 * bit. {@code optimizer_state} holds flat buffers in the parameters' order (per layer: weights
 * row-major, then biases).
 */
public final class ModelFile {
  public static final String FORMAT = "streamgrad-model/1";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Two values for one field: which one wins would be a guess, so neither does.
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final ObjectMapper COMPACT = new ObjectMapper();

  /** Every field a model file may have, in the order {@link #write} writes them. */
  private static final List<String> FIELDS =
      List.of(
          "format",
          "model",
          "version",
          "layers",
          "loss",
          "optimizer",
          "lr_schedule",
          "minibatch",
          "clip_norm",
          "class_weights",
          "seed",
          "init",
          "drift",
          "on_drift",
          "divergence",
          "label_wait_ms",
          "inputs",
          "strict_inputs",
          "update_on_unlabelled",
          "target_scale",
          "metadata",
          "weights",
          "biases",
          "steps",
          "optimizer_state",
          "preprocessing");

  private static final List<String> LAYER_FIELDS = List.of("in", "out", "activation");
  private static final List<String> SGD_FIELDS =
      List.of("type", "learning_rate", "momentum", "nesterov", "weight_decay");
  private static final List<String> ADAM_FIELDS =
      List.of("type", "learning_rate", "beta1", "beta2", "eps", "weight_decay");
  private static final List<String> ADAMW_FIELDS = ADAM_FIELDS;
  private static final List<String> RMSPROP_FIELDS =
      List.of("type", "learning_rate", "alpha", "eps", "weight_decay", "momentum", "centered");
  private static final List<String> ADAGRAD_FIELDS =
      List.of(
          "type", "learning_rate", "lr_decay", "weight_decay", "initial_accumulator_value", "eps");

  /** Each optimizer type with its fields, in the order an error message lists the types. */
  private static final Map<String, List<String>> OPTIMIZERS =
      orderedMap(
          "sgd", SGD_FIELDS,
          "adam", ADAM_FIELDS,
          "adamw", ADAMW_FIELDS,
          "rmsprop", RMSPROP_FIELDS,
          "adagrad", ADAGRAD_FIELDS);

  private static final Map<String, List<String>> SCHEDULES =
      orderedMap(
          "step", List.of("type", "step_size", "gamma"),
          "exponential", List.of("type", "gamma"),
          "cosine_warm_restarts", List.of("type", "t_0", "t_mult", "eta_min"),
          "linear_warmup", List.of("type", "start_factor", "total_iters"),
          "inverse_time", List.of("type", "decay", "power"));

  private static final List<String> STATE_FIELDS = List.of("steps", "first", "second", "third");

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
    if (!root.isObject()) {
      throw new IllegalArgumentException("a model file is a JSON object");
    }
    onlyKnownFields(root, FIELDS, "");
    JsonNode format = present(root, "format");
    if (format != null && !(format.isTextual() && FORMAT.equals(format.asText()))) {
      throw new IllegalArgumentException(
          "format: expected '" + FORMAT + "', got " + shown(format).replace('"', '\''));
    }
    String model = text(root, "model", "");
    JsonNode layersNode = root.get("layers");
    if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
      throw new IllegalArgumentException(
          "layers: expected a non-empty array of {in, out, activation}");
    }
    List<LayerShape> layers = new ArrayList<>();
    for (int l = 0; l < layersNode.size(); l++) {
      JsonNode layer = layersNode.get(l);
      String where = "layers[" + l + "]";
      if (!layer.isObject()) {
        throw new IllegalArgumentException(where + ": expected an object {in, out, activation}");
      }
      onlyKnownFields(layer, LAYER_FIELDS, where + ".");
      try {
        layers.add(
            new LayerShape(
                integer(layer, "in", where + "."),
                integer(layer, "out", where + "."),
                Activation.fromFileName(text(layer, "activation", where + "."))));
      } catch (IllegalArgumentException e) {
        throw e.getMessage().startsWith(where)
            ? e
            : new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    Loss loss;
    try {
      loss = Loss.fromFileName(text(root, "loss", ""));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("loss")
          ? e
          : new IllegalArgumentException("loss: " + e.getMessage(), e);
    }
    Architecture architecture = new Architecture(layers, loss);
    Optimizer optimizer = optimizer(present(root, "optimizer"));
    LrSchedule schedule = schedule(present(root, "lr_schedule"));
    ClassWeights classWeights = classWeights(present(root, "class_weights"), architecture);
    int version = present(root, "version") != null ? integer(root, "version", "") : 1;
    int minibatch = present(root, "minibatch") != null ? integer(root, "minibatch", "") : 1;
    double clipNorm = number(root, "clip_norm", 0.0, "");
    long seed = wholeNumber(root, "seed", 42L, Long.MIN_VALUE, "");
    Initializer init = Initializer.XAVIER;
    if (present(root, "init") != null) {
      try {
        init = Initializer.fromFileName(text(root, "init", ""));
      } catch (IllegalArgumentException e) {
        throw e.getMessage().startsWith("init")
            ? e
            : new IllegalArgumentException("init: " + e.getMessage(), e);
      }
    }
    double[] parameters = parameters(root, architecture);
    long steps = wholeNumber(root, "steps", 0L, 0L, "");
    OptimizerState state =
        optimizerState(present(root, "optimizer_state"), new ParameterLayout(architecture));
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
        steps,
        metadata(present(root, "metadata")),
        schedule,
        classWeights,
        MonitoringFields.parse(root),
        wholeNumber(root, "label_wait_ms", 0L, 0L, ""),
        InputsFields.parse(root, architecture.outputs()));
  }

  /**
   * The user's metadata as compact JSON text. Any JSON may be inside, but the field itself must be
   * an object, so that a file has one place for notes and a reader knows where to look.
   */
  private static String metadata(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "metadata: expected an object (any JSON inside), got " + shown(node));
    }
    return toCompactJson(node);
  }

  private static Optimizer optimizer(JsonNode node) {
    if (node == null) {
      return Optimizer.Sgd.plain(0.01);
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "optimizer: expected an object {type, learning_rate, ...}, got " + shown(node));
    }
    String where = "optimizer.";
    String type = present(node, "type") != null ? text(node, "type", where) : "sgd";
    List<String> fields = OPTIMIZERS.get(type);
    if (fields == null) {
      throw new IllegalArgumentException(
          "optimizer.type: unknown '"
              + type
              + "'; accepted: "
              + String.join(", ", OPTIMIZERS.keySet()));
    }
    String unknown = unknownField(node, fields);
    if (unknown != null) {
      // A field of another optimizer is no typo: say which optimizer it belongs to.
      for (Map.Entry<String, List<String>> other : OPTIMIZERS.entrySet()) {
        if (other.getValue().contains(unknown)) {
          throw new IllegalArgumentException(
              where
                  + unknown
                  + ": not a field of the "
                  + type
                  + " optimizer (it is one of "
                  + other.getKey()
                  + "'s); accepted: "
                  + String.join(", ", fields));
        }
      }
      throw unknownFieldError(unknown, fields, where);
    }
    return switch (type) {
      case "sgd" ->
          new Optimizer.Sgd(
              number(node, "learning_rate", 0.01, where),
              number(node, "momentum", 0.0, where),
              bool(node, "nesterov", false, where),
              number(node, "weight_decay", 0.0, where));
      case "adam" ->
          new Optimizer.Adam(
              number(node, "learning_rate", 0.001, where),
              number(node, "beta1", 0.9, where),
              number(node, "beta2", 0.999, where),
              number(node, "eps", 1e-8, where),
              number(node, "weight_decay", 0.0, where));
      case "adamw" ->
          new Optimizer.AdamW(
              number(node, "learning_rate", 0.001, where),
              number(node, "beta1", 0.9, where),
              number(node, "beta2", 0.999, where),
              number(node, "eps", 1e-8, where),
              number(node, "weight_decay", 0.01, where));
      case "rmsprop" ->
          new Optimizer.RmsProp(
              number(node, "learning_rate", 0.01, where),
              number(node, "alpha", 0.99, where),
              number(node, "eps", 1e-8, where),
              number(node, "weight_decay", 0.0, where),
              number(node, "momentum", 0.0, where),
              bool(node, "centered", false, where));
      default ->
          new Optimizer.Adagrad(
              number(node, "learning_rate", 0.01, where),
              number(node, "lr_decay", 0.0, where),
              number(node, "weight_decay", 0.0, where),
              number(node, "initial_accumulator_value", 0.0, where),
              number(node, "eps", 1e-10, where));
    };
  }

  /** The learning-rate schedule (PyTorch's defaults where PyTorch has them), or null for none. */
  private static LrSchedule schedule(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "lr_schedule: expected an object {type, ...}, got " + shown(node));
    }
    String where = "lr_schedule.";
    String type = text(node, "type", where);
    List<String> fields = SCHEDULES.get(type);
    if (fields == null) {
      throw new IllegalArgumentException(
          "lr_schedule.type: unknown '"
              + type
              + "'; accepted: "
              + String.join(", ", SCHEDULES.keySet()));
    }
    onlyKnownFields(node, fields, where);
    return switch (type) {
      case "step" ->
          new LrSchedule.Step(
              requiredWholeNumber(node, "step_size", where), number(node, "gamma", 0.1, where));
      case "exponential" -> new LrSchedule.Exponential(requiredNumber(node, "gamma", where));
      case "cosine_warm_restarts" ->
          new LrSchedule.CosineWarmRestarts(
              requiredWholeNumber(node, "t_0", where),
              wholeNumber(node, "t_mult", 1L, Long.MIN_VALUE, where),
              number(node, "eta_min", 0.0, where));
      case "linear_warmup" ->
          new LrSchedule.LinearWarmup(
              number(node, "start_factor", 1.0 / 3, where),
              wholeNumber(node, "total_iters", 5L, Long.MIN_VALUE, where));
      default ->
          new LrSchedule.InverseTime(
              requiredNumber(node, "decay", where), number(node, "power", 0.5, where));
    };
  }

  private static ClassWeights classWeights(JsonNode node, Architecture architecture) {
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "class_weights: expected an array of numbers, got " + shown(node));
    }
    double[] weights = new double[node.size()];
    for (int k = 0; k < weights.length; k++) {
      JsonNode value = node.get(k);
      if (!value.isNumber()) {
        throw new IllegalArgumentException(
            "class_weights[" + k + "]: expected a finite number >= 0, got " + shown(value));
      }
      weights[k] = value.doubleValue();
    }
    return new ClassWeights(weights, architecture);
  }

  private static Map<String, List<String>> orderedMap(Object... pairs) {
    Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> value = (List<String>) pairs[i + 1];
      map.put((String) pairs[i], value);
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  /** Throws for the first field of {@code node} that is not one of {@code known}. */
  static void onlyKnownFields(JsonNode node, List<String> known, String where) {
    String unknown = unknownField(node, known);
    if (unknown != null) {
      throw unknownFieldError(unknown, known, where);
    }
  }

  private static String unknownField(JsonNode node, List<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * A misspelt field would otherwise fall back to its default without a word (a learning rate of
   * 0.01 for "learningrate": 0.05), so it is an error that names the field and, when one is close,
   * the field that was meant.
   */
  private static IllegalArgumentException unknownFieldError(
      String name, List<String> known, String where) {
    String hint = NearestName.suggestion(name, known);
    return new IllegalArgumentException(
        where
            + name
            + ": unknown field"
            + (hint.isEmpty() ? "; accepted: " + String.join(", ", known) : hint));
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
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "optimizer_state: expected an object {steps, first, second}, got " + shown(node));
    }
    onlyKnownFields(node, STATE_FIELDS, "optimizer_state.");
    long steps = wholeNumber(node, "steps", 0L, 0L, "optimizer_state.");
    return new OptimizerState(
        steps,
        buffer(node.get("first"), layout, "optimizer_state.first"),
        buffer(node.get("second"), layout, "optimizer_state.second"),
        buffer(node.get("third"), layout, "optimizer_state.third"));
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

  /** The field's value, or null when it is absent or JSON null (both mean the default). */
  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** A value for a message: its JSON text, cut short so a stray array does not flood it. */
  private static String shown(JsonNode value) {
    String text = value.toString();
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      throw new IllegalArgumentException(where + field + ": missing, expected a string");
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(
          where + field + ": expected a non-empty string, got " + shown(value));
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      throw new IllegalArgumentException(where + field + ": missing, expected an integer");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(
          where + field + ": expected a 32-bit integer, got " + shown(value));
    }
    return value.asInt();
  }

  /**
   * An optional 64-bit integer of at least {@code min}. Jackson's asLong would read "abc" as 0 and
   * 1.5 as 1: a seed or a step count that is not what the file says.
   */
  private static long wholeNumber(
      JsonNode node, String field, long fallback, long min, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(
          where + field + ": expected a 64-bit integer, got " + shown(value));
    }
    if (value.asLong() < min) {
      throw new IllegalArgumentException(
          where + field + " must be >= " + min + ", got " + value.asLong());
    }
    return value.asLong();
  }

  private static double requiredNumber(JsonNode node, String field, String where) {
    if (present(node, field) == null) {
      throw new IllegalArgumentException(where + field + ": missing, expected a number");
    }
    return number(node, field, Double.NaN, where);
  }

  private static long requiredWholeNumber(JsonNode node, String field, String where) {
    if (present(node, field) == null) {
      throw new IllegalArgumentException(where + field + ": missing, expected an integer");
    }
    return wholeNumber(node, field, 0L, Long.MIN_VALUE, where);
  }

  private static double number(JsonNode node, String field, double fallback, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(
          where + field + ": expected a number, got " + shown(value));
    }
    return value.doubleValue();
  }

  /** A boolean, not Jackson's asBoolean, which reads "yes" and 1 as false and true. */
  private static boolean bool(JsonNode node, String field, boolean fallback, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(
          where + field + ": expected true or false, got " + shown(value));
    }
    return value.booleanValue();
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
    } else if (spec.optimizer() instanceof Optimizer.AdamW adamW) {
      optimizer
          .put("type", "adamw")
          .put("learning_rate", adamW.learningRate())
          .put("beta1", adamW.beta1())
          .put("beta2", adamW.beta2())
          .put("eps", adamW.eps())
          .put("weight_decay", adamW.weightDecay());
    } else if (spec.optimizer() instanceof Optimizer.RmsProp rmsProp) {
      optimizer
          .put("type", "rmsprop")
          .put("learning_rate", rmsProp.learningRate())
          .put("alpha", rmsProp.alpha())
          .put("eps", rmsProp.eps())
          .put("weight_decay", rmsProp.weightDecay())
          .put("momentum", rmsProp.momentum())
          .put("centered", rmsProp.centered());
    } else if (spec.optimizer() instanceof Optimizer.Adagrad adagrad) {
      optimizer
          .put("type", "adagrad")
          .put("learning_rate", adagrad.learningRate())
          .put("lr_decay", adagrad.lrDecay())
          .put("weight_decay", adagrad.weightDecay())
          .put("initial_accumulator_value", adagrad.initialAccumulatorValue())
          .put("eps", adagrad.eps());
    }
    if (spec.lrSchedule() != null) {
      root.set("lr_schedule", scheduleNode(spec.lrSchedule()));
    }
    root.put("minibatch", spec.minibatch());
    if (spec.clipNorm() > 0) {
      root.put("clip_norm", spec.clipNorm());
    }
    if (spec.classWeights() != null) {
      ArrayNode weights = root.putArray("class_weights");
      for (double w : spec.classWeights().values()) {
        weights.add(w);
      }
    }
    root.put("seed", spec.seed());
    root.put("init", spec.init().fileName());
    MonitoringFields.write(root, spec.monitoring());
    if (spec.labelWaitMs() > 0) {
      root.put("label_wait_ms", spec.labelWaitMs());
    }
    InputsFields.write(root, spec.preprocessing());
    if (spec.metadata() != null) {
      root.set("metadata", readTree(spec.metadata()));
    }
    return root;
  }

  private static ObjectNode scheduleNode(LrSchedule schedule) {
    ObjectNode node = JSON.createObjectNode();
    if (schedule instanceof LrSchedule.Step step) {
      node.put("type", "step").put("step_size", step.stepSize()).put("gamma", step.gamma());
    } else if (schedule instanceof LrSchedule.Exponential exponential) {
      node.put("type", "exponential").put("gamma", exponential.gamma());
    } else if (schedule instanceof LrSchedule.CosineWarmRestarts cosine) {
      node.put("type", "cosine_warm_restarts")
          .put("t_0", cosine.t0())
          .put("t_mult", cosine.tMult())
          .put("eta_min", cosine.etaMin());
    } else if (schedule instanceof LrSchedule.LinearWarmup warmup) {
      node.put("type", "linear_warmup")
          .put("start_factor", warmup.startFactor())
          .put("total_iters", warmup.totalIters());
    } else if (schedule instanceof LrSchedule.InverseTime inverse) {
      node.put("type", "inverse_time").put("decay", inverse.decay()).put("power", inverse.power());
    }
    return node;
  }

  /**
   * Where two specs differ as the model file says them, starting point aside: the path of the first
   * field that differs (as {@code optimizer.learning_rate} or {@code layers[1].out}), or null when
   * they are the same spec.
   *
   * <p>Compared are the trees {@link #specNode} writes, defaults filled in (a file without {@code
   * seed} and one with {@code "seed": 42} are the same spec) and metadata included. Weights,
   * biases, steps and optimizer state are not compared: a learner's checkpoint keeps its spec
   * without them, and a warm-start spec sent again must not read as another spec.
   */
  public static String difference(ModelSpec a, ModelSpec b) {
    return difference(specNode(a), specNode(b), "");
  }

  private static String difference(JsonNode a, JsonNode b, String path) {
    if (a.equals(b)) {
      return null;
    }
    if (a.isObject() && b.isObject()) {
      java.util.Set<String> names = new java.util.LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode x = a.get(name);
        JsonNode y = b.get(name);
        String at = path.isEmpty() ? name : path + "." + name;
        if (x == null || y == null) {
          return at;
        }
        String inside = difference(x, y, at);
        if (inside != null) {
          return inside;
        }
      }
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        String inside = difference(a.get(i), b.get(i), path + "[" + i + "]");
        if (inside != null) {
          return inside;
        }
      }
    }
    return path;
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
    putBuffer(
        saved,
        "third",
        state.thirdOrNull() == null ? null : layout.toCanonical(state.thirdOrNull()));
    if (spec.preprocessing() != null && spec.preprocessing().startState() != null) {
      InputsFields.writeState(
          root, spec.preprocessing(), spec.preprocessing().startState(), architecture.outputs());
    }
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

  private static String toCompactJson(JsonNode node) {
    try {
      return COMPACT.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("metadata that was written is not JSON: " + json, e);
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

package dev.tapegrad.testing;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.Json;
import dev.tapegrad.nn.State;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PyTorch reference case from {@code src/test/resources/reference/} (copied from
 * {@code ../shared/reference/}; its README there explains the fields). Shared with the rnn and
 * bench tests through core's test jar.
 */
public final class ReferenceCase {

  /** The model's sizes. */
  public record Config(int vocab, int hidden, int seq, int batch, int layers, String cell) {}

  /** One of the three reference Adam steps: the gradient scale used and the parameters after it. */
  public record AdamStep(double gradScale, Map<String, double[]> params) {}

  private final Map<String, Object> root;

  private ReferenceCase(Map<String, Object> root) {
    this.root = root;
  }

  /**
   * Loads a case by file name, such as {@code "gru-small.json"}.
   *
   * @param name the resource's file name
   * @return the case
   */
  public static ReferenceCase load(String name) {
    String path = "/reference/" + name;
    try (InputStream in = ReferenceCase.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new ReferenceCase(Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the sizes. */
  public Config config() {
    Map<String, Object> c = object(root, "config");
    return new Config(integer(c, "vocab"), integer(c, "hidden"), integer(c, "seq"), integer(c, "batch"),
        integer(c, "layers"), (String) c.get("cell"));
  }

  /** Returns every parameter by its PyTorch state_dict name, in file order. */
  public Map<String, Tensor> params() {
    return tensors(object(root, "params"));
  }

  /** Returns the input ids, B×T flattened batch-first. */
  public int[] inputs() {
    return ints(object(root, "inputs"));
  }

  /** Returns the target ids, B×T flattened batch-first. */
  public int[] targets() {
    return ints(object(root, "targets"));
  }

  /** Returns the initial hidden state, layers×B×H. */
  public Tensor h0() {
    return tensor(object(root, "h0"));
  }

  /** Returns the initial cell state of an LSTM case, layers×B×H. */
  public Tensor c0() {
    return tensor(object(root, "c0"));
  }

  /** Returns the expected logits (B×T×V) in double precision. */
  public double[] expectedLogits() {
    return doubles(object(object(root, "expected"), "logits"));
  }

  /** Returns the expected final hidden state (layers×B×H) in double precision. */
  public double[] expectedHFinal() {
    return doubles(object(object(root, "expected"), "h_final"));
  }

  /** Returns the expected final cell state of an LSTM case in double precision. */
  public double[] expectedCFinal() {
    return doubles(object(object(root, "expected"), "c_final"));
  }

  /** Returns the expected mean cross-entropy. */
  public double expectedLoss() {
    return ((Number) object(root, "expected").get("loss")).doubleValue();
  }

  /** Returns the expected gradient of every parameter, by name, in double precision. */
  public Map<String, double[]> expectedGrads() {
    Map<String, double[]> out = new LinkedHashMap<>();
    object(object(root, "expected"), "grads").forEach((k, v) -> out.put(k, doubles(cast(v))));
    return out;
  }

  /** Returns the Adam learning rate, betas and eps as {lr, beta1, beta2, eps}. */
  public double[] adamHyperParameters() {
    Map<String, Object> adam = object(root, "adam");
    List<?> betas = (List<?>) adam.get("betas");
    return new double[] {((Number) adam.get("lr")).doubleValue(), ((Number) betas.get(0)).doubleValue(),
        ((Number) betas.get(1)).doubleValue(), ((Number) adam.get("eps")).doubleValue()};
  }

  /** Returns the parameters Adam starts from, by name. */
  public Map<String, Tensor> adamStart() {
    return tensors(object(object(root, "adam"), "start"));
  }

  /** Returns the three reference Adam steps. */
  public List<AdamStep> adamSteps() {
    List<AdamStep> steps = new ArrayList<>();
    for (Object o : (List<?>) object(root, "adam").get("steps")) {
      Map<String, Object> step = cast(o);
      Map<String, double[]> params = new LinkedHashMap<>();
      object(step, "params").forEach((k, v) -> params.put(k, flatten(v)));
      steps.add(new AdamStep(((Number) step.get("grad_scale")).doubleValue(), params));
    }
    return steps;
  }

  /**
   * Returns the file's initial states, h0 (and for an LSTM c0), each layers×B×H, as one state of
   * B×H constants per layer, as the recurrent layers take them.
   *
   * @return one state per layer, layer 0 first
   */
  public List<State> initialStates() {
    boolean lstm = "lstm".equals(config().cell());
    List<Variable> h = perLayer(h0());
    List<Variable> c = lstm ? perLayer(c0()) : null;
    List<State> out = new ArrayList<>();
    for (int k = 0; k < h.size(); k++) {
      out.add(new State(h.get(k), lstm ? c.get(k) : null));
    }
    return out;
  }

  /**
   * Concatenates each layer's final h (or c) into the file's layers×B×H layout, for comparing
   * with {@link #expectedHFinal()} or {@link #expectedCFinal()}.
   *
   * @param states one state per layer, layer 0 first
   * @param cell whether to take c rather than h
   * @return the flattened values
   */
  public static float[] stacked(List<State> states, boolean cell) {
    int block = states.get(0).h().value().size();
    float[] out = new float[states.size() * block];
    for (int k = 0; k < states.size(); k++) {
      Variable v = cell ? states.get(k).c() : states.get(k).h();
      System.arraycopy(v.value().storage(), 0, out, k * block, block);
    }
    return out;
  }

  private static List<Variable> perLayer(Tensor states) {
    int layers = states.dim(0);
    int batch = states.dim(1);
    int hidden = states.dim(2);
    int block = batch * hidden;
    List<Variable> out = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      float[] layer = new float[block];
      System.arraycopy(states.storage(), k * block, layer, 0, block);
      out.add(Variable.constant(Tensor.of(layer, batch, hidden)));
    }
    return out;
  }

  private static Map<String, Tensor> tensors(Map<String, Object> entries) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> out.put(k, tensor(cast(v))));
    return out;
  }

  private static Tensor tensor(Map<String, Object> entry) {
    double[] d = doubles(entry);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    List<?> shape = (List<?>) entry.get("shape");
    int[] dims = new int[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = ((Number) shape.get(i)).intValue();
    }
    return Tensor.of(f, dims);
  }

  private static double[] doubles(Map<String, Object> entry) {
    return flatten(entry.get("data"));
  }

  private static int[] ints(Map<String, Object> entry) {
    double[] d = doubles(entry);
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
  }

  private static double[] flatten(Object nested) {
    List<Double> values = new ArrayList<>();
    collect(nested, values);
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static void collect(Object o, List<Double> values) {
    if (o instanceof List<?> list) {
      for (Object item : list) {
        collect(item, values);
      }
    } else {
      values.add(((Number) o).doubleValue());
    }
  }

  private static int integer(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).intValue();
  }

  private static Map<String, Object> object(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("reference case has no '" + key + "'");
    }
    return cast(v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}

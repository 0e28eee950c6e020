package dev.tapegrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.Json;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fourteen expressions mixing every elementwise op, the reductions, softmax and log-softmax,
 * transposes, matrix products, numbers and broadcasting both ways, written with {@link Expr} and
 * checked against PyTorch: outputs and the gradient of every input, for a seed gradient on the
 * output.
 *
 * <p>The numbers are in {@code reference/expressions.json}, made by {@code make_expressions.py}
 * beside this test (PyTorch in float64 on float32 inputs; the test itself needs no Python). Each
 * case names the expression; {@link #EXPRESSIONS} writes the same one in Java. The tolerance, a
 * relative error of {@value #RTOL} past an absolute floor of {@value #ATOL}, leaves room for float32
 * rounding through a few dozen ops; the worst error actually seen is printed.
 */
class ExprReferenceTest {

  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-6;

  private static final Map<String, Object> FILE = load("/reference/expressions.json");

  /** The class of each row of the {@code classifier} case. */
  private static final int[] TARGETS = ints(FILE.get("targets"));

  /** Each case's expression, as PyTorch's in make_expressions.py. */
  private static final Map<String, Function<Map<String, Expr>, Expr>> EXPRESSIONS = Map.ofEntries(
      Map.entry("affine_relu", in -> in.get("x").matmul(in.get("w")).add(in.get("b")).relu()),
      Map.entry("column_scale", in -> in.get("x").mul(in.get("c")).sub(1).div(in.get("c").add(2))),
      Map.entry("outer_sum", in -> in.get("a").add(in.get("b")).mul(2).tanh()),
      Map.entry("rank_zero", in -> in.get("s").mul(in.get("x")).add(in.get("s").pow(2)).add(in.get("one"))),
      Map.entry("attention", in -> in.get("q").matmul(in.get("k").transpose()).div(2).softmax().matmul(in.get("v"))),
      Map.entry("nll", in -> in.get("z").logSoftmax().mul(in.get("onehot")).mean().neg().mul(3)),
      Map.entry("softplus_rows", in -> in.get("x").exp().add(1).log().sum(-1, false)),
      Map.entry("normalise", in -> in.get("x").div(in.get("x").pow(2).sum(-1, true).add(0.001f).sqrt())),
      Map.entry("powers", in -> in.get("x").neg().pow(3).add(in.get("x").pow(-1)).add(in.get("p").pow(0.5f))
          .add(in.get("p").pow(-1.5f))),
      Map.entry("centre", in -> in.get("x").sub(in.get("x").mean(0, true)).sum(1, false)),
      Map.entry("gate", in -> in.get("a").sigmoid().mul(in.get("b"))
          .add(in.get("a").sigmoid().rsub(1).mul(in.get("c")))),
      Map.entry("batched_transpose", in -> in.get("x").transpose().mul(in.get("w")).sum(-1, false)
          .div(in.get("x").mean())),
      Map.entry("micrograd", ExprReferenceTest::micrograd),
      Map.entry("classifier", in -> in.get("x").matmul(in.get("w1")).add(in.get("b1")).relu().matmul(in.get("w2"))
          .add(in.get("b2")).crossEntropy(TARGETS)));

  private static double worstRelativeError;
  private static String worstAt = "";

  /** micrograd's test_more_ops, line for line. */
  private static Expr micrograd(Map<String, Expr> in) {
    Expr a = in.get("a");
    Expr b = in.get("b");
    Expr c = a.add(b);
    Expr d = a.mul(b).add(b.pow(3));
    c = c.add(c).add(1);
    c = c.add(1).add(c).add(a.neg());
    d = d.add(d.mul(2)).add(b.add(a).relu());
    d = d.add(d.mul(3)).add(b.sub(a).relu());
    Expr e = c.sub(d);
    Expr f = e.pow(2);
    Expr g = f.div(2);
    return g.add(f.rdiv(10));
  }

  static Stream<Arguments> cases() {
    return list(FILE.get("cases")).stream().map(c -> Arguments.of(((Map<?, ?>) c).get("name"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valuesAndGradientsMatchPyTorch(String name, Map<String, Object> c) {
    assertTrue(EXPRESSIONS.containsKey(name), "no Java expression for case " + name);
    Tape tape = new Tape();
    Map<String, Variable> leaves = new LinkedHashMap<>();
    Map<String, Expr> in = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object(c.get("inputs")).entrySet()) {
      Map<String, Object> input = object(e.getValue());
      Tensor value = tensor(input);
      Variable v = Boolean.TRUE.equals(input.get("requires_grad")) ? Variable.parameter(e.getKey(), value)
          : Variable.constant(value);
      leaves.put(e.getKey(), v);
      in.put(e.getKey(), Expr.of(tape, v));
    }
    Expr out = EXPRESSIONS.get(name).apply(in);
    check(name + ": output", object(c.get("output")), out.value());
    tape.backward(out.variable(), tensor(object(c.get("seed"))), false);
    Map<String, Object> grads = object(c.get("grads"));
    assertEquals(grads.keySet(), leaves.entrySet().stream().filter(e -> e.getValue().requiresGrad())
        .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()), name + ": inputs with a gradient");
    for (Map.Entry<String, Object> g : grads.entrySet()) {
      check(name + ": d" + g.getKey(), object(g.getValue()), leaves.get(g.getKey()).grad());
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("expression suite vs PyTorch: worst relative error %.2e (%s)%n", worstRelativeError, worstAt);
  }

  /** Compares shape and values, and records the worst relative error past the absolute floor. */
  private static void check(String what, Map<String, Object> expected, Tensor actual) {
    assertEquals(Shape.of(ints(expected.get("shape"))), actual.shape(), what + ": shape");
    List<Object> data = list(expected.get("data"));
    for (int i = 0; i < data.size(); i++) {
      double e = ((Number) data.get(i)).doubleValue();
      double a = actual.storage()[i];
      double error = Math.abs(a - e);
      double relative = error / Math.max(Math.abs(e), ATOL / RTOL);
      if (relative > worstRelativeError) {
        worstRelativeError = relative;
        worstAt = what + "[" + i + "]";
      }
      assertTrue(error <= ATOL + RTOL * Math.abs(e), what + "[" + i + "]: expected " + e + ", got " + a);
    }
  }

  private static Tensor tensor(Map<String, Object> entry) {
    List<Object> data = list(entry.get("data"));
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((Number) data.get(i)).floatValue();
    }
    int[] dims = ints(entry.get("shape"));
    return dims.length == 0 ? Tensor.scalar(values[0]) : Tensor.of(values, dims);
  }

  private static int[] ints(Object list) {
    return list(list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> load(String path) {
    try (InputStream in = ExprReferenceTest.class.getResourceAsStream(path)) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

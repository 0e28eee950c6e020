package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.FusedRecurrent;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tape-free {@link RecurrentStepper} computes, one step at a time, what
 * {@link Recurrent#forward} computes over the whole sequence at batch 1, for every cell and with
 * either implementation: every step's h and, at the end, every layer's h (and c). The two differ
 * only in summation order (matrix-vector against matrix-matrix products), so they agree to about
 * 1e-5 relative.
 */
class RecurrentStepperTest {

  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-6;

  /** One model and sequence size: input width, hidden width, layers, steps. */
  record Size(int in, int hidden, int layers, int steps) {
    /** {@return a seed for this size's weights} */
    long seed() {
      return ((in * 31L + hidden) * 31L + layers) * 31L + steps;
    }

    @Override
    public String toString() {
      return "in " + in + ", hidden " + hidden + ", " + layers + (layers == 1 ? " layer" : " layers") + ", "
          + steps + (steps == 1 ? " step" : " steps");
    }
  }

  static Stream<Arguments> cases() {
    List<Size> sizes = List.of(new Size(3, 5, 1, 7), new Size(1, 1, 1, 1), new Size(5, 3, 2, 6),
        new Size(2, 1, 2, 4), new Size(4, 6, 3, 5), new Size(17, 9, 2, 8));
    List<Arguments> out = new ArrayList<>();
    for (CellKind kind : CellKind.values()) {
      for (Implementation implementation : Implementation.values()) {
        for (Size size : sizes) {
          out.add(Arguments.of(kind, implementation, size));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void steppingOneCharAtATimeMatchesTheBatchedForward(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed()));
    float[] x = oneHotChars(new SplittableRandom(11), size);
    assertMatchesForward("from zeros", layer, RecurrentStepper.of(layer), x, null, null, implementation);
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void steppingFromASetStateMatchesTheForwardFromThatState(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed() + 1));
    SplittableRandom random = new SplittableRandom(12);
    float[] x = Tensor.uniform(random, -1f, 1f, size.steps() * size.in()).storage();
    List<float[]> h0 = new ArrayList<>();
    List<float[]> c0 = kind == CellKind.LSTM ? new ArrayList<>() : null;
    for (int k = 0; k < size.layers(); k++) {
      h0.add(Tensor.uniform(random, -1f, 1f, size.hidden()).storage());
      if (c0 != null) {
        // a cell state is not bounded by tanh: let it reach beyond ±1
        c0.add(Tensor.uniform(random, -2f, 2f, size.hidden()).storage());
      }
    }
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    // a state left over from earlier steps, which setState must replace entirely
    stepper.step(x, 0);
    stepper.setState(h0, c0);
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(h0.get(k), stepper.hidden(k), "h of layer " + k + " after setState");
      if (c0 != null) {
        assertArrayEquals(c0.get(k), stepper.cell(k), "c of layer " + k + " after setState");
      }
    }
    assertMatchesForward("from a set state", layer, stepper, x, h0, c0, implementation);
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void resetReturnsToTheZeroState(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed() + 2));
    float[] x = oneHotChars(new SplittableRandom(13), size);
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    for (int t = 0; t < size.steps(); t++) {
      stepper.step(x, t * size.in());
    }
    stepper.reset();
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(new float[size.hidden()], stepper.hidden(k), "h of layer " + k + " after reset");
      if (kind == CellKind.LSTM) {
        assertArrayEquals(new float[size.hidden()], stepper.cell(k), "c of layer " + k + " after reset");
      }
    }
    assertMatchesForward("after reset", layer, stepper, x, null, null, implementation);
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void seesParameterUpdatesMadeAfterItWasCreated(CellKind kind) {
    Recurrent layer = Recurrent.create(kind, 3, 4, 2, new SplittableRandom(21));
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    SplittableRandom random = new SplittableRandom(22);
    for (Variable p : layer.parameters()) {
      p.value().copyFrom(Tensor.uniform(random, -1f, 1f, p.shape().dims()));
    }
    float[] x = oneHotChars(new SplittableRandom(23), new Size(3, 4, 2, 5));
    assertMatchesForward("after an update", layer, stepper, x, null, null, Implementation.REFERENCE);
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void stepReturnsTheLastLayersLiveHiddenState(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 2, new SplittableRandom(24)));
    assertSame(stepper.hidden(1), stepper.step(new float[] {1f, 0f}, 0));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void rejectsABadStateNamingItAndLeavesEveryStateAlone(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 2, new SplittableRandom(26)));
    stepper.step(new float[] {0f, 1f}, 0);
    boolean lstm = kind == CellKind.LSTM;
    List<float[]> before = state(stepper, lstm);
    List<float[]> good = List.of(new float[] {1f, 2f, 3f}, new float[] {4f, 5f, 6f});
    List<float[]> goodC = lstm ? good : null;
    // layer 0 is good in each case, so a stepper that copied before checking would change it
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> stepper.setState(List.of(new float[] {1f, 2f, 3f}, new float[2]), goodC), "h of layer 1 has 2 values",
        "need 3");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(List.of(new float[3]), goodC),
        "1 h states for 2 layers");
    if (lstm) {
      assertThrowsWithMessage(IllegalArgumentException.class,
          () -> stepper.setState(good, List.of(new float[] {4f, 5f, 6f}, new float[4])), "c of layer 1 has 4 values",
          "need 3");
      assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(good, null),
          "LSTM needs a cell state");
    } else {
      assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(good, good),
          kind + " has no cell state");
      assertThrows(IllegalStateException.class, () -> stepper.cell(0));
    }
    List<float[]> after = state(stepper, lstm);
    for (int s = 0; s < before.size(); s++) {
      assertArrayEquals(before.get(s), after.get(s), "state " + s + " is unchanged");
    }
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void gatesOfTheLastStepFollowTheCellsEquations(CellKind kind) {
    int in = 3;
    int hidden = 4;
    int layers = 2;
    Recurrent layer = Recurrent.create(kind, in, hidden, layers, new SplittableRandom(31));
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    SplittableRandom random = new SplittableRandom(32);
    // two steps from zeros, so the step checked starts from a state that is not zero
    for (int t = 0; t < 2; t++) {
      stepper.step(Tensor.uniform(random, -1f, 1f, in).storage(), 0);
    }
    List<float[]> hBefore = new ArrayList<>();
    List<float[]> cBefore = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      hBefore.add(stepper.hidden(k).clone());
      cBefore.add(kind == CellKind.LSTM ? stepper.cell(k).clone() : null);
    }
    float[] x = Tensor.uniform(random, -1f, 1f, in).storage();
    stepper.step(x, 0);

    float[] input = x;
    for (int k = 0; k < layers; k++) {
      RecurrentCell cell = layer.cells().get(k);
      // gi = W_ih x + b_ih, gh = W_hh h + b_hh, in double, block by block in PyTorch's gate order
      double[] gi = affine(cell.weightIh().value(), cell.biasIh().value(), input);
      double[] gh = affine(cell.weightHh().value(), cell.biasHh().value(), hBefore.get(k));
      float[] h = hBefore.get(k);
      String where = kind + " layer " + k;
      switch (kind) {
        case GRU -> {
          float[] r = stepper.gate(k, "r");
          float[] z = stepper.gate(k, "z");
          float[] n = stepper.gate(k, "n");
          for (int j = 0; j < hidden; j++) {
            double rj = sigmoid(gi[j] + gh[j]);
            double zj = sigmoid(gi[hidden + j] + gh[hidden + j]);
            double nj = Math.tanh(gi[2 * hidden + j] + rj * gh[2 * hidden + j]);
            assertClose(where + " r", rj, r[j]);
            assertClose(where + " z", zj, z[j]);
            assertClose(where + " n", nj, n[j]);
            // h' = (1 − z) ⊙ n + z ⊙ h, from the gates the stepper reports
            assertClose(where + " h'", (1 - z[j]) * n[j] + z[j] * h[j], stepper.hidden(k)[j]);
          }
        }
        case LSTM -> {
          float[] i = stepper.gate(k, "i");
          float[] f = stepper.gate(k, "f");
          float[] g = stepper.gate(k, "g");
          float[] o = stepper.gate(k, "o");
          for (int j = 0; j < hidden; j++) {
            assertClose(where + " i", sigmoid(gi[j] + gh[j]), i[j]);
            assertClose(where + " f", sigmoid(gi[hidden + j] + gh[hidden + j]), f[j]);
            assertClose(where + " g", Math.tanh(gi[2 * hidden + j] + gh[2 * hidden + j]), g[j]);
            assertClose(where + " o", sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]), o[j]);
            // c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')
            double c = f[j] * cBefore.get(k)[j] + i[j] * g[j];
            assertClose(where + " c'", c, stepper.cell(k)[j]);
            assertClose(where + " h'", o[j] * Math.tanh(c), stepper.hidden(k)[j]);
          }
        }
        case RNN -> {
          for (int j = 0; j < hidden; j++) {
            assertClose(where + " h'", Math.tanh(gi[j] + gh[j]), stepper.hidden(k)[j]);
          }
        }
      }
      input = stepper.hidden(k);
    }
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void gateNamesArePyTorchsInTheOrderTheWeightsStackThem(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 1, new SplittableRandom(33)));
    List<String> expected = switch (kind) {
      case GRU -> List.of("r", "z", "n");
      case LSTM -> List.of("i", "f", "g", "o");
      case RNN -> List.of();
    };
    assertEquals(expected, stepper.gateNames());
    assertEquals(kind == CellKind.RNN ? 0 : kind.gates(), stepper.gateNames().size());
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void gateRefusesAnUnknownNameALayerOutOfRangeAndAStepperThatHasNotStepped(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 2, new SplittableRandom(34)));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.gate(0, "x"), kind + " has no gate 'x'",
        "its gates are " + stepper.gateNames());
    if (kind == CellKind.RNN) {
      return;
    }
    String first = stepper.gateNames().get(0);
    assertThrowsWithMessage(IllegalStateException.class, () -> stepper.gate(0, first), "no single step");
    stepper.step(new float[] {1f, 0f}, 0);
    assertThrows(IndexOutOfBoundsException.class, () -> stepper.gate(2, first));
    float[] gate = stepper.gate(1, first);
    // a copy: writing into it changes nothing the stepper reports
    gate[0] = 42f;
    assertNotEquals(42f, stepper.gate(1, first)[0]);
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void stepGateRefusesAWorkspaceLastUsedForABatchedForward(CellKind kind) {
    FusedRecurrent.Workspace work = new FusedRecurrent.Workspace();
    Recurrent layer = Recurrent.create(kind, 2, 3, 1, new SplittableRandom(35));
    RecurrentCell cell = layer.cells().get(0);
    Variable h0 = Variable.constant(Tensor.zeros(2, 3));
    Variable c0 = kind == CellKind.LSTM ? Variable.constant(Tensor.zeros(2, 3)) : null;
    FusedRecurrent.apply(new Tape(), kind, Variable.constant(Tensor.zeros(2, 4, 2)), h0, c0, cell.weightIh(),
        cell.weightHh(), cell.biasIh(), cell.biasHh(), work);
    assertThrowsWithMessage(IllegalStateException.class, () -> work.stepGate(0), "no single step");
  }

  /** Returns W v + b in double. */
  private static double[] affine(Tensor weight, Tensor bias, float[] v) {
    int rows = weight.shape().dim(0);
    int cols = weight.shape().dim(1);
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double sum = bias.storage()[i];
      for (int j = 0; j < cols; j++) {
        sum += (double) weight.storage()[i * cols + j] * v[j];
      }
      out[i] = sum;
    }
    return out;
  }

  private static double sigmoid(double a) {
    return 1 / (1 + Math.exp(-a));
  }

  private static void assertClose(String what, double expected, float actual) {
    assertEquals(expected, actual, RTOL * Math.abs(expected) + ATOL, what);
  }

  private static List<float[]> state(RecurrentStepper stepper, boolean lstm) {
    List<float[]> out = new ArrayList<>(List.of(stepper.hidden(0).clone(), stepper.hidden(1).clone()));
    if (lstm) {
      out.addAll(List.of(stepper.cell(0).clone(), stepper.cell(1).clone()));
    }
    return out;
  }

  /**
   * Steps {@code stepper} (already in state (h0, c0), or zeros) through x and checks every step's
   * output and, at the end, every layer's state against one batched forward from (h0, c0).
   */
  private static void assertMatchesForward(String what, Recurrent layer, RecurrentStepper stepper, float[] x,
      List<float[]> h0, List<float[]> c0, Implementation implementation) {
    int in = layer.inputSize();
    int hidden = layer.hidden();
    int steps = x.length / in;
    List<State> initial = null;
    if (h0 != null) {
      initial = new ArrayList<>();
      for (int k = 0; k < h0.size(); k++) {
        initial.add(new State(Variable.constant(Tensor.of(h0.get(k), 1, hidden)),
            c0 == null ? null : Variable.constant(Tensor.of(c0.get(k), 1, hidden))));
      }
    }
    Recurrent.Output out = layer.forward(new Tape(), Variable.constant(Tensor.of(x, 1, steps, in)), initial,
        implementation);
    float[] all = out.output().value().storage();
    for (int t = 0; t < steps; t++) {
      float[] expected = new float[hidden];
      System.arraycopy(all, t * hidden, expected, 0, hidden);
      AllClose.check(what + ", step " + t, expected, stepper.step(x, t * in), RTOL, ATOL);
    }
    for (int k = 0; k < layer.layers(); k++) {
      State s = out.states().get(k);
      AllClose.check(what + ", final h of layer " + k, s.h().value().storage(), stepper.hidden(k), RTOL, ATOL);
      if (s.c() != null) {
        AllClose.check(what + ", final c of layer " + k, s.c().value().storage(), stepper.cell(k), RTOL, ATOL);
      }
    }
  }

  /** Returns {@code size.steps()} random one-hot characters of width {@code size.in()}, back to back. */
  private static float[] oneHotChars(SplittableRandom random, Size size) {
    float[] x = new float[size.steps() * size.in()];
    for (int t = 0; t < size.steps(); t++) {
      x[t * size.in() + random.nextInt(size.in())] = 1f;
    }
    return x;
  }
}

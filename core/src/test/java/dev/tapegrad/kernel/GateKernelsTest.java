package dev.tapegrad.kernel;

import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Backend;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each cell's gate doors (the SIMD twin on the row's whole vectors and the scalar reference on the
 * rest, or the reference alone on the scalar path) against the scalar reference on the whole row,
 * forward and backward, for widths around the vector width. The twins use polynomial σ and tanh
 * and fused multiply-adds, so they agree to a few ulp, not bit for bit; inputs reach ±6, where the
 * gates saturate.
 */
class GateKernelsTest {

  private static final double RTOL = 2e-6;
  private static final double ATOL = 2e-7;

  /** A cell's shape (gate blocks, saved blocks, states) and its four kernels. */
  private record Cell(String name, int gates, int savedBlocks, int states, Door forward, Reference forwardReference,
      Door backward, Reference backwardReference) {}

  private interface Door {
    void run(RecurrentBuffers s);
  }

  private interface Reference {
    void run(RecurrentBuffers s, int from);
  }

  private static final List<Cell> CELLS = List.of(
      new Cell("GRU", 3, 4, 1, GateKernels::gruForward, GateKernels::gruForwardReference, GateKernels::gruBackward,
          GateKernels::gruBackwardReference),
      new Cell("LSTM", 4, 5, 2, GateKernels::lstmForward, GateKernels::lstmForwardReference,
          GateKernels::lstmBackward, GateKernels::lstmBackwardReference),
      new Cell("RNN", 1, 0, 1, GateKernels::rnnForward, GateKernels::rnnForwardReference, GateKernels::rnnBackward,
          GateKernels::rnnBackwardReference));

  /** One row of one step's buffers, filled from a seed. */
  private static RecurrentBuffers row(Cell cell, int hidden, long seed) {
    RecurrentBuffers s = new RecurrentBuffers().prepare(cell.gates(), cell.savedBlocks(), 2, 1, 1, hidden)
        .prepareBackward();
    SplittableRandom random = new SplittableRandom(seed);
    fill(random, s.gi, 6f);
    fill(random, s.gh, 6f);
    fill(random, s.h, 1f);
    fill(random, s.c, 2f);
    fill(random, s.dh, 1f);
    fill(random, s.dc, 1f);
    return s.at(0, 0);
  }

  private static void fill(SplittableRandom random, float[] x, float scale) {
    System.arraycopy(Tensor.uniform(random, -scale, scale, x.length).data(), 0, x, 0, x.length);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 9, 15, 16, 17, 37, 64, 100})
  void gateDoorsMatchTheScalarReferenceForEveryCell(int hidden) {
    for (Cell cell : CELLS) {
      String what = cell.name() + " H=" + hidden + " (" + Backend.current() + ")";
      RecurrentBuffers door = row(cell, hidden, hidden * 31L + cell.gates());
      RecurrentBuffers reference = row(cell, hidden, hidden * 31L + cell.gates());
      cell.forward().run(door);
      cell.forwardReference().run(reference, 0);
      AllClose.check(what + " h'", reference.h, door.h, RTOL, ATOL);
      AllClose.check(what + " c'", reference.c, door.c, RTOL, ATOL);
      AllClose.check(what + " saved", reference.saved, door.saved, RTOL, ATOL);
      // backward from the same saved activations, the reference's
      door.saved = reference.saved.clone();
      System.arraycopy(reference.h, 0, door.h, 0, door.h.length);
      cell.backward().run(door);
      cell.backwardReference().run(reference, 0);
      AllClose.check(what + " dGi", reference.dGi, door.dGi, RTOL, ATOL);
      AllClose.check(what + " dGh", reference.dGh, door.dGh, RTOL, ATOL);
      AllClose.check(what + " dhPrev", reference.dhPrev, door.dhPrev, RTOL, ATOL);
      AllClose.check(what + " dcPrev", reference.dcPrev, door.dcPrev, RTOL, ATOL);
    }
  }
}

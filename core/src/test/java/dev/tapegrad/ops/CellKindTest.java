package dev.tapegrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.kernel.RecurrentBuffers;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Backend;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gate math of each cell as the layer runs it (the SIMD kernel on the row's whole vectors and
 * the scalar reference on the rest, or the reference alone on the scalar path) against the scalar
 * reference on the whole row, forward and backward, for widths around the vector width. The SIMD
 * kernels use polynomial σ and tanh and fused multiply-adds, so they agree to a few ulp, not bit
 * for bit; inputs reach ±6, where the gates saturate.
 */
class CellKindTest {

  private static final double RTOL = 2e-6;
  private static final double ATOL = 2e-7;

  /** One row of one step's buffers, filled from a seed. */
  private static final class Row extends RecurrentBuffers {
    Row(CellKind kind, int hidden, long seed) {
      size(kind.gates(), kind.savedBlocks(), 1, 1, hidden);
      SplittableRandom random = new SplittableRandom(seed);
      int gates = kind.gates() * hidden;
      gi = values(random, gates, 6f);
      gh = values(random, gates, 6f);
      h = values(random, 2 * hidden, 1f);
      c = values(random, 2 * hidden, 2f);
      saved = new float[kind.savedBlocks() * hidden];
      scratch = new float[hidden];
      dh = values(random, hidden, 1f);
      dc = values(random, hidden, 1f);
      dGi = new float[gates];
      dGh = new float[gates];
      dhPrev = new float[hidden];
      dcPrev = new float[hidden];
      at(0, 0);
    }

    private static float[] values(SplittableRandom random, int size, float scale) {
      return Tensor.uniform(random, -scale, scale, Math.max(size, 1)).data();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 9, 15, 16, 17, 37, 64, 100})
  void layerGateMathMatchesTheScalarReferenceForEveryCell(int hidden) {
    for (CellKind kind : CellKind.values()) {
      String what = kind + " H=" + hidden + " (" + Backend.current() + ")";
      Row layer = new Row(kind, hidden, hidden * 31L + kind.ordinal());
      Row reference = new Row(kind, hidden, hidden * 31L + kind.ordinal());
      kind.forward(layer);
      kind.forwardFrom(reference, 0);
      AllClose.check(what + " h'", reference.h, layer.h, RTOL, ATOL);
      AllClose.check(what + " c'", reference.c, layer.c, RTOL, ATOL);
      AllClose.check(what + " saved", reference.saved, layer.saved, RTOL, ATOL);
      // backward from the same saved activations, the reference's
      layer.saved = reference.saved.clone();
      System.arraycopy(reference.h, 0, layer.h, 0, layer.h.length);
      kind.backward(layer);
      kind.backwardFrom(reference, 0);
      for (String name : List.of("dGi", "dGh", "dhPrev", "dcPrev")) {
        AllClose.check(what + " " + name, array(reference, name), array(layer, name), RTOL, ATOL);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void idsParseBackInAnyCaseAndUnknownOnesNameTheChoices(CellKind kind) {
    assertEquals(kind, CellKind.parse(kind.id().toUpperCase(java.util.Locale.ROOT)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellKind.parse("tcn"));
    assertEquals("unknown cell 'tcn': choose gru, lstm or rnn", e.getMessage());
  }

  private static float[] array(RecurrentBuffers s, String name) {
    return switch (name) {
      case "dGi" -> s.dGi;
      case "dGh" -> s.dGh;
      case "dhPrev" -> s.dhPrev;
      default -> s.dcPrev;
    };
  }
}

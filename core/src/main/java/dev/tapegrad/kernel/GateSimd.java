package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API versions of the recurrent cells' gate math, one batch row of one step at a time,
 * reading and writing {@link RecurrentBuffers} at the row {@link RecurrentBuffers#at} chose. Each
 * method is identical to its scalar reference in {@link GateKernels} except that it does L hidden units per
 * step, with {@link VectorMath}'s σ and tanh instead of {@link Math#tanh} and
 * {@link ElementwiseKernels#sigmoid} (within a few ulp of them), and fused multiply-adds where the
 * reference multiplies and adds. The forward kernels run in passes over the row, a loop for each
 * elementwise stage, so that no vector crosses a call C2 might not inline. Each stops at the last
 * whole vector and returns where it stopped: the door runs the scalar reference over the remaining
 * {@code hidden mod L} units, so each unit is always computed the same way. Reached only from its
 * family's door, when {@link Vectors#ON}.
 */
public final class GateSimd {

  private GateSimd() {}

  /**
   * The GRU's forward: r, z, n and h' from gi, gh and h; saves r, z, n and ghn. In passes over the
   * row, each an elementwise loop: the pre-activations, σ and tanh in place ({@link VectorMath}),
   * then the new state.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int gruForward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    int r = s.savedAt;
    int z = r + hidden;
    int n = z + hidden;
    int ghn = n + hidden;
    float[] saved = s.saved;
    // r = σ(gi_r + gh_r), z = σ(gi_z + gh_z)
    add(s.gi, s.giAt, s.gh, s.ghAt, saved, r, bound);
    add(s.gi, s.giAt + hidden, s.gh, s.ghAt + hidden, saved, z, bound);
    VectorMath.sigmoid(saved, r, saved, r, bound, s.scratch);
    VectorMath.sigmoid(saved, z, saved, z, bound, s.scratch);
    // n = tanh(gi_n + r ⊙ ghn), ghn = W_hn h + b_hn saved for backward
    for (int j = 0; j < bound; j += LANES) {
      FloatVector g = FloatVector.fromArray(SPECIES, s.gh, s.ghAt + 2 * hidden + j);
      g.intoArray(saved, ghn + j);
      FloatVector.fromArray(SPECIES, saved, r + j).fma(g, FloatVector.fromArray(SPECIES, s.gi, s.giAt + 2 * hidden + j))
          .intoArray(saved, n + j);
    }
    VectorMath.tanh(saved, n, saved, n, bound, s.scratch);
    // h' = (1 − z) ⊙ n + z ⊙ h, as n + z ⊙ (h − n)
    for (int j = 0; j < bound; j += LANES) {
      FloatVector nv = FloatVector.fromArray(SPECIES, saved, n + j);
      FloatVector hv = FloatVector.fromArray(SPECIES, s.h, s.prevAt + j);
      FloatVector.fromArray(SPECIES, saved, z + j).fma(hv.sub(nv), nv).intoArray(s.h, s.nextAt + j);
    }
    return bound;
  }

  /**
   * The GRU's backward: dgi, dgh and the direct part of dh from dh and what forward saved.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int gruBackward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    float[] saved = s.saved;
    for (int j = 0; j < bound; j += LANES) {
      FloatVector dh = load(s.dh, s.rowAt + j);
      FloatVector r = load(saved, s.savedAt + j);
      FloatVector z = load(saved, s.savedAt + hidden + j);
      FloatVector n = load(saved, s.savedAt + 2 * hidden + j);
      // dn = dh'(1 − z), dz = dh'(h − n), direct dh = dh' z
      FloatVector dn = dh.sub(dh.mul(z));
      FloatVector dz = dh.mul(load(s.h, s.prevAt + j).sub(n));
      dh.mul(z).intoArray(s.dhPrev, s.rowAt + j);
      // da_n = dn (1 − n²); dr = da_n ghn; dghn = da_n r; da = d σ (1 − σ)
      FloatVector daN = dn.sub(dn.mul(n.mul(n)));
      FloatVector dr = daN.mul(load(saved, s.savedAt + 3 * hidden + j));
      FloatVector daZ = dz.mul(z).mul(z.neg().add(1f));
      FloatVector daR = dr.mul(r).mul(r.neg().add(1f));
      daR.intoArray(s.dGi, s.giAt + j);
      daR.intoArray(s.dGh, s.ghAt + j);
      daZ.intoArray(s.dGi, s.giAt + hidden + j);
      daZ.intoArray(s.dGh, s.ghAt + hidden + j);
      daN.intoArray(s.dGi, s.giAt + 2 * hidden + j);
      daN.mul(r).intoArray(s.dGh, s.ghAt + 2 * hidden + j);
    }
    return bound;
  }

  /**
   * The LSTM's forward: i, f, g, o, c' and h' from gi, gh and c; saves i, f, g, o and tanh(c'). In
   * passes over the row, as {@link #gruForward}.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int lstmForward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    float[] saved = s.saved;
    int i = s.savedAt;
    int f = i + hidden;
    int g = f + hidden;
    int o = g + hidden;
    int tanhC = o + hidden;
    // i, f, o = σ(gi + gh) and g = tanh(gi + gh), block by block
    for (int block = 0; block < 4; block++) {
      add(s.gi, s.giAt + block * hidden, s.gh, s.ghAt + block * hidden, saved, i + block * hidden, bound);
    }
    VectorMath.sigmoid(saved, i, saved, i, bound, s.scratch);
    VectorMath.sigmoid(saved, f, saved, f, bound, s.scratch);
    VectorMath.tanh(saved, g, saved, g, bound, s.scratch);
    VectorMath.sigmoid(saved, o, saved, o, bound, s.scratch);
    // c' = f ⊙ c + i ⊙ g
    for (int j = 0; j < bound; j += LANES) {
      FloatVector iv = FloatVector.fromArray(SPECIES, saved, i + j);
      FloatVector gv = FloatVector.fromArray(SPECIES, saved, g + j);
      FloatVector.fromArray(SPECIES, saved, f + j).fma(FloatVector.fromArray(SPECIES, s.c, s.prevAt + j), iv.mul(gv))
          .intoArray(s.c, s.nextAt + j);
    }
    // h' = o ⊙ tanh(c')
    VectorMath.tanh(s.c, s.nextAt, saved, tanhC, bound, s.scratch);
    for (int j = 0; j < bound; j += LANES) {
      FloatVector.fromArray(SPECIES, saved, o + j).mul(FloatVector.fromArray(SPECIES, saved, tanhC + j))
          .intoArray(s.h, s.nextAt + j);
    }
    return bound;
  }

  /**
   * The LSTM's backward: dgi = dgh and the gradient on c from dh, dc and what forward saved; no
   * direct part of dh.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int lstmBackward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    float[] saved = s.saved;
    FloatVector zero = FloatVector.zero(SPECIES);
    for (int j = 0; j < bound; j += LANES) {
      FloatVector dh = load(s.dh, s.rowAt + j);
      FloatVector i = load(saved, s.savedAt + j);
      FloatVector f = load(saved, s.savedAt + hidden + j);
      FloatVector g = load(saved, s.savedAt + 2 * hidden + j);
      FloatVector o = load(saved, s.savedAt + 3 * hidden + j);
      FloatVector tanhC = load(saved, s.savedAt + 4 * hidden + j);
      // do = dh' tanh(c'), dc' += dh' o (1 − tanh²(c'))
      FloatVector dO = dh.mul(tanhC);
      FloatVector dC = dh.mul(o).fma(tanhC.mul(tanhC).neg().add(1f), load(s.dc, s.rowAt + j));
      // dc_{t−1} = dc' f; di = dc' g, dg = dc' i, df = dc' c
      dC.mul(f).intoArray(s.dcPrev, s.rowAt + j);
      zero.intoArray(s.dhPrev, s.rowAt + j);
      store(dC.mul(g).mul(i).mul(i.neg().add(1f)), s, j);
      store(dC.mul(load(s.c, s.prevAt + j)).mul(f).mul(f.neg().add(1f)), s, hidden + j);
      store(dC.mul(i).mul(g.mul(g).neg().add(1f)), s, 2 * hidden + j);
      store(dO.mul(o).mul(o.neg().add(1f)), s, 3 * hidden + j);
    }
    return bound;
  }

  /**
   * The plain RNN's forward: h' = tanh(gi + gh).
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int rnnForward(RecurrentBuffers s) {
    int bound = SPECIES.loopBound(s.hidden);
    add(s.gi, s.giAt, s.gh, s.ghAt, s.h, s.nextAt, bound);
    return VectorMath.tanh(s.h, s.nextAt, s.h, s.nextAt, bound, s.scratch);
  }

  /**
   * The plain RNN's backward: dgi = dgh = dh' (1 − h'²); no direct part of dh.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int rnnBackward(RecurrentBuffers s) {
    int bound = SPECIES.loopBound(s.hidden);
    FloatVector zero = FloatVector.zero(SPECIES);
    for (int j = 0; j < bound; j += LANES) {
      FloatVector h = load(s.h, s.nextAt + j);
      FloatVector dh = load(s.dh, s.rowAt + j);
      store(dh.sub(dh.mul(h.mul(h))), s, j);
      zero.intoArray(s.dhPrev, s.rowAt + j);
    }
    return bound;
  }

  /** {@code y[i] = a[i] + b[i]} for i &lt; n, n a multiple of L. */
  private static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i += LANES) {
      FloatVector.fromArray(SPECIES, a, aOff + i).add(FloatVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(y, yOff + i);
    }
  }

  private static FloatVector load(float[] a, int i) {
    return FloatVector.fromArray(SPECIES, a, i);
  }

  /** Stores one pre-activation gradient that feeds both projections: dgi and dgh at column {@code col}. */
  private static void store(FloatVector d, RecurrentBuffers s, int col) {
    d.intoArray(s.dGi, s.giAt + col);
    d.intoArray(s.dGh, s.ghAt + col);
  }
}

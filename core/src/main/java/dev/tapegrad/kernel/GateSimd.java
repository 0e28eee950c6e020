package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the recurrent cells' gate math, one batch row of one step at a time,
 * reading and writing {@link RecurrentBuffers} at the row {@link RecurrentBuffers#at} chose. Each
 * method is identical to the scalar reference in {@code dev.tapegrad.ops.CellKind} (the same
 * equations, written there with the math in javadoc) except that it does L hidden units per
 * step, with {@link VectorMath}'s σ and tanh instead of {@link Math#tanh} and
 * {@link ElementwiseKernels#sigmoid} (within a few ulp of them), and fused multiply-adds where the
 * reference multiplies and adds. It stops at the last whole vector and returns where it stopped:
 * the caller runs the scalar reference over the remaining {@code hidden mod L} units, so each unit
 * is always computed the same way. Reached only after the module check in {@link Kernels}.
 */
public final class GateSimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

  private GateSimd() {}

  /**
   * The GRU's forward: r, z, n and h' from gi, gh and h; saves r, z, n and ghn.
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int gruForward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    float[] gi = s.gi;
    float[] gh = s.gh;
    float[] saved = s.saved;
    for (int j = 0; j < bound; j += LANES) {
      // r = σ(gi_r + gh_r), z = σ(gi_z + gh_z)
      FloatVector r = VectorMath.sigmoid(load(gi, s.giAt + j).add(load(gh, s.ghAt + j)));
      FloatVector z = VectorMath.sigmoid(load(gi, s.giAt + hidden + j).add(load(gh, s.ghAt + hidden + j)));
      // n = tanh(gi_n + r ⊙ ghn)
      FloatVector ghn = load(gh, s.ghAt + 2 * hidden + j);
      FloatVector n = VectorMath.tanh(r.fma(ghn, load(gi, s.giAt + 2 * hidden + j)));
      // h' = (1 − z) ⊙ n + z ⊙ h, as n + z ⊙ (h − n)
      z.fma(load(s.h, s.prevAt + j).sub(n), n).intoArray(s.h, s.nextAt + j);
      r.intoArray(saved, s.savedAt + j);
      z.intoArray(saved, s.savedAt + hidden + j);
      n.intoArray(saved, s.savedAt + 2 * hidden + j);
      ghn.intoArray(saved, s.savedAt + 3 * hidden + j);
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
   * The LSTM's forward: i, f, g, o, c' and h' from gi, gh and c; saves i, f, g, o and tanh(c').
   *
   * @param s the buffers, at the row to compute
   * @return the first hidden unit not computed
   */
  public static int lstmForward(RecurrentBuffers s) {
    int hidden = s.hidden;
    int bound = SPECIES.loopBound(hidden);
    float[] gi = s.gi;
    float[] gh = s.gh;
    float[] saved = s.saved;
    for (int j = 0; j < bound; j += LANES) {
      // i, f, o = σ(gi + gh), g = tanh(gi + gh), block by block
      FloatVector i = VectorMath.sigmoid(load(gi, s.giAt + j).add(load(gh, s.ghAt + j)));
      FloatVector f = VectorMath.sigmoid(load(gi, s.giAt + hidden + j).add(load(gh, s.ghAt + hidden + j)));
      FloatVector g = VectorMath.tanh(load(gi, s.giAt + 2 * hidden + j).add(load(gh, s.ghAt + 2 * hidden + j)));
      FloatVector o = VectorMath.sigmoid(load(gi, s.giAt + 3 * hidden + j).add(load(gh, s.ghAt + 3 * hidden + j)));
      // c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')
      FloatVector c = f.fma(load(s.c, s.prevAt + j), i.mul(g));
      FloatVector tanhC = VectorMath.tanh(c);
      c.intoArray(s.c, s.nextAt + j);
      o.mul(tanhC).intoArray(s.h, s.nextAt + j);
      i.intoArray(saved, s.savedAt + j);
      f.intoArray(saved, s.savedAt + hidden + j);
      g.intoArray(saved, s.savedAt + 2 * hidden + j);
      o.intoArray(saved, s.savedAt + 3 * hidden + j);
      tanhC.intoArray(saved, s.savedAt + 4 * hidden + j);
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
    for (int j = 0; j < bound; j += LANES) {
      VectorMath.tanh(load(s.gi, s.giAt + j).add(load(s.gh, s.ghAt + j))).intoArray(s.h, s.nextAt + j);
    }
    return bound;
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

  private static FloatVector load(float[] a, int i) {
    return FloatVector.fromArray(SPECIES, a, i);
  }

  /** Stores one pre-activation gradient that feeds both projections: dgi and dgh at column {@code col}. */
  private static void store(FloatVector d, RecurrentBuffers s, int col) {
    d.intoArray(s.dGi, s.giAt + col);
    d.intoArray(s.dGh, s.ghAt + col);
  }
}

package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.GruKernels;
import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * One GRU layer over a whole batch-first sequence, as a single tape entry with a hand-written
 * back-propagation through time. It computes exactly what {@code dev.tapegrad.nn.GruCell} composes
 * from primitive ops, step by step, and is tested against it.
 *
 * <p>Forward, PyTorch's equations and gate order (r, z, n), for t = 1 … L:
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * </pre>
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); h0 (N, H);
 * weightIh (3H, In) and weightHh (3H, H), rows stacked r | z | n; biasIh and biasHh (3H);
 * output (N, L, H), every h_t, batch-first.
 *
 * <p>How the work is arranged:
 * <ul>
 *   <li>the input projection {@code gi = x W_ihᵀ + b_ih} for all N·L positions is one matmul
 *       before the loop (it does not depend on h);</li>
 *   <li>each step makes one stacked 3H-wide hidden projection {@code gh = h W_hhᵀ + b_hh}
 *       (a matrix-vector product at batch 1), then the gate math of
 *       the reference gate loop in the internal {@code GruKernels};</li>
 *   <li>saved per step: r, z, n, g = W_hn h + b_hn (stored, not recomputed: 4·N·H floats a step
 *       buy a backward with no hidden-side matmul to redo), and every h_{t−1}.</li>
 * </ul>
 *
 * <p>Backward, per step from t = L down to 1, with dh' the gradient on h_t (from the output
 * plus what step t+1 sent back):
 * <pre>
 *   dn = dh' ⊙ (1 − z)        dz = dh' ⊙ (h − n)         direct part of dh = dh' ⊙ z
 *   da_n = dn ⊙ (1 − n²)
 *   dr = da_n ⊙ g             dg = da_n ⊙ r
 *   da_z = dz ⊙ z (1 − z)     da_r = dr ⊙ r (1 − r)
 *   dGi_t = [da_r | da_z | da_n]      (input side)
 *   dGh_t = [da_r | da_z | dg]        (hidden side: the reset gate scales W_hn h + b_hn,
 *                                     bias included, so the n part is dg, not da_n)
 *   dh_{t−1} = dh' ⊙ z + dGh_t W_hh
 * </pre>
 * The weight gradients are then one matmul each over the whole chunk, not a rank-1 update per
 * step: {@code dW_ih += dGiᵀ x}, {@code dW_hh += dGhᵀ H_prev}, {@code db_ih += Σ dGi},
 * {@code db_hh += Σ dGh}, {@code dx += dGi W_ih}, and {@code dh0 += dh_0}.
 */
public final class FusedGru {

  private FusedGru() {}

  /**
   * Buffers that one GRU layer reuses from call to call, so that steady-state training allocates
   * almost nothing per step. A forward that records on a tape lends the buffers to its saved state
   * until that tape is released by backward; a forward made while they are lent (two forwards
   * before one backward) gets fresh buffers instead, so reuse never changes a result. Not
   * thread-safe: one workspace per layer per thread.
   */
  public static final class Workspace {
    private float[] gi;
    private float[] hs;
    private float[] r;
    private float[] z;
    private float[] n;
    private float[] g;
    private float[] hPrev;
    private float[] gh;
    private float[] dGi;
    private float[] dGh;
    private float[] dGhStep;
    private float[] dh;
    private float[] dhCarry;
    private float[] wHhT;
    private float[] hPrevAll;
    private boolean lent;

    /** Creates an empty workspace; buffers are sized on first use. */
    public Workspace() {}

    /** Returns {@code current} if it has exactly {@code size} floats, else a new array. */
    private static float[] sized(float[] current, int size) {
      return current != null && current.length == size ? current : new float[size];
    }
  }

  /** What backward needs: the inputs, weights and every step's gates and previous state. */
  private record Saved(Tensor x, Tensor weightIh, Tensor weightHh, float[] hs, float[] r, float[] z, float[] n,
      float[] g, int batch, int steps, int in, int hidden, Workspace work) {}

  /**
   * Runs the layer over the sequence.
   *
   * @param tape the tape to record on
   * @param x the input sequence, N×L×In
   * @param h0 the initial hidden state, N×H (a constant of zeros for a fresh start)
   * @param weightIh W_ih, 3H×In
   * @param weightHh W_hh, 3H×H
   * @param biasIh b_ih, 3H
   * @param biasHh b_hh, 3H
   * @return every step's hidden state, N×L×H
   * @throws IllegalArgumentException naming the shapes if they do not fit together
   */
  public static Variable apply(Tape tape, Variable x, Variable h0, Variable weightIh, Variable weightHh,
      Variable biasIh, Variable biasHh) {
    return apply(tape, x, h0, weightIh, weightHh, biasIh, biasHh, new Workspace());
  }

  /**
   * Runs the layer over the sequence, reusing {@code work}'s buffers when they are free (see
   * {@link Workspace}); the result is the same as without it.
   *
   * @param tape the tape to record on
   * @param x the input sequence, N×L×In
   * @param h0 the initial hidden state, N×H
   * @param weightIh W_ih, 3H×In
   * @param weightHh W_hh, 3H×H
   * @param biasIh b_ih, 3H
   * @param biasHh b_hh, 3H
   * @param workspace the layer's reusable buffers
   * @return every step's hidden state, N×L×H
   */
  public static Variable apply(Tape tape, Variable x, Variable h0, Variable weightIh, Variable weightHh,
      Variable biasIh, Variable biasHh, Workspace workspace) {
    Checks.requireRank("FusedGru", "x", x, 3);
    Checks.requireRank("FusedGru", "h0", h0, 2);
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int in = x.shape().dim(2);
    int hidden = h0.shape().dim(1);
    int gates = 3 * hidden;
    if (h0.shape().dim(0) != batch || !weightIh.shape().equals(Shape.of(gates, in))
        || !weightHh.shape().equals(Shape.of(gates, hidden)) || biasIh.shape().rank() != 1
        || biasIh.shape().dim(0) != gates || !biasHh.shape().equals(biasIh.shape())) {
      throw new IllegalArgumentException("FusedGru: shapes do not fit: x " + x.shape() + ", h0 " + h0.shape()
          + ", weight_ih " + weightIh.shape() + ", weight_hh " + weightHh.shape() + ", bias_ih " + biasIh.shape()
          + ", bias_hh " + biasHh.shape() + " (need x (N, L, In), h0 (N, H), weights (3H, In) and (3H, H), biases (3H))");
    }
    int rows = batch * steps;
    int block = batch * hidden;
    // Buffers lent to a tape that has not run backward yet are not touched: use fresh ones.
    Workspace work = workspace.lent ? new Workspace() : workspace;

    // gi = x W_ihᵀ + b_ih for all N·L positions at once; row b·L + t
    float[] gi = work.gi = Workspace.sized(work.gi, rows * gates);
    ElementwiseKernels.fillRows(gi, biasIh.value().data(), rows);
    Kernels.matmulTransB(x.value().data(), weightIh.value().data(), gi, rows, in, gates);

    // hs holds h_0 … h_L time-major: step t reads block t and writes block t + 1
    float[] hs = work.hs = Workspace.sized(work.hs, (steps + 1) * block);
    System.arraycopy(h0.value().data(), 0, hs, 0, block);
    float[] r = work.r = Workspace.sized(work.r, steps * block);
    float[] z = work.z = Workspace.sized(work.z, steps * block);
    float[] n = work.n = Workspace.sized(work.n, steps * block);
    float[] g = work.g = Workspace.sized(work.g, steps * block);
    float[] hPrev = work.hPrev = Workspace.sized(work.hPrev, block);
    float[] gh = work.gh = Workspace.sized(work.gh, batch * gates);
    float[] wHh = weightHh.value().data();
    float[] bHh = biasHh.value().data();
    for (int t = 0; t < steps; t++) {
      // gh = h_{t−1} W_hhᵀ + b_hh: one stacked 3H-wide product (a matrix-vector product at batch 1)
      ElementwiseKernels.fillRows(gh, bHh, batch);
      if (batch == 1) {
        Kernels.matvec(wHh, 0, hs, t * block, gh, 0, gates, hidden);
      } else {
        System.arraycopy(hs, t * block, hPrev, 0, block);
        Kernels.matmulTransB(hPrev, wHh, gh, batch, hidden, gates);
      }
      // r, z, n and h_t from gi_t and gh
      GruKernels.stepForwardReference(gi, t * gates, steps * gates, gh, hs, t * block, r, z, n, g, t * block, hs,
          (t + 1) * block, batch, hidden);
    }

    // output[b, t, :] = h_{t+1}[b, :]: batch-first, as PyTorch's batch_first=True
    Tensor out = Tensor.zeros(batch, steps, hidden);
    float[] o = out.data();
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(hs, (t + 1) * block + b * hidden, o, (b * steps + t) * hidden, hidden);
      }
    }
    Variable result = tape.output("FusedGru", out, x, h0, weightIh, weightHh, biasIh, biasHh);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weightIh.value(), weightHh.value(), hs, r, z, n, g, batch, steps, in,
          hidden, work);
      tape.record("FusedGru", result, dOut -> backward(dOut, saved, x.gradBuffer(), h0.gradBuffer(),
          weightIh.gradBuffer(), weightHh.gradBuffer(), biasIh.gradBuffer(), biasHh.gradBuffer()),
          x, h0, weightIh, weightHh, biasIh, biasHh);
      // The saved arrays are the workspace's: lend them until the tape lets go of them.
      work.lent = true;
      tape.onRelease(() -> work.lent = false);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dH0, Tensor dWeightIh, Tensor dWeightHh,
      Tensor dBiasIh, Tensor dBiasHh) {
    int batch = s.batch();
    int steps = s.steps();
    int hidden = s.hidden();
    int gates = 3 * hidden;
    int rows = batch * steps;
    int block = batch * hidden;
    float[] dO = dOut.data();
    Workspace work = s.work();
    // W_hhᵀ (H×3H), so that each step's dh_{t−1} = dGh_t W_hh is a row-contiguous product
    float[] wHhT = work.wHhT = Workspace.sized(work.wHhT, gates * hidden);
    ElementwiseKernels.transpose(s.weightHh().data(), gates, hidden, wHhT);

    float[] dGi = work.dGi = Workspace.sized(work.dGi, rows * gates);               // input side, rows b·L + t
    float[] dGh = work.dGh = Workspace.sized(work.dGh, steps * batch * gates);      // hidden side, time-major
    float[] dGhStep = work.dGhStep = Workspace.sized(work.dGhStep, batch * gates);
    float[] dh = work.dh = Workspace.sized(work.dh, block);                          // dh' on h_t
    float[] dhCarry = work.dhCarry = Workspace.sized(work.dhCarry, block);          // sent back to h_{t−1}
    Arrays.fill(dhCarry, 0f);
    for (int t = steps - 1; t >= 0; t--) {
      // dh' = dOutput[:, t, :] + the gradient carried back from step t + 1
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          dh[b * hidden + j] = dO[(b * steps + t) * hidden + j] + dhCarry[b * hidden + j];
        }
      }
      // gate gradients; dhCarry := dh' ⊙ z (the direct path from h_t to h_{t−1})
      GruKernels.stepBackwardReference(dh, s.hs(), t * block, s.r(), s.z(), s.n(), s.g(), t * block, dGi,
          t * gates, steps * gates, dGhStep, 0, dhCarry, batch, hidden);
      // gh = h_{t−1} W_hhᵀ + b_hh  ⇒  dh_{t−1} += dGh_t W_hh = (W_hhᵀ dGh_tᵀ)ᵀ
      if (batch == 1) {
        Kernels.matvec(wHhT, 0, dGhStep, 0, dhCarry, 0, hidden, gates);
      } else {
        Kernels.matmulTransB(dGhStep, wHhT, dhCarry, batch, gates, hidden);
      }
      System.arraycopy(dGhStep, 0, dGh, t * batch * gates, batch * gates);
    }
    // h_0 is an input: it receives what step 1 sent back
    if (dH0 != null) {
      ElementwiseKernels.axpy(1f, dhCarry, dH0.data());
    }
    // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dW_hh += Σ_t dGh_tᵀ h_{t−1}, one matmul over the chunk
    if (dWeightHh != null) {
      float[] hPrevAll = work.hPrevAll = Workspace.sized(work.hPrevAll, steps * block);
      System.arraycopy(s.hs(), 0, hPrevAll, 0, steps * block);
      Kernels.matmulTransA(dGh, hPrevAll, dWeightHh.data(), gates, steps * batch, hidden);
    }
    if (dBiasHh != null) {
      ElementwiseKernels.sumRowsInto(1f, dGh, dBiasHh.data(), gates);
    }
    // gi = x W_ihᵀ + b_ih  ⇒  dW_ih += dGiᵀ x, db_ih += Σ dGi, dx += dGi W_ih
    if (dWeightIh != null) {
      Kernels.matmulTransA(dGi, s.x().data(), dWeightIh.data(), gates, rows, s.in());
    }
    if (dBiasIh != null) {
      ElementwiseKernels.sumRowsInto(1f, dGi, dBiasIh.data(), gates);
    }
    if (dX != null) {
      Kernels.matmul(dGi, s.weightIh().data(), dX.data(), rows, gates, s.in());
    }
  }
}

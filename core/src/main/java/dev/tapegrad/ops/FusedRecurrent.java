package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.kernel.MatVecKernels;
import dev.tapegrad.kernel.RecurrentBuffers;
import dev.tapegrad.kernel.Team;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * One recurrent layer (GRU, LSTM or tanh RNN, see {@link CellKind}) over a whole batch-first
 * sequence, as a single tape entry with a hand-written back-propagation through time. It computes
 * exactly what {@code dev.tapegrad.nn.RecurrentCell} composes from primitive ops, step by step,
 * and is tested against it.
 *
 * <p>Forward, for t = 1 … L, with G the kind's gate blocks:
 * <pre>
 *   gi_t = W_ih x_t + b_ih                    (all N·L positions in one product, before the loop)
 *   gh_t = W_hh h_{t−1} + b_hh                (one G·H-wide product per step; a matrix-vector
 *                                             product at batch 1)
 *   h_t (and c_t) = the kind's gate function of gi_t, gh_t, h_{t−1} (and c_{t−1})
 * </pre>
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); h0 and, for the LSTM, c0
 * (N, H); weightIh (G·H, In) and weightHh (G·H, H), gate blocks stacked in PyTorch's order;
 * biasIh and biasHh (G·H). {@link Output} holds every h_t (N, L, H) and the final h_L and c_L
 * (N, H), as {@code torch.nn.GRU/LSTM/RNN(batch_first=True)} return them. Saved for backward:
 * every h_t (and c_t) and each step's gate activations ({@link CellKind} says which).
 *
 * <p>Backward, per step from t = L down to 1, with dh' the gradient on h_t (from the output plus
 * what step t+1 sent back), and likewise dc' for the LSTM:
 * <pre>
 *   dgi_t, dgh_t, direct part of dh_{t−1} (and dc_{t−1}) = the kind's gate backward
 *   dh_{t−1} = direct part + dgh_t W_hh
 * </pre>
 * The weight gradients are then one product each over the whole chunk, not a rank-1 update per
 * step: {@code dW_ih += dGiᵀ X} and {@code dx += dGi W_ih} with dGi stacking every dgi_t in the
 * batch-first row order b·L + t of x, {@code dW_hh += dGhᵀ H_prev} with dGh and H_prev stacking
 * every dgh_t and h_{t−1} in time-major order, {@code db_ih += Σ dGi}, {@code db_hh += Σ dGh},
 * {@code dh0 += dh_0} and {@code dc0 += dc_0}.
 *
 * <p>Note: a tape entry has one output, and the LSTM's final c_L needs a gradient path (a caller
 * carries it into the next chunk, or a loss reads it). So for the LSTM the entry's output holds
 * [h_t | c_t] at every step, and {@link Output}'s h sequence, h_L and c_L are slices of it.
 *
 * <pre>{@code
 * FusedRecurrent.Workspace work = new FusedRecurrent.Workspace();   // keep one per layer
 * FusedRecurrent.Output out = FusedRecurrent.apply(tape, CellKind.GRU, x, h0, null,
 *     weightIh, weightHh, biasIh, biasHh, work);
 * out.output();   // N×L×H, every step
 * out.h();        // N×H, after the last step
 * }</pre>
 */
public final class FusedRecurrent {

  private FusedRecurrent() {}

  /**
   * What a layer returns.
   *
   * @param output every step's hidden state h_1 … h_L, N×L×H
   * @param h the hidden state after the last step, h_L, N×H
   * @param c the LSTM's cell state after the last step, c_L, N×H; {@code null} for GRU and RNN
   */
  public record Output(Variable output, Variable h, Variable c) {}

  /**
   * The buffers one layer works in, reused from call to call so that steady-state training and
   * sampling allocate almost nothing per step: the gate math's and the loop's buffers (sized by
   * {@link #prepare} for each chunk), W_hh laid out once per chunk, and the team that shares the
   * per-step products at batch 1 between the calling thread and one pool thread. That helper spins
   * for about 0.2 ms after each step, waiting for the next, then leaves the pool.
   *
   * <p>A forward that records on a tape lends the workspace to its saved state until that tape is
   * released by backward; a forward made while it is lent (two forwards before one backward) gets
   * a fresh one instead, so reuse never changes a result. Not thread-safe: one workspace per layer
   * per thread.
   */
  public static final class Workspace {
    // the gate math's and the loop's buffers, and the offsets of the row being computed
    private final RecurrentBuffers buffers = new RecurrentBuffers();
    // W_hh laid out once per chunk for the per-step products at batch N > 1
    private final MatMulKernels.PackedRows wHhRows = new MatMulKernels.PackedRows();
    private final MatMulKernels.PackedRows wHhColumns = new MatMulKernels.PackedRows();
    // at batch 1 the per-step products are shared with a helper thread, one hand-off per step
    private final Team team = new Team();
    private boolean lent;

    /** Creates an empty workspace; buffers are sized on first use. */
    public Workspace() {}

    /**
     * Returns one gate's activations from the last {@link FusedRecurrent#step} made with this
     * workspace: gate block {@code gate} of what the step saved, in the kind's order (GRU r, z, n;
     * LSTM i, f, g, o; see {@link CellKind}), each value after its sigmoid or tanh. The gates are
     * the first blocks a step saves; what follows them (the GRU's W_hn h + b_hn, the LSTM's
     * tanh(c')) is not a gate and is not returned.
     *
     * @param gate the block, from 0 to G − 1 (the RNN has no gate)
     * @return H floats, a copy
     * @throws IndexOutOfBoundsException if the kind has no gate {@code gate}
     * @throws IllegalStateException if the workspace's last use was not a single step (none yet,
     *     or a batched {@link FusedRecurrent#apply})
     */
    public float[] stepGate(int gate) {
      RecurrentBuffers s = buffers;
      if (s.saved == null || s.batch != 1 || s.steps != 1) {
        throw new IllegalStateException("no single step has been made with this workspace");
      }
      // G gate blocks lead the saved ones; the RNN has its one projection block but saves nothing, so no gate
      Objects.checkIndex(gate, Math.min(s.gates(), s.savedBlocks()));
      return Arrays.copyOfRange(s.saved, gate * s.hidden, (gate + 1) * s.hidden);
    }

    /**
     * Sizes the forward's buffers for a chunk of {@code batch} sequences of {@code steps} steps of
     * {@code kind} with {@code hidden} units, reusing those already of the right size.
     */
    private RecurrentBuffers prepare(CellKind kind, int batch, int steps, int hidden) {
      return buffers.prepare(kind.gates(), kind.savedBlocks(), kind.states(), batch, steps, hidden);
    }
  }

  /** What backward needs beside the lent workspace: the kind, the input and the weights. */
  private record Saved(CellKind kind, Tensor x, Tensor weightIh, Tensor weightHh, int in, Workspace work) {}

  /**
   * Runs the layer over the sequence, reusing {@code workspace}'s buffers when they are free (see
   * {@link Workspace}); the result does not depend on what the workspace held before.
   *
   * @param tape the tape to record on
   * @param kind the cell
   * @param x the input sequence, N×L×In
   * @param h0 the initial hidden state, N×H
   * @param c0 the LSTM's initial cell state, N×H; {@code null} for GRU and RNN
   * @param weightIh W_ih, G·H×In
   * @param weightHh W_hh, G·H×H
   * @param biasIh b_ih, G·H
   * @param biasHh b_hh, G·H
   * @param workspace the layer's reusable buffers
   * @return every step's h, and the final h and c
   * @throws IllegalArgumentException naming the shapes if they do not fit together
   */
  public static Output apply(Tape tape, CellKind kind, Variable x, Variable h0, Variable c0, Variable weightIh,
      Variable weightHh, Variable biasIh, Variable biasHh, Workspace workspace) {
    // the tape names the entry after the cell: FusedGru, FusedLstm, FusedRnn
    String op = "Fused" + Character.toUpperCase(kind.id().charAt(0)) + kind.id().substring(1);
    Checks.requireRank(op, "x", x, 3);
    Checks.requireRank(op, "h0", h0, 2);
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int in = x.shape().dim(2);
    int hidden = h0.shape().dim(1);
    int gates = kind.gates() * hidden;
    boolean lstm = kind.states() == 2;
    if (h0.shape().dim(0) != batch || (lstm ? c0 == null || !c0.shape().equals(h0.shape()) : c0 != null)
        || !weightIh.shape().equals(Shape.of(gates, in)) || !weightHh.shape().equals(Shape.of(gates, hidden))
        || !biasIh.shape().equals(Shape.of(gates)) || !biasHh.shape().equals(Shape.of(gates))) {
      String g = kind.gates() + "H";
      throw new IllegalArgumentException(op + ": shapes do not fit: x " + x.shape() + ", h0 " + h0.shape() + ", c0 "
          + (c0 == null ? "none" : c0.shape()) + ", weights " + weightIh.shape() + " and " + weightHh.shape()
          + ", biases " + biasIh.shape() + " and " + biasHh.shape() + " (need x (N, L, In), h0 (N, H), c0 "
          + (lstm ? "(N, H)" : "none") + ", weights (" + g + ", In) and (" + g + ", H), biases (" + g + "))");
    }
    int rows = batch * steps;
    int block = batch * hidden;
    // Buffers lent to a tape that has not run backward yet are not touched: use fresh ones.
    Workspace work = workspace.lent ? new Workspace() : workspace;

    RecurrentBuffers s = work.prepare(kind, batch, steps, hidden);
    // gi = x W_ihᵀ + b_ih for all N·L positions at once; row b·L + t
    float[] gi = s.gi;
    ElementwiseKernels.fillRows(gi, biasIh.value().storage(), rows);
    MatMulKernels.matmulTransB(x.value().storage(), weightIh.value().storage(), gi, rows, in, gates);

    // h (and c) hold the states after 0 … L steps, time-major: step t reads block t, writes block t + 1
    float[] h = s.h;
    System.arraycopy(h0.value().storage(), 0, h, 0, block);
    float[] c = s.c;
    if (lstm) {
      System.arraycopy(c0.value().storage(), 0, c, 0, block);
    }
    float[] gh = s.gh;
    float[] hPrev = s.hPrev;
    float[] wHh = weightHh.value().storage();
    if (batch > 1) {
      work.wHhRows.pack(wHh, hidden, gates);
    }
    for (int t = 0; t < steps; t++) {
      // gh = h_{t−1} W_hhᵀ + b_hh: one stacked product (a matrix-vector product at batch 1)
      ElementwiseKernels.fillRows(gh, biasHh.value().storage(), batch);
      if (batch == 1) {
        MatVecKernels.matvec(work.team, wHh, 0, h, t * block, gh, 0, gates, hidden);
      } else {
        System.arraycopy(h, t * block, hPrev, 0, block);
        MatMulKernels.matmulTransB(hPrev, work.wHhRows, gh, batch);
      }
      // the gates, h_t (and c_t) from gi_t and gh
      for (int b = 0; b < batch; b++) {
        kind.forward(s.at(t, b));
      }
    }

    // out[b, t, :] = h_{t+1}[b, :] (then c_{t+1}[b, :]): batch-first, as PyTorch's batch_first=True
    int width = kind.states() * hidden;
    Tensor out = tape.zeros(batch, steps, width);
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(h, (t + 1) * block + b * hidden, out.storage(), (b * steps + t) * width, hidden);
        if (lstm) {
          System.arraycopy(c, (t + 1) * block + b * hidden, out.storage(), (b * steps + t) * width + hidden, hidden);
        }
      }
    }
    Variable[] inputs = lstm ? new Variable[] {x, h0, c0, weightIh, weightHh, biasIh, biasHh}
        : new Variable[] {x, h0, weightIh, weightHh, biasIh, biasHh};
    Variable result = tape.output(op, out, inputs);
    if (result.requiresGrad()) {
      Saved keep = new Saved(kind, x.value(), weightIh.value(), weightHh.value(), in, work);
      tape.record(op, result, dOut -> backward(dOut, keep, x.gradBuffer(), h0.gradBuffer(),
          lstm ? c0.gradBuffer() : null, weightIh.gradBuffer(), weightHh.gradBuffer(), biasIh.gradBuffer(),
          biasHh.gradBuffer()), inputs);
      // The saved arrays are the workspace's: lend them until the tape lets go of them.
      work.lent = true;
      tape.onRelease(() -> work.lent = false);
    }
    if (!lstm) {
      return new Output(result, SelectStep.apply(tape, result, steps - 1), null);
    }
    // The LSTM's entry holds [h_t | c_t]: slice the h sequence, and h_L and c_L, out of it.
    Variable hSequence = Reshape.apply(tape,
        SliceColumns.apply(tape, Reshape.apply(tape, result, rows, 2 * hidden), 0, hidden), batch, steps, hidden);
    Variable last = SelectStep.apply(tape, result, steps - 1);
    return new Output(hSequence, SliceColumns.apply(tape, last, 0, hidden),
        SliceColumns.apply(tape, last, hidden, 2 * hidden));
  }

  private static void backward(Tensor dOut, Saved keep, Tensor dX, Tensor dH0, Tensor dC0, Tensor dWeightIh,
      Tensor dWeightHh, Tensor dBiasIh, Tensor dBiasHh) {
    CellKind kind = keep.kind();
    Workspace work = keep.work();
    RecurrentBuffers s = work.buffers.prepareBackward();
    int batch = s.batch;
    int steps = s.steps;
    int hidden = s.hidden;
    int gates = kind.gates() * hidden;
    int width = kind.states() * hidden;
    int rows = batch * steps;
    int block = batch * hidden;
    boolean lstm = kind.states() == 2;
    float[] dO = dOut.storage();
    // dh_{t−1} += dgh_t W_hh reads W_hh's columns: laid out once for the batch's per-step products
    float[] wHh = keep.weightHh().storage();
    if (batch > 1) {
      work.wHhColumns.packTransposed(wHh, gates, hidden);
    }

    float[] dGi = s.dGi;          // batch-first, rows b·L + t
    float[] dGh = s.dGh;          // this step's
    float[] dGhAll = s.dGhAll;    // time-major
    float[] dh = s.dh;            // dh' on h_t
    float[] dhCarry = s.dhPrev;   // sent back to h_{t−1}
    Arrays.fill(dhCarry, 0f);
    float[] dc = s.dc;            // dc' on c_t (LSTM)
    float[] dcCarry = s.dcPrev;   // sent back to c_{t−1} (LSTM)
    if (lstm) {
      Arrays.fill(dcCarry, 0f);
    }
    for (int t = steps - 1; t >= 0; t--) {
      // dh' = dOutput[:, t, :H] + the gradient carried back from step t + 1 (dc' likewise from [H:])
      for (int b = 0; b < batch; b++) {
        int row = (b * steps + t) * width;
        for (int j = 0; j < hidden; j++) {
          dh[b * hidden + j] = dO[row + j] + dhCarry[b * hidden + j];
          if (lstm) {
            dc[b * hidden + j] = dO[row + hidden + j] + dcCarry[b * hidden + j];
          }
        }
      }
      // the gate gradients; dhCarry := the direct part of dh_{t−1}, dcCarry := dc_{t−1}
      for (int b = 0; b < batch; b++) {
        kind.backward(s.at(t, b));
      }
      // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dh_{t−1} += dgh_t W_hh (a product with W_hh's transpose at batch 1)
      if (batch == 1) {
        MatVecKernels.matvecTransposed(work.team, wHh, dGh, dhCarry, gates, hidden);
      } else {
        MatMulKernels.matmulTransB(dGh, work.wHhColumns, dhCarry, batch);
      }
      System.arraycopy(dGh, 0, dGhAll, t * batch * gates, batch * gates);
    }
    // h_0 and c_0 are inputs: they receive what step 1 sent back
    if (dH0 != null) {
      ElementwiseKernels.axpy(1f, dhCarry, dH0.storage());
    }
    if (dC0 != null) {
      ElementwiseKernels.axpy(1f, dcCarry, dC0.storage());
    }
    // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dW_hh += Σ_t dgh_tᵀ h_{t−1}, one product over the chunk
    if (dWeightHh != null) {
      float[] hPrevAll = s.hPrevAll;
      System.arraycopy(s.h, 0, hPrevAll, 0, steps * block);
      MatMulKernels.matmulTransA(dGhAll, hPrevAll, dWeightHh.storage(), gates, steps * batch, hidden);
    }
    if (dBiasHh != null) {
      ElementwiseKernels.sumRowsInto(1f, dGhAll, dBiasHh.storage(), gates);
    }
    // gi = x W_ihᵀ + b_ih  ⇒  dW_ih += dGiᵀ x, db_ih += Σ dGi, dx += dGi W_ih
    if (dWeightIh != null) {
      MatMulKernels.matmulTransA(dGi, keep.x().storage(), dWeightIh.storage(), gates, rows, keep.in());
    }
    if (dBiasIh != null) {
      ElementwiseKernels.sumRowsInto(1f, dGi, dBiasIh.storage(), gates);
    }
    if (dX != null) {
      MatMulKernels.matmul(dGi, keep.weightIh().storage(), dX.storage(), rows, gates, keep.in());
    }
  }

  /**
   * One step of one sequence with no tape and, once the workspace is sized, no allocation: the
   * new state from the input and the old state, by the same gate math as {@link #apply}. This is
   * what {@code dev.tapegrad.nn.RecurrentStepper} runs for each layer when sampling. The two
   * projections are matrix-vector products here, whose summation order differs from the batched
   * products of {@link #apply}, so the two agree to float rounding (about 1e-6), not bit for bit.
   *
   * @param kind the cell
   * @param weightIh W_ih, G·H×In
   * @param weightHh W_hh, G·H×H
   * @param biasIh b_ih, G·H
   * @param biasHh b_hh, G·H
   * @param x the input's array, In floats from {@code xOffset}
   * @param xOffset index of x[0]
   * @param h the hidden state, H floats, replaced by the new one
   * @param c the LSTM's cell state, H floats, replaced by the new one; {@code null} for GRU and RNN
   * @param work the reusable buffers
   */
  public static void step(CellKind kind, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, float[] x,
      int xOffset, float[] h, float[] c, Workspace work) {
    Objects.requireNonNull(work, "work");
    int hidden = h.length;
    int gates = kind.gates() * hidden;
    int in = weightIh.shape().dim(1);
    RecurrentBuffers s = work.prepare(kind, 1, 1, hidden);
    // gi = W_ih x + b_ih,  gh = W_hh h + b_hh
    // (one hand-off to the team for both products)
    System.arraycopy(biasIh.storage(), 0, s.gi, 0, gates);
    System.arraycopy(biasHh.storage(), 0, s.gh, 0, gates);
    MatVecKernels.matvecPair(work.team, weightIh.storage(), x, xOffset, s.gi, in, weightHh.storage(), h, s.gh, hidden,
        gates);
    // the state before the step in block 0, after it in block 1
    System.arraycopy(h, 0, s.h, 0, hidden);
    if (c != null) {
      System.arraycopy(c, 0, s.c, 0, hidden);
    }
    kind.forward(s.at(0, 0));
    System.arraycopy(s.h, hidden, h, 0, hidden);
    if (c != null) {
      System.arraycopy(s.c, hidden, c, 0, hidden);
    }
  }
}

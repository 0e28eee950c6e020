package dev.tapegrad.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Storage lent to the values and gradients of one training step after another, so that a
 * training loop in steady state allocates no tensor storage.
 *
 * <p>A training step makes the same intermediate tensors every time: each op's output, the
 * gradient of each output, the probabilities a loss keeps for backward. Without an arena every
 * one is a new array, tens of megabytes per step for the char model at batch 32, which the
 * garbage collector then has to clear. PyTorch's caching allocator reuses the storage of tensors
 * that are freed; Java cannot tell when a tensor is freed, so the arena frees a whole step's
 * tensors at once, when the next step starts: give the arena to each step's tape
 * ({@code new Tape(arena)}), and the tape's ops and gradients borrow their storage from it until
 * the next tape on the same arena is made, which calls {@link #reset()}.
 *
 * <pre>{@code
 * TensorArena arena = new TensorArena();
 * for (int step = 0; step < steps; step++) {
 *   Tape tape = new Tape(arena);          // takes back everything the last step's tape borrowed
 *   Variable loss = ...;                  // outputs and gradients borrow from the arena
 *   tape.backward(loss);
 *   float value = loss.value().item();    // fine: until the next tape on this arena starts
 *   optimizer.step();
 * }
 * }</pre>
 *
 * <p>A tensor whose storage was taken back refuses to be read or written
 * ({@link IllegalStateException}), so a value kept past its step is an error, never a silently
 * overwritten one. Keep values with {@link Tensor#copy()} (as the carried state of truncated
 * back-propagation through time is kept). Parameters, optimizer state and anything made with
 * {@link Tensor#zeros} directly never come from an arena.
 *
 * <p>Storage is reused by exact size: in steady state every request finds an array of its size
 * left by the previous step. The arena holds on to the storage of its largest step until it is
 * dropped. Not thread-safe: one training loop per arena.
 */
public final class TensorArena {

  /** Storage taken back by {@link #reset()}, ready to lend again. */
  private final List<float[]> free = new ArrayList<>();
  /** Tensors lent since the last {@link #reset()}. */
  private final List<Tensor> lent = new ArrayList<>();

  /** Creates an empty arena. */
  public TensorArena() {}

  /**
   * Returns a tensor of zeros over storage lent until the next {@link #reset()}.
   *
   * @param shape the shape
   * @return a zero-filled tensor
   */
  public Tensor zeros(Shape shape) {
    int size = shape.size();
    float[] storage = null;
    for (int i = free.size() - 1; i >= 0; i--) {
      if (free.get(i).length == size) {
        storage = free.get(i);
        // order does not matter: move the last array into the hole
        free.set(i, free.get(free.size() - 1));
        free.remove(free.size() - 1);
        Arrays.fill(storage, 0f);
        break;
      }
    }
    Tensor t = Tensor.lent(storage != null ? storage : new float[size], shape);
    lent.add(t);
    return t;
  }

  /**
   * Takes back the storage of every tensor lent since the last reset, to lend it again. Those
   * tensors, and all views of them, refuse to be used from now on. {@code new Tape(arena)} calls
   * this.
   */
  public void reset() {
    for (Tensor t : lent) {
      free.add(t.reclaim());
    }
    lent.clear();
  }

  /** {@return the floats this arena holds, lent or free: the storage of its largest step so far} */
  public long floatsHeld() {
    long total = 0;
    for (float[] storage : free) {
      total += storage.length;
    }
    for (Tensor t : lent) {
      total += t.size();
    }
    return total;
  }
}

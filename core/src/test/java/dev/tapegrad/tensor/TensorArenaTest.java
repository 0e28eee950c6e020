package dev.tapegrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link TensorArena}: storage reused by size after a reset, zero-filled, and the old tensors refused. */
class TensorArenaTest {

  @Test
  void aResetLendsTheSameStorageAgainAsZeros() {
    TensorArena arena = new TensorArena();
    Tensor first = arena.zeros(Shape.of(2, 3));
    float[] storage = first.storage();
    first.storage()[4] = 7f;
    arena.reset();
    Tensor again = arena.zeros(Shape.of(3, 2));
    assertSame(storage, again.storage(), "same size, same storage");
    assertArrayEquals(new float[6], again.storage(), "lent again as zeros");
    assertEquals(Shape.of(3, 2), again.shape());
  }

  @Test
  void storageOfAnotherSizeIsNotLent() {
    TensorArena arena = new TensorArena();
    float[] six = arena.zeros(Shape.of(6)).storage();
    arena.reset();
    Tensor five = arena.zeros(Shape.of(5));
    assertEquals(5, five.size());
    Tensor sixAgain = arena.zeros(Shape.of(6));
    assertSame(six, sixAgain.storage());
  }

  @Test
  void tensorsLentTogetherHaveTheirOwnStorage() {
    TensorArena arena = new TensorArena();
    Tensor a = arena.zeros(Shape.of(4));
    Tensor b = arena.zeros(Shape.of(4));
    assertNotSame(a.storage(), b.storage());
    arena.reset();
    Tensor c = arena.zeros(Shape.of(4));
    Tensor d = arena.zeros(Shape.of(4));
    assertNotSame(c.storage(), d.storage(), "both arrays come back, each lent once");
    assertEquals(8, arena.floatsHeld());
    Tensor e = arena.zeros(Shape.of(4));
    assertEquals(12, arena.floatsHeld(), "a third tensor of the size needs new storage");
    assertTrue(e.size() == 4);
  }

  @Test
  void aTensorTakenBackRefusesEveryUseAndSoDoItsViews() {
    TensorArena arena = new TensorArena();
    Tensor t = arena.zeros(Shape.of(2, 2));
    Tensor view = t.reshape(4);
    arena.reset();
    List<Consumer<Tensor>> uses = List.of(Tensor::storage, Tensor::toArray, x -> x.get(0, 0), x -> x.set(1f, 0, 0),
        x -> x.reshape(4), Tensor::copy, Tensor::fillZero, x -> x.copyFrom(Tensor.zeros(2, 2)), Tensor::isFinite,
        x -> x.fill(1f), x -> x.copyFrom(new float[4]));
    for (Consumer<Tensor> use : uses) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> use.accept(t));
      assertTrue(e.getMessage().contains("went back to its TensorArena"), e.getMessage());
    }
    assertThrows(IllegalStateException.class, view::storage);
    assertThrows(IllegalStateException.class, view::item);
    assertEquals("Tensor[2, 2]", t.toString(), "toString does not read taken-back values");
    // the shape stays readable, for messages
    assertEquals(Shape.of(2, 2), t.shape());
  }

  @Test
  void copiesOutOfTheArenaOutliveTheReset() {
    TensorArena arena = new TensorArena();
    Tensor t = arena.zeros(Shape.of(3));
    t.storage()[1] = 5f;
    Tensor kept = t.copy();
    arena.reset();
    arena.zeros(Shape.of(3));
    assertArrayEquals(new float[] {0, 5, 0}, kept.storage());
  }
}

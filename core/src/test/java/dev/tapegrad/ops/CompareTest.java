package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Compare.Relation;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class CompareTest {

  // a = [1, 2, 3, NaN] against b = 2
  private static final float[] A = {1, 2, 3, Float.NaN};

  @Test
  void everyRelationGivesAMaskOfOnesAndZerosWithNanComparingFalseExceptNe() {
    Variable a = param("a", A, 4);
    float[][] expected = {
        {0, 1, 0, 0}, // EQ
        {1, 0, 1, 1}, // NE
        {1, 0, 0, 0}, // LT
        {1, 1, 0, 0}, // LE
        {0, 0, 1, 0}, // GT
        {0, 1, 1, 0}}; // GE
    for (Relation r : Relation.values()) {
      Variable mask = Compare.apply(new Tape(), a, r, 2f);
      AllClose.check(r.toString(), expected[r.ordinal()], mask.value().data(), 0, 0);
      assertFalse(mask.requiresGrad());
    }
  }

  @Test
  void operandsBroadcast() {
    // a column (2, 1) against a row (3): [[1 < 0, 1 < 1, 1 < 2], [2 < 0, 2 < 1, 2 < 2]]
    Variable mask = Compare.apply(new Tape(), constant(new float[] {1, 2}, 2, 1), Relation.LT,
        constant(new float[] {0, 1, 2}, 3));
    assertEquals(Shape.of(2, 3), mask.shape());
    AllClose.check("mask", new float[] {0, 0, 1, 0, 0, 0}, mask.value().data(), 0, 0);
  }

  @Test
  void theMeanOfAnEqualityMaskIsAnAccuracy() {
    // predictions argmax([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]) = [1, 0, 1] against targets [1, 1, 1]
    Tape tape = new Tape();
    Variable predicted = Argmax.apply(tape, constant(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, 3, 2), -1,
        false);
    Variable correct = Compare.apply(tape, predicted, Relation.EQ, constant(new float[] {1, 1, 1}, 3));
    assertEquals(2f / 3, Mean.apply(tape, correct).value().item(), 1e-7);
  }
}

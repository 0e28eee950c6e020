package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

  @Test
  void drawsTheSameSequenceAsSplittableRandom() {
    for (long seed : new long[] {0, 42, -1, Long.MIN_VALUE}) {
      SplitMix64 mine = new SplitMix64(seed);
      SplittableRandom reference = new SplittableRandom(seed);
      for (int i = 0; i < 100; i++) {
        assertEquals(reference.nextLong(), mine.nextLong(), "seed " + seed + ", draw " + i);
      }
    }
  }

  @Test
  void savedStateContinuesTheSameSequence() {
    SplitMix64 original = new SplitMix64(7);
    for (int i = 0; i < 13; i++) {
      original.nextInt(100);
    }
    SplitMix64 restored = new SplitMix64(original.state());
    for (int i = 0; i < 50; i++) {
      assertEquals(original.nextInt(1000), restored.nextInt(1000));
    }
    assertEquals(original.state(), restored.state());
  }
}

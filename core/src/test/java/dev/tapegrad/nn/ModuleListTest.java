package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModuleListTest {

  @Test
  void namesItsElementsByPositionAndKeepsTheirOrder() {
    List<Linear> layers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      layers.add(Linear.create(1, 1, new SplittableRandom(i)));
    }
    ModuleList<Linear> list = ModuleList.of(layers);
    assertEquals(3, list.size());
    assertSame(layers.get(2), list.get(2));
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
        List.copyOf(list.namedParameters().keySet()));
  }

  @Test
  void cannotChangeAfterwardsAndPassesTheModeToEveryElement() {
    List<Linear> layers = new ArrayList<>(List.of(Linear.create(1, 1, new SplittableRandom(4))));
    ModuleList<Linear> list = ModuleList.of(layers);
    layers.add(Linear.create(1, 1, new SplittableRandom(5)));
    assertEquals(1, list.size());
    assertThrows(UnsupportedOperationException.class, () -> list.add(layers.get(1)));
    list.eval();
    assertFalse(list.get(0).isTraining());
    assertFalse(list.isTraining());
  }
}

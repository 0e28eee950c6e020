package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.ops.CellKind;
import org.junit.jupiter.api.Test;

class TrainPresetTest {

  /** The notebook's preset is the builder's defaults, which TrainConfigTest pins to the notebook. */
  @Test
  void notebookIsTheNotebooksSettings() {
    assertEquals(TrainConfig.builder().build(), TrainPreset.NOTEBOOK.builder().build());
  }

  /** The data preset is the row of docs/TRAINING.md that the study chose; change both together. */
  @Test
  void dataIsTheStudysChoice() {
    TrainConfig c = TrainPreset.DATA.builder().build();
    assertEquals(CellKind.GRU, c.cell());
    assertEquals(512, c.hidden());
    assertEquals(2, c.layers());
    assertEquals(100, c.seq());
    assertEquals(32, c.batch());
    assertEquals(0.004f, c.learningRate());
    assertEquals(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 100), c.schedule());
    assertEquals(true, c.stateful());
    assertEquals(1000, c.evalEvery());
    assertEquals(0.25f, c.dropout());
    assertEquals(0f, c.weightDecay());
  }

  @Test
  void parsesNamesAndRejectsOthers() {
    assertEquals(TrainPreset.NOTEBOOK, TrainPreset.parse("Notebook"));
    assertEquals("unknown --preset 'fast': choose notebook, data or embedded",
        assertThrows(IllegalArgumentException.class, () -> TrainPreset.parse("fast")).getMessage());
  }
}

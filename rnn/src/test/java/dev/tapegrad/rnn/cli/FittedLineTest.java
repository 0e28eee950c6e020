package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FittedLineTest {

  private static FittedLine line() {
    return new FittedLine().field("epoch 3", 0).field("step 1,234", 3).field("loss 1.2345", 0)
        .detail(" (1.781 bpc)", 5).field("12,345 chars/s", 2);
  }

  @Test
  void theWholeLineWhenItFits() {
    String full = "epoch 3 | step 1,234 | loss 1.2345 (1.781 bpc) | 12,345 chars/s";
    assertEquals(full, line().full());
    assertEquals(full, line().fit(full.length()));
  }

  @Test
  void theHighestRanksGoFirstAndAFieldsDetailsGoWithIt() {
    assertEquals("epoch 3 | step 1,234 | loss 1.2345 | 12,345 chars/s", line().fit(60));
    assertEquals("epoch 3 | loss 1.2345 | 12,345 chars/s", line().fit(45));
    assertEquals("epoch 3 | loss 1.2345", line().fit(30));
    FittedLine droppable = new FittedLine().field("a", 0).field("bb", 4).detail(" (b)", 0).field("c", 0);
    assertEquals("a | c", droppable.fit(6), "a detail of rank 0 goes with its field");
  }

  @Test
  void whatMustStayIsCutOnlyWhenNothingElseCanGo() {
    assertEquals("epoch 3 | lo", line().fit(12));
    assertEquals("", line().fit(0));
  }

  @Test
  void wordsAreSeparatedBySpacesAndTheFirstKeptPartHasNoSeparator() {
    FittedLine progress = new FittedLine().word("[##..]", 4).word(" 50%", 0).word("step 9", 3).field("ETA 1m", 1);
    assertEquals("[##..]  50% step 9 | ETA 1m", progress.full());
    assertEquals(" 50% step 9 | ETA 1m", progress.fit(21));
    assertEquals(" 50% | ETA 1m", progress.fit(14));
  }
}

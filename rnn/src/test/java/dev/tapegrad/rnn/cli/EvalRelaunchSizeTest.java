package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorRelaunch#tooShort}: {@code eval} relaunches for the Vector API only when its text is
 * long enough to pay for the second start; other commands are not judged by size.
 */
class EvalRelaunchSizeTest {

  @TempDir
  Path dir;

  @Test
  void evalOfASmallTextRunsHereAndOfALargeOneRelaunches() throws IOException {
    Path small = Files.writeString(dir.resolve("small.txt"), "a".repeat((int) VectorRelaunch.EVAL_MIN_BYTES - 1));
    Path large = Files.writeString(dir.resolve("large.txt"), "a".repeat((int) VectorRelaunch.EVAL_MIN_BYTES));

    assertTrue(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data", small.toString()}));
    assertTrue(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data=" + small}));
    assertFalse(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data", large.toString()}));
    assertFalse(VectorRelaunch.tooShort("eval", new String[] {"eval", "--json", "--data=" + large}));
  }

  @Test
  void evalCountsOnlyTheHeldOutShare() throws IOException {
    Path text = Files.writeString(dir.resolve("text.txt"), "a".repeat((int) VectorRelaunch.EVAL_MIN_BYTES * 4));

    assertFalse(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data", text.toString(), "--held-out", "0.5"}));
    assertTrue(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data", text.toString(), "--held-out=0.1"}));
  }

  @Test
  void evalOfAFileThatCannotBeReadRunsHereWhereItsErrorIsReported() {
    assertTrue(VectorRelaunch.tooShort("eval", new String[] {"eval", "--data", dir.resolve("missing.txt").toString()}));
    assertTrue(VectorRelaunch.tooShort("eval", new String[] {"eval"}));
  }

  @Test
  void otherCommandsAreNotJudgedBySize() {
    assertFalse(VectorRelaunch.tooShort("train", new String[] {"train", "--data", dir.resolve("x").toString()}));
    assertFalse(VectorRelaunch.tooShort("bench", new String[] {"bench"}));
  }
}

package dev.tapegrad.rnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunLock} within one JVM; {@code TrainProcessTest} locks with real concurrent processes. */
class RunLockTest {

  @TempDir Path dir;

  @Test
  void aSecondLockIsRefusedNamingTheHolderUntilTheFirstIsClosed() throws IOException {
    long pid = ProcessHandle.current().pid();
    try (RunLock lock = RunLock.acquire(dir)) {
      assertTrue(Files.readString(dir.resolve(RunLock.FILE)).startsWith("pid " + pid + ", started "));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunLock.acquire(dir));
      assertEquals(dir + " is in use by another train (this process, pid " + pid + "); a run directory has one "
          + "writer at a time: wait for it to end, or train into another --out", e.getMessage());
      // The same directory named another way is the same directory.
      assertThrows(IllegalStateException.class, () -> RunLock.acquire(dir.resolve(".")));
    }
    try (RunLock again = RunLock.acquire(dir)) {
      assertTrue(Files.exists(dir.resolve(RunLock.FILE)), "the file stays; only the lock goes");
    }
  }

  @Test
  void aDirectoryThatDoesNotExistIsAnIoError() {
    assertThrows(java.io.UncheckedIOException.class, () -> RunLock.acquire(dir.resolve("absent")));
  }
}

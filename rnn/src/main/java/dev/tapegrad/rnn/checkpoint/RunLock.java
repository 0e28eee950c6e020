package dev.tapegrad.rnn.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

/**
 * One writer per run directory: the lock a training run holds on its directory for as long as it
 * writes there, so that a second {@code train} on the same directory (a new run, a resume or a
 * {@code --force}) is refused instead of mixing two runs' files.
 *
 * <p>It is an operating-system lock ({@link FileChannel#tryLock()}) on the file {@value #FILE} in
 * the directory, so it is released when the process ends, however it ends: a run killed with
 * SIGKILL leaves the file but no lock, and the next resume takes it. The file holds the process id
 * and start time of the last holder, which the refusal names; it is never deleted (deleting a lock
 * file lets two processes lock two different files of the same name). Readers (sampling,
 * evaluation) need no lock: every file of a run is replaced atomically.
 *
 * <pre>{@code
 * try (RunLock lock = RunLock.acquire(dir)) {
 *   // train, save, write metrics
 * }
 * }</pre>
 *
 * <p>Note: within one JVM, a second lock on the same directory is refused from a table of the
 * directories this JVM holds, before the file is opened: on Linux, closing any channel to a file
 * releases every lock the process holds on it.
 */
public final class RunLock implements AutoCloseable {

  /** The lock file's name in a run directory. */
  public static final String FILE = "train.lock";

  /** The directories locked by this JVM, as absolute normalised paths. */
  private static final Set<Path> HELD = new HashSet<>();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory's lock, or refuses if another process (or this one) holds it.
   *
   * @param dir an existing run directory
   * @return the held lock; close it when the run ends
   * @throws IllegalStateException naming the process that holds the lock
   * @throws UncheckedIOException if the lock file cannot be created or written
   */
  public static RunLock acquire(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.contains(key)) {
        throw busy(dir, "this process, pid " + ProcessHandle.current().pid());
      }
      Path file = dir.resolve(FILE);
      FileChannel channel = null;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          String holder = holder(channel);
          channel.close();
          throw busy(dir, holder.isEmpty() ? "another process" : holder);
        }
        // Who holds it, for the message of a process it refuses.
        byte[] who = ("pid " + ProcessHandle.current().pid() + ", started "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(who), 0);
        HELD.add(key);
        return new RunLock(key, channel, lock);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Releases the lock; the file stays. */
  @Override
  public void close() {
    synchronized (HELD) {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // The process is ending the run: the operating system releases the lock with it anyway.
      } finally {
        HELD.remove(dir);
      }
    }
  }

  private static IllegalStateException busy(Path dir, String holder) {
    return new IllegalStateException(dir + " is in use by another train (" + holder + "); a run directory has one "
        + "writer at a time: wait for it to end, or train into another --out");
  }

  /** The holder's line of the lock file, or "" if it has not written it yet. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(200);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    return (end < 0 ? "" : text.substring(0, end)).strip();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Already failing: the first error is the one to report.
      }
    }
  }
}

package dev.tapegrad.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;

/**
 * Replaces a file so that readers, and a crash at any moment, see either the old content or the
 * new, never a mix: the content goes to a temporary file in the same directory, which is flushed
 * to disk ({@code fsync}) and then renamed over the target; the directory is synced too. A
 * process killed mid-write leaves the target intact and, at worst, a temporary file that
 * {@link #deleteLeftovers} removes.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("runs/a/metrics.jsonl"), channel -> channel.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFile {

  /** Writes a file's content to an open channel. */
  @FunctionalInterface
  public interface Body {
    /**
     * Writes the whole content.
     *
     * @param channel the temporary file, open for writing
     * @throws IOException if writing fails
     */
    void writeTo(FileChannel channel) throws IOException;
  }

  /** The temporary file of a write to {@code NAME} is {@code .NAME.<random UUID>.tmp}. */
  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {}

  /**
   * Replaces {@code file} with what {@code body} writes. On failure the target is left as it was
   * and the temporary file is removed.
   *
   * @param file the target (its directory must exist)
   * @param body writes the new content
   * @throws UncheckedIOException if anything fails
   */
  public static void write(Path file, Body body) {
    Objects.requireNonNull(file, "file");
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.writeTo(channel);
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      forceDirectory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + reason(e, file), e);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The original failure matters more than a leftover temporary file.
        }
      }
    }
  }

  /**
   * Replaces {@code file} with {@code bytes}; see {@link #write(Path, Body)}.
   *
   * @param file the target
   * @param bytes the new content
   */
  public static void write(Path file, byte[] bytes) {
    write(file, channel -> {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    });
  }

  /**
   * Deletes the temporary files that writes of {@code file} left behind when the process was
   * killed before their rename. The target itself is never touched: it still holds its old
   * content, or the new content if the rename happened.
   *
   * <p>Only call this while no other process writes {@code file}.
   *
   * @param file the target whose leftovers to delete
   * @return how many temporary files were deleted
   * @throws UncheckedIOException if the directory cannot be listed or a leftover cannot be deleted
   */
  public static int deleteLeftovers(Path file) {
    Objects.requireNonNull(file, "file");
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    String prefix = "." + target.getFileName() + ".";
    int deleted = 0;
    DirectoryStream.Filter<Path> leftover = entry -> isTemporaryName(entry.getFileName().toString(), prefix);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, leftover)) {
      for (Path entry : entries) {
        if (Files.deleteIfExists(entry)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete leftover temporary files of " + file + ": " + e, e);
    }
    return deleted;
  }

  /** Whether {@code name} is {@code prefix}, a UUID and {@code .tmp}, as {@link #write} names them. */
  private static boolean isTemporaryName(String name, String prefix) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) {
      return false;
    }
    String middle = name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length());
    try {
      return UUID.fromString(middle).toString().equals(middle);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What went wrong, in words that name no temporary file: a missing directory, or the system's reason. */
  private static String reason(IOException e, Path file) {
    Path directory = file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      return "directory " + directory + " does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied in " + directory;
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Windows cannot open a directory as a channel; the move itself is still atomic there.
    }
  }
}

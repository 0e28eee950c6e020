package dev.tapegrad.rnn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A line of fields that fits a width by leaving out its least important parts first, such as
 * {@code step 1,234 | epoch 3 | loss 1.234 (1.78 bpc) | 12,345 chars/s | ETA 1m23s}.
 *
 * <p>Each part has a rank: 0 for a part that always stays, and the higher the rank, the sooner it
 * goes. {@link #fit} leaves out every part of the highest rank, then of the next, until the line
 * fits, and cuts it only if what must stay is still too long. The parts keep their order.
 */
final class FittedLine {

  /** Between fields. */
  static final String SEPARATOR = " | ";

  private record Part(String before, String text, int rank) {}

  private final List<Part> parts = new ArrayList<>();

  /**
   * Adds a field, after a {@value #SEPARATOR} unless it is the first.
   *
   * @param text the field
   * @param rank 0 to keep it always; a higher rank leaves it out sooner
   * @return this
   */
  FittedLine field(String text, int rank) {
    parts.add(new Part(parts.isEmpty() ? "" : SEPARATOR, text, rank));
    return this;
  }

  /**
   * Adds a field after a space, such as a bar before a percentage.
   *
   * @param text the field
   * @param rank 0 to keep it always; a higher rank leaves it out sooner
   * @return this
   */
  FittedLine word(String text, int rank) {
    parts.add(new Part(parts.isEmpty() ? "" : " ", text, rank));
    return this;
  }

  /**
   * Adds a part written straight after the previous one, such as a unit or a figure in brackets;
   * it goes no later than the part it follows.
   *
   * @param text the part, with its own leading space if it needs one
   * @param rank 0 to keep it as long as the part before it; a higher rank leaves it out sooner
   * @return this
   */
  FittedLine detail(String text, int rank) {
    int previous = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).rank();
    parts.add(new Part("", text, previous == 0 ? rank : Math.max(rank, previous)));
    return this;
  }

  /** {@return the whole line} */
  String full() {
    return joined(Integer.MAX_VALUE);
  }

  /**
   * Returns the line without its least important parts, at most {@code width} characters long.
   *
   * @param width the most characters it may take
   * @return the line
   */
  String fit(int width) {
    TreeSet<Integer> ranks = new TreeSet<>();
    parts.forEach(p -> ranks.add(p.rank()));
    String line = full();
    while (line.length() > width && !ranks.isEmpty() && ranks.last() > 0) {
      line = joined(ranks.pollLast() - 1);
    }
    return line.length() > width ? line.substring(0, Math.max(0, width)) : line;
  }

  /**
   * Returns the line fitted as {@link #fit} does, except that what must stay is never cut: if it is
   * still too long, it breaks between parts onto further lines, each indented by two spaces, so that
   * no figure is lost or split (for lines printed once, not for a line redrawn in place).
   *
   * @param width the most characters a line may take
   * @return the line or lines, joined by {@code \n}
   */
  String wrap(int width) {
    String fitted = fit(Integer.MAX_VALUE);
    TreeSet<Integer> ranks = new TreeSet<>();
    parts.forEach(p -> ranks.add(p.rank()));
    int maxRank = Integer.MAX_VALUE;
    while (fitted.length() > width && !ranks.isEmpty() && ranks.last() > 0) {
      maxRank = ranks.pollLast() - 1;
      fitted = joined(maxRank);
    }
    if (fitted.length() <= width) {
      return fitted;
    }
    StringBuilder out = new StringBuilder();
    StringBuilder row = new StringBuilder();
    for (Part p : parts) {
      if (p.rank() > maxRank) {
        continue;
      }
      String before = row.length() == 0 && out.length() == 0 ? "" : p.before();
      if (row.length() > 0 && row.length() + before.length() + p.text().length() > width) {
        out.append(row.toString().stripTrailing()).append('\n');
        row.setLength(0);
        row.append("  ");
        before = before.strip().isEmpty() ? "" : before.stripLeading();
      }
      row.append(before).append(p.text());
    }
    return out.append(row).toString();
  }

  /** The parts of rank at most {@code maxRank}; a field's separator goes with it. */
  private String joined(int maxRank) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (p.rank() <= maxRank) {
        sb.append(sb.length() == 0 ? "" : p.before()).append(p.text());
      }
    }
    return sb.toString();
  }
}

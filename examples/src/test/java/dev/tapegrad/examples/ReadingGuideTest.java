package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/READING.md stays true: it links every class of core and rnn, and every link to a range of
 * lines carries, as its title, a piece of code that is still within that range.
 */
class ReadingGuideTest {

  private static final Path REPOSITORY = DocSnippetsTest.REPOSITORY;
  private static final Path GUIDE = REPOSITORY.resolve("docs/READING.md");

  /** A relative link, with an optional {@code #La} or {@code #La-Lb} anchor and an optional title. */
  private static final Pattern LINK = Pattern.compile(
      "\\]\\((\\.\\./[^\\s)#]+)(?:#L(\\d+)(?:-L(\\d+))?)?(?: \"([^\"]*)\")?\\)");

  private record Link(String target, int from, int to, String title) {}

  @Test
  void linksEveryClassOfCoreAndRnn() throws IOException {
    String guide = Files.readString(GUIDE);
    List<String> missing = new ArrayList<>();
    for (String module : List.of("core", "rnn")) {
      Path sources = REPOSITORY.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(sources)) {
        files.filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !p.getFileName().toString().equals("package-info.java"))
            .map(p -> "](../" + REPOSITORY.relativize(p).toString().replace('\\', '/'))
            .filter(link -> !guide.contains(link))
            .forEach(missing::add);
      }
    }
    assertEquals(List.of(), missing, "classes the reading guide does not link");
  }

  @Test
  void everyLineLinkStillPointsAtItsCode() throws IOException {
    List<Link> links = links(Files.readString(GUIDE));
    int lineLinks = 0;
    for (Link link : links) {
      Path target = GUIDE.getParent().resolve(link.target()).normalize();
      assertTrue(Files.isRegularFile(target), "link to a missing file: " + link);
      if (link.from() == 0) {
        continue;
      }
      lineLinks++;
      List<String> lines = Files.readAllLines(target);
      assertTrue(link.from() <= link.to() && link.to() <= lines.size(),
          link + " is outside " + link.target() + " (" + lines.size() + " lines)");
      assertTrue(link.title() != null, "a line link needs a title quoting its code: " + link);
      String range = String.join("\n", lines.subList(link.from() - 1, link.to()));
      assertTrue(range.contains(link.title()), "lines " + link.from() + "-" + link.to() + " of " + link.target()
          + " no longer contain \"" + link.title() + "\"; update docs/READING.md. They are now:\n" + range);
    }
    assertTrue(lineLinks >= 20, "the guide points at the lines of each idea; found " + lineLinks);
  }

  @Test
  void otherDocsLinkOnlyToFilesThatExist() throws IOException {
    for (Path doc : DocSnippetsTest.markdownFiles()) {
      Path file = REPOSITORY.resolve(doc);
      for (Link link : links(Files.readString(file))) {
        Path target = file.getParent().resolve(link.target()).normalize();
        assertTrue(Files.exists(target), doc + " links to a missing file: " + link.target());
      }
    }
  }

  private static List<Link> links(String markdown) {
    List<Link> links = new ArrayList<>();
    Matcher m = LINK.matcher(markdown);
    while (m.find()) {
      int from = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
      links.add(new Link(m.group(1), from, to, m.group(4)));
    }
    return links;
  }
}

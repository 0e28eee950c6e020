package dev.tapegrad.io;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() {
    Map<String, Object> m = Json.parseObject("{\"a\": [1, 2.5, -3e2, true, false, null, \"s\"], \"b\": {}}");
    assertEquals(Arrays.asList(1L, 2.5, -300.0, true, false, null, "s"), m.get("a"));
    assertEquals(Map.of(), m.get("b"));
  }

  @Test
  void aNumberBeyondTheRangeOfADoubleIsRefusedNotReadAsInfinity() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[1,2,1e999]"),
        "JSON: number 1e999 is too large for a double at offset 5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("-1" + "0".repeat(400)),
        "...", "is too large for a double at offset 0");
    assertEquals(1e308, Json.parse("1e308"));
  }

  @Test
  void integersWithoutFractionOrExponentAreLongsWhenTheyFit() {
    assertEquals(0L, Json.parse("0"));
    assertEquals(-5L, Json.parse("-5"));
    assertEquals(123456789012345678L, Json.parse("123456789012345678"));
    assertEquals(1234567890123456789L, Json.parse("1234567890123456789"));
    assertInstanceOf(Double.class, Json.parse("12345678901234567890"));
    assertEquals(1500.0, Json.parse("1.5e3"));
    assertEquals(2.0, Json.parse("2.0"));
    assertEquals(-0.0, Json.parse("-0.0"));
  }

  @Test
  void keepsMembersInTheirOrder() {
    Map<String, Object> m = Json.parseObject("{\"z\": 1, \"a\": 2, \"m\": 3}");
    assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
  }

  @Test
  void allowsWhitespaceAroundTokens() {
    assertEquals(Map.of("a", List.of(1L)), Json.parse(" \t\n\r{ \"a\" :\n[ 1 ] } \n"));
  }

  @Test
  void decodesEveryStringEscape() {
    // \" \\ \/ \b \f \n \r \t, a BMP escape and a surrogate pair
    assertEquals("\"\\/\b\f\n\r\té😀", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
  }

  @Test
  void parsedContainersAreReadOnly() {
    Map<String, Object> m = Json.parseObject("{\"a\": [1]}");
    assertThrows(UnsupportedOperationException.class, () -> m.put("b", 2L));
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
  }

  @Test
  void roundTripsNestedValues() {
    Map<String, Object> original = new LinkedHashMap<>();
    original.put("name", "tape\"grad\\\n\t\u0001é😀");
    original.put("count", 3L);
    original.put("ratio", 0.25);
    original.put("big", 1.0e20);
    original.put("tiny", -1.5e-7);
    original.put("flags", List.of(true, false));
    original.put("nothing", null);
    original.put("nested", Map.of("empty list", List.of(), "empty map", Map.of()));
    String text = Json.write(original);
    Object parsed = Json.parse(text);
    assertEquals(original, parsed);
    assertEquals(text, Json.write(parsed));
  }

  @Test
  void floatArraysRoundTripToTheSameFloats() {
    float[] values = {0.1f, -1e-5f, 3.4028235e38f, 1.4e-45f, 2f, 0f};
    List<?> parsed = (List<?>) Json.parse(Json.write(values));
    float[] back = new float[parsed.size()];
    for (int i = 0; i < back.length; i++) {
      back[i] = ((Number) parsed.get(i)).floatValue();
    }
    assertEquals(Arrays.toString(values), Arrays.toString(back));
  }

  @Test
  void writesCompactTextWithIntegralNumbersWithoutAFraction() {
    assertEquals("2", Json.write(2.0));
    assertEquals("-0.5", Json.write(-0.5));
    assertEquals("0.1", Json.write(0.1f));
    assertEquals("1.0E20", Json.write(1e20));
    assertEquals("3", Json.write(3));
    assertEquals("[1.5,2]", Json.write(new float[] {1.5f, 2f}));
    assertEquals("[0.5,1]", Json.write(new double[] {0.5, 1.0}));
    assertEquals("[1,2]", Json.write(new int[] {1, 2}));
    assertEquals("[9007199254740993]", Json.write(new long[] {9007199254740993L}));
    assertEquals("{\"a\":[true,null]}", Json.write(Map.of("a", Arrays.asList(true, null))));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\u0001\"", Json.write("a\"b\\c\n\r\t\u0001"));
  }

  @Test
  void refusesToWriteNonFiniteNumbers() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.write(Double.NaN), "NaN");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.write(new float[] {Float.POSITIVE_INFINITY}),
        "Infinity");
  }

  @Test
  void refusesToWriteUnsupportedTypes() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.write(new Object()), "java.lang.Object");
  }

  @Test
  void rejectsATrailingCommaWithItsOffset() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[1,2,]"), "unexpected character \"]\"",
        "at offset 5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"), "member name",
        "at offset 7");
  }

  @Test
  void rejectsDuplicateMemberNames() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"),
        "duplicate member name \"a\"", "at offset");
  }

  @Test
  void acceptsNestingUpToTheDepthLimit() {
    int depth = Json.MAX_DEPTH;
    Object empty = Json.parse("[".repeat(depth) + "]".repeat(depth));
    for (int level = 1; level < depth; level++) {
      empty = ((List<?>) empty).get(0);
    }
    assertEquals(List.of(), empty);
    Json.parse("[".repeat(depth) + "1" + "]".repeat(depth));
    // 63 objects {"a": …} around the innermost {} make 64 levels
    Json.parse("{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1));
  }

  @Test
  void rejectsNestingBeyondTheDepthLimitAtTheOffendingBracket() {
    int depth = Json.MAX_DEPTH + 1;
    // the 65th bracket sits at offset 64, whether or not anything is inside it
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[".repeat(depth) + "]".repeat(depth)),
        "nesting deeper than 64", "at offset 64");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Json.parse("[".repeat(depth) + "1" + "]".repeat(depth)), "nesting deeper than 64", "at offset 64");
    // {"a": is five characters, so the 65th object starts at 5 · 64 = 320
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Json.parse("{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)), "nesting deeper than 64",
        "at offset 320");
  }

  @Test
  void rejectsHostileNestingWithoutOverflowingTheStack() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[".repeat(100_000)), "nesting");
  }

  @Test
  void rejectsBadEscapesWithTheirOffset() {
    // "\x": the escape letter is at offset 2
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("\"\\x\""), "bad escape \"\\\\x\"",
        "at offset 2");
    // backslash, u, 1, 2, G: the G is at offset 5
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("\"\\u12G4\""), "bad hex digit",
        "at offset 5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("\"\\u12\""), "truncated",
        "at offset 3");
  }

  @Test
  void rejectsRawControlCharactersAndUnterminatedStrings() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("\"a\u0001b\""), "control character",
        "at offset 2");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("\"abc"), "unterminated string",
        "at offset 4");
  }

  @Test
  void rejectsNumbersOutsideTheGrammar() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("01"), "unexpected text", "at offset 1");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("1."), "digits must follow '.'",
        "at offset 2");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("1e"), "exponent", "at offset 2");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("-"), "bad number", "at offset 1");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("+1"), "\"+\"", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse(".5"), "\".\"", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("NaN"), "\"N\"", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("Infinity"), "\"I\"", "at offset 0");
  }

  @Test
  void rejectsOtherMalformedText() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse(""), "end of input", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("{} x"), "unexpected text",
        "at offset 3");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[1 2]"), "expected ',' or ']'",
        "at offset 3");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("[1,2"), "end of input", "at offset 4");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"), "expected ':'",
        "at offset 5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("{a:1}"), "member name", "at offset 1");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("'a'"), "\"'\"", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("tru"), "expected true", "at offset 0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parse("// c\n1"), "\"/\"", "at offset 0");
  }

  @Test
  void parseObjectRejectsOtherValues() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Json.parseObject("[1]"), "expected an object");
    assertNull(Json.parse("null"));
  }
}

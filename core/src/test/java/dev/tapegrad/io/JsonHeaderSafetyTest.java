package dev.tapegrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonHeaderSafetyTest {

  @Test
  void parsesIntegersThatFitInALongAsLongs() {
    assertEquals(List.of(0L, -7L, 4611686018427387904L, Long.MAX_VALUE, Long.MIN_VALUE),
        Json.parse("[0, -7, 4611686018427387904, 9223372036854775807, -9223372036854775808]"));
  }

  @Test
  void parsesIntegersBeyondLongRangeAndFractionsAsDoubles() {
    assertEquals(List.of(9.223372036854775808E18, 2.5, 100.0), Json.parse("[9223372036854775808, 2.5, 1e2]"));
  }

  @Test
  void emptyAndNonEmptyContainersAreReadOnly() {
    Map<String, Object> object = Json.parseObject("{\"a\": [], \"b\": {}, \"c\": [1]}");
    assertEquals(List.of(), object.get("a"));
    assertEquals(Map.of(), object.get("b"));
    assertThrows(UnsupportedOperationException.class, () -> object.put("d", 1));
    @SuppressWarnings("unchecked")
    List<Object> c = (List<Object>) object.get("c");
    assertThrows(UnsupportedOperationException.class, () -> c.add(2L));
  }

  @Test
  void writesLoneSurrogatesAsEscapesSoTheOutputIsValidUtf8() {
    String text = "a\ud800b\udc00c\ud834\udd1e";
    String json = Json.write(text);
    assertEquals("\"a\\ud800b\\udc00c\ud834\udd1e\"", json);
    assertEquals(json, new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    assertEquals(text, Json.parse(json));
  }

  @Test
  void refusesDuplicateMemberNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
    assertEquals("JSON: duplicate member name \"a\" at offset 12", e.getMessage());
  }

  @Test
  void errorMessagesStayOnOneLine() {
    IllegalArgumentException control = assertThrows(IllegalArgumentException.class, () -> Json.parse("[\u0085]"));
    assertEquals("JSON: unexpected character \"\\u0085\" at offset 1", control.getMessage());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> Json.parse("{\"a\\nb\":1,\"a\\nb\":2}"));
    assertFalse(key.getMessage().contains("\n"), key.getMessage());
    assertTrue(key.getMessage().contains("\"a\\nb\""), key.getMessage());
  }
}

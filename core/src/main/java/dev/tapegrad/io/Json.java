package dev.tapegrad.io;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), enough for safetensors headers, metrics
 * lines and reference fixtures, so that core needs no JSON library.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered, read-only),
 * array → {@code List<Object>} (read-only), number → {@code Double} (or {@code Long} when written
 * without fraction or exponent and it fits; a number beyond the range of a double, such as
 * {@code 1e999}, is refused, since it would read as infinity), string → {@code String}, {@code true}/{@code false}
 * → {@code Boolean}, {@code null} → {@code null}.
 *
 * <pre>{@code
 * Map<String, Object> header = Json.parseObject("{\"a\": [1, 2.5]}");
 * String text = Json.write(Map.of("loss", 1.25));
 * }</pre>
 */
public final class Json {

  /**
   * The most arrays and objects that may enclose one another; one more is refused, so hostile
   * input cannot overflow the stack.
   */
  public static final int MAX_DEPTH = 64;

  /** Longest excerpt of the input quoted in an error message. */
  private static final int MESSAGE_TEXT_LIMIT = 60;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value.
   *
   * @param text the JSON text
   * @return the value, as described in the class comment
   * @throws IllegalArgumentException naming the character offset if the text is not valid JSON
   */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipSpace();
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return value;
  }

  /**
   * Parses a JSON object.
   *
   * @param text the JSON text
   * @return the object's members, in order
   * @throws IllegalArgumentException if the text is not valid JSON or not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("JSON: expected an object");
    }
    return (Map<String, Object>) value;
  }

  /**
   * Writes a value as compact JSON. Accepts maps with string keys, iterables, arrays of
   * {@code float}, {@code double}, {@code int}, {@code long}, numbers, strings, booleans and
   * {@code null}. Non-finite numbers are refused, since JSON cannot express them.
   *
   * @param value the value
   * @return its JSON text
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON cannot represent " + d);
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        out.append((long) d);
      } else {
        out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
      }
    } else if (value instanceof Number n) {
      out.append(n.longValue());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Iterable<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (value instanceof float[] || value instanceof int[] || value instanceof long[]
        || value instanceof double[]) {
      // a numeric array: written as the list of its boxed elements
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        list.add(Array.get(value, i));
      }
      write(list, out);
    } else {
      throw new IllegalArgumentException("JSON cannot write a " + value.getClass().getName());
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            // A lone surrogate has no UTF-8 form, so it is escaped to keep the output encodable.
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  /** Renders text for an error message on one line: quoted, escaped, and cut short if long. */
  private static String quoteForMessage(String s) {
    StringBuilder out = new StringBuilder();
    writeString(s.length() > MESSAGE_TEXT_LIMIT ? s.substring(0, MESSAGE_TEXT_LIMIT) : s, out);
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.replace(i, i + 1, String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > MESSAGE_TEXT_LIMIT) {
      out.append("...");
    }
    return out.toString();
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character " + quoteForMessage(String.valueOf(c)));
    }
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return Collections.emptyMap();
    }
    Map<String, Object> members = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes");
      }
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object value = value(depth + 1);
      if (members.containsKey(key)) {
        throw error("duplicate member name " + quoteForMessage(key));
      }
      members.put(key, value);
      skipSpace();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return Collections.emptyList();
    }
    ArrayList<Object> items = new ArrayList<>();
    while (true) {
      skipSpace();
      items.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        items.trimToSize();
        return Collections.unmodifiableList(items);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos++), 16);
            if (digit < 0) {
              pos--;
              throw error("bad hex digit in \\u escape");
            }
            code = code * 16 + digit;
          }
          sb.append((char) code);
        }
        default -> {
          pos--;
          throw error("bad escape " + quoteForMessage("\\" + e));
        }
      }
    }
  }

  private Object number() {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    } else {
      throw error("bad number");
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("bad number: digits must follow '.'");
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("bad number: digits must follow the exponent");
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    String digits = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException outsideLongRange) {
        return finite(digits, start);
      }
    }
    return finite(digits, start);
  }

  /** A number as a double, refusing one too large for it (such as 1e999), which JSON cannot write back. */
  private Double finite(String digits, int start) {
    double value = Double.parseDouble(digits);
    if (Double.isInfinite(value)) {
      pos = start;
      throw error("number " + quoteForMessage(digits).replace("\"", "") + " is too large for a double");
    }
    return value;
  }

  /** Refuses a container that {@code depth} others enclose if it would be one level too many. */
  private void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
  }
}

package dev.tapegrad.nn;

import dev.tapegrad.autograd.Variable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The check behind {@link Module#namedParameters()}: every field that holds layers or parameters
 * is registered under its name. It reads names and declared types only (never values), so it
 * works for a module in any Java module without {@code opens}.
 */
final class RegisteredFields {

  /**
   * Each class's fields that hold layers, found once: a class's declared fields never change, and
   * {@code namedParameters()} runs every training step where a loop clips or steps
   * {@code model.parameters()}, so reflecting on every call would put the walk on the hot path.
   * A {@link ClassValue} is the JDK's cache for a pure function of a class (it holds no state of
   * any module, and lets a class be unloaded).
   */
  private static final ClassValue<List<Field>> HOLDING = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      return List.copyOf(holding(type));
    }
  };

  private RegisteredFields() {}

  /**
   * Throws if a field of {@code module} that holds layers or parameters has no registered name.
   *
   * @param module the module
   * @param local its own parameters by name
   * @param children its children
   * @throws IllegalStateException naming the class and the first unregistered field
   */
  static void check(Module module, Map<String, Variable> local, List<Module.Child> children) {
    List<Field> fields = HOLDING.get(module.getClass());
    if (fields.isEmpty()) {
      return;
    }
    Set<String> registered = new HashSet<>(local.keySet());
    if (module instanceof AbstractModule registering) {
      registered.addAll(registering.absentParameters());
    }
    for (Module.Child child : children) {
      registered.add(child.name());
    }
    for (Field f : fields) {
      String snake = snakeCase(f.getName(), false);
      if (!registered.contains(f.getName()) && !registered.contains(snake)
          && !registered.contains(snakeCase(f.getName(), true))) {
        Class<?> type = module.getClass();
        String owner = type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        throw new IllegalStateException(owner + ": field '" + f.getName() + "' (" + f.getType().getSimpleName()
            + ") holds " + (f.getType() == Variable.class ? "a parameter" : "layers") + " that no name registers, "
            + "so it would be neither trained nor saved; register it as '" + f.getName() + "'"
            + (snake.equals(f.getName()) ? "" : " or '" + snake + "'") + " (register(\"" + f.getName()
            + "\", ...) in an AbstractModule, or in localParameters() or children()), or declare the field "
            + "transient if it is not part of this module");
      }
    }
  }

  /** {@return the fields of {@code type} and its superclasses (up to {@link AbstractModule}) that hold layers} */
  private static List<Field> holding(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    // AbstractModule's own fields are its registry; Object has none.
    for (Class<?> c = type; c != null && c != AbstractModule.class && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int modifiers = f.getModifiers();
        // javac's synthetic fields (an outer instance, captured variables) have no name a user wrote
        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !f.isSynthetic()
            && holdsLayers(f.getGenericType())) {
          fields.add(f);
        }
      }
    }
    return fields;
  }

  /** {@return whether a field of this declared type holds a module or a variable, directly or as elements} */
  private static boolean holdsLayers(Type type) {
    if (type instanceof Class<?> c) {
      return Module.class.isAssignableFrom(c) || c == Variable.class || (c.isArray() && holdsLayers(
          c.getComponentType()));
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (Module.class.isAssignableFrom(raw)) {
        return true;
      }
      if (Iterable.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw) || raw == Optional.class) {
        for (Type argument : p.getActualTypeArguments()) {
          if (holdsLayers(argument)) {
            return true;
          }
        }
      }
      return false;
    }
    if (type instanceof GenericArrayType a) {
      return holdsLayers(a.getGenericComponentType());
    }
    if (type instanceof WildcardType w) {
      return holdsLayers(w.getUpperBounds()[0]);
    }
    if (type instanceof TypeVariable<?> v) {
      return holdsLayers(v.getBounds()[0]);
    }
    return false;
  }

  /**
   * {@return a Java name in PyTorch's spelling: {@code lmHead} → {@code lm_head}, {@code weightIh} →
   * {@code weight_ih}; with {@code splitDigits}, a number after a letter is a word of its own too,
   * {@code ln1} → {@code ln_1} (nanoGPT's {@code ln_1}), where without it {@code weightIhL0} stays
   * {@code weight_ih_l0}}
   *
   * @param name the Java name
   * @param splitDigits whether a digit after a letter starts a word
   */
  static String snakeCase(String name, boolean splitDigits) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      boolean digitWord = splitDigits && i > 0 && Character.isDigit(ch) && Character.isLetter(name.charAt(i - 1));
      if ((Character.isUpperCase(ch) && i > 0) || digitWord) {
        out.append('_');
      }
      out.append(Character.toLowerCase(ch));
    }
    return out.toString();
  }
}

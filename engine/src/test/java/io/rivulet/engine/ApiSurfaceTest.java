package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API ({@code io.rivulet.engine}, {@code .source}, {@code .sink}, {@code .sql}, {@code .types})
 * exposes no runtime or internal type: no public or protected constructor, method, field, supertype or
 * type-parameter bound of a public API type mentions a type from {@code io.rivulet.engine.runtime},
 * {@code io.rivulet.engine.internal}, {@code io.rivulet.engine.sql.internal}, {@code .sql.expressions} or the generated parser
 * {@code io.rivulet.engine.sql.parser}.
 */
class ApiSurfaceTest {
    private static final List<String> API_PACKAGES = List.of("io.rivulet.engine", "io.rivulet.engine.source",
        "io.rivulet.engine.source.file",
        "io.rivulet.engine.sink", "io.rivulet.engine.sql", "io.rivulet.engine.sql.connector", "io.rivulet.engine.types");
    private static final List<String> HIDDEN_PREFIXES = List.of("io.rivulet.engine.runtime.", "io.rivulet.engine.internal.",
        "io.rivulet.engine.sql.internal.", "io.rivulet.engine.sql.parser.", "io.rivulet.engine.sql.expressions.");

    @Test
    void shouldExposeNoRuntimeOrInternalTypeInAnyPublicApiSignature() throws Exception {
        List<Class<?>> api = apiClasses();
        assertThat(api).contains(Rivulet.class, DataStreamWriter.class, StreamingQueryManager.class,
            Sources.class, Sinks.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            leaks.addAll(leaksOf(type));
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void shouldReportALeakingSignature() {
        String leaky = Leaky.class.getName();
        String node = PlanNode.class.getName();
        assertThat(leaksOf(Leaky.class)).containsExactlyInAnyOrder(
            leaky + ".node() returns mentions " + node,
            leaky + ".take() parameter mentions " + node,
            leaky + ".bound() parameter mentions " + node,
            leaky + ".bound() <N> mentions " + node);
    }

    /** A fixture that leaks three ways: a return type, a type argument of a parameter, and a type-variable bound. */
    public static class Leaky {
        public PlanNode<?> node() {
            return null;
        }

        public void take(List<? extends PlanNode<?>> nodes) {
        }

        public <N extends PlanNode<?>> void bound(N node) {
        }
    }

    private static List<String> leaksOf(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        if (!Modifier.isPublic(type.getModifiers())) {
            return leaks;
        }
        check(leaks, type.getName() + " extends", type.getGenericSuperclass());
        for (Type face : type.getGenericInterfaces()) {
            check(leaks, type.getName() + " implements", face);
        }
        for (TypeVariable<?> variable : type.getTypeParameters()) {
            check(leaks, type.getName() + "<" + variable.getName() + ">", variable);
        }
        boolean extensible = !Modifier.isFinal(type.getModifiers());
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers(), extensible)) {
                check(leaks, type.getName() + "." + field.getName(), field.getGenericType());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers(), extensible)) {
                checkExecutable(leaks, type.getName() + ".<init>()", constructor);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers(), extensible) && !method.isSynthetic()) {
                checkExecutable(leaks, type.getName() + "." + method.getName() + "()", method);
                check(leaks, type.getName() + "." + method.getName() + "() returns", method.getGenericReturnType());
            }
        }
        return leaks;
    }

    private static boolean visible(int modifiers, boolean extensible) {
        return Modifier.isPublic(modifiers) || (extensible && Modifier.isProtected(modifiers));
    }

    private static void checkExecutable(List<String> leaks, String where, Executable executable) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(leaks, where + " parameter", parameter);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            check(leaks, where + " throws", thrown);
        }
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            check(leaks, where + " <" + variable.getName() + ">", variable);
        }
    }

    private static void check(List<String> leaks, String where, Type type) {
        Set<Type> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> hidden = new ArrayList<>();
        collectHidden(type, seen, hidden);
        for (String name : hidden) {
            leaks.add(where + " mentions " + name);
        }
    }

    private static void collectHidden(Type type, Set<Type> seen, List<String> out) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            for (String prefix : HIDDEN_PREFIXES) {
                if (c.getName().startsWith(prefix)) {
                    out.add(c.getName());
                }
            }
        } else if (type instanceof ParameterizedType p) {
            collectHidden(p.getRawType(), seen, out);
            collectHidden(p.getOwnerType(), seen, out);
            for (Type argument : p.getActualTypeArguments()) {
                collectHidden(argument, seen, out);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collectHidden(bound, seen, out);
            }
            for (Type bound : w.getLowerBounds()) {
                collectHidden(bound, seen, out);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collectHidden(bound, seen, out);
            }
        } else if (type instanceof GenericArrayType a) {
            collectHidden(a.getGenericComponentType(), seen, out);
        }
    }

    /** Every class compiled into the API packages (nested ones included), from the main classes directory. */
    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Rivulet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        for (String pkg : API_PACKAGES) {
            Path dir = root.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    String simple = file.getFileName().toString().replace(".class", "");
                    if (simple.equals("package-info")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + simple, false, ApiSurfaceTest.class.getClassLoader());
                    if (isPublicApi(type)) {
                        classes.add(type);
                    }
                }
            }
        }
        return classes;
    }

    /** Public, and (if nested) nested only in public types: what a user can name. */
    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}

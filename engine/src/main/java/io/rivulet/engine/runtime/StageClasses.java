package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.FlatMapOperator;
import io.rivulet.operators.stateless.MapOperator;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Stage clones: hidden classes defined from the bytes of a class on a fused chain's per-record path, one per
 * shape of stage, so that the JIT profiles each stage's call sites on their own.
 *
 * <p>A call site in {@code OperatorLink.emit} or {@code FilterOperator.process} is one bytecode for every
 * stage of every query in the JVM: its type profile sees the next link or operator of all of them, turns
 * bi- or megamorphic, and C2 stops inlining there; a user record passed through a call that is not inlined
 * escapes and is allocated on the heap. A clone has the same bytes but is a distinct class with its own
 * methods, so its call sites see only the classes its stage calls, C2 inlines the stage into one compiled
 * method, and escape analysis can scalar-replace the records that die inside it (docs/benchmarks.md,
 * "Issue 14").
 *
 * <p>Clones are shared by shape: the template and the classes its per-record call sites call
 * ({@code targets}). Two stages with the same shape would give every call site the same profile, and the
 * user code upstream (a source reader's {@code emit} call) sees one class whether one query or a thousand
 * identical ones run. A clone is defined without {@code STRONG}: nothing but its instances and the
 * clones upstream of it (whose shape names it) hold it, so it unloads with the last query using it; the
 * cache holds it weakly, its key is held by the clone itself (as class data).
 *
 * <p>A clone is not a subclass of its template: code that holds a cloned object types it by the
 * template's superclass or interface ({@link Link}, {@code Operator}). Fields and methods it uses of
 * other classes must not be private (a hidden class is its own nest).
 *
 * <p>On by default; {@code -Drivulet.stageClasses=false} turns it off (every stage then uses the
 * template classes themselves, as before). Thread-safe: planners of several queries may clone at once.
 */
final class StageClasses {
    /** The system property that turns stage clones off ({@code false}); read once. */
    static final String ENABLED_PROPERTY = "rivulet.stageClasses";
    /** Whether stages get clones. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));

    private static final System.Logger LOG = System.getLogger(StageClasses.class.getName());
    private static final ClassValue<byte[]> BYTES = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            String resource = "/" + type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no class file " + resource + " for " + type.getName());
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read class file " + resource, e);
            }
        }
    };
    /** Clones by shape (template, then targets); the key is the clone's class data, so it lives as long as the clone. */
    private static final Map<List<Class<?>>, WeakReference<Class<?>>> CLONES = new WeakHashMap<>();
    private static volatile boolean warned;

    private StageClasses() {
    }

    /**
     * Returns the clone of {@code template} for a stage whose per-record call sites call {@code targets},
     * defining it the first time that shape is asked for.
     *
     * @param template the class to clone: its class file must be readable as a resource of its loader
     * @param lookup a lookup with access to the template's package (its module must open the package to
     *     the lookup's)
     * @param targets the classes the stage's per-record calls reach (next link, operator, user function,
     *     writer), in a fixed order per template
     * @return a hidden class with the template's bytes, in the template's package
     * @throws IllegalStateException if the class cannot be cloned (no class file, no access)
     */
    static Class<?> cloneOf(Class<?> template, MethodHandles.Lookup lookup, Class<?>... targets) {
        // Before any clone runs, so that no chain method is compiled without it.
        InlineDirectives.installOnce();
        List<Class<?>> shape = new ArrayList<>(targets.length + 1);
        shape.add(template);
        shape.addAll(Arrays.asList(targets));
        synchronized (CLONES) {
            WeakReference<Class<?>> known = CLONES.get(shape);
            Class<?> clone = known == null ? null : known.get();
            if (clone != null) {
                return clone;
            }
            List<Class<?>> key = Collections.unmodifiableList(shape);
            try {
                clone = MethodHandles.privateLookupIn(template, lookup)
                    .defineHiddenClassWithClassData(BYTES.get(template), key, true)
                    .lookupClass();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot clone " + template.getName() + ": " + e.getMessage(), e);
            }
            CLONES.put(key, new WeakReference<>(clone));
            return clone;
        }
    }

    /**
     * The class a clone's per-record call site calls, for a {@code static final} of the clone: in a clone,
     * element {@code index} of its shape (its class data); in the template itself (not a clone), {@code
     * fallback}. A clone casts the field it calls through with {@link Class#cast} on this constant, which
     * C2 compiles to a check against the exact class: the call binds statically and inlines whatever the
     * type profile holds (a site compiled before it was profiled, or from tier-2 code that profiles
     * nothing, would otherwise stay a virtual call, and a record passed through it escapes).
     *
     * @param lookup the calling class's own lookup ({@code MethodHandles.lookup()} in its static
     *     initialiser): full privilege, so that its class data can be read
     * @param index the target's position in the shape ({@code 1} is the first target, as passed to
     *     {@link #cloneOf})
     * @param fallback what the template uses: the declared type of the field
     * @return the target class, or {@code fallback}
     * @throws IllegalStateException if the class data is not a shape with that index
     */
    static Class<?> target(MethodHandles.Lookup lookup, int index, Class<?> fallback) {
        List<?> shape;
        try {
            shape = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, List.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the class data of " + lookup.lookupClass().getName(), e);
        }
        if (shape == null) {
            return fallback;
        }
        if (index < 1 || index >= shape.size()) {
            throw new IllegalStateException("shape of " + lookup.lookupClass().getName() + " has no target " + index
                + ": " + shape);
        }
        return (Class<?>) shape.get(index);
    }

    /**
     * Creates an instance of a clone through its constructor.
     *
     * @param clone a clone from {@link #cloneOf}
     * @param lookup a lookup with access to the clone's package
     * @param parameterTypes the constructor's parameter types (the template's)
     * @param args the arguments
     * @return the new instance
     * @throws IllegalStateException if the constructor is missing or inaccessible
     */
    static Object newInstance(Class<?> clone, MethodHandles.Lookup lookup, Class<?>[] parameterTypes, Object... args) {
        MethodHandle constructor;
        try {
            constructor = MethodHandles.privateLookupIn(clone, lookup)
                .findConstructor(clone, MethodType.methodType(void.class, parameterTypes));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + clone.getName() + ": " + e.getMessage(), e);
        }
        try {
            return constructor.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("constructor of " + clone.getName() + " failed", e);
        }
    }

    /**
     * Returns a clone of a stateless operator ({@code filter}, {@code map}, {@code flatMap}) for a stage whose
     * output goes to {@code next}, holding the same user function; any other operator is returned as it is.
     *
     * @param operator the operator the plan built
     * @param nextClass the class of the link its output goes to
     * @param <I> input type
     * @param <O> output type
     * @return the clone's instance, or {@code operator}
     * @throws IllegalStateException if the operator's class cannot be cloned
     */
    @SuppressWarnings("unchecked")
    static <I, O> Operator<I, O> statelessClone(Operator<I, O> operator, Class<?> nextClass) {
        Class<?> template = operator.getClass();
        if (template != FilterOperator.class && template != MapOperator.class && template != FlatMapOperator.class) {
            return operator;
        }
        // Each of them holds its user function in its one field and takes it as its one constructor parameter.
        Field field = functionField(template);
        Object function;
        try {
            function = MethodHandles.privateLookupIn(template, MethodHandles.lookup()).unreflectGetter(field).invoke(operator);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + field + ": " + e.getMessage(), e);
        }
        Class<?> clone = cloneOf(template, MethodHandles.lookup(), function.getClass(), nextClass);
        return (Operator<I, O>) newInstance(clone, MethodHandles.lookup(), new Class<?>[] {field.getType()}, function);
    }

    private static Field functionField(Class<?> template) {
        Field found = null;
        for (Field field : template.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                if (found != null) {
                    throw new IllegalStateException(template.getName() + " has more than one field: not a stateless operator");
                }
                found = field;
            }
        }
        if (found == null) {
            throw new IllegalStateException(template.getName() + " has no field: not a stateless operator");
        }
        return found;
    }

    /**
     * Logs, once per JVM, that a stage runs on its template class because cloning failed.
     *
     * @param template what could not be cloned
     * @param cause why
     */
    static void warnUncloned(Class<?> template, RuntimeException cause) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "stage classes: " + template.getName()
                + " runs unspecialised (" + cause.getMessage() + "); set -D" + ENABLED_PROPERTY + "=false to silence", cause);
        }
    }
}

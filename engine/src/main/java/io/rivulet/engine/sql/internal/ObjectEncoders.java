package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import static java.lang.invoke.MethodType.methodType;

/**
 * Builds record and bean encoders: infers the schema from the Java types, spins accessors with
 * {@link LambdaMetafactory} once, and for records composes one method handle {@code (Row) -> T} that reads each
 * component with its primitive getter and calls the canonical constructor (no boxing, no reflection per call).
 * Stateless; thread-safe.
 */
public final class ObjectEncoders {
    private ObjectEncoders() {
    }

    /**
     * @param clazz a record class.
     * @param <T>   its type.
     * @return its encoder: fields in component order; primitives not nullable.
     * @throws UnsupportedOperationException naming the class, component and type that cannot be encoded.
     */
    public static <T> ObjectEncoder<T> record(Class<T> clazz) {
        return record(clazz, new ArrayList<>());
    }

    /**
     * @param clazz a bean class: public no-argument constructor, properties with a public getter and setter.
     * @param <T>   its type.
     * @return its encoder: fields are the properties sorted by name (as Spark's bean encoder); primitives not
     *         nullable.
     * @throws UnsupportedOperationException naming the class, property and type that cannot be encoded, or if
     *                                       the class is not a bean.
     */
    public static <T> ObjectEncoder<T> bean(Class<T> clazz) {
        if (clazz.isRecord()) {
            throw new UnsupportedOperationException("Cannot encode " + clazz.getName()
                + " as a bean: it is a record; use Encoders.record");
        }
        if (!isBean(clazz)) {
            throw new UnsupportedOperationException("Cannot encode " + clazz.getName() + " as a bean: a bean needs a "
                + "public no-argument constructor and at least one property with a public getter and setter");
        }
        return bean(clazz, new ArrayList<>());
    }

    static boolean isBean(Class<?> c) {
        if (c.isInterface() || c.isArray() || c.isPrimitive() || c.isEnum() || c.isRecord()
            || Modifier.isAbstract(c.getModifiers()) || c.getName().startsWith("java.")) {
            return false;
        }
        try {
            c.getConstructor();
        } catch (NoSuchMethodException e) {
            return false;
        }
        return !properties(c).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Records

    static <T> ObjectEncoder<T> record(Class<T> clazz, List<Class<?>> building) {
        if (!clazz.isRecord()) {
            throw new UnsupportedOperationException("Cannot encode " + clazz.getName() + " as a record: it is not one"
                + (isBean(clazz) ? "; use Encoders.bean" : ""));
        }
        building.add(clazz);
        try {
            MethodHandles.Lookup lookup = lookupIn(clazz);
            RecordComponent[] components = clazz.getRecordComponents();
            StructField[] fields = new StructField[components.length];
            ObjectEncoder.FieldWriter[] writers = new ObjectEncoder.FieldWriter[components.length];
            MethodHandle[] readers = new MethodHandle[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                String where = clazz.getName() + "." + component.getName();
                types[i] = component.getType();
                ValueCodec codec = ValueCodec.of(component.getGenericType(), where, building);
                fields[i] = new StructField(component.getName(), codec.dataType(), !types[i].isPrimitive());
                MethodHandle accessor = lookup.unreflect(component.getAccessor());
                writers[i] = writer(lookup, i, accessor, types[i], codec);
                readers[i] = reader(i, types[i], codec);
            }
            MethodHandle constructor = lookup.findConstructor(clazz, methodType(void.class, types));
            MethodHandle fromRow;
            if (components.length == 0) {
                fromRow = MethodHandles.dropArguments(constructor, 0, Row.class);
            } else {
                MethodHandle spread = MethodHandles.filterArguments(constructor, 0, readers);
                fromRow = MethodHandles.permuteArguments(spread, methodType(clazz, Row.class), new int[components.length]);
            }
            return new RecordEncoder<>(clazz, new StructType(fields), writers,
                fromRow.asType(methodType(Object.class, Row.class)));
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("Cannot encode " + clazz.getName() + ": " + e, e);
        } finally {
            building.remove(clazz);
        }
    }

    /** {@code (Row) -> component}: the primitive getter for primitives, the codec for the rest. */
    private static MethodHandle reader(int index, Class<?> type, ValueCodec codec) throws ReflectiveOperationException {
        MethodHandles.Lookup own = MethodHandles.lookup();
        MethodHandle get;
        if (type.isPrimitive()) {
            String getter = "get" + Character.toUpperCase(type.getName().charAt(0)) + type.getName().substring(1);
            get = own.findVirtual(Row.class, getter, methodType(type, int.class));
        } else {
            MethodHandle read = own.findVirtual(ValueCodec.class, "readNullable",
                methodType(Object.class, Row.class, int.class));
            get = read.bindTo(codec).asType(methodType(type, Row.class, int.class));
        }
        return MethodHandles.insertArguments(get, 1, index);
    }

    static final class RecordEncoder<T> extends ObjectEncoder<T> {
        private final MethodHandle fromRow;

        RecordEncoder(Class<T> clazz, StructType schema, FieldWriter[] writers, MethodHandle fromRow) {
            super(clazz, schema, writers);
            this.fromRow = fromRow;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T fromRow(Row row) {
            try {
                return (T) (Object) fromRow.invokeExact(row);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("record constructor of " + clazz().getName() + " threw", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Beans

    /** A bean property: its getter and setter. */
    private record Property(String name, Method getter, Method setter) {
    }

    private static List<Property> properties(Class<?> c) {
        Map<String, Property> byName = new TreeMap<>();
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || m.getReturnType() == void.class
                || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            String suffix;
            if (name.startsWith("get") && name.length() > 3) {
                suffix = name.substring(3);
            } else if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == boolean.class) {
                suffix = name.substring(2);
            } else {
                continue;
            }
            Method setter;
            try {
                setter = c.getMethod("set" + suffix, m.getReturnType());
            } catch (NoSuchMethodException e) {
                continue;
            }
            if (Modifier.isStatic(setter.getModifiers())) {
                continue;
            }
            String property = decapitalize(suffix);
            byName.put(property, new Property(property, m, setter));
        }
        return new ArrayList<>(byName.values());
    }

    /** The JavaBeans rule: {@code URL} stays {@code URL}, {@code Price} becomes {@code price}. */
    private static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) && Character.isUpperCase(s.charAt(0))) {
            return s;
        }
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    static <T> ObjectEncoder<T> bean(Class<T> clazz, List<Class<?>> building) {
        building.add(clazz);
        try {
            MethodHandles.Lookup lookup = lookupIn(clazz);
            List<Property> properties = properties(clazz);
            StructField[] fields = new StructField[properties.size()];
            ObjectEncoder.FieldWriter[] writers = new ObjectEncoder.FieldWriter[properties.size()];
            BeanEncoder.FieldReader[] readers = new BeanEncoder.FieldReader[properties.size()];
            for (int i = 0; i < properties.size(); i++) {
                Property p = properties.get(i);
                Class<?> type = p.getter().getReturnType();
                Type generic = p.getter().getGenericReturnType();
                ValueCodec codec = ValueCodec.of(generic, clazz.getName() + "." + p.name(), building);
                fields[i] = new StructField(p.name(), codec.dataType(), !type.isPrimitive());
                writers[i] = writer(lookup, i, lookup.unreflect(p.getter()), type, codec);
                readers[i] = BeanEncoder.reader(lookup, i, lookup.unreflect(p.setter()), type, codec);
            }
            Constructor<T> constructor = clazz.getConstructor();
            MethodHandle newInstance = lookup.unreflectConstructor(constructor);
            @SuppressWarnings("unchecked")
            Supplier<Object> factory = (Supplier<Object>) lambda(lookup, Supplier.class, "get",
                methodType(Object.class), newInstance, methodType(clazz));
            return new BeanEncoder<>(clazz, new StructType(fields), writers, factory, readers);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("Cannot encode " + clazz.getName() + ": " + e, e);
        } finally {
            building.remove(clazz);
        }
    }

    static final class BeanEncoder<T> extends ObjectEncoder<T> {
        private final Supplier<Object> factory;
        private final FieldReader[] readers;

        BeanEncoder(Class<T> clazz, StructType schema, FieldWriter[] writers, Supplier<Object> factory,
                    FieldReader[] readers) {
            super(clazz, schema, writers);
            this.factory = factory;
            this.readers = readers;
        }

        @Override
        public T fromRow(Row row) {
            Object bean = factory.get();
            for (FieldReader reader : readers) {
                reader.read(row, bean);
            }
            return clazz().cast(bean);
        }

        /** Reads one field of a row and sets it on a bean. */
        interface FieldReader {
            void read(Row row, Object bean);
        }

        @SuppressWarnings("unchecked")
        static FieldReader reader(MethodHandles.Lookup lookup, int i, MethodHandle setter, Class<?> type,
                                  ValueCodec codec) {
            Class<?> owner = setter.type().parameterType(0);
            if (type == int.class) {
                ObjIntConsumer<Object> set = (ObjIntConsumer<Object>) lambda(lookup, ObjIntConsumer.class, "accept",
                    methodType(void.class, Object.class, int.class), setter, setter.type());
                return (row, bean) -> set.accept(bean, row.getInt(i));
            } else if (type == long.class) {
                ObjLongConsumer<Object> set = (ObjLongConsumer<Object>) lambda(lookup, ObjLongConsumer.class, "accept",
                    methodType(void.class, Object.class, long.class), setter, setter.type());
                return (row, bean) -> set.accept(bean, row.getLong(i));
            } else if (type == double.class) {
                ObjDoubleConsumer<Object> set = (ObjDoubleConsumer<Object>) lambda(lookup, ObjDoubleConsumer.class,
                    "accept", methodType(void.class, Object.class, double.class), setter, setter.type());
                return (row, bean) -> set.accept(bean, row.getDouble(i));
            }
            Class<?> boxed = type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
            BiConsumer<Object, Object> set = (BiConsumer<Object, Object>) lambda(lookup, BiConsumer.class, "accept",
                methodType(void.class, Object.class, Object.class), setter, methodType(void.class, owner, boxed));
            if (type.isPrimitive()) {
                return (row, bean) -> set.accept(bean, primitive(row, i, type));
            }
            return (row, bean) -> set.accept(bean, codec.readNullable(row, i));
        }

        private static Object primitive(Row row, int i, Class<?> type) {
            if (type == boolean.class) {
                return row.getBoolean(i);
            } else if (type == float.class) {
                return row.getFloat(i);
            } else if (type == short.class) {
                return row.getShort(i);
            }
            return row.getByte(i);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accessors

    @SuppressWarnings("unchecked")
    private static ObjectEncoder.FieldWriter writer(MethodHandles.Lookup lookup, int i, MethodHandle getter,
                                                    Class<?> type, ValueCodec codec) {
        Class<?> owner = getter.type().parameterType(0);
        if (type == int.class || type == short.class || type == byte.class) {
            ToIntFunction<Object> f = (ToIntFunction<Object>) lambda(lookup, ToIntFunction.class, "applyAsInt",
                methodType(int.class, Object.class), getter, methodType(int.class, owner));
            return type == int.class ? new ObjectEncoder.IntWriter(i, f)
                : type == short.class ? new ObjectEncoder.ShortWriter(i, f) : new ObjectEncoder.ByteWriter(i, f);
        } else if (type == long.class) {
            return new ObjectEncoder.LongWriter(i, (ToLongFunction<Object>) lambda(lookup, ToLongFunction.class,
                "applyAsLong", methodType(long.class, Object.class), getter, getter.type()));
        } else if (type == double.class || type == float.class) {
            ToDoubleFunction<Object> f = (ToDoubleFunction<Object>) lambda(lookup, ToDoubleFunction.class,
                "applyAsDouble", methodType(double.class, Object.class), getter, methodType(double.class, owner));
            return type == double.class ? new ObjectEncoder.DoubleWriter(i, f) : new ObjectEncoder.FloatWriter(i, f);
        } else if (type == boolean.class) {
            return new ObjectEncoder.BooleanWriter(i, (Predicate<Object>) lambda(lookup, Predicate.class, "test",
                methodType(boolean.class, Object.class), getter, getter.type()));
        }
        Function<Object, Object> f = (Function<Object, Object>) lambda(lookup, Function.class, "apply",
            methodType(Object.class, Object.class), getter, getter.type());
        return type == String.class ? new ObjectEncoder.StringWriter(i, f) : new ObjectEncoder.ObjectWriter(i, f, codec);
    }

    /**
     * An instance of a functional interface calling {@code impl}: spun by {@link LambdaMetafactory} (as fast as
     * a hand-written lambda), or, where the class's package is not open to Rivulet, a method handle proxy.
     */
    static Object lambda(MethodHandles.Lookup lookup, Class<?> iface, String method, MethodType erased,
                         MethodHandle impl, MethodType instantiated) {
        try {
            return LambdaMetafactory.metafactory(lookup, method, methodType(iface), erased, impl, instantiated)
                .getTarget().invoke();
        } catch (Throwable spinFailed) {
            return MethodHandleProxies.asInterfaceInstance(iface, impl.asType(erased));
        }
    }

    private static MethodHandles.Lookup lookupIn(Class<?> clazz) {
        try {
            return MethodHandles.privateLookupIn(clazz, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            return MethodHandles.publicLookup();
        }
    }
}

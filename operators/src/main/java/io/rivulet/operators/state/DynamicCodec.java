package io.rivulet.operators.state;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link StateCodecs#dynamic()}: a self-describing codec of the values state usually holds, for
 * keys and accumulators the user gave no codec for. Each value is a tag byte and its payload;
 * containers and records nest. A class (of an enum, a record, an object, an array's component) is
 * written by name the first time it appears in a {@link SnapshotOutput}, then by a small id: the
 * reader rebuilds the same dictionary while it reads the block from its start.
 *
 * <p>Supported: {@code null}; boxed primitives; {@code String}; {@code byte[]}, {@code long[]},
 * {@code int[]}, {@code double[]}, {@code boolean[]}; {@code Object[]} of any component class;
 * {@code List}, {@code Set} and {@code Map} (read back as {@code ArrayList}, {@code LinkedHashSet},
 * {@code LinkedHashMap}, in iteration order); enums (by class and name); records (by class and
 * components, through the canonical constructor); {@code Instant} and {@code Duration}. The
 * fallback, for any other class: one that has a no-arg constructor, whose non-static,
 * non-transient fields (its own and its superclasses', by name) are written reflectively. The
 * fallback needs reflective access to the class: a class in a named module must be opened to
 * Rivulet ({@code --add-opens mymodule/com.acme=ALL-UNNAMED}). Not supported, failing at write time
 * with the class named: lambdas and other hidden classes, JDK classes other than the above (a
 * {@code Thread}, a lock), classes without a no-arg constructor (anonymous and inner classes), and
 * graphs nested deeper than {@value #MAX_DEPTH} (a cycle).
 *
 * <p>Immutable and thread-safe; per-class reflection is cached in {@link ClassValue}s.
 */
final class DynamicCodec implements StateCodec<Object> {
    static final DynamicCodec INSTANCE = new DynamicCodec();

    /** Deepest nesting written: deeper is taken for a cycle. */
    static final int MAX_DEPTH = 64;

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte SHORT = 3;
    private static final byte BYTE = 4;
    private static final byte CHAR = 5;
    private static final byte BOOLEAN = 6;
    private static final byte DOUBLE = 7;
    private static final byte FLOAT = 8;
    private static final byte STRING = 9;
    private static final byte BYTES = 10;
    private static final byte LONGS = 11;
    private static final byte INTS = 12;
    private static final byte DOUBLES = 13;
    private static final byte BOOLEANS = 14;
    private static final byte OBJECTS = 15;
    private static final byte LIST = 16;
    private static final byte SET = 17;
    private static final byte MAP = 18;
    private static final byte ENUM = 19;
    private static final byte RECORD = 20;
    private static final byte INSTANT = 21;
    private static final byte DURATION = 22;
    private static final byte OBJECT = 23;

    private static final ClassValue<RecordShape> RECORDS = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };
    private static final ClassValue<ObjectShape> OBJECTS_BY_FIELD = new ClassValue<>() {
        @Override
        protected ObjectShape computeValue(Class<?> type) {
            return new ObjectShape(type);
        }
    };

    private DynamicCodec() {
    }

    @Override
    public void write(Object value, SnapshotOutput out) {
        write(value, out, 0);
    }

    @Override
    public Object read(SnapshotInput in) {
        return read(in, 0);
    }

    @Override
    public Object copy(Object value) {
        return copy(value, 0);
    }

    @Override
    public String describe() {
        return "dynamic";
    }

    @Override
    public String toString() {
        return "dynamic";
    }

    void write(Object value, SnapshotOutput out, int depth) {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        Class<?> type = value.getClass();
        if (type == Long.class) {
            out.writeByte(LONG).writeLong((Long) value);
        } else if (type == String.class) {
            out.writeByte(STRING).writeString((String) value);
        } else if (type == Integer.class) {
            out.writeByte(INT).writeInt((Integer) value);
        } else if (type == long[].class) {
            long[] array = (long[]) value;
            out.writeByte(LONGS).writeVarInt(array.length);
            for (long v : array) {
                out.writeLong(v);
            }
        } else if (type == double[].class) {
            double[] array = (double[]) value;
            out.writeByte(DOUBLES).writeVarInt(array.length);
            for (double v : array) {
                out.writeDouble(v);
            }
        } else if (type == Double.class) {
            out.writeByte(DOUBLE).writeDouble((Double) value);
        } else {
            writeOther(value, type, out, depth);
        }
    }

    private void writeOther(Object value, Class<?> type, SnapshotOutput out, int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("StateCodecs.dynamic() cannot write a value nested deeper than " + MAX_DEPTH
                + " levels (at a " + type.getName() + "): the state holds a cycle or a very deep structure;"
                + " give the operator an explicit StateCodec");
        }
        int next = depth + 1;
        if (type == Boolean.class) {
            out.writeByte(BOOLEAN).writeBoolean((Boolean) value);
        } else if (type == Short.class) {
            out.writeByte(SHORT).writeInt((Short) value);
        } else if (type == Byte.class) {
            out.writeByte(BYTE).writeByte((Byte) value);
        } else if (type == Character.class) {
            out.writeByte(CHAR).writeInt((Character) value);
        } else if (type == Float.class) {
            out.writeByte(FLOAT).writeInt(Float.floatToRawIntBits((Float) value));
        } else if (type == byte[].class) {
            out.writeByte(BYTES).writeBytes((byte[]) value);
        } else if (type == int[].class) {
            int[] array = (int[]) value;
            out.writeByte(INTS).writeVarInt(array.length);
            for (int v : array) {
                out.writeInt(v);
            }
        } else if (type == boolean[].class) {
            boolean[] array = (boolean[]) value;
            out.writeByte(BOOLEANS).writeVarInt(array.length);
            for (boolean v : array) {
                out.writeBoolean(v);
            }
        } else if (type == Instant.class) {
            Instant instant = (Instant) value;
            out.writeByte(INSTANT).writeLong(instant.getEpochSecond()).writeInt(instant.getNano());
        } else if (type == Duration.class) {
            Duration duration = (Duration) value;
            out.writeByte(DURATION).writeLong(duration.getSeconds()).writeInt(duration.getNano());
        } else if (value instanceof Object[] array) {
            out.writeByte(OBJECTS);
            writeClass(type.getComponentType(), out);
            out.writeVarInt(array.length);
            for (Object element : array) {
                write(element, out, next);
            }
        } else if (type.isArray()) {
            throw unsupported(type, "arrays of " + type.getComponentType() + " are not supported (long[], int[],"
                + " double[], boolean[], byte[] and Object[] are)");
        } else if (value instanceof Enum<?> e) {
            out.writeByte(ENUM);
            writeClass(e.getDeclaringClass(), out);
            out.writeString(e.name());
        } else if (type.isRecord()) {
            RecordShape shape = recordShape(type);
            out.writeByte(RECORD);
            writeShapedClass(type, shape.accessors.length, out);
            writeComponents(value, shape, out, next);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            writeElements(list, out, next);
        } else if (value instanceof Set<?> set) {
            out.writeByte(SET);
            writeElements(set, out, next);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP).writeVarInt(map.size());
            int count = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                write(entry.getKey(), out, next);
                write(entry.getValue(), out, next);
                count++;
            }
            checkSize(map, count);
        } else {
            ObjectShape shape = objectShape(type);
            out.writeByte(OBJECT);
            writeShapedClass(type, shape.fields.length, out);
            for (Field field : shape.fields) {
                write(shape.get(field, value), out, next);
            }
        }
    }

    /** Writes a record's components, without its class: also {@link StateCodecs#record}'s format. */
    void writeComponents(Object value, RecordShape shape, SnapshotOutput out, int depth) {
        for (Method accessor : shape.accessors) {
            write(shape.get(accessor, value), out, depth);
        }
    }

    private void writeElements(Collection<?> elements, SnapshotOutput out, int depth) {
        out.writeVarInt(elements.size());
        int count = 0;
        for (Object element : elements) {
            write(element, out, depth);
            count++;
        }
        checkSize(elements, count);
    }

    private static void checkSize(Object container, int written) {
        int size = container instanceof Map<?, ?> map ? map.size() : ((Collection<?>) container).size();
        if (size != written) {
            throw new IllegalStateException("a " + container.getClass().getName() + " changed while it was written ("
                + written + " elements written, size " + size + "): state must not change while a snapshot is taken");
        }
    }

    Object read(SnapshotInput in, int depth) {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case LONG:
                return in.readLong();
            case STRING:
                return in.readString();
            case INT:
                return in.readInt();
            case LONGS: {
                long[] array = new long[readLength(in, 8)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.readLong();
                }
                return array;
            }
            case DOUBLES: {
                double[] array = new double[readLength(in, 8)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.readDouble();
                }
                return array;
            }
            case DOUBLE:
                return in.readDouble();
            case BOOLEAN:
                return in.readBoolean();
            case SHORT:
                return (short) in.readInt();
            case BYTE:
                return in.readByte();
            case CHAR:
                return (char) in.readInt();
            case FLOAT:
                return Float.intBitsToFloat(in.readInt());
            case BYTES:
                return in.readBytes();
            case INTS: {
                int[] array = new int[readLength(in, 4)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.readInt();
                }
                return array;
            }
            case BOOLEANS: {
                boolean[] array = new boolean[readLength(in, 1)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.readBoolean();
                }
                return array;
            }
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case DURATION:
                return Duration.ofSeconds(in.readLong(), in.readInt());
            default:
                return readOther(tag, in, depth);
        }
    }

    private Object readOther(byte tag, SnapshotInput in, int depth) {
        if (depth >= MAX_DEPTH) {
            throw new StateFormatException("value nested deeper than " + MAX_DEPTH + " levels: not written by"
                + " StateCodecs.dynamic()");
        }
        int next = depth + 1;
        switch (tag) {
            case OBJECTS: {
                Class<?> component = readClass(in);
                int length = readLength(in, 1);
                Object[] array = component == Object.class ? new Object[length]
                    : (Object[]) Array.newInstance(component, length);
                for (int i = 0; i < length; i++) {
                    array[i] = read(in, next);
                }
                return array;
            }
            case ENUM: {
                Class<?> type = readClass(in);
                String name = in.readString();
                if (!type.isEnum()) {
                    throw new StateFormatException("class " + type.getName() + " in the snapshot is no longer an enum");
                }
                return enumConstant(type, name);
            }
            case RECORD: {
                Class<?> type = readClass(in);
                RecordShape shape = readShape(in, type);
                return readComponents(in, type, shape, next);
            }
            case LIST: {
                int size = readLength(in, 1);
                ArrayList<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(read(in, next));
                }
                return list;
            }
            case SET: {
                int size = readLength(in, 1);
                LinkedHashSet<Object> set = new LinkedHashSet<>(capacityFor(size));
                for (int i = 0; i < size; i++) {
                    set.add(read(in, next));
                }
                return set;
            }
            case MAP: {
                int size = readLength(in, 2);
                LinkedHashMap<Object, Object> map = new LinkedHashMap<>(capacityFor(size));
                for (int i = 0; i < size; i++) {
                    Object key = read(in, next);
                    map.put(key, read(in, next));
                }
                return map;
            }
            case OBJECT: {
                Class<?> type = readClass(in);
                ObjectShape shape;
                try {
                    shape = objectShape(type);
                } catch (IllegalArgumentException e) {
                    throw new StateFormatException("class " + type.getName() + " in the snapshot can no longer be read: "
                        + e.getMessage(), e);
                }
                checkShape(in, type, shape.fields.length, "fields");
                Object value = shape.instantiate();
                for (Field field : shape.fields) {
                    shape.set(field, value, read(in, next));
                }
                return value;
            }
            default:
                throw new StateFormatException("unknown dynamic codec tag " + tag + " before position " + in.remaining()
                    + " bytes from the end: not written by StateCodecs.dynamic()");
        }
    }

    /** Reads a record's components and builds it: also {@link StateCodecs#record}'s format. */
    Object readComponents(SnapshotInput in, Class<?> type, RecordShape shape, int depth) {
        Object[] components = new Object[shape.accessors.length];
        for (int i = 0; i < components.length; i++) {
            components[i] = read(in, depth);
        }
        return shape.construct(components);
    }

    private static RecordShape readShape(SnapshotInput in, Class<?> type) {
        if (!type.isRecord()) {
            throw new StateFormatException("class " + type.getName() + " in the snapshot is no longer a record");
        }
        RecordShape shape = recordShape(type);
        checkShape(in, type, shape.accessors.length, "components");
        return shape;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(Class<?> type, String name) {
        try {
            return Enum.valueOf((Class) type, name);
        } catch (IllegalArgumentException e) {
            throw new StateFormatException("enum " + type.getName() + " has no constant " + name
                + " any more (the snapshot holds it)", e);
        }
    }

    Object copy(Object value, int depth) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type == long[].class) {
            return ((long[]) value).clone();
        }
        if (type == double[].class) {
            return ((double[]) value).clone();
        }
        if (type == Long.class || type == String.class || type == Integer.class || type == Double.class
            || type == Boolean.class || type == Short.class || type == Byte.class || type == Character.class
            || type == Float.class || type == Instant.class || type == Duration.class || value instanceof Enum<?>) {
            return value;
        }
        if (type == int[].class) {
            return ((int[]) value).clone();
        }
        if (type == byte[].class) {
            return ((byte[]) value).clone();
        }
        if (type == boolean[].class) {
            return ((boolean[]) value).clone();
        }
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("StateCodecs.dynamic() cannot copy a value nested deeper than " + MAX_DEPTH
                + " levels (at a " + type.getName() + "): the state holds a cycle or a very deep structure;"
                + " give the operator an explicit StateCodec");
        }
        int next = depth + 1;
        if (value instanceof Object[] array) {
            Object[] copy = type == Object[].class ? new Object[array.length]
                : (Object[]) Array.newInstance(type.getComponentType(), array.length);
            for (int i = 0; i < array.length; i++) {
                copy[i] = copy(array[i], next);
            }
            return copy;
        }
        if (type.isArray()) {
            throw unsupported(type, "arrays of " + type.getComponentType() + " are not supported (long[], int[],"
                + " double[], boolean[], byte[] and Object[] are)");
        }
        if (type.isRecord()) {
            return copyComponents(value, recordShape(type), next);
        }
        if (value instanceof List<?> list) {
            ArrayList<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copy(element, next));
            }
            return copy;
        }
        if (value instanceof Set<?> set) {
            LinkedHashSet<Object> copy = new LinkedHashSet<>(capacityFor(set.size()));
            for (Object element : set) {
                copy.add(copy(element, next));
            }
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<Object, Object> copy = new LinkedHashMap<>(capacityFor(map.size()));
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(copy(entry.getKey(), next), copy(entry.getValue(), next));
            }
            return copy;
        }
        ObjectShape shape = objectShape(type);
        Object copy = shape.instantiate();
        for (Field field : shape.fields) {
            shape.set(field, copy, copy(shape.get(field, value), next));
        }
        return copy;
    }

    /** A copy of a record whose components are copied; the record itself if every component copies to itself. */
    Object copyComponents(Object value, RecordShape shape, int depth) {
        Object[] components = null;
        for (int i = 0; i < shape.accessors.length; i++) {
            Object component = shape.get(shape.accessors[i], value);
            Object copy = copy(component, depth);
            if (copy != component && components == null) {
                components = new Object[shape.accessors.length];
                for (int j = 0; j < i; j++) {
                    components[j] = shape.get(shape.accessors[j], value);
                }
            }
            if (components != null) {
                components[i] = copy;
            }
        }
        return components == null ? value : shape.construct(components);
    }

    private static void writeClass(Class<?> type, SnapshotOutput out) {
        int id = out.classIdOrRegister(type);
        if (id < 0) {
            out.writeVarInt(0);
            out.writeString(type.getName());
        } else {
            out.writeVarInt(id + 1);
        }
    }

    /** A record's or object's class; the first time, with its number of components or fields to check on read. */
    private static void writeShapedClass(Class<?> type, int members, SnapshotOutput out) {
        int id = out.classIdOrRegister(type);
        if (id < 0) {
            out.writeVarInt(0);
            out.writeString(type.getName());
            out.writeVarInt(members);
        } else {
            out.writeVarInt(id + 1);
        }
    }

    private static Class<?> readClass(SnapshotInput in) {
        int ref = in.readVarInt();
        if (ref > 0) {
            return in.classById(ref - 1);
        }
        Class<?> type = load(in.readString());
        in.registerClass(type);
        return type;
    }

    /** After {@link #readClass} of a record or object: checks the member count written with its first occurrence. */
    private static void checkShape(SnapshotInput in, Class<?> type, int members, String what) {
        if (in.lastClassWasNew()) {
            int written = in.readVarInt();
            if (written != members) {
                throw new StateFormatException("class " + type.getName() + " had " + written + " " + what
                    + " when the snapshot was taken and has " + members + " now: the state cannot be read into it");
            }
        }
    }

    private static Class<?> load(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            try {
                return Class.forName(name, false, context);
            } catch (ClassNotFoundException | LinkageError e) {
                // Fall through to the loader that loaded Rivulet.
            }
        }
        try {
            return Class.forName(name, false, DynamicCodec.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StateFormatException("class " + name + " named in the snapshot is not on the classpath: restore"
                + " with the application classes the checkpoint was taken with", e);
        }
    }

    private static int readLength(SnapshotInput in, int minBytesEach) {
        int length = in.readVarInt();
        if ((long) length * minBytesEach > in.remaining()) {
            throw new StateFormatException("length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        return length;
    }

    private static int capacityFor(int size) {
        return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
    }

    static RecordShape recordShape(Class<?> type) {
        return RECORDS.get(type);
    }

    private static ObjectShape objectShape(Class<?> type) {
        return OBJECTS_BY_FIELD.get(type);
    }

    static IllegalArgumentException unsupported(Class<?> type, String why) {
        return new IllegalArgumentException("StateCodecs.dynamic() cannot write a " + type.getName() + ": " + why
            + "; hold the state in a record (or a class with a no-arg constructor) of supported values, or give the"
            + " operator an explicit StateCodec");
    }

    private static IllegalArgumentException inaccessible(Class<?> type, RuntimeException cause) {
        return new IllegalArgumentException("StateCodecs.dynamic() cannot reach the members of " + type.getName()
            + " by reflection (" + cause.getMessage() + "): open its package to Rivulet ("
            + "--add-opens <module>/" + type.getPackageName() + "=ALL-UNNAMED), or give the operator an explicit"
            + " StateCodec", cause);
    }

    private static boolean isJdk(Class<?> type) {
        return type.getClassLoader() == null || type.getName().startsWith("java.") || type.getName().startsWith("jdk.")
            || type.getName().startsWith("sun.");
    }

    /** A record class's accessors and canonical constructor. */
    static final class RecordShape {
        final Method[] accessors;
        private final Constructor<?> constructor;

        RecordShape(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = components[i].getAccessor();
                    accessors[i].setAccessible(true);
                    types[i] = components[i].getType();
                }
                constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            } catch (RuntimeException e) {
                throw inaccessible(type, e);
            }
        }

        Object get(Method accessor, Object record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("accessor " + accessor + " threw", e.getCause());
            }
        }

        Object construct(Object[] components) {
            try {
                return constructor.newInstance(components);
            } catch (IllegalArgumentException | InstantiationException | IllegalAccessException e) {
                throw new StateFormatException("cannot rebuild " + constructor.getDeclaringClass().getName()
                    + " from the snapshot's components " + Arrays.deepToString(components) + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new StateFormatException("the constructor of " + constructor.getDeclaringClass().getName()
                    + " rejected the snapshot's components " + Arrays.deepToString(components), e.getCause());
            }
        }
    }

    /** The fallback: a class with a no-arg constructor and its non-static, non-transient fields. */
    private static final class ObjectShape {
        final Field[] fields;
        private final Constructor<?> constructor;

        ObjectShape(Class<?> type) {
            if (type.isHidden() || type.isSynthetic() || type.getName().contains("$$Lambda")) {
                throw unsupported(type, "it is a lambda or another hidden class, which has no stable name");
            }
            if (isJdk(type)) {
                throw unsupported(type, "it is a JDK class the dynamic codec does not know");
            }
            if (type.isAnonymousClass()) {
                throw unsupported(type, "it is an anonymous class (no stable name, no no-arg constructor)");
            }
            ArrayList<Field> all = new ArrayList<>();
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                if (isJdk(c)) {
                    throw unsupported(type, "it extends the JDK class " + c.getName());
                }
                Field[] declared = c.getDeclaredFields();
                Arrays.sort(declared, Comparator.comparing(Field::getName));
                ArrayList<Field> own = new ArrayList<>();
                for (Field field : declared) {
                    int modifiers = field.getModifiers();
                    if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                        own.add(field);
                    }
                }
                all.addAll(0, own);
            }
            try {
                constructor = type.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                throw unsupported(type, "it is neither a record nor a class with a no-arg constructor"
                    + (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) ? " (an inner class: make it static)" : ""));
            }
            try {
                constructor.setAccessible(true);
                for (Field field : all) {
                    field.setAccessible(true);
                }
            } catch (RuntimeException e) {
                throw inaccessible(type, e);
            }
            fields = all.toArray(new Field[0]);
        }

        Object instantiate() {
            try {
                return constructor.newInstance();
            } catch (InstantiationException | IllegalAccessException e) {
                throw new StateFormatException("cannot create a " + constructor.getDeclaringClass().getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new StateFormatException("the no-arg constructor of " + constructor.getDeclaringClass().getName()
                    + " threw", e.getCause());
            }
        }

        Object get(Field field, Object target) {
            try {
                return field.get(target);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        void set(Field field, Object target, Object value) {
            try {
                field.set(target, value);
            } catch (IllegalAccessException | IllegalArgumentException e) {
                throw new StateFormatException("cannot set field " + field + " to the snapshot's "
                    + (value == null ? "null" : value.getClass().getName()) + ": " + e.getMessage(), e);
            }
        }
    }
}

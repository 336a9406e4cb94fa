package io.rivulet.engine.sql.internal;

import io.rivulet.engine.types.StructType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates a {@link FillWriter} per row layout (the kinds of fields 0-63): each typed setter is one {@code switch}
 * on the field index over the fields of its kind, each case writing the value into the row's slot
 * ({@code fixed[i]}, raw bits as {@link PackedRow} stores them; {@code refs[i]} for a reference) and noting the
 * field in the writer's {@code touched}/{@code nullBits}; any other index goes to {@link FillWriter}'s method (the
 * row's own setter: its checks and errors). A fill's setter calls use constant indices, so once the JIT inlines
 * them each call is the slot write alone, and the null flags are written once per record ({@link FillWriter#sync}).
 *
 * <p>On with the expression compiler ({@code -Drivulet.sql.codegen=false} turns both off: the fill then writes the
 * {@link PackedRow} itself, the reference this is tested against). Thread-safe: classes are cached per layout and
 * immutable; each {@link FillOperator} makes its own writer instance.
 */
final class FillCompiler {
    /** Whether generation is on: {@code rivulet.sql.codegen}, as for expressions. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("rivulet.sql.codegen", "true"));

    private static final System.Logger LOG = System.getLogger(FillCompiler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Generated classes by layout: the kinds of fields 0-63 as a string of kind codes. */
    private static final Map<String, Constructor<? extends FillWriter>> CLASSES = new ConcurrentHashMap<>();

    private static final String SUPER = Type.getInternalName(FillWriter.class);
    private static final int FIELDS = 64;

    /** One typed setter: its name, descriptor, the kinds it writes and how its value becomes a slot's. */
    private record Setter(String name, String descriptor, byte kind, Conversion conversion) {
    }

    private enum Conversion { INT, LONG, FLOAT, DOUBLE, REFERENCE }

    private static final List<Setter> SETTERS = List.of(
        new Setter("setBoolean", "(IZ)V", RowKind.BOOLEAN, Conversion.INT),
        new Setter("setByte", "(IB)V", RowKind.BYTE, Conversion.INT),
        new Setter("setShort", "(IS)V", RowKind.SHORT, Conversion.INT),
        new Setter("setInt", "(II)V", RowKind.INT, Conversion.INT),
        new Setter("setLong", "(IJ)V", RowKind.LONG, Conversion.LONG),
        new Setter("setFloat", "(IF)V", RowKind.FLOAT, Conversion.FLOAT),
        new Setter("setDouble", "(ID)V", RowKind.DOUBLE, Conversion.DOUBLE),
        new Setter("setTimestampMicros", "(IJ)V", RowKind.TIMESTAMP, Conversion.LONG),
        new Setter("setDateDays", "(II)V", RowKind.DATE, Conversion.INT),
        new Setter("setString", "(ILjava/lang/String;)V", RowKind.STRING, Conversion.REFERENCE),
        new Setter("setBinary", "(I[B)V", RowKind.BINARY, Conversion.REFERENCE),
        new Setter("setList", "(ILjava/util/List;)V", RowKind.ARRAY, Conversion.REFERENCE),
        new Setter("setMap", "(ILjava/util/Map;)V", RowKind.MAP, Conversion.REFERENCE),
        new Setter("setStruct", "(ILio/rivulet/engine/sql/Row;)V", RowKind.STRUCT, Conversion.REFERENCE));

    private FillCompiler() {
    }

    /**
     * @param schema the rows' schema
     * @return a new writer for rows of it, not bound to a row yet; {@code null} when generation is off or failed
     *     (the fill then writes the rows themselves)
     */
    static FillWriter writer(StructType schema) {
        if (!ENABLED) {
            return null;
        }
        byte[] kinds = kinds(schema);
        String layout = new String(kinds, StandardCharsets.ISO_8859_1);
        try {
            Constructor<? extends FillWriter> constructor = CLASSES.get(layout);
            if (constructor == null) {
                constructor = CLASSES.computeIfAbsent(layout, k -> define(kinds));
            }
            return constructor.newInstance();
        } catch (RuntimeException | ReflectiveOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "fill generation failed, the fill writes rows of "
                + schema.simpleString() + " through their setters (set -Drivulet.sql.codegen=false to silence)", e);
            return null;
        }
    }

    private static byte[] kinds(StructType schema) {
        byte[] kinds = new byte[Math.min(schema.size(), FIELDS)];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = RowKind.of(schema.apply(i).dataType());
        }
        return kinds;
    }

    /**
     * @param kinds the layout: the kinds of fields 0-63
     * @param name  the class's internal name
     * @return the bytes of its writer class
     */
    static byte[] generate(byte[] kinds, String name) {
        ClassWriter cw = GeneratedClass.start(name, SUPER, "()V");
        for (Setter setter : SETTERS) {
            List<Integer> fields = new ArrayList<>();
            for (int i = 0; i < kinds.length; i++) {
                if (kinds[i] == setter.kind()) {
                    fields.add(i);
                }
            }
            if (!fields.isEmpty()) {
                setter(cw, setter, fields, kinds);
            }
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            all.add(i);
        }
        if (!all.isEmpty()) {
            setter(cw, new Setter("setNull", "(I)V", (byte) -1, null), all, kinds);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static Constructor<? extends FillWriter> define(byte[] kinds) {
        String name = SUPER + "$Generated" + SEQUENCE.incrementAndGet();
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(generate(kinds, name), true);
            return lookup.lookupClass().asSubclass(FillWriter.class).getDeclaredConstructor();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot define the fill writer " + name + ": " + e.getMessage(), e);
        }
    }

    /** {@code switch (i) { case k: slot k = value; note k; return; ... default: super.setter(i, value); }}. */
    private static void setter(ClassWriter cw, Setter setter, List<Integer> fields, byte[] kinds) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, setter.name(), setter.descriptor(), null, null);
        mv.visitCode();
        int[] keys = fields.stream().mapToInt(Integer::intValue).toArray();
        Label[] cases = new Label[keys.length];
        for (int c = 0; c < cases.length; c++) {
            cases[c] = new Label();
        }
        Label other = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitLookupSwitchInsn(other, keys, cases);
        for (int c = 0; c < keys.length; c++) {
            int field = keys[c];
            long bit = 1L << field;
            mv.visitLabel(cases[c]);
            if (setter.conversion() == null) {
                // setNull
                if (kinds[field] >= RowKind.FIRST_REFERENCE && kinds[field] != RowKind.NULL) {
                    slot(mv, "refs", "[Ljava/lang/Object;", field);
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    mv.visitInsn(Opcodes.AASTORE);
                }
                orInto(mv, "touched", bit);
                orInto(mv, "nullBits", bit);
                mv.visitInsn(Opcodes.RETURN);
            } else if (setter.conversion() == Conversion.REFERENCE) {
                slot(mv, "refs", "[Ljava/lang/Object;", field);
                mv.visitVarInsn(Opcodes.ALOAD, 2);
                mv.visitInsn(Opcodes.AASTORE);
                orInto(mv, "touched", bit);
                Label isNull = new Label();
                mv.visitVarInsn(Opcodes.ALOAD, 2);
                mv.visitJumpInsn(Opcodes.IFNULL, isNull);
                andInto(mv, "nullBits", ~bit);
                mv.visitInsn(Opcodes.RETURN);
                mv.visitLabel(isNull);
                orInto(mv, "nullBits", bit);
                mv.visitInsn(Opcodes.RETURN);
            } else {
                slot(mv, "fixed", "[J", field);
                switch (setter.conversion()) {
                    case INT -> {
                        mv.visitVarInsn(Opcodes.ILOAD, 2);
                        mv.visitInsn(Opcodes.I2L);
                    }
                    case LONG -> mv.visitVarInsn(Opcodes.LLOAD, 2);
                    case FLOAT -> {
                        mv.visitVarInsn(Opcodes.FLOAD, 2);
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                        mv.visitInsn(Opcodes.I2L);
                    }
                    default -> {
                        mv.visitVarInsn(Opcodes.DLOAD, 2);
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J",
                            false);
                    }
                }
                mv.visitInsn(Opcodes.LASTORE);
                orInto(mv, "touched", bit);
                andInto(mv, "nullBits", ~bit);
                mv.visitInsn(Opcodes.RETURN);
            }
        }
        mv.visitLabel(other);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        Type[] arguments = Type.getArgumentTypes(setter.descriptor());
        int local = 2;
        for (int a = 1; a < arguments.length; a++) {
            mv.visitVarInsn(arguments[a].getOpcode(Opcodes.ILOAD), local);
            local += arguments[a].getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, setter.name(), setter.descriptor(), false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Pushes the array field and the index: {@code this.array, field}. */
    private static void slot(MethodVisitor mv, String array, String descriptor, int field) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, SUPER, array, descriptor);
        if (field <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + field);
        } else {
            mv.visitIntInsn(Opcodes.BIPUSH, field);
        }
    }

    private static void orInto(MethodVisitor mv, String field, long bits) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETFIELD, SUPER, field, "J");
        mv.visitLdcInsn(bits);
        mv.visitInsn(Opcodes.LOR);
        mv.visitFieldInsn(Opcodes.PUTFIELD, SUPER, field, "J");
    }

    private static void andInto(MethodVisitor mv, String field, long bits) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETFIELD, SUPER, field, "J");
        mv.visitLdcInsn(bits);
        mv.visitInsn(Opcodes.LAND);
        mv.visitFieldInsn(Opcodes.PUTFIELD, SUPER, field, "J");
    }
}

package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Values;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicLong;

import static io.rivulet.engine.sql.internal.GroupAggregation.COUNT;
import static io.rivulet.engine.sql.internal.GroupAggregation.COUNT_ROWS;
import static io.rivulet.engine.sql.internal.GroupAggregation.DELEGATE;
import static io.rivulet.engine.sql.internal.GroupAggregation.DOUBLE_MAX;
import static io.rivulet.engine.sql.internal.GroupAggregation.DOUBLE_MIN;
import static io.rivulet.engine.sql.internal.GroupAggregation.DOUBLE_SUM;
import static io.rivulet.engine.sql.internal.GroupAggregation.FIRST;
import static io.rivulet.engine.sql.internal.GroupAggregation.LAST;
import static io.rivulet.engine.sql.internal.GroupAggregation.LONG_MAX;
import static io.rivulet.engine.sql.internal.GroupAggregation.LONG_MIN;
import static io.rivulet.engine.sql.internal.GroupAggregation.LONG_SUM;

/**
 * Compiles a {@link GroupAggregation}'s update into one hidden class (a {@link CompiledAggregation}) when the
 * aggregation is planned: per aggregate, in order, a few instructions on the group's slots, with the argument
 * column's index and kind as constants, reading the input {@link PackedRow}'s null flag and raw bits directly (no
 * kind check, no boxing, no call per aggregate); a delegate is one call of its accumulator's {@code update}. For
 * {@code count(*), sum(qty)} the body is {@code slots[0]++; if (!row.isNullAt(4)) { slots[1] += row.bits(4);
 * slots[2] = 1; }}. It does to the slots exactly what the interpreted update does.
 *
 * <p>On by default; {@code -Drivulet.sql.codegen=false} (the switch of the expression compiler) turns it off.
 * Thread-safe: a compiled class is stateless.
 */
final class AggregationCompiler {
    /** Whether compilation is on ({@code rivulet.sql.codegen}, read once). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("rivulet.sql.codegen", "true"));

    private static final System.Logger LOG = System.getLogger(AggregationCompiler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static final String SUPER = Type.getInternalName(CompiledAggregation.class);
    private static final String ROW = Type.getInternalName(PackedRow.class);
    private static final String ACCUMULATOR = Type.getInternalName(Accumulator.class);
    private static final String CTX = Type.getInternalName(EvalContext.class);
    private static final String UPDATE = "(L" + ROW + ";[J[L" + ACCUMULATOR + ";L" + CTX + ";)V";
    /** Locals of {@code update}: this, the row, the slots, the delegates, the context; then a long/double scratch. */
    private static final int IN = 1;
    private static final int SLOTS = 2;
    private static final int DELEGATES = 3;
    private static final int CONTEXT = 4;
    private static final int VALUE = 5;

    private AggregationCompiler() {
    }

    /**
     * @param ops     each aggregate's operation ({@link GroupAggregation#COUNT} ...)
     * @param columns each aggregate's argument column, or -1
     * @param kinds   each argument's {@link RowKind}
     * @param slots   each aggregate's first slot, or its delegate's index
     * @return the compiled update, or {@code null} when compilation is off or failed (the interpreted update runs)
     */
    static CompiledAggregation compile(byte[] ops, int[] columns, byte[] kinds, int[] slots) {
        if (!ENABLED) {
            return null;
        }
        try {
            String name = "io/rivulet/engine/sql/internal/CompiledAggregation$" + SEQUENCE.incrementAndGet();
            ClassWriter cw = GeneratedClass.start(name, SUPER, "()V");
            MethodVisitor mv = cw.visitMethod(0, "update", UPDATE, null, null);
            mv.visitCode();
            for (int i = 0; i < ops.length; i++) {
                aggregate(mv, ops[i], columns[i], kinds[i], slots[i]);
            }
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
            return (CompiledAggregation) lookup.lookupClass().getDeclaredConstructor().newInstance();
        } catch (RuntimeException | ReflectiveOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "aggregation compilation failed, the update is interpreted (set"
                + " -Drivulet.sql.codegen=false to silence)", e);
            return null;
        }
    }

    /** One aggregate's update: what {@code GroupAggregation.interpret} does for it. */
    private static void aggregate(MethodVisitor mv, byte op, int column, byte kind, int k) {
        Label skip = new Label();
        switch (op) {
            case COUNT_ROWS -> increment(mv, k);
            case COUNT -> {
                skipIfNull(mv, column, skip);
                increment(mv, k);
            }
            case LONG_SUM -> {
                skipIfNull(mv, column, skip);
                // slots[k] += bits; slots[k + 1] = 1
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                mv.visitInsn(Opcodes.DUP2);
                mv.visitInsn(Opcodes.LALOAD);
                bits(mv, column);
                mv.visitInsn(Opcodes.LADD);
                mv.visitInsn(Opcodes.LASTORE);
                setOne(mv, k + 1);
            }
            case DOUBLE_SUM -> {
                skipIfNull(mv, column, skip);
                // slots[k] = raw(double(slots[k]) + value); slots[k + 1]++
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                mv.visitInsn(Opcodes.DUP2);
                mv.visitInsn(Opcodes.LALOAD);
                toDouble(mv);
                doubleValue(mv, column, kind);
                mv.visitInsn(Opcodes.DADD);
                toBits(mv);
                mv.visitInsn(Opcodes.LASTORE);
                increment(mv, k + 1);
            }
            case LONG_MIN, LONG_MAX -> {
                skipIfNull(mv, column, skip);
                bits(mv, column);
                mv.visitVarInsn(Opcodes.LSTORE, VALUE);
                Label take = new Label();
                jumpIfNone(mv, k + 1, take);
                mv.visitVarInsn(Opcodes.LLOAD, VALUE);
                load(mv, k);
                mv.visitInsn(Opcodes.LCMP);
                mv.visitJumpInsn(op == LONG_MAX ? Opcodes.IFLE : Opcodes.IFGE, skip);
                mv.visitLabel(take);
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                mv.visitVarInsn(Opcodes.LLOAD, VALUE);
                mv.visitInsn(Opcodes.LASTORE);
                setOne(mv, k + 1);
            }
            case DOUBLE_MIN, DOUBLE_MAX -> {
                skipIfNull(mv, column, skip);
                doubleValue(mv, column, kind);
                mv.visitVarInsn(Opcodes.DSTORE, VALUE);
                Label take = new Label();
                jumpIfNone(mv, k + 1, take);
                mv.visitVarInsn(Opcodes.DLOAD, VALUE);
                load(mv, k);
                toDouble(mv);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Values.class), "compareDouble", "(DD)I",
                    false);
                mv.visitJumpInsn(op == DOUBLE_MAX ? Opcodes.IFLE : Opcodes.IFGE, skip);
                mv.visitLabel(take);
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                mv.visitVarInsn(Opcodes.DLOAD, VALUE);
                toBits(mv);
                mv.visitInsn(Opcodes.LASTORE);
                setOne(mv, k + 1);
            }
            case FIRST, LAST -> {
                if (op == FIRST) {
                    // only the first row: skip once any
                    load(mv, k + 1);
                    mv.visitInsn(Opcodes.LCONST_0);
                    mv.visitInsn(Opcodes.LCMP);
                    mv.visitJumpInsn(Opcodes.IFNE, skip);
                }
                Label present = new Label();
                Label done = new Label();
                isNull(mv, column);
                mv.visitJumpInsn(Opcodes.IFEQ, present);
                // NULL: slots[k] = 0; slots[k + 2] = 1
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                mv.visitInsn(Opcodes.LCONST_0);
                mv.visitInsn(Opcodes.LASTORE);
                setOne(mv, k + 2);
                mv.visitJumpInsn(Opcodes.GOTO, done);
                // a value: slots[k] = bits; slots[k + 2] = 0
                mv.visitLabel(present);
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k);
                bits(mv, column);
                mv.visitInsn(Opcodes.LASTORE);
                mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
                push(mv, k + 2);
                mv.visitInsn(Opcodes.LCONST_0);
                mv.visitInsn(Opcodes.LASTORE);
                mv.visitLabel(done);
                setOne(mv, k + 1);
            }
            case DELEGATE -> {
                // delegates[k].update(row, ctx)
                mv.visitVarInsn(Opcodes.ALOAD, DELEGATES);
                push(mv, k);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitVarInsn(Opcodes.ALOAD, IN);
                mv.visitVarInsn(Opcodes.ALOAD, CONTEXT);
                mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, ACCUMULATOR, "update",
                    "(Lio/rivulet/engine/sql/Row;L" + CTX + ";)V", true);
            }
            default -> throw new IllegalStateException("unknown aggregate operation " + op);
        }
        mv.visitLabel(skip);
    }

    /** {@code row.isNullAt(column)} on the stack. */
    private static void isNull(MethodVisitor mv, int column) {
        mv.visitVarInsn(Opcodes.ALOAD, IN);
        push(mv, column);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "isNullAt", "(I)Z", false);
    }

    private static void skipIfNull(MethodVisitor mv, int column, Label skip) {
        isNull(mv, column);
        mv.visitJumpInsn(Opcodes.IFNE, skip);
    }

    /** {@code row.bits(column)} on the stack. */
    private static void bits(MethodVisitor mv, int column) {
        mv.visitVarInsn(Opcodes.ALOAD, IN);
        push(mv, column);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "bits", "(I)J", false);
    }

    /** A non-NULL number as a double on the stack, as {@code GroupAggregation.doubleOf} reads it. */
    private static void doubleValue(MethodVisitor mv, int column, byte kind) {
        bits(mv, column);
        switch (kind) {
            case RowKind.DOUBLE -> toDouble(mv);
            case RowKind.FLOAT -> {
                mv.visitInsn(Opcodes.L2I);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                mv.visitInsn(Opcodes.F2D);
            }
            default -> mv.visitInsn(Opcodes.L2D);
        }
    }

    /** {@code slots[k]} on the stack. */
    private static void load(MethodVisitor mv, int k) {
        mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
        push(mv, k);
        mv.visitInsn(Opcodes.LALOAD);
    }

    private static void jumpIfNone(MethodVisitor mv, int k, Label target) {
        load(mv, k);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFEQ, target);
    }

    private static void increment(MethodVisitor mv, int k) {
        mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
        push(mv, k);
        mv.visitInsn(Opcodes.DUP2);
        mv.visitInsn(Opcodes.LALOAD);
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitInsn(Opcodes.LADD);
        mv.visitInsn(Opcodes.LASTORE);
    }

    private static void setOne(MethodVisitor mv, int k) {
        mv.visitVarInsn(Opcodes.ALOAD, SLOTS);
        push(mv, k);
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitInsn(Opcodes.LASTORE);
    }

    private static void toDouble(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
    }

    private static void toBits(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
    }

    private static void push(MethodVisitor mv, int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }
}

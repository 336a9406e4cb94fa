package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.sql.internal.GeneratedClass;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiles a resolved {@link Predicate} or {@link Projection} into one hidden class (a {@link CompiledEval}) when it
 * is planned: the node tree becomes one small static method per node, which the JIT inlines into one straight-line
 * body, reading the input {@link PackedRow}'s fields and writing the output row's without kind checks or boxing.
 * The evaluation protocol is the tree's ({@link EvalContext#isNull} after each primitive result), so the compiled
 * code gives what the tree gives, to the bit.
 *
 * <p>Templates exist for: column references of fixed-width types; non-null primitive literals; {@code + - * / %
 * div} on int, bigint and double (not decimal); casts between int, bigint, double and float; comparisons {@code = <
 * <= > >=} of fixed-width values; {@code AND}, {@code OR}, {@code NOT}, {@code isnull}, {@code isnotnull}; aliases.
 * Any other node, and a node asked for another evaluation class than its type's, is evaluated by the tree: the
 * generated method calls the node's {@code eval*} (its whole subtree through the tree).
 *
 * <p>On by default; {@code -Drivulet.sql.codegen=false} turns it off (every evaluator then walks the tree), for A/B
 * measurements and as a way out. Thread-safe: a compiled class is immutable.
 */
final class ExpressionCompiler {
    /** The system property that turns compilation off ({@code false}); read once. */
    static final String ENABLED_PROPERTY = "rivulet.sql.codegen";

    /** Whether compilation is on. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));

    private static final System.Logger LOG = System.getLogger(ExpressionCompiler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static final String SUPER = Type.getInternalName(CompiledEval.class);
    private static final String ROW = Type.getInternalName(PackedRow.class);
    private static final String CTX = Type.getInternalName(EvalContext.class);
    private static final String EXPRESSION = Type.getInternalName(Expression.class);
    private static final String ROW_INTERFACE = "io/rivulet/engine/sql/Row";
    private static final String NODE_ARGS = "(L" + ROW + ";L" + CTX + ";[L" + EXPRESSION + ";)";
    /** Local slots of a node method: the row, the context, the fallback nodes; then scratch. */
    private static final int IN = 0;
    private static final int CONTEXT = 1;
    private static final int NODES = 2;

    private final String name;
    private final ClassWriter cw;
    private final List<Expression> fallbacks = new ArrayList<>();
    private int methods;

    private ExpressionCompiler() {
        this.name = "io/rivulet/engine/sql/expressions/CompiledEval$" + SEQUENCE.incrementAndGet();
        this.cw = GeneratedClass.start(name, SUPER, "([L" + EXPRESSION + ";)V");
    }

    /**
     * @param condition a resolved boolean condition.
     * @return its compiled class's instance, or {@code null} when compilation is off or failed (then the tree runs).
     */
    static CompiledEval predicate(Expression condition) {
        if (!ENABLED || Expression.evalClass(condition.dataType()) != Expression.EVAL_BOOLEAN) {
            return null;
        }
        try {
            ExpressionCompiler c = new ExpressionCompiler();
            String method = c.node(condition, Expression.EVAL_BOOLEAN);
            MethodVisitor mv = c.cw.visitMethod(0, "test", "(L" + ROW + ";L" + CTX + ";)Z", null, null);
            mv.visitCode();
            c.callNode(mv, method, Expression.EVAL_BOOLEAN, 1, 2);
            Label no = new Label();
            mv.visitJumpInsn(Opcodes.IFEQ, no);
            isNull(mv, 2);
            mv.visitJumpInsn(Opcodes.IFNE, no);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitLabel(no);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return c.define();
        } catch (RuntimeException | ReflectiveOperationException e) {
            return failed(condition.sql(), e);
        }
    }

    /**
     * @param expressions the projection's resolved expressions (aliases unwrapped), one per output column.
     * @param outputSchema its output schema.
     * @return its compiled class's instance, or {@code null} when compilation is off or failed (then the tree runs).
     */
    static CompiledEval projection(Expression[] expressions, StructType outputSchema) {
        if (!ENABLED) {
            return null;
        }
        try {
            ExpressionCompiler c = new ExpressionCompiler();
            String[] columns = new String[expressions.length];
            byte[] kinds = new byte[expressions.length];
            for (int i = 0; i < expressions.length; i++) {
                kinds[i] = RowKind.of(outputSchema.apply(i).dataType());
                if (kinds[i] != RowKind.NULL) {
                    columns[i] = c.node(expressions[i], columnClass(kinds[i]));
                }
            }
            // project(PackedRow in [1], PackedRow out [2], EvalContext ctx [3]); value [4-5], null flags [6-7]
            MethodVisitor mv = c.cw.visitMethod(0, "project", "(L" + ROW + ";L" + ROW + ";L" + CTX + ";)V", null, null);
            mv.visitCode();
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitVarInsn(Opcodes.LSTORE, NULL_FLAGS);
            long flagged = 0;
            for (int i = 0; i < expressions.length; i++) {
                c.writeColumn(mv, i, kinds[i], columns[i]);
                if (flagged(i, kinds[i])) {
                    flagged |= 1L << i;
                }
            }
            if (flagged != 0) {
                // the null flags of the fixed-width columns 0-63, written once
                mv.visitVarInsn(Opcodes.ALOAD, 2);
                mv.visitLdcInsn(flagged);
                mv.visitVarInsn(Opcodes.LLOAD, NULL_FLAGS);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "mergeNulls", "(JJ)V", false);
            }
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return c.define();
        } catch (RuntimeException | ReflectiveOperationException e) {
            return failed(String.valueOf(List.of(expressions)), e);
        }
    }

    private static CompiledEval failed(String what, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "expression compilation failed, the tree evaluates " + what + " (set -D"
            + ENABLED_PROPERTY + "=false to silence)", e);
        return null;
    }

    private CompiledEval define() throws ReflectiveOperationException {
        cw.visitEnd();
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
        return (CompiledEval) lookup.lookupClass().getDeclaredConstructor(Expression[].class)
            .newInstance((Object) fallbacks.toArray(new Expression[0]));
    }

    private static byte columnClass(byte kind) {
        return switch (kind) {
            case RowKind.INT, RowKind.SHORT, RowKind.BYTE, RowKind.DATE -> Expression.EVAL_INT;
            case RowKind.LONG, RowKind.TIMESTAMP -> Expression.EVAL_LONG;
            case RowKind.DOUBLE, RowKind.FLOAT -> Expression.EVAL_DOUBLE;
            case RowKind.BOOLEAN -> Expression.EVAL_BOOLEAN;
            default -> Expression.EVAL_OBJECT;
        };
    }

    /** Local slot of {@code project}'s null flags of the fixed-width columns 0-63 (a long). */
    private static final int NULL_FLAGS = 6;

    /** @return whether column {@code i}'s null flag goes through {@link #NULL_FLAGS} (its value through setSlot). */
    private static boolean flagged(int i, byte kind) {
        return i < 64 && kind != RowKind.NULL && columnClass(kind) != Expression.EVAL_OBJECT;
    }

    /**
     * One output column, as {@code Projection.Evaluator.apply} writes it. Locals: in 1, out 2, ctx 3, value 4; a
     * fixed-width column below 64 writes its slot alone and its null flag into local {@link #NULL_FLAGS}.
     */
    private void writeColumn(MethodVisitor mv, int i, byte kind, String method) {
        if (kind == RowKind.NULL) {
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            push(mv, i);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "setNull", "(I)V", false);
            return;
        }
        byte cls = columnClass(kind);
        callNode(mv, method, cls, 1, 3);
        if (cls == Expression.EVAL_OBJECT) {
            mv.visitVarInsn(Opcodes.ASTORE, 4);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            push(mv, i);
            mv.visitVarInsn(Opcodes.ALOAD, 4);
            if (kind == RowKind.STRING) {
                mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "setString", "(ILjava/lang/String;)V", false);
            } else {
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "set", "(ILjava/lang/Object;)V", false);
            }
            return;
        }
        mv.visitVarInsn(store(cls), 4);
        Label set = new Label();
        Label done = new Label();
        boolean flagged = flagged(i, kind);
        isNull(mv, 3);
        mv.visitJumpInsn(Opcodes.IFEQ, set);
        if (flagged) {
            mv.visitVarInsn(Opcodes.LLOAD, NULL_FLAGS);
            mv.visitLdcInsn(1L << i);
            mv.visitInsn(Opcodes.LOR);
            mv.visitVarInsn(Opcodes.LSTORE, NULL_FLAGS);
        } else {
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            push(mv, i);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "setNull", "(I)V", false);
        }
        mv.visitJumpInsn(Opcodes.GOTO, done);
        mv.visitLabel(set);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        push(mv, i);
        mv.visitVarInsn(load(cls), 4);
        switch (kind) {
            case RowKind.SHORT -> {
                mv.visitInsn(Opcodes.I2S);
                mv.visitInsn(Opcodes.I2L);
            }
            case RowKind.BYTE -> {
                mv.visitInsn(Opcodes.I2B);
                mv.visitInsn(Opcodes.I2L);
            }
            case RowKind.INT, RowKind.DATE, RowKind.BOOLEAN -> mv.visitInsn(Opcodes.I2L);
            case RowKind.DOUBLE -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits",
                "(D)J", false);
            case RowKind.FLOAT -> {
                mv.visitInsn(Opcodes.D2F);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(Opcodes.I2L);
            }
            default -> {
            }
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, flagged ? "setSlot" : "setBits", "(IJ)V", false);
        mv.visitLabel(done);
    }

    /**
     * Generates the method evaluating {@code e} with the {@code eval*} of evaluation class {@code cls}.
     *
     * @return the method's name.
     */
    private String node(Expression e, byte cls) {
        while (e instanceof ComplexAccess.Alias a) {
            e = a.children().get(0);
        }
        String method = "e" + methods++;
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE, method,
            NODE_ARGS + descriptor(cls), null, null);
        mv.visitCode();
        if (Expression.evalClass(e.dataType()) != cls || !template(mv, e, cls)) {
            fallback(mv, e, cls);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return method;
    }

    /** @return whether a template wrote the method's body. */
    private boolean template(MethodVisitor mv, Expression e, byte cls) {
        if (e instanceof BoundReference r) {
            return column(mv, r, cls);
        } else if (e instanceof Literal l) {
            return literal(mv, l, cls);
        } else if (e instanceof Arithmetic a && !a.decimal()) {
            return arithmetic(mv, a, cls);
        } else if (e instanceof Cast c) {
            return cast(mv, c, cls);
        } else if (e instanceof Predicates.Comparison c) {
            return comparison(mv, c);
        } else if (e instanceof Predicates.And || e instanceof Predicates.Or) {
            return andOr(mv, e.children().get(0), e.children().get(1), e instanceof Predicates.And);
        } else if (e instanceof Predicates.Not n) {
            String child = node(n.children().get(0), Expression.EVAL_BOOLEAN);
            callNode(mv, child, Expression.EVAL_BOOLEAN, IN, CONTEXT);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IXOR);
            mv.visitInsn(Opcodes.IRETURN);
            return true;
        } else if (e instanceof Predicates.NullTest t) {
            return nullTest(mv, t);
        }
        return false;
    }

    private void fallback(MethodVisitor mv, Expression e, byte cls) {
        int index = fallbacks.size();
        fallbacks.add(e);
        mv.visitVarInsn(Opcodes.ALOAD, NODES);
        push(mv, index);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ALOAD, IN);
        mv.visitVarInsn(Opcodes.ALOAD, CONTEXT);
        String[] names = {"evalBoolean", "evalInt", "evalLong", "evalDouble", "evalObject"};
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXPRESSION, names[cls],
            "(L" + ROW_INTERFACE + ";L" + CTX + ";)" + descriptor(cls), false);
        mv.visitInsn(ret(cls));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Templates: each mirrors the node's eval method of the same class.

    private boolean column(MethodVisitor mv, BoundReference r, byte cls) {
        DataType type = r.dataType();
        if (cls == Expression.EVAL_OBJECT) {
            return false;
        }
        Label present = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, IN);
        push(mv, r.ordinal());
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "isNullAt", "(I)Z", false);
        mv.visitJumpInsn(Opcodes.IFEQ, present);
        setNull(mv, true);
        zero(mv, cls);
        mv.visitInsn(ret(cls));
        mv.visitLabel(present);
        setNull(mv, false);
        mv.visitVarInsn(Opcodes.ALOAD, IN);
        push(mv, r.ordinal());
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ROW, "bits", "(I)J", false);
        switch (cls) {
            case Expression.EVAL_BOOLEAN, Expression.EVAL_INT -> mv.visitInsn(Opcodes.L2I);
            case Expression.EVAL_DOUBLE -> {
                if (type == DataTypes.FloatType) {
                    mv.visitInsn(Opcodes.L2I);
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                    mv.visitInsn(Opcodes.F2D);
                } else {
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
                }
            }
            default -> {
            }
        }
        mv.visitInsn(ret(cls));
        return true;
    }

    private boolean literal(MethodVisitor mv, Literal l, byte cls) {
        EvalContext probe = new EvalContext();
        Object value;
        try {
            value = switch (cls) {
                case Expression.EVAL_BOOLEAN -> l.evalBoolean(null, probe);
                case Expression.EVAL_INT -> l.evalInt(null, probe);
                case Expression.EVAL_LONG -> l.evalLong(null, probe);
                case Expression.EVAL_DOUBLE -> l.evalDouble(null, probe);
                default -> null;
            };
        } catch (RuntimeException e) {
            return false;
        }
        if (value == null || probe.isNull) {
            return false;
        }
        setNull(mv, false);
        switch (cls) {
            case Expression.EVAL_BOOLEAN -> push(mv, (Boolean) value ? 1 : 0);
            case Expression.EVAL_INT -> push(mv, (Integer) value);
            default -> mv.visitLdcInsn(value);
        }
        mv.visitInsn(ret(cls));
        return true;
    }

    private boolean arithmetic(MethodVisitor mv, Arithmetic a, byte cls) {
        Expression left = a.children().get(0);
        Expression right = a.children().get(1);
        char code = a.code();
        DataType type = a.dataType();
        // Operands' class: Arithmetic.evalLong on int operands reads them with evalInt (div).
        byte operands = cls == Expression.EVAL_LONG && left.dataType() != DataTypes.LongType ? Expression.EVAL_INT : cls;
        if (cls == Expression.EVAL_BOOLEAN || cls == Expression.EVAL_OBJECT) {
            return false;
        }
        String l = node(left, operands);
        String r = node(right, operands);
        int x = 3;
        int y = x + size(operands);
        callNode(mv, l, operands, IN, CONTEXT);
        mv.visitVarInsn(store(operands), x);
        returnZeroIfNull(mv, cls);
        callNode(mv, r, operands, IN, CONTEXT);
        mv.visitVarInsn(store(operands), y);
        if (cls == Expression.EVAL_LONG && operands == Expression.EVAL_INT) {
            // int div: NULL on a NULL operand or a zero divisor
            Label ok = new Label();
            isNull(mv, CONTEXT);
            Label nul = new Label();
            mv.visitJumpInsn(Opcodes.IFNE, nul);
            mv.visitVarInsn(Opcodes.ILOAD, y);
            mv.visitJumpInsn(Opcodes.IFNE, ok);
            mv.visitLabel(nul);
            setNull(mv, true);
            zero(mv, cls);
            mv.visitInsn(Opcodes.LRETURN);
            mv.visitLabel(ok);
            mv.visitVarInsn(Opcodes.ILOAD, x);
            mv.visitVarInsn(Opcodes.ILOAD, y);
            mv.visitInsn(Opcodes.IDIV);
            mv.visitInsn(Opcodes.I2L);
            mv.visitInsn(Opcodes.LRETURN);
            return true;
        }
        returnZeroIfNull(mv, cls);
        boolean guarded = switch (cls) {
            case Expression.EVAL_INT -> code != '+' && code != '-' && code != '*';
            case Expression.EVAL_LONG -> code != '+' && code != '-' && code != '*';
            default -> code != '+' && code != '-' && code != '*' && code != '/';
        } || cls == Expression.EVAL_DOUBLE && code == '/';
        if (guarded) {
            // a zero divisor gives NULL
            Label ok = new Label();
            mv.visitVarInsn(load(cls), y);
            switch (cls) {
                case Expression.EVAL_INT -> mv.visitJumpInsn(Opcodes.IFNE, ok);
                case Expression.EVAL_LONG -> {
                    mv.visitInsn(Opcodes.LCONST_0);
                    mv.visitInsn(Opcodes.LCMP);
                    mv.visitJumpInsn(Opcodes.IFNE, ok);
                }
                default -> {
                    mv.visitInsn(Opcodes.DCONST_0);
                    mv.visitInsn(Opcodes.DCMPL);
                    mv.visitJumpInsn(Opcodes.IFNE, ok);
                }
            }
            setNull(mv, true);
            zero(mv, cls);
            mv.visitInsn(ret(cls));
            mv.visitLabel(ok);
        }
        mv.visitVarInsn(load(cls), x);
        mv.visitVarInsn(load(cls), y);
        switch (cls) {
            case Expression.EVAL_INT -> {
                mv.visitInsn(code == '+' ? Opcodes.IADD : code == '-' ? Opcodes.ISUB : code == '*' ? Opcodes.IMUL
                    : Opcodes.IREM);
                if (type == DataTypes.ShortType) {
                    mv.visitInsn(Opcodes.I2S);
                } else if (type == DataTypes.ByteType) {
                    mv.visitInsn(Opcodes.I2B);
                }
            }
            case Expression.EVAL_LONG -> mv.visitInsn(code == '+' ? Opcodes.LADD : code == '-' ? Opcodes.LSUB
                : code == '*' ? Opcodes.LMUL : code == '%' ? Opcodes.LREM : Opcodes.LDIV);
            default -> {
                mv.visitInsn(code == '+' ? Opcodes.DADD : code == '-' ? Opcodes.DSUB : code == '*' ? Opcodes.DMUL
                    : code == '/' ? Opcodes.DDIV : Opcodes.DREM);
                if (type == DataTypes.FloatType) {
                    mv.visitInsn(Opcodes.D2F);
                    mv.visitInsn(Opcodes.F2D);
                }
            }
        }
        mv.visitInsn(ret(cls));
        return true;
    }

    private boolean cast(MethodVisitor mv, Cast c, byte cls) {
        Expression child = c.child();
        DataType from = child.dataType();
        DataType to = c.dataType();
        byte fromClass = Expression.evalClass(from);
        boolean numericFrom = from == DataTypes.IntegerType || from == DataTypes.ShortType || from == DataTypes.ByteType
            || from == DataTypes.LongType || from == DataTypes.DoubleType || from == DataTypes.FloatType;
        if (!numericFrom) {
            return false;
        }
        if (cls == Expression.EVAL_DOUBLE && (to == DataTypes.DoubleType || to == DataTypes.FloatType)) {
            callNode(mv, node(child, fromClass), fromClass, IN, CONTEXT);
            if (fromClass == Expression.EVAL_INT) {
                mv.visitInsn(Opcodes.I2D);
            } else if (fromClass == Expression.EVAL_LONG) {
                mv.visitInsn(Opcodes.L2D);
            }
            if (to == DataTypes.FloatType) {
                mv.visitInsn(Opcodes.D2F);
                mv.visitInsn(Opcodes.F2D);
            }
            mv.visitInsn(Opcodes.DRETURN);
            return true;
        }
        if (cls == Expression.EVAL_LONG && to == DataTypes.LongType) {
            callNode(mv, node(child, fromClass), fromClass, IN, CONTEXT);
            if (fromClass == Expression.EVAL_INT) {
                mv.visitInsn(Opcodes.I2L);
            } else if (fromClass == Expression.EVAL_DOUBLE) {
                mv.visitInsn(Opcodes.D2L);
            }
            mv.visitInsn(Opcodes.LRETURN);
            return true;
        }
        return false;
    }

    private boolean comparison(MethodVisitor mv, Predicates.Comparison c) {
        Expression left = c.children().get(0);
        Expression right = c.children().get(1);
        byte operands = Expression.evalClass(left.dataType());
        int code = c.code();
        if (operands == Expression.EVAL_OBJECT || code == 5) {
            return false;
        }
        String l = node(left, operands);
        String r = node(right, operands);
        int x = 3;
        int y = x + size(operands);
        int rightNull = y + size(operands);
        // left; NULL gives NULL (the flag stays set)
        callNode(mv, l, operands, IN, CONTEXT);
        mv.visitVarInsn(store(operands), x);
        Label leftPresent = new Label();
        isNull(mv, CONTEXT);
        mv.visitJumpInsn(Opcodes.IFEQ, leftPresent);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(leftPresent);
        callNode(mv, r, operands, IN, CONTEXT);
        mv.visitVarInsn(store(operands), y);
        isNull(mv, CONTEXT);
        mv.visitVarInsn(Opcodes.ISTORE, rightNull);
        mv.visitVarInsn(load(operands), x);
        mv.visitVarInsn(load(operands), y);
        switch (operands) {
            case Expression.EVAL_INT -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "compare", "(II)I", false);
            case Expression.EVAL_BOOLEAN -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Boolean", "compare", "(ZZ)I", false);
            case Expression.EVAL_LONG -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Long", "compare", "(JJ)I", false);
            default -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Values.class), "compareDouble",
                "(DD)I", false);
        }
        int cmp = rightNull + 1;
        mv.visitVarInsn(Opcodes.ISTORE, cmp);
        Label rightPresent = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, rightNull);
        mv.visitJumpInsn(Opcodes.IFEQ, rightPresent);
        setNull(mv, true);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(rightPresent);
        setNull(mv, false);
        mv.visitVarInsn(Opcodes.ILOAD, cmp);
        Label yes = new Label();
        int jump = switch (code) {
            case 0 -> Opcodes.IFEQ;
            case 1 -> Opcodes.IFLT;
            case 2 -> Opcodes.IFLE;
            case 3 -> Opcodes.IFGT;
            default -> Opcodes.IFGE;
        };
        mv.visitJumpInsn(jump, yes);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(yes);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IRETURN);
        return true;
    }

    /** SQL's three-valued {@code AND}/{@code OR}, evaluating the right side only when the left does not decide. */
    private boolean andOr(MethodVisitor mv, Expression left, Expression right, boolean and) {
        String l = node(left, Expression.EVAL_BOOLEAN);
        String r = node(right, Expression.EVAL_BOOLEAN);
        int aNull = 3;
        Label decided = new Label();
        // a
        callNode(mv, l, Expression.EVAL_BOOLEAN, IN, CONTEXT);
        isNull(mv, CONTEXT);
        mv.visitVarInsn(Opcodes.ISTORE, aNull);
        // AND: false and not null decides false; OR: true and not null decides true
        Label goOn = new Label();
        mv.visitJumpInsn(and ? Opcodes.IFNE : Opcodes.IFEQ, goOn);
        mv.visitVarInsn(Opcodes.ILOAD, aNull);
        mv.visitJumpInsn(Opcodes.IFEQ, decided);
        mv.visitLabel(goOn);
        // b
        callNode(mv, r, Expression.EVAL_BOOLEAN, IN, CONTEXT);
        Label combine = new Label();
        mv.visitJumpInsn(and ? Opcodes.IFNE : Opcodes.IFEQ, combine);
        isNull(mv, CONTEXT);
        mv.visitJumpInsn(Opcodes.IFEQ, decided);
        mv.visitLabel(combine);
        // ctx.isNull = aNull || ctx.isNull
        mv.visitVarInsn(Opcodes.ALOAD, CONTEXT);
        mv.visitVarInsn(Opcodes.ILOAD, aNull);
        isNull(mv, CONTEXT);
        mv.visitInsn(Opcodes.IOR);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CTX, "isNull", "Z");
        if (and) {
            // return !ctx.isNull
            isNull(mv, CONTEXT);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IXOR);
        } else {
            mv.visitInsn(Opcodes.ICONST_0);
        }
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(decided);
        mv.visitInsn(and ? Opcodes.ICONST_0 : Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IRETURN);
        return true;
    }

    private boolean nullTest(MethodVisitor mv, Predicates.NullTest t) {
        Expression child = t.children().get(0);
        byte cls = Expression.evalClass(child.dataType());
        if (cls == Expression.EVAL_OBJECT) {
            return false;
        }
        callNode(mv, node(child, cls), cls, IN, CONTEXT);
        mv.visitInsn(size(cls) == 2 ? Opcodes.POP2 : Opcodes.POP);
        isNull(mv, CONTEXT);
        mv.visitVarInsn(Opcodes.ISTORE, 3);
        setNull(mv, false);
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        if (t.negated()) {
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IXOR);
        }
        mv.visitInsn(Opcodes.IRETURN);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bytecode helpers

    private void callNode(MethodVisitor mv, String method, byte cls, int in, int ctx) {
        mv.visitVarInsn(Opcodes.ALOAD, in);
        mv.visitVarInsn(Opcodes.ALOAD, ctx);
        if (in == IN) {
            mv.visitVarInsn(Opcodes.ALOAD, NODES);
        } else {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, SUPER, "nodes", "[L" + EXPRESSION + ";");
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, name, method, NODE_ARGS + descriptor(cls), false);
    }

    private void returnZeroIfNull(MethodVisitor mv, byte cls) {
        Label present = new Label();
        isNull(mv, CONTEXT);
        mv.visitJumpInsn(Opcodes.IFEQ, present);
        zero(mv, cls);
        mv.visitInsn(ret(cls));
        mv.visitLabel(present);
    }

    private static void isNull(MethodVisitor mv, int ctx) {
        mv.visitVarInsn(Opcodes.ALOAD, ctx);
        mv.visitFieldInsn(Opcodes.GETFIELD, CTX, "isNull", "Z");
    }

    private static void setNull(MethodVisitor mv, boolean value) {
        mv.visitVarInsn(Opcodes.ALOAD, CONTEXT);
        mv.visitInsn(value ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CTX, "isNull", "Z");
    }

    private static void zero(MethodVisitor mv, byte cls) {
        switch (cls) {
            case Expression.EVAL_LONG -> mv.visitInsn(Opcodes.LCONST_0);
            case Expression.EVAL_DOUBLE -> mv.visitInsn(Opcodes.DCONST_0);
            case Expression.EVAL_OBJECT -> mv.visitInsn(Opcodes.ACONST_NULL);
            default -> mv.visitInsn(Opcodes.ICONST_0);
        }
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

    private static String descriptor(byte cls) {
        return switch (cls) {
            case Expression.EVAL_BOOLEAN -> "Z";
            case Expression.EVAL_INT -> "I";
            case Expression.EVAL_LONG -> "J";
            case Expression.EVAL_DOUBLE -> "D";
            default -> "Ljava/lang/Object;";
        };
    }

    private static int size(byte cls) {
        return cls == Expression.EVAL_LONG || cls == Expression.EVAL_DOUBLE ? 2 : 1;
    }

    private static int load(byte cls) {
        return switch (cls) {
            case Expression.EVAL_LONG -> Opcodes.LLOAD;
            case Expression.EVAL_DOUBLE -> Opcodes.DLOAD;
            case Expression.EVAL_OBJECT -> Opcodes.ALOAD;
            default -> Opcodes.ILOAD;
        };
    }

    private static int store(byte cls) {
        return switch (cls) {
            case Expression.EVAL_LONG -> Opcodes.LSTORE;
            case Expression.EVAL_DOUBLE -> Opcodes.DSTORE;
            case Expression.EVAL_OBJECT -> Opcodes.ASTORE;
            default -> Opcodes.ISTORE;
        };
    }

    private static int ret(byte cls) {
        return switch (cls) {
            case Expression.EVAL_LONG -> Opcodes.LRETURN;
            case Expression.EVAL_DOUBLE -> Opcodes.DRETURN;
            case Expression.EVAL_OBJECT -> Opcodes.ARETURN;
            default -> Opcodes.IRETURN;
        };
    }
}

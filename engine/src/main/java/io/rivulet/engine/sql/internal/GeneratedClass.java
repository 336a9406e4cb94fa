package io.rivulet.engine.sql.internal;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The start every generated class of the structured API shares (compiled expressions, aggregation updates, fills):
 * a final class extending a given base, with one constructor that passes its arguments to the base's.
 *
 * <p>Frames and maximum stack sizes are computed by ASM; the common super class of two types is taken as
 * {@code Object}, which needs no class loading and is right for the generated code (it merges no two reference types
 * whose common super class matters). Stateless and thread-safe.
 */
public final class GeneratedClass {
    private GeneratedClass() {
    }

    /**
     * Starts a class: its header and its constructor.
     *
     * @param name                  the internal name of the class ({@code a/b/C$1}).
     * @param superName             the internal name of the base class.
     * @param constructorDescriptor the descriptor of the base's constructor, whose arguments are all references
     *                              (e.g. {@code "()V"}); the generated constructor has the same and passes them on.
     * @return a writer with the class started; the caller adds its methods and calls {@code visitEnd()}.
     * @throws IllegalArgumentException if the constructor takes a primitive argument.
     */
    public static ClassWriter start(String name, String superName, String constructorDescriptor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null, superName, null);
        MethodVisitor init = cw.visitMethod(0, "<init>", constructorDescriptor, null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        Type[] arguments = Type.getArgumentTypes(constructorDescriptor);
        for (int i = 0; i < arguments.length; i++) {
            int sort = arguments[i].getSort();
            if (sort != Type.OBJECT && sort != Type.ARRAY) {
                throw new IllegalArgumentException("constructorDescriptor must take only references, got "
                    + constructorDescriptor);
            }
            init.visitVarInsn(Opcodes.ALOAD, i + 1);
        }
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", constructorDescriptor, false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        return cw;
    }
}

package io.rivulet.bench;

/**
 * The JVM flags every Rivulet JVM needs, as compile-time constants so that JMH's {@code @Fork(jvmArgsAppend = ...)}
 * can name them: Chronicle Queue (the journal) reaches into JDK internals on Java 17+ and must never phone home.
 *
 * <p>The same list lives in the parent pom's {@code rivulet.jvm.flags} (surefire, exec) and in {@code bin/jvm-flags}
 * (shell launchers); {@code BenchFlagsTest} fails the build when the three drift apart. JDK 23+ additionally needs
 * {@code --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}, which a constant cannot express:
 * {@code bin/bench} adds them to the host JVM and JMH forks inherit the host's flags.
 *
 * <p>Immutable constants; thread-safe.
 */
public final class BenchFlags
{
    /** Chronicle reflects into {@code java.lang}. */
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** Chronicle reflects into {@code java.lang.reflect}. */
    public static final String OPEN_LANG_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** Chronicle reflects into {@code java.io}. */
    public static final String OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    /** Chronicle reflects into {@code java.util}. */
    public static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    /** Chronicle maps files through {@code sun.nio.ch}. */
    public static final String OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Chronicle maps files through {@code sun.nio.ch}. */
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Chronicle releases mapped memory through {@code jdk.internal.ref}. */
    public static final String OPEN_REF = "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** Chronicle releases mapped memory through {@code jdk.internal.ref}. */
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** Agrona and Chronicle use {@code sun.misc.Unsafe}. */
    public static final String EXPORT_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    /** Agrona 2 reaches {@code jdk.internal.misc.Unsafe} (its queues and buffers). */
    public static final String EXPORT_INTERNAL_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Chronicle must never send usage analytics. */
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    /** Every flag above, in the parent pom's order, separated by single spaces. */
    public static final String JVM_FLAGS = OPEN_LANG + " " + OPEN_LANG_REFLECT + " " + OPEN_IO + " " + OPEN_UTIL + " " +
        OPEN_NIO_CH + " " + EXPORT_NIO_CH + " " + OPEN_REF + " " + EXPORT_REF + " " + EXPORT_MISC + " " + EXPORT_INTERNAL_MISC + " " + NO_ANALYTICS;

    private BenchFlags()
    {
    }

    /** @return {@link #JVM_FLAGS} as separate arguments, a fresh array. */
    public static String[] jvmFlags()
    {
        return JVM_FLAGS.split(" ");
    }
}

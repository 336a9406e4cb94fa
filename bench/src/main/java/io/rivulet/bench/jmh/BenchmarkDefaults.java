package io.rivulet.bench.jmh;

import io.rivulet.bench.BenchFlags;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH settings every Rivulet micro-benchmark inherits (JMH reads these annotations from superclasses): average time
 * per operation in ns, 3 warm-up and 5 measured iterations of 1 s, one fork with the flags every Rivulet JVM needs
 * ({@link BenchFlags}), a fixed G1 heap and transparent huge pages ({@code -XX:+UseTransparentHugePages}: state tables
 * probed at random miss the TLB far less on 2 MiB pages; where the kernel has THP {@code never} the JVM prints one
 * warning and uses 4 KiB pages). Command-line options ({@code -f}, {@code -wi}, {@code -i}, {@code -prof
 * gc}) override them. Operations are one record each, so {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes
 * allocated per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchFlags.OPEN_LANG, BenchFlags.OPEN_LANG_REFLECT, BenchFlags.OPEN_IO, BenchFlags.OPEN_UTIL,
    BenchFlags.OPEN_NIO_CH, BenchFlags.EXPORT_NIO_CH, BenchFlags.OPEN_REF, BenchFlags.EXPORT_REF,
    BenchFlags.EXPORT_MISC, BenchFlags.EXPORT_INTERNAL_MISC, BenchFlags.NO_ANALYTICS, "-Xms2g", "-Xmx2g", "-XX:+UseG1GC",
    "-XX:+UseTransparentHugePages"})
public abstract class BenchmarkDefaults
{
    /** Pre-generated records each benchmark cycles through; a power of two, small enough to stay in L2. */
    public static final int RECORDS = 4096;
    /** {@code index & MASK} cycles through the pre-generated records. */
    public static final int MASK = RECORDS - 1;
}

package io.rivulet.journal.internal;

import net.openhft.chronicle.bytes.MappedFile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What an appender tells the pretouch thread: the cycle file it writes and its write position.
 *
 * <p>One writer (the appender's owner thread), one reader (the pretouch thread). The position is
 * published with a release store, a plain store on x86, so appending pays nothing for it.
 */
public final class PretouchTarget {
    private static final VarHandle POSITION;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(PretouchTarget.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile MappedFile file;
    @SuppressWarnings("unused")
    private long position;

    /**
     * @param file the cycle file the appender now writes
     */
    public void file(MappedFile file) {
        this.file = file;
    }

    /**
     * @return the cycle file the appender writes, or {@code null} before its first append
     */
    public MappedFile file() {
        return file;
    }

    /**
     * @param position the appender's write position after its last append
     */
    public void position(long position) {
        POSITION.setRelease(this, position);
    }

    /**
     * @return the appender's last published write position
     */
    public long position() {
        return (long) POSITION.getAcquire(this);
    }
}

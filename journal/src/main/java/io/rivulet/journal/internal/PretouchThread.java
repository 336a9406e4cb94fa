package io.rivulet.journal.internal;

import net.openhft.chronicle.bytes.MappedFile;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal's background pretoucher: a daemon thread that, every millisecond, touches the pages
 * ahead of each registered appender (see {@link PageToucher}). Best effort: a file closed under it
 * (the appender rolled or closed) is dropped and picked up again from the next published file.
 *
 * <p>Thread-safe: appenders register and unregister from any thread; the thread owns the touchers.
 */
public final class PretouchThread implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PretouchThread.class.getName());
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Map<PretouchTarget, PageToucher> targets = new ConcurrentHashMap<>();
    private final Queue<PageToucher> retired = new ConcurrentLinkedQueue<>();
    private final long aheadLength;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pagesTouched;

    /**
     * Starts the thread.
     *
     * @param name the thread's name
     * @param aheadLength how far ahead of each writer to keep pages touched, in bytes
     */
    public PretouchThread(String name, long aheadLength) {
        this.aheadLength = aheadLength;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @param target an appender's published file and position
     */
    public void add(PretouchTarget target) {
        targets.put(target, new PageToucher());
    }

    /**
     * @param target a target {@link #add}ed before
     */
    public void remove(PretouchTarget target) {
        PageToucher toucher = targets.remove(target);
        if (toucher != null) {
            retired.add(toucher);
        }
    }

    private void run() {
        int maxPages = (int) Math.max(1, aheadLength / PageToucher.PAGE_LENGTH);
        boolean warned = false;
        while (running) {
            for (Map.Entry<PretouchTarget, PageToucher> entry : targets.entrySet()) {
                MappedFile file = entry.getKey().file();
                if (file == null) {
                    continue;
                }
                try {
                    int pages = entry.getValue().touch(file, entry.getKey().position(), aheadLength, maxPages);
                    if (pages > 0) {
                        pagesTouched += pages;
                    }
                } catch (Exception e) {
                    entry.getValue().close();
                    if (!warned) {
                        warned = true;
                        LOG.log(System.Logger.Level.DEBUG, "journal pretouch skipped a file: " + e);
                    }
                }
            }
            closeRetired();
            LockSupport.parkNanos(PERIOD_NS);
        }
        for (PageToucher toucher : targets.values()) {
            toucher.close();
        }
        closeRetired();
    }

    private void closeRetired() {
        PageToucher toucher;
        while ((toucher = retired.poll()) != null) {
            toucher.close();
        }
    }

    /**
     * @return pages touched since the thread started (written by the thread only)
     */
    public long pagesTouched() {
        return pagesTouched;
    }

    /** Stops the thread and waits for it (up to 5 s). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

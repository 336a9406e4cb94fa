package io.rivulet.engine.sink;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a {@link ForeachWriter} per writer and epoch (Spark's {@code foreach}). Thread-safe: each
 * task gets its own writer instance from the factory.
 *
 * @param <T> record type
 */
public final class ForeachSink<T> implements Sink<T> {
    private final Supplier<? extends ForeachWriter<? super T>> factory;

    ForeachSink(Supplier<? extends ForeachWriter<? super T>> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public String description() {
        return "foreach";
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        ForeachWriter<? super T> user = Objects.requireNonNull(factory.get(), "foreach writer factory returned null");
        return new Writer<>(user, writerIndex);
    }

    /** Not thread-safe; owned by one task. */
    private static final class Writer<T> implements SinkWriter<T> {
        private final ForeachWriter<? super T> user;
        private final int partition;
        private long epoch;
        private boolean open;
        private boolean accepted;
        private boolean failed;

        Writer(ForeachWriter<? super T> user, int partition) {
            this.user = user;
            this.partition = partition;
        }

        @Override
        public void write(T record) throws Exception {
            if (!open) {
                // As in Spark, close follows only an open that returned: a throwing open gets no close.
                accepted = user.open(partition, epoch);
                open = true;
            }
            if (accepted) {
                try {
                    user.process(record);
                } catch (Exception | Error e) {
                    failed = true;
                    closeAfter(e);
                    throw e;
                }
            }
        }

        @Override
        public void endEpoch(long epochId) throws Exception {
            epoch = epochId + 1;
            if (open) {
                open = false;
                user.close(null);
            }
        }

        private void closeAfter(Throwable error) {
            if (open) {
                open = false;
                try {
                    user.close(error);
                } catch (Exception | Error e) {
                    error.addSuppressed(e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (open && !failed) {
                // The task ended without ending the epoch: the query was aborted.
                open = false;
                user.close(new IllegalStateException("query aborted before epoch " + epoch + " ended"));
            }
        }
    }
}

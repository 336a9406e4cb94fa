package io.rivulet.engine.internal;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.sink.MemorySink;
import org.agrona.concurrent.EpochClock;

import java.util.Objects;

/**
 * How the structured API ({@code io.rivulet.engine.sql}) reaches what the public engine types keep
 * package-private: the plan node behind a {@link Stream}, an engine's defaults, its table of memory
 * sinks. The engine installs the one {@link Bridge} when {@link Rivulet} is initialised (the JDK's
 * "shared secrets" pattern), so none of it becomes public API. Thread-safe.
 */
public final class EngineAccess {
    /** What the engine lends the structured API. Implemented once, in {@code io.rivulet.engine}. */
    public interface Bridge {
        /**
         * @param stream a stream
         * @return the plan node it describes
         */
        PlanNode<?> node(Stream<?> stream);

        /**
         * @param rivulet an engine
         * @return partitions of a keyed stage that names none
         */
        int defaultParallelism(Rivulet rivulet);

        /**
         * Makes a memory sink readable as {@code rivulet.table(name)}, replacing a table of that name.
         *
         * @param rivulet the engine
         * @param name the table's name (the query's name)
         * @param sink the sink holding its rows
         */
        void registerTable(Rivulet rivulet, String name, MemorySink<?> sink);

        /**
         * @param rivulet an engine
         * @return its wall clock (a fake one in tests), read once per epoch by {@code current_timestamp()}
         */
        EpochClock epochClock(Rivulet rivulet);
    }

    private static volatile Bridge bridge;

    private EngineAccess() {
    }

    /**
     * @param implementation the engine's bridge; installed once
     * @throws IllegalStateException if a bridge is installed already
     */
    public static synchronized void install(Bridge implementation) {
        if (bridge != null) {
            throw new IllegalStateException("the engine bridge is installed already");
        }
        bridge = Objects.requireNonNull(implementation, "bridge");
    }

    /**
     * @return the engine's bridge (initialising {@link Rivulet} installs it)
     */
    public static Bridge bridge() {
        Bridge installed = bridge;
        if (installed == null) {
            try {
                Class.forName(Rivulet.class.getName(), true, Rivulet.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = bridge;
        }
        return installed;
    }
}

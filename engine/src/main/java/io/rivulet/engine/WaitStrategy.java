package io.rivulet.engine;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a query's threads wait when they have nothing to do: a worker whose rings are empty, a source
 * with no input, a producer whose downstream ring is full. Each thread gets its own Agrona
 * {@link IdleStrategy} from the chosen factory.
 *
 * <table>
 *   <caption>Costs</caption>
 *   <tr><th>strategy</th><th>wake-up latency</th><th>CPU when idle</th><th>use when</th></tr>
 *   <tr><td>{@link #busySpin()}</td><td>~0.1 µs</td><td>a full core per thread</td>
 *       <td>threads &lt;= free cores (never more than cores on a 2-core box)</td></tr>
 *   <tr><td>{@link #yielding()}</td><td>~1 µs</td><td>a full core, shared with others</td>
 *       <td>latency matters, some oversubscription</td></tr>
 *   <tr><td>{@link #backoff()} (default)</td><td>spins, then yields, then parks 1–100 µs</td>
 *       <td>near zero</td><td>the safe default: bursts run hot, idle threads sleep</td></tr>
 *   <tr><td>{@link #sleeping(Duration)}</td><td>the sleep period (+ timer slack)</td><td>near zero</td>
 *       <td>background queries where latency does not matter</td></tr>
 * </table>
 */
public final class WaitStrategy {
    private final String description;
    private final Supplier<? extends IdleStrategy> factory;

    private WaitStrategy(String description, Supplier<? extends IdleStrategy> factory) {
        this.description = description;
        this.factory = factory;
    }

    /**
     * Spins: the lowest latency, a full core per thread even when idle.
     *
     * @return the strategy
     */
    public static WaitStrategy busySpin() {
        return new WaitStrategy("busySpin", BusySpinIdleStrategy::new);
    }

    /**
     * Yields the core between polls.
     *
     * @return the strategy
     */
    public static WaitStrategy yielding() {
        return new WaitStrategy("yielding", YieldingIdleStrategy::new);
    }

    /**
     * The default: 100 spins, then 10 yields, then parks from 1 µs doubling to 100 µs. A busy thread
     * never parks; an idle one costs almost no CPU, and wakes within ~100 µs.
     *
     * @return the strategy
     */
    public static WaitStrategy backoff() {
        return backoff(100, 10, Duration.ofNanos(1_000), Duration.ofNanos(100_000));
    }

    /**
     * A back-off with explicit steps.
     *
     * @param spins spins before yielding
     * @param yields yields before parking
     * @param minPark first park period
     * @param maxPark longest park period
     * @return the strategy
     * @throws IllegalArgumentException if a value is negative or {@code minPark > maxPark}
     */
    public static WaitStrategy backoff(int spins, int yields, Duration minPark, Duration maxPark) {
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException("spins and yields must be >= 0, got " + spins + " and " + yields);
        }
        long minNs = minPark.toNanos();
        long maxNs = maxPark.toNanos();
        if (minNs < 1 || maxNs < minNs) {
            throw new IllegalArgumentException("need 1 ns <= minPark <= maxPark, got " + minPark + " and " + maxPark);
        }
        return new WaitStrategy("backoff(" + spins + "," + yields + "," + minPark + "," + maxPark + ")",
            () -> new BackoffIdleStrategy(spins, yields, minNs, maxNs));
    }

    /**
     * Sleeps a fixed period whenever idle.
     *
     * @param period the sleep
     * @return the strategy
     * @throws IllegalArgumentException if the period is not positive
     */
    public static WaitStrategy sleeping(Duration period) {
        long ns = period.toNanos();
        if (ns < 1) {
            throw new IllegalArgumentException("sleep period must be positive, got " + period);
        }
        return new WaitStrategy("sleeping(" + period + ")", () -> new SleepingIdleStrategy(ns));
    }

    /**
     * Any Agrona idle strategy; the factory is called once per thread.
     *
     * @param name how it shows in descriptions
     * @param factory creates a new, unshared strategy
     * @return the strategy
     */
    public static WaitStrategy custom(String name, Supplier<? extends IdleStrategy> factory) {
        return new WaitStrategy(Objects.requireNonNull(name, "name"), Objects.requireNonNull(factory, "factory"));
    }

    /**
     * Parses a name as written in options: {@code busySpin}, {@code yielding}, {@code backoff} or
     * {@code sleeping}.
     *
     * @param name the name
     * @return the strategy
     * @throws IllegalArgumentException naming the allowed values if the name is unknown
     */
    public static WaitStrategy named(String name) {
        return switch (name) {
            case "busySpin" -> busySpin();
            case "yielding" -> yielding();
            case "backoff" -> backoff();
            case "sleeping" -> sleeping(Duration.ofMillis(1));
            default -> throw new IllegalArgumentException("unknown wait strategy '" + name
                + "'; allowed: busySpin, yielding, backoff, sleeping");
        };
    }

    Supplier<? extends IdleStrategy> factory() {
        return factory;
    }

    @Override
    public String toString() {
        return description;
    }
}

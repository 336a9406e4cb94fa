/**
 * Optional Micrometer export of Rivulet's query progress: {@link io.rivulet.metrics.micrometer.RivuletMetrics}
 * listens to an engine's queries and keeps one set of meters per query run in any
 * {@code MeterRegistry} (Prometheus, JMX, a composite); {@link io.rivulet.metrics.micrometer.MeterNames}
 * names them. The engine does not depend on this package or on Micrometer.
 *
 * <pre>
 *  query threads --commit--> progress report --listener--> QueryMeters (volatile last report)
 *                                                               ^
 *                                    registry publish / scrape -+ (reads gauges and function counters)
 * </pre>
 */
package io.rivulet.metrics.micrometer;

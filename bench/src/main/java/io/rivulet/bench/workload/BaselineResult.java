package io.rivulet.bench.workload;

/**
 * Outcome of one baseline run in throughput mode. Immutable.
 *
 * @param workload  workload run.
 * @param trades    number of trades generated.
 * @param events    number of events processed (trades plus orders).
 * @param results   number of output records.
 * @param checksum  wrapping sum of the output records' checksum terms.
 * @param elapsedNs wall time of the run in ns, generator included.
 */
public record BaselineResult(Workload workload, long trades, long events, long results, long checksum, long elapsedNs)
{
    /** @return events processed per second of wall time. */
    public double eventsPerSecond()
    {
        return elapsedNs == 0 ? 0.0 : events * 1e9 / elapsedNs;
    }

    /** @return {@code workload N results checksum events/s}, separated by single spaces. */
    public String line()
    {
        return workload + " " + trades + " " + results + " " + checksum + " " + Math.round(eventsPerSecond());
    }
}

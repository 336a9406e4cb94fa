package io.rivulet.bench.harness;

/**
 * The verdict on a run's computed result. A run whose result is wrong fails, however fast it was. Immutable.
 *
 * @param ok        whether the result is right.
 * @param reference {@code "match"} or {@code "MISMATCH"} when the spec's reference table has this workload and N
 *                  (throughput mode, not truncated), otherwise {@code "n/a"}.
 * @param detail    what was compared, and on failure what differed.
 */
public record ResultCheck(boolean ok, String reference, String detail)
{
    /** Reference column value when the spec has no reference for the run. */
    public static final String NO_REFERENCE = "n/a";

    /**
     * @param detail what was compared.
     * @return a passing check against a direct computation.
     */
    public static ResultCheck passed(final String detail)
    {
        return new ResultCheck(true, NO_REFERENCE, detail);
    }

    /**
     * @param detail what differed.
     * @return a failing check against a direct computation.
     */
    public static ResultCheck failed(final String detail)
    {
        return new ResultCheck(false, NO_REFERENCE, detail);
    }

    /**
     * Compares a results count and checksum with expected values.
     *
     * @param what             what is compared, e.g. {@code "spec reference W1 N=20000000"}.
     * @param expectedResults  expected results count.
     * @param expectedChecksum expected checksum.
     * @param results          computed results count.
     * @param checksum         computed checksum.
     * @param reference        whether the expected values come from the spec's reference table.
     * @return the verdict.
     */
    public static ResultCheck compare(final String what, final long expectedResults, final long expectedChecksum,
        final long results, final long checksum, final boolean reference)
    {
        final boolean ok = results == expectedResults && checksum == expectedChecksum;
        final String detail = (ok ? "matches " : "DIFFERS from ") + what + ": expected results=" + expectedResults +
            " checksum=" + expectedChecksum + ", got results=" + results + " checksum=" + checksum;
        return new ResultCheck(ok, reference ? (ok ? "match" : "MISMATCH") : NO_REFERENCE, detail);
    }
}

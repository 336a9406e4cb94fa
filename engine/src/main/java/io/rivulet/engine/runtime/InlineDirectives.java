package io.rivulet.engine.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A HotSpot compiler directive, added once per JVM when the first stage clone is made, that makes the JIT
 * inline a fused chain's per-record methods ({@link SourceEmitter}, {@link OperatorLink} and
 * {@link SinkLink} {@code emit}, the stateless operators' {@code process}, the structured API's
 * {@code FillOperator} and {@code RowOperator} {@code process}; on a fused keyed stage
 * {@link WatermarkLink} and {@link LocalExchange} {@code emit}, {@link KeyedHead} {@code onRecord}, the
 * window aggregate's {@code process} and {@code add}; before a keyed exchange, {@link PreAggregatingLink}
 * {@code emit} and the pre-aggregator's {@code add}) into whatever calls them,
 * whatever their size once compiled on their own; and that keeps the window aggregate's {@code sliceSlowPath}
 * (the slice lookup when a record's window is not the last one's) a call of its own.
 *
 * <p>Why: C2 does not inline a callee that already has compiled code larger than {@code InlineSmallCode}
 * (2500 bytes on x86-64: "already compiled into a big method"). Each link of a chain is hot, so each is
 * also compiled on its own, with the rest of the chain inlined: the upper links' code is 2.0-2.5 KB for
 * W1's two operators and a sink, at the limit. When a user's reader method is compiled again later (any
 * uncommon trap in user code deoptimises it; the harness's generator has one at a rare branch), whether it
 * may inline the chain depends on the size its links happened to compile to, and a record passed to a
 * link it did not inline escapes: the user's records go back to the heap for the rest of the run
 * (docs/benchmarks.md, "Issue 14": one run in three or four allocated 25-48 B/event). A forced inline
 * skips that heuristic (and "call site not reached"); depth limits ({@code MaxInlineLevel}) still apply.
 *
 * <p>Why the exception: the lookup's map probe has branches a run takes first only after the chain was compiled
 * (the first record for an earlier window, the first collision in the map of slices). Inlined, each of them was an
 * uncommon trap in every compiled copy of the chain (the reader's, and each link's own): in W2 and W2S runs two
 * traps threw away one to seven chain compilations each, early in the measured run, and C2 compiled them all again
 * (docs/benchmarks.md, "Issue 13, session 11"). Out of line, the trap recompiles that method alone. The call
 * is made once per change of window only (a record out of order into an earlier window, and the record after it:
 * 1.9 % of W2's records).
 *
 * <p>The directive matches every compiled method ({@code *.*}) and lists only Rivulet's methods (to
 * inline, and the one not to). It is added through the {@code DiagnosticCommand} MBean ({@code jcmd Compiler.directives_add})
 * only when the JVM has no directive of its own (a user's directives match first and would be shadowed
 * for every method by a {@code *.*} directive on top of them) and no inlining command (a directive's
 * inline list replaces {@code -XX:CompileCommand=inline/dontinline/exclude} for inlining: see
 * {@link #userInlineCommands}); other compile commands still apply. Off with
 * {@code -Drivulet.inlineDirectives=false}, or with stage clones off. On a JVM without
 * that MBean (not HotSpot) nothing is added and one line is logged. Thread-safe.
 */
final class InlineDirectives {
    /** The system property that turns the directive off ({@code false}); read once. */
    static final String ENABLED_PROPERTY = "rivulet.inlineDirectives";
    /** Whether the directive is added. */
    static final boolean ENABLED = StageClasses.ENABLED
        && !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));
    /** The directive, in the JSON dialect of HotSpot's compiler directives. */
    static final String DIRECTIVE = "[{match: \"*.*\", inline: ["
        + "\"+io/rivulet/engine/runtime/SourceEmitter*.emit\", "
        + "\"+io/rivulet/engine/runtime/OperatorLink*.emit\", "
        + "\"+io/rivulet/engine/runtime/SinkLink*.emit\", "
        + "\"+io/rivulet/operators/stateless/FilterOperator*.process\", "
        + "\"+io/rivulet/operators/stateless/MapOperator*.process\", "
        + "\"+io/rivulet/operators/stateless/FlatMapOperator*.process\", "
        // The structured API's fused operators (W1S): a refilling source's fill, a where/select.
        + "\"+io/rivulet/engine/sql/internal/FillOperator*.process\", "
        + "\"+io/rivulet/engine/sql/internal/RowOperator*.process\", "
        // A fused keyed stage's per-record path (W2U): watermark link, local exchange, keyed head, window.
        + "\"+io/rivulet/engine/runtime/WatermarkLink*.emit\", "
        + "\"+io/rivulet/engine/runtime/LocalExchange*.emit\", "
        + "\"+io/rivulet/engine/runtime/KeyedHead*.onRecord\", "
        + "\"+io/rivulet/operators/window/WindowAggregateOperator*.process\", "
        + "\"+io/rivulet/operators/window/WindowAggregateOperator*.add\", "
        // ... but not the window's slice lookup on a change of window: its map probe's branches are settled late in a
        // run (the first record for an earlier window, the first probe collision), and each first time is an uncommon
        // trap that would throw away every compiled copy of the chain it is inlined into.
        + "\"-io/rivulet/operators/window/WindowAggregateOperator*.sliceSlowPath\", "
        // Pre-aggregation before a keyed exchange (W2U over rings): the record is consumed in the producer's add.
        + "\"+io/rivulet/engine/runtime/PreAggregatingLink*.emit\", "
        + "\"+io/rivulet/operators/window/WindowPreAggregator*.add\"]}]";

    private static final System.Logger LOG = System.getLogger(InlineDirectives.class.getName());
    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";
    private static final String[] STRINGS = {String[].class.getName()};
    private static boolean attempted;

    private InlineDirectives() {
    }

    /**
     * A directive with an {@code inline} list answers every inlining question itself: HotSpot then no
     * longer consults {@code -XX:CompileCommand=inline/dontinline} (nor a command file), so a user's commands
     * would silently stop working.
     *
     * @return the user's inlining commands, or {@code null} if there are none
     */
    private static String userInlineCommands() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String commands = hotspot.getVMOption("CompileCommand").getValue();
        if (commands.contains("inline") || commands.contains("exclude")) {
            return "-XX:CompileCommand=" + commands.strip().replace('\n', ' ');
        }
        String file = hotspot.getVMOption("CompileCommandFile").getValue();
        return file.isEmpty() ? null : "-XX:CompileCommandFile=" + file;
    }

    /**
     * Adds the directive, the first time it is called in this JVM (later calls return at once). Costs a
     * few milliseconds (the platform MBean server starts if nothing started it). Never throws: a failure
     * is logged once and the engine runs without it.
     *
     * @return whether this call added it
     */
    static synchronized boolean installOnce() {
        if (!ENABLED || attempted) {
            return false;
        }
        attempted = true;
        try {
            String commands = userInlineCommands();
            if (commands != null) {
                LOG.log(System.Logger.Level.INFO, "inline directives: the JVM has inlining commands of its own (" + commands
                    + "), which a directive would override; Rivulet adds none");
                return false;
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN);
            String stack = String.valueOf(server.invoke(name, "compilerDirectivesPrint", new Object[] {new String[0]}, STRINGS));
            if (stack.split("Directive:", -1).length - 1 > 1) {
                LOG.log(System.Logger.Level.INFO, "inline directives: the JVM has compiler directives of its own; Rivulet adds"
                    + " none (see -D" + ENABLED_PROPERTY + ")");
                return false;
            }
            Path file = Files.createTempFile("rivulet-inline-", ".json");
            try {
                Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
                String answer = String.valueOf(server.invoke(name, "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, STRINGS));
                if (!answer.contains("1 compiler directives added")) {
                    LOG.log(System.Logger.Level.WARNING, "inline directives: not added: " + answer.strip());
                    return false;
                }
            } finally {
                Files.deleteIfExists(file);
            }
            return true;
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "inline directives: not available on this JVM (" + e + "); set -D"
                + ENABLED_PROPERTY + "=false to silence");
            return false;
        }
    }
}

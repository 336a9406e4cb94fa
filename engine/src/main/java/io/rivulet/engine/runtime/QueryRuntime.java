package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryResource;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.internal.QueryEvents;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.QueryStatus;
import io.rivulet.engine.QueryableState;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.internal.checkpoint.CheckpointStorage;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.OutputMode;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of a query: its tasks, their threads and its lifecycle. Started by {@link QueryLauncher};
 * users see it as a {@link StreamingQuery}.
 *
 * <p>Thread-safe. Lifecycle: {@link #start} plans the query, opens the sink and the sources (any
 * failure there fails the start, nothing runs) and starts the threads of its {@link ThreadPlan}. The query ends when
 * every task has ended: because the input ended, because {@link #stop} asked the sources to finish
 * (what was read is drained and committed), or because a task failed (every task aborts). The last
 * task to end closes the sink and reports termination.
 */
final class QueryRuntime implements StreamingQuery {
    private static final System.Logger LOG = System.getLogger(QueryRuntime.class.getName());
    private static final QueryStatus STATUS_INITIALIZING = new QueryStatus(QueryStatus.INITIALIZING, false, false);
    private static final QueryStatus STATUS_STOPPED = new QueryStatus(QueryStatus.STOPPED, false, false);
    private static final QueryStatus STATUS_RUNNING_IDLE = new QueryStatus(QueryStatus.PROCESSING, false, true);
    private static final QueryStatus STATUS_RUNNING_DATA = new QueryStatus(QueryStatus.PROCESSING, true, true);
    /** Micro-batch: a trigger is running. */
    static final QueryStatus STATUS_BATCH_ACTIVE = new QueryStatus(QueryStatus.PROCESSING, false, true);
    /** Micro-batch: between triggers, the last of which found no input. */
    static final QueryStatus STATUS_WAITING_IDLE = new QueryStatus(QueryStatus.WAITING_FOR_TRIGGER, false, false);
    /** Micro-batch: between triggers, the last of which found input. */
    static final QueryStatus STATUS_WAITING_DATA = new QueryStatus(QueryStatus.WAITING_FOR_TRIGGER, true, false);

    /** Stable across restarts when the query has a checkpoint location (it is stored there). */
    private volatile UUID id = UUID.randomUUID();
    private final UUID runId = UUID.randomUUID();
    private final QueryOptions options;
    private final QueryEvents events;
    private final Sink<?> sink;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** What the plan's {@link QueryResource}s opened at start, closed when the query ends. */
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger liveTasks = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean aborted;
    private volatile long committedEpoch = -1;
    private volatile long eventTimeWatermarkMs;
    private final AtomicLong processAllRequested = new AtomicLong();
    private final Object processAllLock = new Object();
    private volatile long processAllCompleted;
    private volatile boolean sinkFinished;
    /** Micro-batch: what the driver is doing (set by the driver's thread, read by any). */
    private volatile QueryStatus batchStatus = STATUS_INITIALIZING;
    private Planner planner;
    /** The plan this run runs, for {@link QueryProbe}; set before the query is reported started. */
    private volatile PlanNode<?> root;
    /** Micro-batch: the source task the driver is draining, so a failed record names its source (driver thread only). */
    SourceTask<?> drainingSource;
    private CheckpointCoordinator coordinator;
    private CheckpointStorage storage;
    /** The checkpoint this run restored, while planning; {@code null} on a first start. */
    private Checkpoint restored;
    private ProgressReporter progress;
    /** Continuous mode: publishes progress off the data threads; {@code null} in micro-batch mode. */
    private ProgressPublisher publisher;
    /** Micro-batch mode: runs every task; {@code null} in continuous mode. */
    private MicroBatchDriver driver;

    /**
     * How long {@link #stop} waits after aborting a query that did not drain within its stop timeout,
     * and again after interrupting its task threads, before it returns regardless.
     */
    static final long ABORT_GRACE_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * A query not yet planned or started: {@link #start} launches it; tests drive its tasks by hand.
     *
     * @param options validated settings
     * @param sink the sink
     * @param events where lifecycle events go
     */
    QueryRuntime(QueryOptions options, Sink<?> sink, QueryEvents events) {
        this.options = options;
        this.sink = sink;
        this.events = events;
    }

    /**
     * Plans and starts a query.
     *
     * @param root the node whose records go to the sink
     * @param sink the sink
     * @param options validated settings
     * @param events where lifecycle events go
     * @param <T> record type at the sink
     * @return the running query
     * @throws IllegalArgumentException if the plan is invalid
     * @throws IllegalStateException if a source or the sink cannot be opened (the cause says why)
     */
    static <T> QueryRuntime start(PlanNode<T> root, Sink<T> sink, QueryOptions options, QueryEvents events) {
        QueryRuntime query = prepare(root, sink, options, events);
        query.startTasks();
        return query;
    }

    /**
     * Plans a query and opens its sink and sources without starting a thread: {@link #startTasks}
     * starts them; a test may instead drive the {@link #microBatchDriver()} by hand.
     *
     * @param root the node whose records go to the sink
     * @param sink the sink
     * @param options validated settings
     * @param events where lifecycle events go
     * @param <T> record type at the sink
     * @return the query, planned and opened
     * @throws IllegalArgumentException if the plan is invalid
     * @throws IllegalStateException if a source or the sink cannot be opened (the cause says why)
     */
    static <T> QueryRuntime prepare(PlanNode<T> root, Sink<T> sink, QueryOptions options, QueryEvents events) {
        Planner.rejectSharedNodes(root);
        QueryValidator.validate(root, sink, options);
        QueryRuntime query = new QueryRuntime(options, sink, events);
        query.launch(root, sink);
        return query;
    }

    /** @return the plan this run runs */
    PlanNode<?> root() {
        return root;
    }

    /** @return the sink's description */
    String sinkDescription() {
        return sink.description();
    }

    /** @return this run's settings */
    QueryOptions options() {
        return options;
    }

    /** @return the planned tasks (rings, stages) */
    Planner planner() {
        return planner;
    }

    /** @return the checkpoint coordinator (commit and checkpoint timings) */
    CheckpointCoordinator coordinator() {
        return coordinator;
    }

    /**
     * @return the micro-batch driver of a prepared micro-batch query; {@code null} in continuous mode
     */
    MicroBatchDriver microBatchDriver() {
        return driver;
    }

    private <T> void launch(PlanNode<T> root, Sink<T> typedSink) {
        this.root = root;
        int writers = Planner.producingTasks(root, options.defaultParallelism());
        StatefulPlan plan = StatefulPlan.of(root, options);
        Checkpoint restored = openCheckpoints(plan);
        coordinator = new CheckpointCoordinator(List.of(typedSink), storage, restored, options.maxParallelism(),
            options.minBatchesToRetain(), Map.of("runId", runId.toString(), "queryName", options.name()), coordinatorListener());
        planner = new Planner(this, options, coordinator, plan, restored);
        try {
            typedSink.open(options.name(), writers, options.outputMode(), options.microBatch());
            if (restored != null) {
                typedSink.recover(restored.epochId(), storage.lastCommittedEpoch());
            }
        } catch (Exception e) {
            closeStorageQuietly(e);
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("query '" + options.name() + "': cannot open sink " + typedSink.description() + ": " + e.getMessage(), e);
        }
        try {
            this.restored = restored;
            planner.plan(root, typedSink);
            if (!options.microBatch()) {
                ThreadPlan.check(planner.sourceTasks.size(), planner.workers.size(), options.workerThreads());
            }
            planner.openSources();
            openResources(root);
        } catch (Exception | Error e) {
            closeResources(e);
            closeQuietly(planner.sourceTasks);
            closeSinkQuietly(e);
            closeStorageQuietly(e);
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("query '" + options.name() + "' cannot start: " + e.getMessage(), e);
        }
        progress = new ProgressReporter(this, planner, root, typedSink.description(), options.nanoClock().nanoTime(),
            options.numRecentProgressUpdates());
        events.onStarted(this);
        if (options.microBatch()) {
            liveTasks.set(1);
            driver = new MicroBatchDriver(this, options, planner, QueryValidator.watermarkDrivesState(root, options),
                coordinator, restored);
        }
    }

    /** Starts the threads of a {@linkplain #prepare prepared} query. */
    private void startTasks() {
        if (driver != null) {
            startAgent(driver);
            return;
        }
        coordinator.start("rivulet-" + options.name() + "-checkpoint");
        synchronized (threads) {
            threads.add(coordinator.thread());
        }
        liveTasks.set(planner.totalTasks());
        publisher = new ProgressPublisher(this, progress, events, "rivulet-" + options.name() + "-progress");
        synchronized (threads) {
            threads.add(publisher.thread());
        }
        publisher.start();
        startThreads();
    }

    /**
     * Starts the threads of the {@link ThreadPlan}: a thread per source task, with the keyed stages it
     * hosts (see {@link Planner#hostOf}), and the query's worker threads, which run the other keyed
     * partitions. Workers start before the sources that feed them.
     */
    private void startThreads() {
        List<List<Agent>> plan = ThreadPlan.plan(planner.sourceTasks, planner.workers, planner.hostOf,
            options.workerThreads(), Runtime.getRuntime().availableProcessors());
        String prefix = "rivulet-" + options.name() + "-";
        for (List<Agent> members : plan) {
            if (members.size() == 1) {
                startAgent(members.get(0));
                continue;
            }
            // Thread names: the first task's, then each other task's role, e.g. rivulet-q-source-0+keyed1-0.
            StringBuilder name = new StringBuilder(members.get(0).roleName());
            for (Agent member : members.subList(1, members.size())) {
                name.append('+').append(member.roleName().substring(prefix.length()));
            }
            CoLocatedAgents coLocated = new CoLocatedAgents(members.toArray(new Agent[0]), name.toString());
            for (Agent member : members) {
                contextOf(member).coLocatedAgents = coLocated;
            }
            startAgent(coLocated);
        }
    }

    private static TaskContext contextOf(Agent agent) {
        return agent instanceof SourceTask<?> task ? task.context() : ((PartitionWorker) agent).context();
    }

    private void startAgent(Agent agent) {
        AgentRunner runner = new AgentRunner(options.idleStrategies().get(), this::onTaskError, null,
            new ErrorsAsFailures(agent));
        Thread thread = new Thread(runner, agent.roleName());
        thread.setDaemon(true);
        synchronized (threads) {
            runners.add(runner);
            threads.add(thread);
        }
        thread.start();
    }

    /**
     * Agrona's runner reports an {@link Error} thrown by {@code doWork} and then rethrows it, which
     * ends the thread before the task's {@code onClose}: the task never reports its end and the query
     * never terminates. A user function's {@code AssertionError} (or a {@code StackOverflowError})
     * must fail the query like any exception, so this wrapper hands it on as a {@link ChainFailure},
     * which {@link #fail} unwraps. Costs one call per duty cycle, none per record.
     */
    private record ErrorsAsFailures(Agent agent) implements Agent {
        @Override
        public void onStart() {
            agent.onStart();
        }

        @Override
        public int doWork() throws Exception {
            try {
                return agent.doWork();
            } catch (Error e) {
                throw new ChainFailure(e);
            }
        }

        @Override
        public void onClose() {
            agent.onClose();
        }

        @Override
        public String roleName() {
            return agent.roleName();
        }
    }

    private void onTaskError(Throwable error) {
        if (error instanceof AgentTerminationException || error instanceof QueryAbortedException) {
            return;
        }
        fail(error);
    }

    /**
     * Fails the query with {@code cause} (the first failure wins) and aborts every task.
     *
     * @param cause what failed
     */
    void fail(Throwable cause) {
        if (cause instanceof ChainFailure && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (failure.compareAndSet(null, cause)) {
            LOG.log(System.Logger.Level.ERROR, "query '" + options.name() + "' failed", cause);
        }
        aborted = true;
    }

    boolean isAborted() {
        return aborted;
    }

    /** Asks the sources to finish (each ends its epoch and sends end-of-input at its next cycle); does not wait. */
    void requestStop() {
        stopRequested = true;
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    void onEpochCommitted(long epochId) {
        committedEpoch = epochId;
        long nowNs = options.nanoClock().nanoTime();
        long nowMs = options.epochClock().time();
        if (publisher != null) {
            publisher.epochCommitted(epochId, nowNs, nowMs);
        } else if (progress != null) {
            // Micro-batch: the driver thread reports between batches, each batch exactly.
            events.onProgress(this, progress.report(epochId, nowNs, nowMs));
        }
    }

    void onSinkFinished() {
        sinkFinished = true;
    }

    /**
     * @return whether every sink writer has seen end-of-input and the last epoch is committed
     */
    boolean isSinkFinished() {
        return sinkFinished;
    }

    /**
     * Called on a task's own thread as it ends, for any reason.
     *
     * @param agent the task
     */
    void taskEnded(Agent agent) {
        TaskContext context = contextOf(agent);
        closeTask(context, agent instanceof SourceTask<?> task ? task.reader() : null);
        for (TaskContext fused : context.fused) {
            closeTask(fused, null);
        }
        onAgentEnded();
    }

    /**
     * Called on the micro-batch driver's thread as it ends: every task of the query ran on it.
     *
     * @param driver the driver
     */
    void driverEnded(MicroBatchDriver driver) {
        for (SourceTask<?> task : planner.sourceTasks) {
            closeTask(task.context(), task.reader());
        }
        for (TaskContext context : planner.keyedContexts) {
            closeTask(context, null);
        }
        onAgentEnded();
    }

    private void closeTask(TaskContext context, SourceReader<?> reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing source reader of " + context.name + " failed", e);
            }
        }
        List<SinkLink<?>> links = new ArrayList<>(context.sideLinks);
        links.add(context.sinkLink);
        for (SinkLink<?> link : links) {
            if (link != null) {
                try {
                    link.closeWriter();
                } catch (Exception e) {
                    fail(e);
                }
            }
        }
    }

    private void onAgentEnded() {
        if (liveTasks.decrementAndGet() == 0) {
            closeResources(null);
            closeQueryableState();
            finishCoordinator();
            finishPublisher();
            closeSinkQuietly(null);
            closeStorageQuietly(null);
            events.onTerminated(this);
            terminated.countDown();
            synchronized (processAllLock) {
                processAllLock.notifyAll();
            }
        }
    }

    /** Opens the plan's {@link QueryResource}s (a static table's refresh task), in plan order. */
    private void openResources(PlanNode<?> node) {
        for (PlanNode<?> input : node.inputs()) {
            openResources(input);
        }
        if (node instanceof PlanNode.OperatorNode<?, ?> op && op.resource() != null) {
            AutoCloseable opened = op.resource().open(options.name(), this::fail);
            synchronized (resources) {
                resources.add(opened);
            }
        }
    }

    /** Closes what {@link #openResources} opened (each once), newest first. */
    private void closeResources(Throwable primary) {
        List<AutoCloseable> open;
        synchronized (resources) {
            open = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "query '" + options.name() + "': closing " + open.get(i)
                        + " failed", e);
                }
            }
        }
    }

    /** Every thread has ended: reads of queryable state fail from now on, naming why. */
    private void closeQueryableState() {
        if (planner == null || planner.queryable.isEmpty()) {
            return;
        }
        Throwable cause = failure.get();
        planner.queryable.close(cause == null
            ? "query '" + options.name() + "' has ended (stopped, or its input ended); its state is no longer readable"
            : "query '" + options.name() + "' failed (" + cause + "); its state is no longer readable");
    }

    /**
     * Opens the checkpoint location, if the query has one, and loads the checkpoint to restart from.
     *
     * @return the newest complete checkpoint, or {@code null} (no location, or a first start)
     * @throws IllegalArgumentException if the stateful plan differs from the checkpoint's
     */
    private Checkpoint openCheckpoints(StatefulPlan plan) {
        Path location = options.checkpointLocation();
        if (location == null) {
            return null;
        }
        storage = CheckpointStorage.open(location, options.maxParallelism(), plan.fingerprint());
        try {
            String change = plan.differenceFrom(storage.storedFingerprint());
            if (change != null) {
                throw new IllegalArgumentException("query '" + options.name() + "' cannot restart from checkpoint location "
                    + location + ": its stateful plan changed (" + change + "); state saved for one plan cannot serve"
                    + " another: use a new checkpoint location, or restore the previous query");
            }
            for (String unnamed : plan.unnamedKeys()) {
                LOG.log(System.Logger.Level.WARNING, "query '" + options.name() + "': stateful stage " + unnamed
                    + " is keyed by an unnamed function, so a restart with another key function cannot be detected;"
                    + " name the key (keyBy(\"symbol\", Trade::symbol)) to have a changed key refused");
            }
            id = storage.queryId();
            long loadStartNs = System.nanoTime();
            Checkpoint restored = storage.latestComplete().orElse(null);
            long loadMs = (System.nanoTime() - loadStartNs) / 1_000_000;
            if (restored != null) {
                for (var skipped : restored.skippedNewer()) {
                    LOG.log(System.Logger.Level.WARNING, "query '" + options.name() + "': skipped a damaged checkpoint: "
                        + skipped);
                }
                LOG.log(System.Logger.Level.INFO, "query '" + options.name() + "' restarts from the checkpoint of epoch "
                    + restored.epochId() + " in " + location + " (found and verified in " + loadMs + " ms)");
            }
            return restored;
        } catch (RuntimeException e) {
            closeStorageQuietly(e);
            throw e;
        }
    }

    /**
     * Opens a side sink (late data, a side output) while planning, before its writers are created:
     * recovered like the query's sink after a restart, and committed with it.
     *
     * @param side the sink
     * @param writers its writer count (the stage's partitions)
     * @throws IllegalStateException when it cannot be opened (the cause says why)
     */
    void openSideSink(Sink<?> side, int writers) {
        openSideSink(side, writers, options.outputMode());
    }

    /**
     * As {@link #openSideSink(Sink, int)}, in the given output mode (dead letters are appended whatever
     * the query's mode).
     */
    void openSideSink(Sink<?> side, int writers, OutputMode mode) {
        try {
            side.open(options.name() + "-side", writers, mode, options.microBatch());
            if (restored != null) {
                side.recover(restored.epochId(), storage.lastCommittedEpoch());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot open sink " + side.description() + ": " + e.getMessage(), e);
        }
        coordinator.addSink(side);
    }

    private CheckpointCoordinator.Listener coordinatorListener() {
        return new CheckpointCoordinator.Listener() {
            @Override
            public void onEpochCommitted(long epochId) {
                QueryRuntime.this.onEpochCommitted(epochId);
            }

            @Override
            public void onSinksFinished() {
                onSinkFinished();
            }

            @Override
            public void onFailure(Throwable cause) {
                fail(cause);
            }
        };
    }

    /** Completes what the tasks left ready, unless the query failed, and stops the coordinator's thread. */
    private void finishCoordinator() {
        if (coordinator == null) {
            return;
        }
        boolean interrupted = false;
        try {
            coordinator.finish(aborted);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (RuntimeException | Error e) {
            fail(e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeStorageQuietly(Throwable primary) {
        CheckpointStorage open = storage;
        storage = null;
        if (open == null) {
            return;
        }
        try {
            open.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "closing checkpoint location " + open.location() + " failed", e);
            }
        }
    }

    /**
     * @return how many {@link #processAllAvailable()} calls have asked for a drain
     */
    long processAllRequested() {
        return processAllRequested.get();
    }

    /**
     * @return the latest drain request the driver has completed
     */
    long processAllCompleted() {
        return processAllCompleted;
    }

    void processAllDone(long request) {
        synchronized (processAllLock) {
            processAllCompleted = Math.max(processAllCompleted, request);
            processAllLock.notifyAll();
        }
    }

    void onBatchWatermark(long watermarkMs) {
        eventTimeWatermarkMs = watermarkMs;
    }

    /**
     * @return the event-time watermark now in effect, or {@link Long#MIN_VALUE} if none
     */
    long eventTimeWatermarkMs() {
        if (options.microBatch()) {
            return planner.watermarkTrackers.isEmpty() ? Long.MIN_VALUE : eventTimeWatermarkMs;
        }
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (TaskContext context : planner.keyedContexts) {
            if (context.producesWatermarks) {
                any = true;
                min = Math.min(min, context.watermarkMs);
            }
        }
        return any ? min : Long.MIN_VALUE;
    }

    /**
     * @return in micro-batch mode, the watermark the next batch will use (Spark's
     *     {@code next_batch_watermark}), as of the end of the last batch; {@link Long#MIN_VALUE} without
     *     {@code withWatermark} or in continuous mode
     */
    long nextBatchWatermarkMs() {
        return driver == null || planner.watermarkTrackers.isEmpty() ? Long.MIN_VALUE : driver.nextBatchWatermarkMs();
    }

    @Override
    public void processAllAvailable() throws InterruptedException {
        if (isQueryThread(Thread.currentThread())) {
            throw new IllegalStateException("processAllAvailable() cannot be called from the query's own thread");
        }
        if (!options.microBatch()) {
            awaitQuietContinuous();
            return;
        }
        long request = processAllRequested.incrementAndGet();
        synchronized (processAllLock) {
            while (processAllCompleted < request && isActive()) {
                processAllLock.wait(100);
            }
        }
        throwIfFailed();
    }

    private void finishPublisher() {
        if (publisher == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                publisher.finish();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Continuous mode: waits until two epochs in a row commit without new input, so everything the
     * sources had was read, processed and committed.
     */
    private void awaitQuietContinuous() throws InterruptedException {
        long lastInput = -1;
        long lastEpoch = committedEpoch;
        int quietCommits = 0;
        while (isActive() && quietCommits < 2) {
            synchronized (processAllLock) {
                processAllLock.wait(Math.max(1, options.epochIntervalNs() / 1_000_000));
            }
            long epoch = committedEpoch;
            if (epoch != lastEpoch) {
                lastEpoch = epoch;
                long input = progress.totalInputRows();
                quietCommits = input == lastInput ? quietCommits + 1 : 0;
                lastInput = input;
            }
        }
        throwIfFailed();
    }

    private void closeSinkQuietly(Throwable primary) {
        List<Sink<?>> sinks = new ArrayList<>();
        sinks.add(sink);
        if (planner != null) {
            sinks.addAll(planner.sideSinks.keySet());
        }
        for (Sink<?> s : sinks) {
            try {
                s.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    fail(e);
                }
            }
        }
    }

    private static void closeQuietly(List<SourceTask<?>> tasks) {
        for (SourceTask<?> task : tasks) {
            if (task.reader() != null) {
                try {
                    task.reader().close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing source reader failed", e);
                }
            }
        }
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public UUID runId() {
        return runId;
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public boolean isActive() {
        return terminated.getCount() > 0;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
        joinThreads();
        throwIfFailed();
    }

    @Override
    public boolean awaitTermination(long timeoutMs) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        if (!terminated.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        // Terminated: the threads are ending; do not wait past the caller's timeout for them.
        joinThreads(Math.max(deadlineNs, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
        throwIfFailed();
        return true;
    }

    /**
     * Bounded at any input rate: returns within the stop timeout plus twice {@link #ABORT_GRACE_NS}.
     * A graceful stop commits the epoch in progress; past the timeout the query is aborted and that
     * epoch is discarded (never committed), then task threads still running after a grace period
     * are interrupted (not the checkpoint thread, so a commit under way completes), and after a
     * second grace period this returns even if one of them is stuck in user code, logging it.
     */
    @Override
    public void stop() {
        if (!isActive()) {
            return;
        }
        requestStop();
        if (isQueryThread(Thread.currentThread())) {
            return;
        }
        boolean interrupted = false;
        try {
            long deadlineNs = System.nanoTime() + options.stopTimeoutNs();
            if (!terminated.await(options.stopTimeoutNs(), TimeUnit.NANOSECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "query '" + options.name() + "' did not drain within the stop timeout;"
                    + " aborting: the epoch in progress is discarded");
                aborted = true;
                deadlineNs = System.nanoTime() + ABORT_GRACE_NS;
                if (!terminated.await(ABORT_GRACE_NS, TimeUnit.NANOSECONDS)) {
                    interruptTaskThreads();
                    deadlineNs = System.nanoTime() + ABORT_GRACE_NS;
                    if (!terminated.await(ABORT_GRACE_NS, TimeUnit.NANOSECONDS)) {
                        LOG.log(System.Logger.Level.ERROR, "query '" + options.name() + "' still has running threads after"
                            + " abort and interrupt; stop() returns without them: " + liveThreadNames());
                        return;
                    }
                }
            }
            joinThreads(deadlineNs);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isQueryThread(Thread thread) {
        synchronized (threads) {
            return threads.contains(thread);
        }
    }

    private void interruptTaskThreads() {
        Thread checkpointing = coordinator == null ? null : coordinator.thread();
        synchronized (threads) {
            for (Thread thread : threads) {
                if (thread != checkpointing) {
                    thread.interrupt();
                }
            }
        }
    }

    private String liveThreadNames() {
        synchronized (threads) {
            return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList().toString();
        }
    }

    private void joinThreads() throws InterruptedException {
        joinThreads(Long.MAX_VALUE);
    }

    /**
     * Joins the query's threads, which have ended or are ending (the query terminated), until
     * {@code deadlineNs} ({@link System#nanoTime()}); {@link Long#MAX_VALUE}: without a deadline.
     */
    private void joinThreads(long deadlineNs) throws InterruptedException {
        Thread current = Thread.currentThread();
        List<Thread> all;
        synchronized (threads) {
            all = List.copyOf(threads);
        }
        for (Thread thread : all) {
            if (thread == current) {
                continue;
            }
            if (deadlineNs == Long.MAX_VALUE) {
                thread.join();
            } else {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                thread.join(Math.max(1, leftMs));
            }
        }
    }

    private void throwIfFailed() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new StreamingQueryException(options.name(), cause);
        }
    }

    @Override
    public Optional<StreamingQueryException> exception() {
        Throwable cause = failure.get();
        return cause == null ? Optional.empty() : Optional.of(new StreamingQueryException(options.name(), cause));
    }

    @Override
    public QueryProgress lastProgress() {
        return progress.last();
    }

    @Override
    public QueryStatus status() {
        if (!isActive()) {
            return STATUS_STOPPED;
        }
        if (driver != null) {
            return batchStatus;
        }
        if (publisher == null) {
            return STATUS_INITIALIZING;
        }
        QueryProgress last = progress.last();
        return last != null && last.numInputRows() > 0 ? STATUS_RUNNING_DATA : STATUS_RUNNING_IDLE;
    }

    /** Micro-batch: the driver says what it is doing (driver thread). */
    void batchStatus(QueryStatus status) {
        batchStatus = status;
    }

    @Override
    public <K, V> QueryableState<K, V> state(String operatorName) {
        if (planner == null) {
            throw new IllegalStateException("query '" + options.name() + "' has not been planned: it failed to start");
        }
        return planner.queryable.reader(operatorName);
    }

    @Override
    public List<QueryProgress> recentProgress() {
        return progress.recent();
    }

    @Override
    public Histogram latencyHistogram() {
        return progress.cumulativeCopy();
    }

    /**
     * @return the epoch the sink committed last, or -1 before the first commit
     */
    long committedEpoch() {
        return committedEpoch;
    }

    @Override
    public String toString() {
        return "StreamingQuery[name=" + options.name() + ", id=" + id + ", active=" + isActive() + "]";
    }
}

package io.frameq.quality;

import io.frameq.deadline.Deadline;
import io.frameq.frame.RgbImage;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.TensorSpec;
import io.frameq.onnx.InferenceException;
import io.frameq.translate.NrTranslator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic micro-batcher shared by every stream thread (design (a) of ARCHITECTURE.md, "Batching
 * inside Kafka Streams without losing frames"): each caller pre-processes its frame on its own
 * thread, submits the crops and <em>blocks until its own result</em>, so records stay synchronous
 * and offsets are still committed only after the event was produced.
 *
 * <p>One dispatcher thread takes the oldest pending request, then waits until either
 * {@code maxUnits} work units are pending or {@code maxDelay} has passed since that request was
 * submitted, concatenates the pending requests (in submission order, up to {@code maxUnits} units;
 * a single frame larger than {@code maxUnits} runs alone) along the batch axis, runs ONE
 * {@code OnnxModel.run} and splits the score output back: request {@code i} gets rows
 * {@code [offset_i, offset_i + units_i)}. Requests whose crops have another shape (another frame
 * size) close the batch and start the next. Post-processing runs on the caller's thread.
 *
 * <p>The queue holds at most {@code queueCapacity} requests; when it is full, callers block
 * (backpressure) — no frame is ever dropped. A failed run fails every caller of that batch with the
 * same exception. {@link #close()} fails pending and later callers with
 * {@link IllegalStateException}; it does not close the wrapped {@link NrScorer}.
 *
 * <p>Each run observes {@code frameq_batch_size{model}} through {@link FrameqMetrics#batch}.
 */
public final class BatchingNrScorer implements FrameScorer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingNrScorer.class);

    private final NrScorer scorer;
    private final NrTranslator translator;
    private final ModelDescriptor descriptor;
    private final FrameqMetrics metrics;
    private final int maxUnits;
    private final long maxDelayNanos;
    private final int queueCapacity;
    private final boolean dynamicBatch;
    private final Set<String> outputs;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition completed = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>(); // guarded by lock
    private int queuedUnits; // guarded by lock
    private boolean closed; // guarded by lock
    private final Thread dispatcher;

    /** One caller's frame: its crops, and the slot its result (or failure) is handed back in. */
    private static final class Request {
        final NrTranslator.Batch batch;
        final int units;
        final long submitted;
        // guarded by the batcher's lock
        boolean done;
        Map<String, FloatTensor> result;
        RuntimeException error;
        int batchUnits;
        long inferenceNanos;

        Request(NrTranslator.Batch batch, long submitted) {
            this.batch = batch;
            this.units = batch.plan().units();
            this.submitted = submitted;
        }

        boolean sameCrop(Request o) {
            long[] a = batch.tensor().shape();
            long[] b = o.batch.tensor().shape();
            return Arrays.equals(a, 1, a.length, b, 1, b.length);
        }
    }

    /**
     * @param scorer the model to batch for (not closed by this batcher)
     * @param metrics where batch sizes go; null for none
     * @param maxUnits work units per model run (one five-point frame is 5)
     * @param maxDelayMillis how long the oldest pending request may wait for others, {@code >= 0}
     * @param queueCapacity pending requests before callers block
     */
    public BatchingNrScorer(NrScorer scorer, FrameqMetrics metrics, int maxUnits, long maxDelayMillis, int queueCapacity) {
        long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        if (maxUnits < 1 || maxDelayNanos < 0 || queueCapacity < 1) {
            throw new IllegalArgumentException("batcher: maxUnits >= 1, maxDelay >= 0 and queueCapacity >= 1 expected, actual "
                    + maxUnits + ", " + maxDelayNanos + " ns, " + queueCapacity);
        }
        this.translator = scorer.translator();
        this.descriptor = scorer.descriptor();
        this.metrics = metrics;
        this.maxUnits = maxUnits;
        this.maxDelayNanos = maxDelayNanos;
        this.queueCapacity = queueCapacity;
        this.outputs = translator.outputs();
        TensorSpec in = descriptor.inputs().get(0);
        this.dynamicBatch = in.shape()[0] == TensorSpec.DYNAMIC;
        if (!dynamicBatch) {
            LOG.warn("model '{}': input batch dimension is fixed ({}); each model run takes one frame", descriptor.name(),
                    in.shape()[0]);
        }
        this.dispatcher = new Thread(this::dispatchLoop, "frameq-batcher-" + descriptor.name());
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean recordsBatchSizes() {
        return metrics != null;
    }

    public int maxUnits() {
        return maxUnits;
    }

    /** Requests queued and not yet taken into a batch; lets a test know a caller is parked in {@link #score}. */
    int pendingRequests() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Scores one frame, blocking until the batch it joined has run.
     *
     * @throws InferenceException when the model run of its batch fails (every caller of the batch
     *     gets it), or when interrupted while waiting
     * @throws ArithmeticException when the model produces a non-finite score for this frame
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public NrScore score(RgbImage image) {
        Objects.requireNonNull(image, "image");
        long t0 = System.nanoTime();
        NrTranslator.Batch batch = translator.preprocess(image, null);
        long t1 = System.nanoTime();
        Request r = new Request(batch, t1);
        Map<String, FloatTensor> scores;
        // The model runs on the dispatcher, out of the watchdog's reach for this caller: a caller whose
        // deadline expires stops waiting (its request leaves the queue, or its result is dropped).
        Deadline deadline = Deadline.current();
        Deadline.Registration wake = deadline == null ? null : deadline.onExpire(this::wakeCallers);
        lock.lock();
        try {
            while (!closed && queue.size() >= queueCapacity) {
                notFull.await();
            }
            if (closed) {
                throw closedException();
            }
            queue.addLast(r);
            queuedUnits += r.units;
            notEmpty.signal();
            while (!r.done) {
                if (deadline != null && deadline.expired()) {
                    if (queue.remove(r)) {
                        queuedUnits -= r.units;
                        notFull.signal();
                    }
                    throw deadline.exceeded(null);
                }
                completed.await();
            }
            if (r.error != null) {
                throw r.error;
            }
            scores = r.result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the request may still run; its result is dropped, which loses nothing: the caller fails
            throw new InferenceException("model '" + descriptor.name() + "': interrupted while waiting for a batch", e);
        } finally {
            lock.unlock();
            if (wake != null) {
                wake.close();
            }
        }
        long t2 = System.nanoTime();
        NrTranslator.Scores s = translator.postprocess(scores, r.batch.plan());
        long t3 = System.nanoTime();
        return new NrScore(descriptor.name(), descriptor.version(), descriptor.trained(), s.score(), s.quality(),
                s.cropScores(), t1 - t0, t2 - t1, t3 - t2, s.map());
    }

    /** Units {@code [from, from + n)} of a batch output whose first dimension is the batch's {@code total} units. */
    private static FloatTensor slice(FloatTensor t, int total, int from, int n) {
        int per = t.data().length / total;
        long[] shape = t.shape().clone();
        shape[0] = n;
        return new FloatTensor(Arrays.copyOfRange(t.data(), from * per, (from + n) * per), shape);
    }

    private void wakeCallers() {
        lock.lock();
        try {
            completed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("Trying to score with closed batcher for model '" + descriptor.name() + "'");
    }

    private void dispatchLoop() {
        while (true) {
            List<Request> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return; // close() fails what is left
            }
            if (batch == null) {
                return;
            }
            runBatch(batch);
        }
    }

    /** Waits for the next batch; null once closed. */
    private List<Request> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queue.isEmpty()) {
                notEmpty.await();
            }
            if (closed) {
                return null;
            }
            long deadline = queue.peekFirst().submitted + maxDelayNanos;
            while (!closed && dynamicBatch && queuedUnits < maxUnits && readyUnits() < maxUnits) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                notEmpty.awaitNanos(left);
            }
            if (closed) {
                return null;
            }
            List<Request> batch = new ArrayList<>();
            int units = 0;
            while (!queue.isEmpty()) {
                Request next = queue.peekFirst();
                if (!batch.isEmpty() && (!dynamicBatch || units + next.units > maxUnits || !next.sameCrop(batch.get(0)))) {
                    break;
                }
                queue.pollFirst();
                queuedUnits -= next.units;
                batch.add(next);
                units += next.units;
            }
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Units the head batch can still take in; MAX_VALUE when a crop-shape change already closes it. */
    private int readyUnits() {
        Request first = queue.peekFirst();
        int units = 0;
        for (Request r : queue) {
            if (!r.sameCrop(first)) {
                return Integer.MAX_VALUE; // the batch cannot grow past this request: run it now
            }
            units += r.units;
        }
        return units;
    }

    private void runBatch(List<Request> batch) {
        long t0 = System.nanoTime();
        int total = 0;
        for (Request r : batch) {
            total += r.units;
        }
        FloatTensor input;
        if (batch.size() == 1) {
            input = batch.get(0).batch.tensor();
        } else {
            FloatTensor first = batch.get(0).batch.tensor();
            long[] shape = first.shape().clone();
            shape[0] = total;
            int length = 0;
            for (Request r : batch) {
                length = Math.addExact(length, r.batch.tensor().data().length);
            }
            float[] data = new float[length];
            int off = 0;
            for (Request r : batch) {
                float[] d = r.batch.tensor().data();
                System.arraycopy(d, 0, data, off, d.length);
                off += d.length;
            }
            input = new FloatTensor(data, shape);
        }
        List<Map<String, FloatTensor>> results = new ArrayList<>(batch.size());
        RuntimeException error = null;
        try {
            Map<String, FloatTensor> all = scorer.model().run(Map.of(translator.inputName(), input), outputs);
            FloatTensor out = all.get(translator.scoreOutput());
            if (out == null || out.data().length != total) {
                throw new InferenceException("model '" + descriptor.name() + "': output '" + translator.scoreOutput()
                        + "' expected " + total + " values for a batch of " + total + " units, actual "
                        + (out == null ? "none" : Arrays.toString(out.shape())));
            }
            int off = 0;
            for (Request r : batch) {
                Map<String, FloatTensor> mine = new java.util.HashMap<>();
                for (Map.Entry<String, FloatTensor> e : all.entrySet()) {
                    mine.put(e.getKey(), slice(e.getValue(), total, off, r.units));
                }
                results.add(mine);
                off += r.units;
            }
        } catch (RuntimeException e) {
            error = e;
        } catch (Error e) {
            error = new InferenceException("model '" + descriptor.name() + "': batch run failed: " + e, e);
        }
        long nanos = System.nanoTime() - t0;
        if (metrics != null && error == null) {
            metrics.batch(descriptor.name(), total);
        }
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i);
                r.result = error == null && i < results.size() ? results.get(i) : null;
                r.error = error;
                r.batchUnits = total;
                r.inferenceNanos = nanos;
                r.done = true;
            }
            completed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails pending and later callers with {@link IllegalStateException}; a batch in flight finishes first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IllegalStateException e = closedException();
            for (Request r : queue) {
                r.error = e;
                r.done = true;
            }
            queue.clear();
            queuedUnits = 0;
            notEmpty.signalAll();
            notFull.signalAll();
            completed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BatchingNrScorer[" + descriptor.id() + ", maxUnits=" + maxUnits + ", maxDelay=" + maxDelayNanos / 1000
                + "us, queue=" + queueCapacity + "]";
    }
}

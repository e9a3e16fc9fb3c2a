package io.frameq.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.frameq.alert.AlertPolicy;
import io.frameq.baseline.BaselineSettings;
import io.frameq.detect.DetectorThresholds;
import io.frameq.join.JoinPolicy;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * FrameQ's typed configuration. Sources, later ones winning: built-in defaults, a properties
 * file, {@code FRAMEQ_*} environment variables ({@code FRAMEQ_SCORES_TOPIC} sets
 * {@code scores.topic}). Keys under {@code kafka.} pass through to Kafka Streams and its clients
 * (e.g. {@code kafka.security.protocol}); any other unknown key is an error, so a typo never
 * silently falls back to a default. The README's configuration table is generated from
 * {@link #DEF} ({@code frameq config --markdown}).
 */
public final class FrameqConfig extends AbstractConfig {

    public static final String KAFKA_PREFIX = "kafka.";
    public static final String ENV_PREFIX = "FRAMEQ_";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String INPUT_TOPICS = "input.topics";
    public static final String INPUT_PATTERN = "input.pattern";
    public static final String SCORES_TOPIC = "scores.topic";
    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String ALERTS_TOPIC = "alerts.topic";
    public static final String ALERTS_WINDOW_MS = "alerts.window.ms";
    public static final String ALERTS_OPEN_RATIO = "alerts.open.ratio";
    public static final String ALERTS_OPEN_WINDOWS = "alerts.open.windows";
    public static final String ALERTS_RESOLVE_RATIO = "alerts.resolve.ratio";
    public static final String ALERTS_RESOLVE_WINDOWS = "alerts.resolve.windows";
    public static final String ALERTS_SILENT_AFTER_MS = "alerts.silent.after.ms";
    public static final String ALERTS_TAMPER_OPEN_MS = "alerts.tamper.open.ms";
    public static final String ALERTS_TAMPER_COVERED_OPEN_MS = "alerts.tamper.covered.open.ms";
    public static final String ALERTS_TAMPER_RESOLVE_MS = "alerts.tamper.resolve.ms";
    public static final String STREAMS_RETIRE_AFTER_MS = "streams.retire.after.ms";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String PROCESSING_ERROR_POLICY = "processing.error.policy";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String STREAM_THREADS = "stream.threads";
    public static final String STATE_DIR = "state.dir";
    public static final String STARTUP_WARMUP_MS = "startup.warmup.ms";
    public static final String MODEL_NR = "model.nr";
    public static final String MODEL_REPOSITORY = "model.repository";
    public static final String MODEL_NR_CROP = "model.nr.crop";
    public static final String ONNX_PROVIDER = "onnx.provider";
    public static final String ONNX_INTRA_OP_THREADS = "onnx.intra.op.threads";
    public static final String ONNX_SPIN_WAIT = "onnx.spin.wait";
    public static final String ONNX_CPU_INT8 = "onnx.cpu.int8";
    public static final String BATCH_MAX_UNITS = "batch.max.units";
    public static final String BATCH_MAX_DELAY_MS = "batch.max.delay.ms";
    public static final String BATCH_QUEUE_CAPACITY = "batch.queue.capacity";
    public static final String SHED_MAX_LAG_MS = "shed.max.lag.ms";
    public static final String DEADLINE_DECODE_MS = "deadline.decode.ms";
    public static final String DEADLINE_MODEL_MS = "deadline.model.ms";
    public static final String DEADLINE_RESTORE_MS = "deadline.restore.ms";
    public static final String QUALITY_THRESHOLD = "quality.threshold";
    public static final String DECODE_MAX_BYTES = "decode.max.bytes";
    public static final String DECODE_MAX_WIDTH = "decode.max.width";
    public static final String DECODE_MAX_HEIGHT = "decode.max.height";
    public static final String DECODE_MAX_FRAMES_PER_SEGMENT = "decode.max.frames.per.segment";
    public static final String DECODE_VIDEO_SAMPLE_EVERY = "decode.video.sample.every";
    public static final String DECODE_VIDEO_SKIP_FRAMES = "decode.video.skip.frames";
    public static final String DECODE_JPEG_REDUCED_MIN_WIDTH = "decode.jpeg.reduced.min.width";
    public static final String DETECT_BLUR_SHARPNESS_MIN = "detect.blur.sharpness.min";
    public static final String BASELINE_ENABLED = "baseline.enabled";
    public static final String BASELINE_SAMPLE_INTERVAL_MS = "baseline.sample.interval.ms";
    public static final String BASELINE_WINDOW_SAMPLES = "baseline.window.samples";
    public static final String BASELINE_WARMUP_SAMPLES = "baseline.warmup.samples";
    public static final String BASELINE_WARMUP_INTERVAL_MS = "baseline.warmup.interval.ms";
    public static final String BASELINE_DEVIATION_MADS = "baseline.deviation.mads";
    public static final String BASELINE_NORMAL_FLAG_SHARE = "baseline.normal.flag.share";
    public static final String BASELINE_FROZEN_MIN_MS = "baseline.frozen.min.ms";
    public static final String BASELINE_MOVED_MIN_FRAMES = "baseline.moved.min.frames";
    public static final String BASELINE_MOVED_BELOW_MATCH = "baseline.moved.below.match";
    public static final String BASELINE_RELEARN_AFTER_MS = "baseline.relearn.after.ms";
    public static final String BASELINE_STEERABLE_STREAMS = "baseline.steerable.streams";
    public static final String DETECT_NOISE_SIGMA_MAX = "detect.noise.sigma.max";
    public static final String DETECT_DARK_LUMA_MIN = "detect.dark.luma.min";
    public static final String DETECT_OVEREXPOSED_CLIPPED_MAX = "detect.overexposed.clipped.max";
    public static final String DETECT_BLACK_LUMA_MIN = "detect.black.luma.min";
    public static final String DETECT_BLACK_CONTRAST_MIN = "detect.black.contrast.min";
    public static final String DETECT_FROZEN_DIFF_MIN = "detect.frozen.diff.min";
    public static final String DETECT_BLOCKY_MAX = "detect.blocky.max";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_MAX_STREAMS = "metrics.max.streams";
    public static final String METRICS_BIND_ADDRESS = "metrics.bind.address";
    public static final String METRICS_TLS_KEYSTORE = "metrics.tls.keystore";
    public static final String METRICS_TLS_KEYSTORE_PASSWORD = "metrics.tls.keystore.password";
    public static final String METRICS_AUTH_USER = "metrics.auth.user";
    public static final String METRICS_AUTH_PASSWORD = "metrics.auth.password";
    public static final String CONFIG_PROVIDERS = "config.providers";
    public static final String FR_ENABLED = "fr.enabled";
    public static final String FR_ORIGIN_TOPICS = "fr.origin.topics";
    public static final String FR_RENDITION_TOPICS = "fr.rendition.topics";
    public static final String FR_RENDITION_REPARTITION_TOPIC = "fr.rendition.repartition.topic";
    public static final String FR_ORIGIN_SEPARATOR = "fr.origin.separator";
    public static final String FR_JOIN_ON = "fr.join.on";
    public static final String FR_JOIN_WINDOW_MS = "fr.join.window.ms";
    public static final String FR_JOIN_GRACE_MS = "fr.join.grace.ms";
    public static final String FR_JOIN_MAX_BUFFERED_BYTES = "fr.join.max.buffered.bytes";
    public static final String FR_MODEL = "fr.model";

    public static final ConfigDef DEF = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, List.of(), Importance.HIGH,
                    "Kafka brokers, host:port[,host:port]. Required by `run`; the demo sets it to its embedded broker.")
            .define(APPLICATION_ID, Type.STRING, "frameq", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics.")
            .define(INPUT_TOPICS, Type.LIST, List.of(), Importance.HIGH,
                    "Frame topics to read, comma separated. Exactly one of input.topics and input.pattern.")
            .define(INPUT_PATTERN, Type.STRING, "", Importance.HIGH,
                    "Regex of frame topics to read; new matching topics are picked up without a restart.")
            .define(SCORES_TOPIC, Type.STRING, "frameq.scores", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic of the JSON score events.")
            .define(DLQ_TOPIC, Type.STRING, "frameq.dlq", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Dead-letter topic: original payload plus frameq-error-* headers.")
            .define(ALERTS_TOPIC, Type.STRING, "frameq.alerts", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic of the per-stream alert events (JSON, one per incident transition, see alert-event.schema.json).")
            .define(ALERTS_WINDOW_MS, Type.LONG, AlertPolicy.DEFAULTS.windowMs(), Range.between(100L, 3_600_000L), Importance.MEDIUM,
                    "Tumbling alert window, in ms of event time (capture_ts), per stream.")
            .define(ALERTS_OPEN_RATIO, Type.DOUBLE, AlertPolicy.DEFAULTS.openRatio(), Range.between(0.0, 1.0), Importance.MEDIUM,
                    "A window is bad when its degraded share is at least this; must be above `alerts.resolve.ratio`.")
            .define(ALERTS_OPEN_WINDOWS, Type.INT, AlertPolicy.DEFAULTS.openWindows(), Range.between(1, 1000), Importance.MEDIUM,
                    "Consecutive bad windows that open a `quality` incident.")
            .define(ALERTS_RESOLVE_RATIO, Type.DOUBLE, AlertPolicy.DEFAULTS.resolveRatio(), Range.between(0.0, 1.0), Importance.MEDIUM,
                    "A window is good when its degraded share is at most this.")
            .define(ALERTS_RESOLVE_WINDOWS, Type.INT, AlertPolicy.DEFAULTS.resolveWindows(), Range.between(1, 1000), Importance.MEDIUM,
                    "Consecutive good windows that resolve an open `quality` incident.")
            .define(ALERTS_SILENT_AFTER_MS, Type.LONG, AlertPolicy.DEFAULTS.silentAfterMs(), Range.between(1000L, 86_400_000L),
                    Importance.MEDIUM, "Wall-clock ms without frames after which a stream gets a `silent` alert (resolved by its next frame).")
            .define(ALERTS_TAMPER_OPEN_MS, Type.LONG, AlertPolicy.DEFAULTS.tamperOpenMs(), Range.between(0L, 3_600_000L), Importance.MEDIUM,
                    "A `tamper` incident opens once every frame of a stream for this many ms of capture time (and at least 2 frames) was covered, moved, defocused, black or frozen, without waiting for an alert window. 0 = no tamper incidents (such frames count in the windows only).")
            .define(ALERTS_TAMPER_COVERED_OPEN_MS, Type.LONG, AlertPolicy.DEFAULTS.tamperCoveredOpenMs(), Range.between(0L, 3_600_000L),
                    Importance.MEDIUM, "A `tamper` incident opens as soon as the lens was hidden (covered or black) on every frame of its last this many ms of capture time (and at least 2 frames), whatever came before in the run, at most `alerts.tamper.open.ms`: a cover is plain on sight and can be short, while `moved` needs longer to tell a turned camera from a truck parked in front.")
            .define(ALERTS_TAMPER_RESOLVE_MS, Type.LONG, AlertPolicy.DEFAULTS.tamperResolveMs(), Range.between(0L, 86_400_000L), Importance.LOW,
                    "Capture time without any tamper type that resolves an open `tamper` incident.")
            .define(STREAMS_RETIRE_AFTER_MS, Type.LONG, io.frameq.alert.StreamRetirement.DEFAULT_AFTER_MS,
                    Range.between(0L, 31_536_000_000L), Importance.MEDIUM,
                    "Wall-clock ms without frames after which a stream is retired: its open incidents resolve with reason `retired`, its per-stream state (baseline, thumbnail, verdict hysteresis, alert state) and its metric series are dropped, and it starts fresh if it comes back. Must exceed `alerts.silent.after.ms`; 0 = never.")
            .define(PROCESSING_GUARANTEE, Type.STRING, "at_least_once", ValidString.in("at_least_once", "exactly_once_v2"),
                    Importance.MEDIUM, "Kafka Streams processing guarantee.")
            .define(PROCESSING_ERROR_POLICY, Type.STRING, "dead_letter", ValidString.in("dead_letter", "fail"), Importance.LOW,
                    "What happens to a record whose processing throws out of a processor (a poison record meeting a bug; FrameQ's stages dead-letter bad input themselves): dead_letter = its original bytes go to the DLQ (reason processor_error, stage = the processor) and the stream goes on; fail = Kafka Streams' default, the stream thread fails and is replaced and the record is retried, which stops its partition until the bug is fixed.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(10), Importance.LOW,
                    "How often offsets are committed (ms).")
            .define(STREAM_THREADS, Type.INT, 1, Range.between(1, 256), Importance.MEDIUM,
                    "Kafka Streams threads; they share one model session.")
            .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/frameq-state", Importance.LOW,
                    "Directory of local state stores (per-stream thumbnails for freeze detection).")
            .define(STARTUP_WARMUP_MS, Type.LONG, 3000L, Range.between(0L, 600_000L), Importance.LOW,
                    "Before consuming, run the frame path (JPEG decode, also shrunk with decode.jpeg.reduced.min.width; detectors; baseline judge; 2 NR model runs; verdict and score event JSON, dropped) on a bundled 1080p frame for this long (ms), so a started or restarted instance is fast from its first real frame instead of competing with the JIT; it emits nothing and touches no store or topic. 0 = off.")
            .define(MODEL_NR, Type.STRING, "maniqa-lite", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "No-reference model name in the model repository.")
            .define(MODEL_NR_CROP, Type.STRING, "model", ValidString.in("model", "five-point", "centre", "resize", "tiles"),
                    Importance.MEDIUM,
                    "Where the no-reference model's work units are cut from each frame: `model` = as its model.json says (maniqa-lite: five-point, 5 crops), or `centre` (1 crop: about 5x less model time per frame and lower latency, but only the middle of the frame is judged), `five-point`, `resize` (whole frame squeezed to one unit), `tiles` (every part of the frame, more units on large frames).")
            .define(MODEL_REPOSITORY, Type.LIST, List.of(), Importance.MEDIUM,
                    "Extra model repository directories (<name>/model.json + <version>/model.onnx); they override bundled models of the same name.")
            .define(ONNX_PROVIDER, Type.STRING, "cpu", Importance.MEDIUM,
                    "ONNX Runtime execution provider: cpu, cuda[:device], tensorrt. CUDA needs the `gpu` build; without a GPU it falls back to CPU with a warning.")
            .define(ONNX_INTRA_OP_THREADS, Type.INT, 0, Range.between(0, 256), Importance.LOW,
                    "ONNX Runtime intra-op threads per model run. 0 = automatic: on the CPU with stream threads that each run the model (no batching), the cores divided among them, at least 1 each; otherwise ONNX Runtime's default, one per core.")
            .define(ONNX_SPIN_WAIT, Type.BOOLEAN, false, Importance.LOW,
                    "Let idle ONNX Runtime threads spin (busy-wait) between operators instead of blocking. Spinning gains a little model-only speed on idle cores and takes CPU from decoding, detectors and Kafka threads in the pipeline (BENCHMARKS.md).")
            .define(ONNX_CPU_INT8, Type.BOOLEAN, false, Importance.LOW,
                    "On the CPU, run a model's int8 sibling (`variants.int8` in its model.json: int8 weights, activations quantised per call) where it has one: fewer CPU seconds per frame for scores within about 0.001 of the fp32 graph's (BENCHMARKS.md). Models without one run fp32.")
            .define(BATCH_MAX_UNITS, Type.INT, 0, Range.between(0, 4096), Importance.MEDIUM,
                    "Most work units (crops; one five-point frame is 5) per model run when frames of concurrent stream threads are batched together. Batching is on when this is above 5 (one frame) and stream.threads is above 1 (one thread never has two frames waiting at once); each record still waits for its own score before its event is produced, so no frame is lost on a crash. 0 = automatic: 20 with CUDA or TensorRT; 1 (no batching) on the CPU, where stream threads that each run the model on their share of the cores score more frames per second than one batch at a time on all of them (BENCHMARKS.md).")
            .define(BATCH_MAX_DELAY_MS, Type.LONG, 2L, Range.between(0, 10_000), Importance.LOW,
                    "Longest wait (ms) of the oldest pending frame for others to join its batch; a batch runs earlier once batch.max.units are pending.")
            .define(BATCH_QUEUE_CAPACITY, Type.INT, 64, Range.between(1, 100_000), Importance.LOW,
                    "Frames waiting for a batch before further stream threads block (backpressure; frames are never dropped).")
            .define(SHED_MAX_LAG_MS, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                    "Load shedding: a frame whose capture time is more than this many ms old when it reaches the score stage skips the model unless it is a new suspect (a new detector flag or baseline deviation, a first frame, a gap; see model.sample.*); its event is still published, with score and quality null, the verdict from the detectors and `shed: true`, and it is counted in frameq_frames_shed_total. 0 = never shed.")
            .define(DEADLINE_DECODE_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM,
                    "Per-frame deadline of decoding one record (an image, or a whole video segment): a watchdog interrupts a segment that runs past it (FFmpeg's interrupt callback) and sends the record to the DLQ with reason timeout; the stream thread goes on. 0 = no deadline.")
            .define(DEADLINE_MODEL_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM,
                    "Per-frame deadline of the no-reference model run (and its wait for a batch): a watchdog stops the run (ONNX Runtime's terminate flag); the frame's event is still published from the detectors with score and quality null and model_error timeout, and its payload goes to the DLQ with reason timeout. 0 = no deadline.")
            .define(DEADLINE_RESTORE_MS, Type.LONG, 120_000L, Range.atLeast(0), Importance.LOW,
                    "Per-frame deadline of restoring one frame (every tile and the re-score): a watchdog stops the tile runs and sends the frame to the DLQ with reason timeout (its score event was already published). 0 = no deadline.")
            .define(QUALITY_THRESHOLD, Type.DOUBLE, 0.45, Range.between(0.0, 1.0), Importance.MEDIUM,
                    "Frames whose normalised quality is below this are `low_quality` (only for trained models). 0.45 keeps clean demo frames (0.59-0.90 with maniqa-lite v4) well clear; strongly blurred demo frames score 0.20-0.32, noisy and over-exposed ones 0.42-0.50 (the noise and exposure detectors flag those).")
            .define(DECODE_MAX_BYTES, Type.INT, 16 * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
                    "Largest record value accepted; larger ones go to the DLQ (reason over_limit).")
            .define(DECODE_MAX_WIDTH, Type.INT, 7680, Range.between(16, 65536), Importance.LOW, "Widest frame accepted.")
            .define(DECODE_MAX_HEIGHT, Type.INT, 4320, Range.between(16, 65536), Importance.LOW, "Tallest frame accepted.")
            .define(DECODE_MAX_FRAMES_PER_SEGMENT, Type.INT, 300, Range.atLeast(1), Importance.LOW,
                    "Most frames one video segment may expand into (after sampling).")
            .define(DECODE_JPEG_REDUCED_MIN_WIDTH, Type.INT, 0, Range.between(0, 65536), Importance.LOW,
                    "Decode only what is needed: above 0, a JPEG is decoded shrunk by 2 or 4 in the DCT domain (FFmpeg lowres), to no less than this width, for the detectors (which work on a 640 px plane), kept as the JPEG's own Y'CbCr planes (no RGB conversion), and decoded again at full size only when the model takes the frame; with model sampling (model.sample.*) that about halves the CPU of decode plus detectors for most frames. 640 suits 1080p (960x540) and 4K (960x540). 480 decodes 1080p at a quarter (480x270, enlarged to the 640 px plane): decode plus detectors 3.1-3.5 ms of CPU instead of 4.5-5.1, nearly the same flags on clean footage, but no blockiness (null: blocky cannot fire), noise read higher on textured or noisy scenes, a rescaled sharpness (BENCHMARKS.md, decode at a quarter); it also halves JPEGs 960-1279 px wide, whose sharpness then reads 0.5-0.8 of the full decode's (not rescaled). The noise reading, and at a half the blockiness, are rescaled approximately; defocus that only the full-size picture shows (edges spread over a few of its pixels, crisp at 640 px) is not seen. Not with restore.enabled. 0 = full size always.")
            .define(DECODE_VIDEO_SAMPLE_EVERY, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
                    "Score every Nth frame of a video segment.")
            .define(DECODE_VIDEO_SKIP_FRAMES, Type.STRING, "none", ValidString.in("none", "nonref", "nonkey"), Importance.LOW,
                    "Video frames not decoded at all, before decode.video.sample.every counts: none; nonref, the frames no other frame predicts from (most B-frames of H.264; the rest decode exactly as with none); nonkey, all but the keyframes (one frame per GOP). Sampling alone still decodes every frame.")
            .define(DETECT_BLUR_SHARPNESS_MIN, Type.DOUBLE, DetectorThresholds.DEFAULTS.blurBelowSharpness(), Importance.LOW,
                    "`blur` when the Laplacian variance of luma (at 640 px working width) is below this.")
            .define(DETECT_NOISE_SIGMA_MAX, Type.DOUBLE, DetectorThresholds.DEFAULTS.noiseAboveSigma(), Importance.LOW,
                    "`noise` when the estimated noise sigma (8-bit luma levels) is above this.")
            .define(DETECT_DARK_LUMA_MIN, Type.DOUBLE, DetectorThresholds.DEFAULTS.darkBelowMeanLuma(), Importance.LOW,
                    "`dark` when mean luma (0..255) is below this.")
            .define(DETECT_OVEREXPOSED_CLIPPED_MAX, Type.DOUBLE, DetectorThresholds.DEFAULTS.overexposedAboveClippedBright(),
                    Importance.LOW, "`overexposed` when the share of pixels at luma >= 250 is above this.")
            .define(DETECT_BLACK_LUMA_MIN, Type.DOUBLE, DetectorThresholds.DEFAULTS.blackBelowMeanLuma(), Importance.LOW,
                    "`black` when mean luma is below this and contrast below detect.black.contrast.min.")
            .define(DETECT_BLACK_CONTRAST_MIN, Type.DOUBLE, DetectorThresholds.DEFAULTS.blackBelowContrast(), Importance.LOW,
                    "Luma standard deviation under which a dark frame counts as `black`.")
            .define(DETECT_FROZEN_DIFF_MIN, Type.DOUBLE, DetectorThresholds.DEFAULTS.frozenBelowDiff(), Importance.LOW,
                    "`frozen` when the mean absolute luma difference to the stream's previous frame (64x36 thumbnails) is below this.")
            .define(DETECT_BLOCKY_MAX, Type.DOUBLE, DetectorThresholds.DEFAULTS.blockyAbove(), Importance.LOW,
                    "`blocky` when the 8x8 grid discontinuity ratio is above this (about 1 for clean pictures).")
            .define(BASELINE_ENABLED, Type.BOOLEAN, BaselineSettings.DEFAULTS.enabled(), Importance.MEDIUM,
                    "Judge each frame against its stream's own learnt normal (per day/night mode): scene-dependent flags (blur, noise, dark, overexposed, blocky, ...) stand only where the reading strays from that normal, `frozen` needs baseline.frozen.min.ms unchanged, and `moved` is reported. false: the fixed detector thresholds alone.")
            .define(BASELINE_SAMPLE_INTERVAL_MS, Type.LONG, BaselineSettings.DEFAULTS.sampleIntervalMs(), Range.atLeast(0), Importance.LOW,
                    "Capture-time spacing of the clean frames a stream learns its normal from.")
            .define(BASELINE_WINDOW_SAMPLES, Type.INT, BaselineSettings.DEFAULTS.capacity(), Range.between(4, 10_000), Importance.LOW,
                    "Samples kept per reading and mode (the window of the median and MAD).")
            .define(BASELINE_WARMUP_SAMPLES, Type.INT, BaselineSettings.DEFAULTS.warmupSamples(), Range.atLeast(1), Importance.LOW,
                    "Samples a mode needs before scene-dependent flags may fire; until then only `black` and `frozen` fire.")
            .define(BASELINE_WARMUP_INTERVAL_MS, Type.LONG, BaselineSettings.DEFAULT_WARMUP_INTERVAL_MS, Range.atLeast(0), Importance.LOW,
                    "Capture-time spacing of the samples while a mode warms up (at most baseline.sample.interval.ms): with the defaults a camera is judged against its own normal 1.6 s after it comes on, so a camera covered or turned in its first seconds alerts too.")
            .define(BASELINE_DEVIATION_MADS, Type.DOUBLE, BaselineSettings.DEFAULTS.deviationMads(), Range.atLeast(0.1), Importance.LOW,
                    "How many scaled MADs (about standard deviations) a reading must stray from the stream's median, in the bad direction, for its flag to stand.")
            .define(BASELINE_NORMAL_FLAG_SHARE, Type.DOUBLE, BaselineSettings.DEFAULTS.normalFlagShare(), Range.between(0.01, 1.0), Importance.LOW,
                    "A flag without a reading behind it that the stream shows in at least this share of its clean samples is its normal and is suppressed.")
            .define(BASELINE_FROZEN_MIN_MS, Type.LONG, BaselineSettings.DEFAULTS.frozenMinMs(), Range.atLeast(0), Importance.LOW,
                    "Capture time a picture must stay unchanged before `frozen` (recorders repeat single frames to fill a frame rate).")
            .define(BASELINE_MOVED_MIN_FRAMES, Type.INT, BaselineSettings.DEFAULTS.movedMinFrames(), Range.atLeast(1), Importance.LOW,
                    "Consecutive frames whose view no longer matches the stream's reference before `moved`.")
            .define(BASELINE_MOVED_BELOW_MATCH, Type.DOUBLE, BaselineSettings.DEFAULTS.movedBelowMatch(), Range.between(-0.99, 0.99), Importance.LOW,
                    "A scene match (the share of the reference view's textured cells, 4x3 over the frame, whose gradients the frame still shows, at small shifts and allowing a PTZ zoom) at or above this never counts as moved.")
            .define(BASELINE_RELEARN_AFTER_MS, Type.LONG, BaselineSettings.DEFAULTS.relearnAfterMs(), Range.atLeast(0), Importance.LOW,
                    "A camera that stays `moved` this long is taken as re-aimed on purpose and learns its new view (0 = never).")
            .define(BASELINE_STEERABLE_STREAMS, Type.LIST, "", Importance.LOW,
                    "Streams (ids, or patterns with *) whose view changes on purpose: PTZ tours and presets, an enforcement camera zooming in on plates. Never reported `moved`, their reference follows the view; every other check still applies.")
            .define(METRICS_PORT, Type.INT, 9400, Range.between(-1, 65535), Importance.MEDIUM,
                    "Port of the Prometheus /metrics endpoint; 0 picks a free port, -1 disables it.")
            .define(METRICS_MAX_STREAMS, Type.INT, 500, Range.atLeast(1), Importance.LOW,
                    "Distinct `stream` label values before further streams share the `_other` series.")
            .define(METRICS_BIND_ADDRESS, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Address the operations endpoint (/metrics, /healthz, /readyz) listens on: `0.0.0.0` every interface, `127.0.0.1` this host only (e.g. behind a sidecar proxy), or one interface's address or host name.")
            .define(METRICS_TLS_KEYSTORE, Type.STRING, "", Importance.MEDIUM,
                    "PKCS12 key store (path) with the certificate and private key of the operations endpoint: when set it serves HTTPS only. Empty = plain HTTP.")
            .define(METRICS_TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of `metrics.tls.keystore` (and of its key). Required with it; give it as `${file:…}`/`${env:…}` (see `config.providers`) or FRAMEQ_METRICS_TLS_KEYSTORE_PASSWORD.")
            .define(METRICS_AUTH_USER, Type.STRING, "", Importance.MEDIUM,
                    "With `metrics.auth.password`: every request to the operations endpoint needs HTTP basic authentication as this user (401 otherwise; probes and scrapers must send it). Empty = no authentication.")
            .define(METRICS_AUTH_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Basic-authentication password of `metrics.auth.user`; both or neither. Use it with `metrics.tls.keystore`: over plain HTTP it crosses the network readable.")
            .define(CONFIG_PROVIDERS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Kafka config providers that replace `${provider:[path:]key}` in any value, so secrets stay in files or the environment: `file` (`${file:/run/secrets/kafka.properties:sasl.jaas.config}`), `env` (`${env:KAFKA_PASSWORD}`), `dir` (`${dir:/run/secrets:truststore-password}`, one file per secret) need no class; another name takes `config.providers.<name>.class` and its `.param.*` keys.")
            .define(FR_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Full-reference monitoring: join rendition frames with their origin frames and score each pair with `fr.model` plus PSNR, SSIM and MS-SSIM (events with `type: fr` on the scores topic). Off by default.")
            .define(FR_ORIGIN_TOPICS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Topics of origin (reference) frames, keyed by origin stream id. Required when fr.enabled; must not be no-reference inputs.")
            .define(FR_RENDITION_TOPICS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Topics of rendition frames, keyed by rendition id; each names its origin by the `frameq-origin` header or as `<origin><fr.origin.separator><label>`. Required when fr.enabled.")
            .define(FR_RENDITION_REPARTITION_TOPIC, Type.STRING, "frameq.fr.renditions-by-origin", new ConfigDef.NonEmptyString(),
                    Importance.LOW, "Topic renditions are re-keyed through by origin id, so they meet their origin in one task; create it with the partition count of the origin topics.")
            .define(FR_ORIGIN_SEPARATOR, Type.STRING, "@", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Without a `frameq-origin` header, a rendition id is `<origin><separator><label>` split at the last separator (`movie@720p` → `movie`).")
            .define(FR_JOIN_ON, Type.STRING, "seq", ValidString.in("seq", "pts"), Importance.MEDIUM,
                    "Which frame number pairs a rendition frame with its origin frame: `frameq-seq` or the presentation time (`frameq-pts` plus the time inside a video segment).")
            .define(FR_JOIN_WINDOW_MS, Type.LONG, 2000L, Range.between(0L, 3_600_000L), Importance.MEDIUM,
                    "Largest record-timestamp difference of a pair (ms).")
            .define(FR_JOIN_GRACE_MS, Type.LONG, 5000L, Range.between(0L, 3_600_000L), Importance.MEDIUM,
                    "How much longer than the window a frame waits for an out-of-order partner (ms of stream time); then it is reported unmatched (`fr.matched: false`, frameq_fr_unmatched_total).")
            .define(FR_JOIN_MAX_BUFFERED_BYTES, Type.LONG, 64L * 1024 * 1024, Range.between(1024L, 1L << 40), Importance.LOW,
                    "Bound of the encoded frame bytes each join side buffers per task; when full, the oldest frames are evicted and reported unmatched (`buffer_full`).")
            .define(FR_MODEL, Type.STRING, "vtamiq-lite", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Full-reference (fr-iqa) model name in the model repository.");

    static {
        RouteRestoreConfig.define(DEF); // verdict.*, route.*, restore.*
        ModelSamplingConfig.define(DEF); // model.sample.*
    }

    /** The config providers FrameQ knows by name: {@code config.providers=file,env} needs no {@code .class} keys. */
    static final Map<String, String> BUILT_IN_PROVIDERS = Map.of(
            "file", FileConfigProvider.class.getName(),
            "env", EnvVarConfigProvider.class.getName(),
            "dir", DirectoryConfigProvider.class.getName());

    private FrameqConfig(Map<String, ?> props) {
        // AbstractConfig resolves ${provider:...} in every value when the originals name config.providers.
        super(DEF, props, false);
        validateCrossFields();
    }

    /** Defaults, then the file (if any), then FRAMEQ_* variables of {@code env}. */
    public static FrameqConfig load(Path file, Map<String, String> env) {
        Map<String, String> props = new HashMap<>();
        if (file != null) {
            props.putAll(readFile(file));
        }
        props.putAll(fromEnv(env));
        return of(props);
    }

    public static FrameqConfig of(Map<String, String> props) {
        List<String> unknown = new ArrayList<>();
        for (String key : props.keySet()) {
            if (!DEF.names().contains(key) && !key.startsWith(KAFKA_PREFIX) && !key.startsWith(CONFIG_PROVIDERS + ".")) {
                unknown.add(key + suggestion(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown configuration keys: " + unknown
                    + " (known keys: `frameq config`; Kafka client settings go under '" + KAFKA_PREFIX + "')");
        }
        return new FrameqConfig(withProviderClasses(props));
    }

    /** Adds the class of each built-in provider named in config.providers that has none. */
    private static Map<String, String> withProviderClasses(Map<String, String> props) {
        String names = props.get(CONFIG_PROVIDERS);
        if (names == null || names.isBlank()) {
            return props;
        }
        Map<String, String> m = new HashMap<>(props);
        for (String name : names.split(",")) {
            String n = name.trim();
            String classKey = CONFIG_PROVIDERS + "." + n + ".class";
            if (!n.isEmpty() && !m.containsKey(classKey)) {
                String cls = BUILT_IN_PROVIDERS.get(n);
                if (cls == null) {
                    throw new ConfigException(CONFIG_PROVIDERS, names, "provider '" + n + "' needs '" + classKey
                            + "' (built in without it: " + new TreeMap<>(BUILT_IN_PROVIDERS).keySet() + ")");
                }
                m.put(classKey, cls);
            }
        }
        return m;
    }

    /**
     * Whether a {@code kafka.*} setting (prefix removed, client prefixes such as {@code producer.} allowed) holds a
     * secret: a password-type key of a Kafka client or a name that says so. Such values are never printed.
     */
    public static boolean isSecretKafkaKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")) {
            return true;
        }
        for (ConfigDef def : List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef())) {
            for (ConfigDef.ConfigKey c : def.configKeys().values()) {
                if (c.type == Type.PASSWORD && k.endsWith(c.name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : DEF.names()) {
            int d = editDistance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot be read: " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.trim(), p.getProperty(k).trim()));
        return m;
    }

    /** {@code FRAMEQ_SCORES_TOPIC} → {@code scores.topic}; {@code FRAMEQ_KAFKA_SASL_MECHANISM} → {@code kafka.sasl.mechanism}. */
    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> m = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                m.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return m;
    }

    private void validateCrossFields() {
        boolean topics = !getList(INPUT_TOPICS).isEmpty();
        boolean pattern = !getString(INPUT_PATTERN).isBlank();
        if (topics == pattern) {
            throw new ConfigException("exactly one of '" + INPUT_TOPICS + "' and '" + INPUT_PATTERN + "' must be set, got "
                    + (topics ? "both" : "neither"));
        }
        if (pattern) {
            try {
                Pattern.compile(getString(INPUT_PATTERN));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(INPUT_PATTERN, getString(INPUT_PATTERN), "not a valid regex: " + e.getDescription());
            }
        }
        try {
            detectorThresholds();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("detect.*: " + e.getMessage());
        }
        String alerts = getString(ALERTS_TOPIC);
        if (alerts.equals(getString(SCORES_TOPIC)) || alerts.equals(getString(DLQ_TOPIC))) {
            throw new ConfigException(ALERTS_TOPIC, alerts, "must differ from '" + SCORES_TOPIC + "' and '" + DLQ_TOPIC + "'");
        }
        try {
            alertPolicy();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("alerts.*: " + e.getMessage());
        }
        long retireAfter = getLong(STREAMS_RETIRE_AFTER_MS);
        if (retireAfter > 0 && retireAfter <= getLong(ALERTS_SILENT_AFTER_MS)) {
            throw new ConfigException(STREAMS_RETIRE_AFTER_MS, retireAfter, "expected 0 (never) or more than "
                    + ALERTS_SILENT_AFTER_MS + " (" + getLong(ALERTS_SILENT_AFTER_MS) + "): a stream is reported silent before it is retired");
        }
        validateFullReference();
        validateOpsEndpoint();
        validateReferences();
        RouteRestoreConfig.validate(this);
        ModelSamplingConfig.validate(this);
        if (getInt(DECODE_JPEG_REDUCED_MIN_WIDTH) > 0 && getBoolean(RouteRestoreConfig.RESTORE_ENABLED)) {
            throw new ConfigException(DECODE_JPEG_REDUCED_MIN_WIDTH, getInt(DECODE_JPEG_REDUCED_MIN_WIDTH),
                    "expected 0 with restore.enabled=true (a restorer needs the full picture of every frame it takes)");
        }
        String provider = getString(ONNX_PROVIDER);
        if (!provider.matches("cpu|cuda(:\\d+)?|tensorrt(:\\d+)?")) {
            throw new ConfigException(ONNX_PROVIDER, provider, "expected cpu, cuda[:N] or tensorrt[:N]");
        }
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+):[^}]*}");

    /**
     * A {@code ${provider:...}} left in a value after resolution names a provider that config.providers lacks:
     * Kafka would use the text itself as the password. The message names key and provider, never the value.
     */
    private void validateReferences() {
        List<String> providers = getList(CONFIG_PROVIDERS);
        List<String> problems = new ArrayList<>();
        new TreeMap<>(originals()).forEach((k, v) -> {
            if (v instanceof String s) {
                java.util.regex.Matcher m = REFERENCE.matcher(s);
                while (m.find()) {
                    if (!providers.contains(m.group(1))) {
                        problems.add(k + " refers to provider '" + m.group(1) + "'");
                    }
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(CONFIG_PROVIDERS + ": expected every provider a value refers to, actual " + providers
                    + " (" + String.join("; ", problems) + "); e.g. " + CONFIG_PROVIDERS + "=file,env");
        }
    }

    /** The operations endpoint's bind address, TLS key store and basic authentication, all problems at once. */
    private void validateOpsEndpoint() {
        List<String> problems = new ArrayList<>();
        String bind = getString(METRICS_BIND_ADDRESS);
        try {
            java.net.InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            problems.add(METRICS_BIND_ADDRESS + ": expected an IP address or a host name of this machine, actual '" + bind + "' (unknown host)");
        }
        String keystore = getString(METRICS_TLS_KEYSTORE);
        boolean keystorePassword = getPassword(METRICS_TLS_KEYSTORE_PASSWORD) != null;
        if (!keystore.isBlank() && !Files.isReadable(Path.of(keystore))) {
            problems.add(METRICS_TLS_KEYSTORE + ": expected a readable PKCS12 file, actual '" + keystore + "' (missing or unreadable)");
        }
        if (!keystore.isBlank() && !keystorePassword) {
            problems.add(METRICS_TLS_KEYSTORE_PASSWORD + ": required when " + METRICS_TLS_KEYSTORE + " is set");
        }
        if (keystore.isBlank() && keystorePassword) {
            problems.add(METRICS_TLS_KEYSTORE_PASSWORD + ": set, but " + METRICS_TLS_KEYSTORE + " is empty");
        }
        boolean user = !getString(METRICS_AUTH_USER).isBlank();
        org.apache.kafka.common.config.types.Password password = getPassword(METRICS_AUTH_PASSWORD);
        boolean hasPassword = password != null && !password.value().isEmpty();
        if (user != hasPassword) {
            problems.add(METRICS_AUTH_USER + " and " + METRICS_AUTH_PASSWORD + ": expected both or neither, actual only "
                    + (user ? METRICS_AUTH_USER : METRICS_AUTH_PASSWORD));
        }
        if (getString(METRICS_AUTH_USER).contains(":")) {
            problems.add(METRICS_AUTH_USER + ": expected a user name without ':' (HTTP basic authentication splits at it)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("metrics endpoint: " + String.join("; ", problems));
        }
    }

    private void validateFullReference() {
        if (!getBoolean(FR_ENABLED)) {
            return;
        }
        List<String> origins = getList(FR_ORIGIN_TOPICS);
        List<String> renditions = getList(FR_RENDITION_TOPICS);
        if (origins.isEmpty()) {
            throw new ConfigException(FR_ORIGIN_TOPICS, origins, "required when " + FR_ENABLED + "=true: expected at least one topic");
        }
        if (renditions.isEmpty()) {
            throw new ConfigException(FR_RENDITION_TOPICS, renditions, "required when " + FR_ENABLED + "=true: expected at least one topic");
        }
        List<String> all = new ArrayList<>(origins);
        all.addAll(renditions);
        all.add(getString(FR_RENDITION_REPARTITION_TOPIC));
        if (all.stream().distinct().count() != all.size()) {
            throw new ConfigException("fr.*: origin, rendition and repartition topics must all differ, got " + all);
        }
        Pattern pattern = inputPattern();
        for (String t : all) {
            if (getList(INPUT_TOPICS).contains(t) || (pattern != null && pattern.matcher(t).matches())) {
                throw new ConfigException("fr.*: topic '" + t + "' is also a no-reference input (input.topics / input.pattern); a topic has one reader");
            }
            if (t.equals(getString(SCORES_TOPIC)) || t.equals(getString(DLQ_TOPIC)) || t.equals(getString(ALERTS_TOPIC))) {
                throw new ConfigException("fr.*: topic '" + t + "' must differ from the scores, DLQ and alerts topics");
            }
        }
    }

    /** The full-reference join settings. */
    public JoinPolicy joinPolicy() {
        return new JoinPolicy(getLong(FR_JOIN_WINDOW_MS), getLong(FR_JOIN_GRACE_MS), JoinPolicy.MatchOn.parse(getString(FR_JOIN_ON)),
                getLong(FR_JOIN_MAX_BUFFERED_BYTES));
    }

    /** The detector thresholds; the record itself validates them (plain messages naming the field). */
    public DetectorThresholds detectorThresholds() {
        return new DetectorThresholds(getDouble(DETECT_BLUR_SHARPNESS_MIN), getDouble(DETECT_NOISE_SIGMA_MAX),
                getDouble(DETECT_DARK_LUMA_MIN), getDouble(DETECT_OVEREXPOSED_CLIPPED_MAX), getDouble(DETECT_BLACK_LUMA_MIN),
                getDouble(DETECT_BLACK_CONTRAST_MIN), getDouble(DETECT_FROZEN_DIFF_MIN), getDouble(DETECT_BLOCKY_MAX));
    }

    /** How streams learn their normal; the record itself validates the combination (warm-up within the window). */
    public BaselineSettings baselineSettings() {
        return new BaselineSettings(getBoolean(BASELINE_ENABLED), getLong(BASELINE_SAMPLE_INTERVAL_MS), getInt(BASELINE_WINDOW_SAMPLES),
                getInt(BASELINE_WARMUP_SAMPLES), getDouble(BASELINE_DEVIATION_MADS), getDouble(BASELINE_NORMAL_FLAG_SHARE),
                getLong(BASELINE_FROZEN_MIN_MS), getInt(BASELINE_MOVED_MIN_FRAMES), getDouble(BASELINE_MOVED_BELOW_MATCH),
                getLong(BASELINE_RELEARN_AFTER_MS), getList(BASELINE_STEERABLE_STREAMS),
                // never slower than the samples after it: a sample interval set under the warm-up default wins
                Math.min(getLong(BASELINE_WARMUP_INTERVAL_MS), getLong(BASELINE_SAMPLE_INTERVAL_MS)));
    }

    /** The alert settings; the record itself validates them (e.g. resolve ratio below open ratio). */
    public AlertPolicy alertPolicy() {
        return new AlertPolicy(getLong(ALERTS_WINDOW_MS), getDouble(ALERTS_OPEN_RATIO), getInt(ALERTS_OPEN_WINDOWS),
                getDouble(ALERTS_RESOLVE_RATIO), getInt(ALERTS_RESOLVE_WINDOWS), getLong(ALERTS_SILENT_AFTER_MS),
                getLong(ALERTS_TAMPER_OPEN_MS), getLong(ALERTS_TAMPER_RESOLVE_MS), getLong(ALERTS_TAMPER_COVERED_OPEN_MS));
    }

    public List<String> inputTopics() {
        return getList(INPUT_TOPICS);
    }

    public Pattern inputPattern() {
        String p = getString(INPUT_PATTERN);
        return p.isBlank() ? null : Pattern.compile(p);
    }

    /** The {@code kafka.*} pass-through settings with the prefix removed. */
    public Map<String, Object> kafkaOverrides() {
        return new TreeMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
    }

    /** One markdown table of every key: name, type, default, valid values, meaning. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | type | default | valid values | meaning |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : DEF.configKeys().values()) {
            String def = k.hasDefault() && k.defaultValue != null ? String.valueOf(k.defaultValue) : "";
            if (k.name.equals(STATE_DIR)) {
                def = "${java.io.tmpdir}/frameq-state";
            }
            if (def.startsWith("[") && def.endsWith("]")) {
                def = def.substring(1, def.length() - 1);
            }
            String valid = k.validator == null ? "" : k.validator.toString();
            sb.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(def.isEmpty() ? "" : "`" + def + "`").append(" | ").append(valid.replace("|", "\\|"))
                    .append(" | ").append(k.documentation.replace("|", "\\|")).append(" |\n");
        }
        sb.append("| `config.providers.*` | | | `<name>.class`, `<name>.param.<param>` | A config provider other than file, env and dir: its class and parameters (Kafka's `config.providers.*`). |\n");
        sb.append("| `kafka.*` | | | any Kafka Streams / client setting | Passed through without the prefix, e.g. `kafka.security.protocol=SASL_SSL`. |\n");
        return sb.toString();
    }
}

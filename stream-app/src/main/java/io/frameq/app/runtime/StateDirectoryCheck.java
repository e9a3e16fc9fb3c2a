package io.frameq.app.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fails the start, in one line naming the folder, when {@code state.dir} cannot hold FrameQ's per-stream state
 * (baselines, verdicts, alert windows, the FR join buffers). Without it Kafka Streams fails later, inside a stream
 * thread, with a RocksDB message that does not name the setting.
 */
final class StateDirectoryCheck {

    private StateDirectoryCheck() {
    }

    static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".frameq-write-probe", ".tmp");
            try {
                Files.write(probe, new byte[4096]); // a full disk refuses a block, not always an empty file
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("state.dir " + dir.toAbsolutePath() + " is not usable for FrameQ's per-stream state ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); point state.dir at a writable folder with free space");
        }
    }
}

package io.frameq.fuzz;

import io.frameq.frame.FrameDecoders;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replays campaign inputs by their random seeds (arguments), each decoded as in the campaign and
 * its outcome printed; {@code --write DIR} also writes each input's payload there for inspection.
 */
public final class FuzzReplay {

    private FuzzReplay() {}

    public static void main(String[] args) throws Exception {
        HostileInputs inputs = HostileInputs.load();
        Path out = null;
        try (FrameDecoders decoders = new FrameDecoders(HostileInputs.LIMITS)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--write")) {
                    out = Files.createDirectories(Path.of(args[++i]));
                    continue;
                }
                HostileInputs.HostileRecord rec = inputs.draw(Long.parseLong(args[i]));
                if (out != null) {
                    Files.write(out.resolve(rec.random() + ".bin"), rec.payload());
                }
                System.out.println(rec + " headers " + rec.headers() + " ... ");
                System.out.flush();
                System.out.println("  -> " + inputs.decode(decoders, rec));
            }
        }
    }
}

package io.frameq.app.analyze;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.frameq.app.FrameqCli;

/** Runs the CLI in-process, as the jar's main does, capturing stdout and stderr. */
public record CliRun(int code, String out, String err) {

    /** The tiny untrained test model (operators' test repository): fast, and its scores decide no verdict. */
    public static final String[] TINY_MODEL = {"--repository", "../operators/src/test/resources/onnx", "--model", "tiny-nr"};

    public static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = FrameqCli.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}

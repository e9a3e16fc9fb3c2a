package io.frameq.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.frameq.frame.FrameDecodeException;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelNotFoundException;
import io.frameq.onnx.InferenceException;

import org.junit.jupiter.api.Test;

class FrameqExceptionTest {

    @Test
    void everyFrameqErrorIsCaughtByTheRoot() {
        List<RuntimeException> errors = List.of(
                new FrameDecodeException(FrameDecodeException.Reason.CORRUPT, "jpeg payload of 3 bytes: truncated"),
                new ModelLoadException("nr-tiny", "input.shape", "[1,3,224,224]", "[1,3]"),
                new ModelNotFoundException("nr-missing", "no root provides it"),
                new InferenceException("run failed"));
        for (RuntimeException error : errors) {
            assertThat(caughtByRoot(error)).as(error.getClass().getName()).isTrue();
        }
    }

    @Test
    void otherFailuresAreNotFrameqErrors() {
        assertThat(caughtByRoot(new IllegalStateException("not ours"))).isFalse();
    }

    @Test
    void decodeErrorsKeepTheirReasonAndMessage() {
        Throwable cause = new java.io.IOException("EOF");
        FrameDecodeException e = new FrameDecodeException(FrameDecodeException.Reason.OVER_LIMIT, "too large", cause);
        assertThat(e.reasonCode()).isEqualTo("over_limit");
        assertThat(e).hasMessage("too large").hasCause(cause);
    }

    private static boolean caughtByRoot(RuntimeException error) {
        try {
            throw error;
        } catch (FrameqException e) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

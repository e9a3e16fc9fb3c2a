package io.frameq.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.onnx.ExecutionConfig.Provider;
import org.junit.jupiter.api.Test;

class ModelParallelismTest {

    @Test
    void automaticBatchingIsOffOnTheCpuAndOnWithAGpu() {
        assertThat(FrameqRuntime.batchMaxUnits(0, Provider.CPU)).isEqualTo(1);
        assertThat(FrameqRuntime.batches(FrameqRuntime.batchMaxUnits(0, Provider.CPU), 4)).isFalse();
        assertThat(FrameqRuntime.batchMaxUnits(0, Provider.CUDA)).isEqualTo(20);
        assertThat(FrameqRuntime.batchMaxUnits(0, Provider.TENSORRT)).isEqualTo(20);
        assertThat(FrameqRuntime.batches(FrameqRuntime.batchMaxUnits(0, Provider.CUDA), 4)).isTrue();
        assertThat(FrameqRuntime.batchMaxUnits(10, Provider.CPU)).isEqualTo(10);
    }

    @Test
    void automaticThreadsShareTheCoresAmongStreamThreadsThatEachRunTheModel() {
        int callers = FrameqRuntime.modelCallers(1, 4); // batching off: each of 4 stream threads runs the model
        assertThat(callers).isEqualTo(4);
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CPU, callers, 8)).isEqualTo(2);
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CPU, callers, 2)).isEqualTo(1);
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CPU, 3, 8)).isEqualTo(2);
    }

    @Test
    void aSingleCallerAGpuOrAConfiguredNumberKeepWhatTheyHad() {
        int batcher = FrameqRuntime.modelCallers(20, 4); // batching on: one dispatcher thread
        assertThat(batcher).isEqualTo(1);
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CPU, batcher, 8)).isZero();
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CPU, FrameqRuntime.modelCallers(20, 1), 8)).isZero();
        assertThat(FrameqRuntime.intraOpThreads(0, Provider.CUDA, 4, 8)).isZero();
        assertThat(FrameqRuntime.intraOpThreads(3, Provider.CPU, 4, 8)).isEqualTo(3);
    }
}

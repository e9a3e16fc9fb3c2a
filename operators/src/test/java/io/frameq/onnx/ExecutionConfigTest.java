package io.frameq.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.onnx.ExecutionConfig.Provider;
import org.junit.jupiter.api.Test;

class ExecutionConfigTest {

    @Test
    void shouldParseProviderSpecs() {
        assertThat(ExecutionConfig.parse("cpu")).isEqualTo(new ExecutionConfig(Provider.CPU, 0, 0, 0));
        assertThat(ExecutionConfig.parse("cuda")).isEqualTo(new ExecutionConfig(Provider.CUDA, 0, 0, 0));
        assertThat(ExecutionConfig.parse("cuda:0")).isEqualTo(new ExecutionConfig(Provider.CUDA, 0, 0, 0));
        assertThat(ExecutionConfig.parse(" CUDA:3 ")).isEqualTo(new ExecutionConfig(Provider.CUDA, 3, 0, 0));
        assertThat(ExecutionConfig.parse("tensorrt:1")).isEqualTo(new ExecutionConfig(Provider.TENSORRT, 1, 0, 0));
    }

    @Test
    void shouldPrintTheFormParseAccepts() {
        assertThat(ExecutionConfig.parse("cuda:2").providerLabel()).isEqualTo("cuda:2");
        assertThat(ExecutionConfig.cpu().providerLabel()).isEqualTo("cpu");
        assertThat(ExecutionConfig.cpu().withThreads(2, 1)).hasToString("cpu (intra-op threads 2, inter-op threads 1)");
    }

    @Test
    void shouldKeepOnnxRuntimesSpinningDefaultUnlessTurnedOff() {
        assertThat(ExecutionConfig.cpu().spinWait()).isTrue();
        ExecutionConfig blocking = ExecutionConfig.parse("cuda:1").withThreads(2, 1).withSpinWait(false);
        assertThat(blocking).isEqualTo(new ExecutionConfig(Provider.CUDA, 1, 2, 1, false));
        assertThat(blocking.withThreads(3, 1).spinWait()).isFalse();
        assertThat(ExecutionConfig.cpu().withThreads(2, 1).withSpinWait(false))
                .hasToString("cpu (intra-op threads 2, inter-op threads 1, no spin-wait)");
    }

    @Test
    void shouldRejectBadSpecsNamingTheValidForms() {
        assertThatThrownBy(() -> ExecutionConfig.parse("rocm"))
                .hasMessage("execution provider: expected one of cpu, cuda, cuda:<id>, tensorrt, tensorrt:<id>, actual \"rocm\"");
        assertThatThrownBy(() -> ExecutionConfig.parse("cuda:x")).hasMessageContaining("device id >= 0, actual \"cuda:x\"");
        assertThatThrownBy(() -> ExecutionConfig.parse("cpu:1")).hasMessageContaining("cpu takes no device id");
        assertThatThrownBy(() -> ExecutionConfig.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecutionConfig.cpu().withThreads(-1, 0)).hasMessageContaining("intraOpThreads=-1");
    }
}

package io.frameq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.model.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchCommandTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void cameraKeysSpreadEvenlyOverThePartitions(int partitions) {
        List<String> keys = BenchCommand.balancedKeys(8, partitions);
        assertThat(keys).hasSize(8).doesNotHaveDuplicates();
        assertThat(perPartition(keys, partitions)).containsOnly(8 / partitions);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 16})
    void cameraKeysSpreadWithinOneOfEvenWhenThePartitionsDoNotDivideThem(int partitions) {
        List<String> keys = BenchCommand.balancedKeys(8, partitions);
        assertThat(keys).hasSize(8).doesNotHaveDuplicates();
        assertThat(Arrays.stream(perPartition(keys, partitions)).boxed().toList())
                .allSatisfy(n -> assertThat(n).isBetween(8 / partitions, (8 + partitions - 1) / partitions));
    }

    private static int[] perPartition(List<String> keys, int partitions) {
        int[] counts = new int[partitions];
        for (String k : keys) {
            counts[Utils.toPositive(Utils.murmur2(k.getBytes(StandardCharsets.UTF_8))) % partitions]++;
        }
        return counts;
    }

    @Test
    void aRepeatedTensorStacksCopiesAlongTheBatchAxis() {
        FloatTensor one = new FloatTensor(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 1, 3});

        FloatTensor three = BenchCommand.repeated(one, 3);

        assertThat(three.shape()).containsExactly(6, 1, 3);
        assertThat(three.data()).containsExactly(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
    }
}

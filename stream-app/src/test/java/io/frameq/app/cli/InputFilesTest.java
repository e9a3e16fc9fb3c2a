package io.frameq.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path dir;

    @Test
    void argumentsKeepTheirOrderAndDirectoriesExpandSortedInPlace() throws Exception {
        Path z = touch("z.jpg");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path f2 = touch("folder/2.png");
        Path f1 = touch("folder/sub/1.JPEG");
        touch("folder/notes.md");
        touch("folder/.hidden/x.jpg");
        Path a = touch("a.jpg");

        List<Path> files = InputFiles.expand(List.of(z, folder, a), List.of(), NO_STDIN);

        assertThat(files).containsExactly(z, f2, f1, a);
    }

    @Test
    void aNamedFileIsKeptEvenWhenItIsNoImageOrDoesNotExist() {
        Path missing = dir.resolve("missing.txt");
        assertThat(InputFiles.expand(List.of(missing), List.of(), NO_STDIN)).containsExactly(missing);
    }

    @Test
    void standardInputListsOnePathPerLineSkippingBlanksAndComments() throws Exception {
        Path a = touch("a.jpg");
        Path b = touch("b b.png");
        InputStream stdin = new ByteArrayInputStream(("# header\n" + b + "\n\n  " + a + "  \n").getBytes(StandardCharsets.UTF_8));

        assertThat(InputFiles.expand(List.of(), List.of("-"), stdin)).containsExactly(b, a);
    }

    @Test
    void thousandsOfListedFilesNeedNoCommandLine() throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            list.append(dir.resolve("frame-" + i + ".jpg")).append('\n');
        }
        Path listFile = Files.writeString(dir.resolve("list.txt"), list);

        List<Path> files = InputFiles.expand(List.of(), List.of(listFile.toString()), NO_STDIN);

        assertThat(files).hasSize(5000);
        assertThat(files.get(4999)).isEqualTo(dir.resolve("frame-4999.jpg"));
    }

    @Test
    void nothingNamedOrAnUnreadableListIsAPlainError() {
        assertThatThrownBy(() -> InputFiles.expand(List.of(), List.of(), NO_STDIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no input");
        assertThatThrownBy(() -> InputFiles.expand(List.of(), List.of(dir.resolve("nope.txt").toString()), NO_STDIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--files-from").hasMessageContaining("nope.txt");
    }

    private Path touch(String relative) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[] {1});
    }
}

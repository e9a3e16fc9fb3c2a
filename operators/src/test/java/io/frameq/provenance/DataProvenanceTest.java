package io.frameq.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every committed media or data file (pictures, clips, arrays) has a licence line: the LICENSE / LICENCE /
 * LICENSES file of its folder names it, or names a glob such as {@code *.npy} that covers it. The files come from
 * package registries (Debian, PyPI, npm, Maven) or are made by the project (issue 19 item 6); the line says which.
 */
class DataProvenanceTest {

    private static final Pattern DATA = Pattern.compile(
            ".*\\.(mp4|avi|mkv|ts|jpg|jpeg|png|bmp|gif|tif|tiff|webp|y4m|npy|npz|mat)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LICENCE = Pattern.compile("(?i)licen[cs]es?(\\.(txt|md))?|licen[cs]e\\..+");

    @Test
    void everyCommittedDataFileHasALicenceLineInItsFolder() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> missing = new ArrayList<>();
        List<Path> files = dataFiles(root);
        assertThat(files).as("data files found under " + root).isNotEmpty();
        for (Path f : files) {
            if (!covered(f)) {
                missing.add(root.relativize(f).toString());
            }
        }
        assertThat(missing).as("data files without a licence line in their folder's LICENSE/LICENSES file").isEmpty();
    }

    @Test
    void aGlobOrTheNameCoversAFile() {
        assertThat(mentions("x.npy: made by us", "y.npy")).isFalse();
        assertThat(mentions("*.npy: made by us", "y.npy")).isTrue();
        assertThat(mentions("| clip.mp4 | opencv-doc |", "clip.mp4")).isTrue();
        assertThat(mentions("pil-*.png: Pillow resizes", "pil-12x9.png")).isTrue();
    }

    /** Files tracked by git when git is at hand, else every file outside build, VCS and virtualenv folders. */
    private static List<Path> dataFiles(Path root) throws IOException, InterruptedException {
        List<Path> out = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile()).redirectErrorStream(false).start();
            byte[] listing = p.getInputStream().readAllBytes();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && listing.length > 0) {
                for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
                    if (DATA.matcher(name).matches() && Files.isRegularFile(root.resolve(name))) {
                        out.add(root.resolve(name));
                    }
                }
                return out;
            }
        } catch (IOException e) {
            // no git: walk the tree instead
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> DATA.matcher(f.getFileName().toString()).matches())
                    .filter(f -> {
                        for (Path part : root.relativize(f)) {
                            String s = part.toString();
                            if (s.startsWith(".") || s.equals("target") || s.equals("node_modules")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .forEach(out::add);
        }
        return out;
    }

    private static boolean covered(Path file) throws IOException {
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path s : siblings.filter(s -> LICENCE.matcher(s.getFileName().toString()).matches()).toList()) {
                if (mentions(Files.readString(s, StandardCharsets.UTF_8), file.getFileName().toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The text names the file, or holds a word with {@code *} (e.g. {@code *.npy}, {@code pil-*.png}) matching it. */
    static boolean mentions(String text, String name) {
        if (text.contains(name)) {
            return true;
        }
        for (String word : text.split("[\\s,|:;()`]+")) {
            if (word.contains("*")) {
                StringBuilder regex = new StringBuilder();
                String[] parts = word.split("\\*", -1);
                for (int i = 0; i < parts.length; i++) {
                    regex.append(i > 0 ? "[^/]*" : "").append(Pattern.quote(parts[i]));
                }
                if (Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(name).matches()) {
                    return true;
                }
            }
        }
        return false;
    }
}

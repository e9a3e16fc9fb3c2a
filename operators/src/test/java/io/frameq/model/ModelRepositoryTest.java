package io.frameq.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.testing.TestModels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {

    @TempDir
    Path tmp;

    @Test
    void shouldResolveAModelFromADirectory() {
        Path root = tmp.resolve("repo");
        TestModels.copyModel(TestModels.TINY_NR, root);

        ModelRepository repo = ModelRepository.of(List.of(root), false);
        ModelDescriptor d = repo.resolve("tiny-nr");

        assertThat(repo.list()).containsExactly(d);
        assertThat(repo.roots()).containsExactly(root.toAbsolutePath().normalize().toString());
        assertThat(d.onnxFile()).contains(root.resolve("tiny-nr/1/model.onnx").toAbsolutePath());
        assertThat(ModelDescriptor.sha256Hex(repo.onnxBytes(d))).isEqualTo(d.sha256());
        assertThat(repo.resolve("tiny-nr", 1)).isEqualTo(d);
    }

    @Test
    void shouldChangeOnlyTheCropPolicyWhenAskedForAnother() {
        ModelDescriptor five = ModelRepository.of(List.of(TestModels.PROJECT_REPO), false).resolve("maniqa-lite");
        assertThat(five.preprocess().crop().policy()).isEqualTo(ModelDescriptor.CropPolicy.FIVE_POINT);

        ModelDescriptor centre = five.withCropPolicy(ModelDescriptor.CropPolicy.CENTRE);

        assertThat(centre.preprocess().crop().policy()).isEqualTo(ModelDescriptor.CropPolicy.CENTRE);
        assertThat(centre.preprocess().crop().height()).isEqualTo(five.preprocess().crop().height());
        assertThat(centre.preprocess().crop().width()).isEqualTo(five.preprocess().crop().width());
        assertThat(centre.sha256()).isEqualTo(five.sha256());
        assertThat(centre.inputs()).isEqualTo(five.inputs());
        assertThat(centre.fp16Descriptor().isPresent()).isEqualTo(five.fp16Descriptor().isPresent());
        assertThatThrownBy(() -> five.withCropPolicy(ModelDescriptor.CropPolicy.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'maniqa-lite': preprocess.crop.policy cannot change from five-point to none; "
                        + "expected one of five-point, centre, resize, tiles on a crop model");
    }

    @Test
    void shouldListAvailableNamesWhenAModelIsMissing() {
        ModelRepository repo = ModelRepository.of(List.of(TestModels.REPO), false);

        assertThatThrownBy(() -> repo.resolve("maniqa"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageStartingWith("model 'maniqa': not found in [")
                .hasMessageEndingWith("; available: [tiny-codec v1, tiny-nr v1]");
        assertThatThrownBy(() -> repo.resolve("tiny-nr", 3))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageStartingWith("model 'tiny-nr': version 3 not found in [")
                .hasMessageEndingWith("; available versions: [1]");
    }

    @Test
    void shouldLetUserDirectoriesOverrideBundledModelsByName() throws IOException {
        Path bundledDir = tmp.resolve("classes");
        TestModels.copyModel(TestModels.TINY_NR, bundledDir.resolve(ModelRepository.BUNDLED_PREFIX));
        Path user = tmp.resolve("user");
        Path v2 = TestModels.copyModel(TestModels.TINY_NR, user);
        Files.move(v2.resolve("1"), v2.resolve("2"));
        TestModels.editJson(v2.resolve("model.json"), n -> n.put("version", 2));

        try (URLClassLoader cl = new URLClassLoader(new URL[] {bundledDir.toUri().toURL()}, null)) {
            ModelRepository repo = ModelRepository.of(List.of(user), cl);

            assertThat(repo.roots()).containsExactly(user.toAbsolutePath().normalize().toString(), "classpath:frameq/models");
            assertThat(repo.resolve("tiny-nr").version()).isEqualTo(2);
            assertThat(repo.list()).extracting(ModelDescriptor::version).containsExactly(2);
            ModelDescriptor pinned = repo.resolve("tiny-nr", 1);
            assertThat(pinned.source().toString()).startsWith(bundledDir.toUri().toString());
            assertThat(repo.onnxBytes(pinned)).hasSize((int) Files.size(TestModels.TINY_NR.resolve("1/model.onnx")));
        }
    }

    @Test
    void shouldFindBundledModelsInsideAJar() throws IOException {
        Path jar = tmp.resolve("frameq-models.jar");
        writeJar(jar, TestModels.TINY_NR, ModelRepository.BUNDLED_PREFIX + "/tiny-nr/");

        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ModelRepository repo = ModelRepository.bundled(cl);
            ModelDescriptor d = repo.resolve("tiny-nr");

            assertThat(d.source().toString()).isEqualTo("jar:" + jar.toUri().toURL() + "!/frameq/models/tiny-nr/model.json");
            assertThat(d.onnxFile()).isEmpty();
            assertThat(ModelDescriptor.sha256Hex(repo.onnxBytes(d))).isEqualTo(d.sha256());
        }
        Files.delete(jar); // nothing kept the jar open
    }

    @Test
    void shouldKeepOtherModelsUsableWhenOneIsBroken() {
        Path root = tmp.resolve("repo");
        TestModels.copyModel(TestModels.TINY_NR, root);
        Path broken = TestModels.copyModel(TestModels.TINY_NR, tmp.resolve("other"));
        Path renamed = root.resolve("tiny-broken");
        try {
            Files.move(broken, renamed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestModels.editJson(renamed.resolve("model.json"), n -> n.put("name", "tiny-broken").put("family", "nr_iqa"));

        ModelRepository repo = ModelRepository.of(List.of(root), false);

        assertThat(repo.list()).extracting(ModelDescriptor::name).containsExactly("tiny-nr");
        assertThatThrownBy(() -> repo.resolve("tiny-broken"))
                .hasMessage("model 'tiny-broken': field 'family': expected one of [nr-iqa, fr-iqa, restore, codec, fault-head], "
                        + "actual \"nr_iqa\"");
        assertThat(repo.toString()).contains("tiny-broken (broken)");
    }

    @Test
    void shouldRequireTheNameToMatchTheFolder() throws IOException {
        Path root = tmp.resolve("repo");
        Path copy = TestModels.copyModel(TestModels.TINY_NR, root);
        Files.move(copy, root.resolve("renamed"));

        ModelRepository repo = ModelRepository.of(List.of(root), false);

        assertThatThrownBy(() -> repo.resolve("renamed"))
                .hasMessage("model 'renamed': field 'name': expected \"renamed\" (the folder name), actual \"tiny-nr\"");
    }

    @Test
    void shouldRejectAMissingDirectory() {
        assertThatThrownBy(() -> ModelRepository.of(List.of(tmp.resolve("nope")), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope does not exist");
    }

    @Test
    void shouldCheckTheSha256OfTheOnnxFileAtLoad() {
        Path root = tmp.resolve("repo");
        Path copy = TestModels.copyModel(TestModels.TINY_NR, root);
        String fake = "0".repeat(64);
        TestModels.editJson(copy.resolve("model.json"), n -> n.put("sha256", fake));
        ModelRepository repo = ModelRepository.of(List.of(root), false);
        ModelDescriptor d = repo.resolve("tiny-nr"); // parsing does not read the ONNX file

        assertThatThrownBy(() -> repo.onnxBytes(d))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'tiny-nr': field 'sha256': expected " + fake + ", actual "
                        + ModelDescriptor.sha256Hex(readAll(TestModels.TINY_NR.resolve("1/model.onnx"))));
    }

    @Test
    void shouldReportAMissingOnnxFileAtLoad() throws IOException {
        Path root = tmp.resolve("repo");
        Path copy = TestModels.copyModel(TestModels.TINY_NR, root);
        Files.delete(copy.resolve("1/model.onnx"));
        ModelDescriptor d = ModelRepository.of(List.of(root), false).resolve("tiny-nr");

        assertThatThrownBy(d::readOnnx)
                .hasMessageStartingWith("model 'tiny-nr': field 'file': expected a readable ONNX file at "
                        + copy.resolve("1/model.onnx").toAbsolutePath().toUri() + ", actual java.io.FileNotFoundException");
    }

    /**
     * The real bundled repository (the frameq-models artefact on the test classpath): every model
     * in it parses and its ONNX file matches its sha256.
     */
    @Test
    void shouldLoadEveryBundledModel() {
        ModelRepository repo = ModelRepository.bundled();

        assertThat(repo.roots()).containsExactly("classpath:frameq/models");
        assertThat(repo.list()).extracting(ModelDescriptor::name).contains("maniqa-lite", "vtamiq-lite");
        assertThat(repo.resolve("vtamiq-lite").family()).isEqualTo(ModelDescriptor.Family.FR_IQA);
        for (ModelDescriptor d : repo.list()) {
            assertThat(d.source().toString()).contains("frameq/models/" + d.name() + "/model.json");
            assertThat(ModelDescriptor.sha256Hex(repo.onnxBytes(d))).as(d.name()).isEqualTo(d.sha256());
        }
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code dir} into a jar under {@code prefix}, with directory entries as Maven writes them. */
    private static void writeJar(Path jar, Path dir, String prefix) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            String[] parts = prefix.split("/");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                sb.append(parts[i]).append('/');
                j.putNextEntry(new JarEntry(sb.toString()));
                j.closeEntry();
            }
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    j.putNextEntry(new JarEntry(prefix + (rel.isEmpty() ? "" : rel + "/")));
                } else {
                    j.putNextEntry(new JarEntry(prefix + rel));
                    j.write(Files.readAllBytes(p));
                }
                j.closeEntry();
            }
        }
    }
}

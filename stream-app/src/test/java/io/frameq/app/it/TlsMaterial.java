package io.frameq.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys and certificates made for one test JVM by the running JDK's own {@code keytool} (nothing committed):
 * a throw-away CA, a broker certificate for 127.0.0.1/localhost and client certificates, all signed by the
 * CA, in PKCS12 stores with random passwords. Made once per JVM (a dozen keytool runs) and shared.
 */
final class TlsMaterial {

    /** A PKCS12 key store (or trust store) and its password. */
    record Store(Path path, String password) {}

    private static TlsMaterial shared;

    private final Path dir;
    private final Store truststore;
    private final Store broker;
    private final Store clientApp;
    private final Store clientOther;

    /** DN of {@link #clientApp()}: with mutual TLS the broker's principal is {@code User:} + this. */
    static final String APP_DN = "CN=frameq-app,OU=it,O=FrameQ";
    static final String OTHER_DN = "CN=frameq-intruder,OU=it,O=FrameQ";

    private TlsMaterial(Path dir) {
        this.dir = dir;
        String caPass = password();
        Path ca = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=FrameQ test CA", "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-keystore", ca.toString(), "-storepass", caPass, "-storetype", "PKCS12");
        Path caCert = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", caPass, "-file", caCert.toString());
        truststore = new Store(dir.resolve("truststore.p12"), password());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", truststore.path().toString(),
                "-storepass", truststore.password(), "-storetype", "PKCS12");
        // The three chains are independent: made side by side, the keytool JVMs' start-up overlaps.
        var brokerF = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> signed("broker", "CN=localhost,OU=it,O=FrameQ", "SAN=ip:127.0.0.1,dns:localhost", ca, caPass, caCert));
        var appF = java.util.concurrent.CompletableFuture.supplyAsync(() -> signed("frameq-app", APP_DN, null, ca, caPass, caCert));
        var otherF = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> signed("frameq-intruder", OTHER_DN, null, ca, caPass, caCert));
        broker = brokerF.join();
        clientApp = appF.join();
        clientOther = otherF.join();
    }

    static synchronized TlsMaterial shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("frameq-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "frameq-tls-cleanup"));
                shared = new TlsMaterial(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory of test keys is harmless
        }
    }

    Store truststore() {
        return truststore;
    }

    Store broker() {
        return broker;
    }

    Store clientApp() {
        return clientApp;
    }

    Store clientOther() {
        return clientOther;
    }

    Path dir() {
        return dir;
    }

    /** A key pair in its own store, its certificate signed by the CA and stored with the CA's above it. */
    private Store signed(String alias, String dn, String san, Path ca, String caPass, Path caCert) {
        Store s = new Store(dir.resolve(alias + ".p12"), password());
        keytool("-genkeypair", "-alias", alias, "-dname", dn, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-keystore", s.path().toString(), "-storepass", s.password(), "-storetype", "PKCS12");
        Path csr = dir.resolve(alias + ".csr");
        Path crt = dir.resolve(alias + ".pem");
        keytool("-certreq", "-alias", alias, "-keystore", s.path().toString(), "-storepass", s.password(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", caPass,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", s.path().toString(),
                "-storepass", s.password());
        keytool("-importcert", "-alias", alias, "-file", crt.toString(), "-keystore", s.path().toString(), "-storepass", s.password());
        return s;
    }

    /** Passwords are random per JVM, so a test that looks for them in logs looks for strings nothing else contains. */
    static String password() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "pw-" + HexFormat.of().formatHex(b);
    }

    private static void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1"); // a short-lived JVM: the C1 compiler only starts faster
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("keytool " + args[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

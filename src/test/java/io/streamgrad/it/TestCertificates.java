package io.streamgrad.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and the PKCS12 key stores a TLS test needs, made with the
 * JDK's keytool (no OpenSSL, nothing installed): a trust store holding the CA, and for each name a
 * key store with a key pair whose certificate the CA signed for 127.0.0.1 and localhost.
 */
final class TestCertificates {
  static final String PASSWORD = "test-store-password";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA and the trust store in dir. */
  static TestCertificates create(Path dir) throws Exception {
    Files.createDirectories(dir);
    TestCertificates certificates = new TestCertificates(dir);
    certificates.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=streamgrad-test-ca",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        "ca.p12");
    certificates.keytool(
        "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
    certificates.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        "ca.crt",
        "-keystore",
        "truststore.p12");
    return certificates;
  }

  /** A key store for CN=name, signed by the CA; its path. */
  Path keyStore(String name) throws Exception {
    String store = name + ".p12";
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "2",
        "-keystore",
        store);
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-infile",
        name + ".csr",
        "-outfile",
        name + ".crt",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", store);
    keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
    return dir.resolve(store);
  }

  Path trustStore() {
    return dir.resolve("truststore.p12");
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Path out = dir.resolve("keytool.log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "keytool "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(out, StandardCharsets.UTF_8));
    }
  }
}

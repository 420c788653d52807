package ai.dstack.shim.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packages {@link FakeRunner} alone into a runnable jar. */
public final class FakeRunnerJar {
  private FakeRunnerJar() {}

  public static Path build(Path dir) throws IOException {
    Path classes;
    try {
      classes = Path.of(FakeRunner.class.getResource("FakeRunner.class").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeRunner.class.getName());
    Path jar = dir.resolve("fake-runner.jar");
    String packagePath = FakeRunner.class.getPackageName().replace('.', '/');
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> files = Files.list(classes)) {
      for (Path classFile :
          files.filter(p -> p.getFileName().toString().startsWith("FakeRunner")).toList()) {
        if (classFile.getFileName().toString().startsWith("FakeRunnerJar")) {
          continue;
        }
        out.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
        out.write(Files.readAllBytes(classFile));
        out.closeEntry();
      }
    }
    return jar;
  }
}

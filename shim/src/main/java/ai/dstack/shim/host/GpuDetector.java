package ai.dstack.shim.host;

import ai.dstack.core.agents.shim.GpuInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds the host's GPUs as dstack's shim does: the vendor by its device nodes ({@code
 * /dev/nvidiactl} NVIDIA, {@code /dev/kfd} AMD), then the GPUs from the vendor's SMI tool. Any
 * failure is logged and leaves the host without GPUs.
 */
public final class GpuDetector {
  private static final System.Logger LOG = System.getLogger(GpuDetector.class.getName());
  private static final long TIMEOUT_SECONDS = 60;

  private final Path root;

  /** Detects on this host. */
  public GpuDetector() {
    this(Path.of("/"));
  }

  /** Looks for device nodes under {@code root} instead of {@code /} (for tests). */
  GpuDetector(Path root) {
    this.root = root;
  }

  /** The vendor by device nodes: {@code nvidia}, {@code amd} or {@code none}. */
  public String vendor() {
    if (exists("dev/nvidiactl") || (exists("dev/dxg") && exists("usr/lib/wsl/lib/nvidia-smi"))) {
      return NvidiaSmi.VENDOR;
    }
    if (exists("dev/kfd")) {
      return AmdSmi.VENDOR;
    }
    return "none";
  }

  /** The GPUs, empty where there are none or the tool fails. */
  public List<GpuInfo> detect() {
    String vendor = vendor();
    try {
      return switch (vendor) {
        case NvidiaSmi.VENDOR -> NvidiaSmi.parse(run(NvidiaSmi.COMMAND));
        case AmdSmi.VENDOR -> AmdSmi.parse(amdSmiOutput());
        default -> List.of();
      };
    } catch (GpuOutputException | IOException e) {
      LOG.log(Level.ERROR, "cannot read the " + vendor + " GPUs: " + e.getMessage());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private String amdSmiOutput() throws IOException, InterruptedException {
    try {
      return run(AmdSmi.COMMAND);
    } catch (ToolFailedException e) {
      LOG.log(Level.WARNING, "amd-smi with --driver failed, retrying without: " + e.getMessage());
      return run(AmdSmi.COMMAND_WITHOUT_DRIVER);
    }
  }

  private boolean exists(String path) {
    return Files.exists(root.resolve(path));
  }

  /** The command's standard output; fails on a non-zero exit or after the timeout. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    CompletableFuture<byte[]> stdout = readAll(process.getInputStream());
    CompletableFuture<byte[]> stderr = readAll(process.getErrorStream());
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + "s");
    }
    String out = new String(stdout.join(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      String err = new String(stderr.join(), StandardCharsets.UTF_8);
      throw new ToolFailedException(
          "%s exited with %d: %s"
              .formatted(command.get(0), process.exitValue(), (out + err).strip()));
    }
    return out;
  }

  private static CompletableFuture<byte[]> readAll(java.io.InputStream in) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (in) {
                result.complete(in.readAllBytes());
              } catch (IOException e) {
                result.complete(new byte[0]);
              }
            });
    return result;
  }

  /** The tool ran and exited with an error. */
  static final class ToolFailedException extends IOException {
    ToolFailedException(String message) {
      super(message);
    }
  }
}

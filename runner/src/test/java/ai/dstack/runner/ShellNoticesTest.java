package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellNoticesTest {
  private static final String TTY =
      "bash: cannot set terminal process group (-1): Inappropriate ioctl for device\n";
  private static final String JOBS = "bash: no job control in this shell\n";

  /** The output kept of {@code chunks}, fed one after another, then the end of the output. */
  private static String kept(List<String> chunks) {
    var notices = new ShellNotices();
    var out = new ByteArrayOutputStream();
    for (String chunk : chunks) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(notices.filter(bytes, 0, bytes.length));
    }
    out.writeBytes(notices.rest());
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "both notices, then the job's lines | 1 | hello\\n",
        "the notices split across chunks | 7 | hello\\n",
        "a job that prints nothing | 0 | ''",
      })
  void dropsTheInteractiveShellNoticesAtTheStart(String name, int splitEvery, String rest) {
    String job = rest.replace("\\n", "\n");
    String all = TTY + JOBS + job;
    List<String> chunks =
        splitEvery == 0
            ? List.of(TTY, JOBS)
            : splitEvery == 1
                ? List.of(all)
                : java.util.stream.IntStream.range(0, (all.length() + splitEvery - 1) / splitEvery)
                    .mapToObj(
                        i ->
                            all.substring(
                                i * splitEvery, Math.min(all.length(), (i + 1) * splitEvery)))
                    .toList();
    assertEquals(job, kept(chunks));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "another bash error | bash: foo: command not found\\n",
        "the notice later in the log | hello\\nbash: no job control in this shell\\n",
        "a first line without a newline | Downloading 10%",
        "non-ASCII | héllo ✓ 日本\\n",
        "a line that starts like a notice but is not | bash: no job control here\\n",
      })
  void keepsEverythingElse(String name, String output) {
    String text = output.replace("\\n", "\n");
    assertEquals(text, kept(List.of(text)));
  }

  @org.junit.jupiter.api.Test
  void passesAPartialFirstLineOnAtOnceWhenItCannotBeANotice() {
    var notices = new ShellNotices();
    byte[] progress = "Downloading 10%".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "Downloading 10%",
        new String(notices.filter(progress, 0, progress.length), StandardCharsets.UTF_8));
  }
}

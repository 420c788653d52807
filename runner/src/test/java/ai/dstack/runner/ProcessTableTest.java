package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableTest {
  private static final Path PROC = Path.of("/proc");

  @Test
  void parsesAStatLineWhoseNameHoldsSpacesAndParentheses() {
    String line =
        "4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654"
            + " 2453504 225 18446744073709551615 1 1 0 0 0 0 0 4 65538 0 0 0 17 1 0 0 0 0 0";

    var entry = ProcessTable.parseStat(line).orElseThrow();

    assertEquals(new ProcessTable.Entry(4242, 4242, 987654, "my (odd) name", false), entry);
    assertTrue(ProcessTable.parseStat(line.replace(") S ", ") Z ")).orElseThrow().zombie());
  }

  @Test
  void rejectsWhatIsNotAStatLine() {
    assertEquals(Optional.empty(), ProcessTable.parseStat("4242 no name here"));
    assertEquals(Optional.empty(), ProcessTable.parseStat("4242 (short) S 1 2"));
    assertEquals(Optional.empty(), ProcessTable.parseStat("x (name) S 1 2 3 4 5 6 7 8 9 0 1 2 3"));
  }

  @Test
  void readsTheIgnoredSignalsMask() {
    String status = "Name:\tbash\nSigPnd:\t0000000000000000\nSigIgn:\t0000000000384004\n";

    assertEquals(Optional.of(0x384004L), ProcessTable.ignoredSignals(status));
    assertEquals(Optional.empty(), ProcessTable.ignoredSignals("Name:\tbash\n"));
  }

  @Test
  void seesWhichLiveProcessesIgnoreSigterm() throws Exception {
    assumeTrue(Files.isDirectory(PROC.resolve("self")), "Linux /proc");
    var table = new ProcessTable(PROC);
    Process ignoring = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; exec sleep 30").start();
    Process taking = new ProcessBuilder("sleep", "30").start();
    try {
      waitForProgram(table, ignoring.pid(), "sleep");

      assertEquals(Optional.of(true), table.ignoresTerm(ignoring.pid()));
      assertEquals(Optional.of(false), table.ignoresTerm(taking.pid()));
      var me =
          table.entries().stream().filter(e -> e.pid() == taking.pid()).findFirst().orElseThrow();
      assertEquals(
          ProcessTable.parseStat(Files.readString(PROC.resolve("self/stat"))).orElseThrow().pgrp(),
          me.pgrp(),
          "a child of this JVM is in its group");
      assertTrue(me.startTicks() > 0);
    } finally {
      ignoring.destroyForcibly();
      taking.destroyForcibly();
      ignoring.waitFor(10, TimeUnit.SECONDS);
      taking.waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(Optional.empty(), table.ignoresTerm(taking.pid()), "gone");
  }

  @Test
  void hasNoProcessesWhereThereIsNoProcFolder(@TempDir Path dir) {
    assertEquals(List.of(), new ProcessTable(dir.resolve("none")).entries());
  }

  /** Waits until {@code pid} runs {@code name}: the shell's exec is done. */
  private static void waitForProgram(ProcessTable table, long pid, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (table.entries().stream().noneMatch(e -> e.pid() == pid && e.name().equals(name))) {
      assertTrue(System.nanoTime() < deadline, pid + " never became " + name);
      Thread.sleep(10);
    }
  }
}

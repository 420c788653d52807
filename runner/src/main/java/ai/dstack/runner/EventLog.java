package ai.dstack.runner;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.TerminationReason;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything {@code /api/pull} hands over: the job's states, its output and the runner's log lines,
 * in one order of strictly increasing timestamps.
 *
 * <p>A timestamp is assigned and its event stored under one lock, so a pull never misses an event
 * older than the {@code last_updated} it returns. The job's output is appended to {@code job.log}
 * and only its index stays in memory; a pull of timestamp {@code T} acknowledges the events up to
 * {@code T} (dstack's server advances its cursor only once it stored them) and frees them, so
 * memory follows what is not yet pulled, not what the job printed.
 */
final class EventLog implements Closeable {
  /** The most bytes of output one pull hands over; the next pull continues where it stopped. */
  static final int DEFAULT_MAX_PULL_BYTES = 4 << 20;

  /** What a state event is counted as against the pull budget. */
  private static final int STATE_EVENT_BYTES = 128;

  private final ReentrantLock lock = new ReentrantLock();
  private final FileChannel jobLog;
  private final int maxPullBytes;
  private final List<JobStateEvent> states = new ArrayList<>();
  private final ArrayDeque<LogEvent> runnerLogs = new ArrayDeque<>();
  private final ChunkIndex jobChunks = new ChunkIndex();
  private long lastTimestamp;
  private long jobLogSize;
  private boolean finished;
  private boolean diskFailed;

  EventLog(Path jobLogFile, int maxPullBytes) throws IOException {
    this.jobLog =
        FileChannel.open(
            jobLogFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    this.maxPullBytes = maxPullBytes;
  }

  /**
   * Stores a piece of the job's output. Called by one thread, the one reading the job's output.
   *
   * @return false when the bytes could not be written to disk and are kept in memory instead
   */
  boolean appendJobOutput(byte[] bytes, int offset, int length) {
    long position = jobLogSize;
    byte[] inMemory = null;
    if (!diskFailed) {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          jobLog.write(buffer, position + (buffer.position() - offset));
        }
        jobLogSize += length;
      } catch (IOException e) {
        diskFailed = true;
      }
    }
    if (diskFailed) {
      inMemory = Arrays.copyOfRange(bytes, offset, offset + length);
    }
    lock.lock();
    try {
      jobChunks.add(nextTimestamp(), position, length, inMemory);
    } finally {
      lock.unlock();
    }
    return inMemory == null;
  }

  /** Stores a runner log line; ignored once the log is finished (nothing may follow the end). */
  void appendRunnerLog(byte[] line) {
    lock.lock();
    try {
      if (!finished) {
        runnerLogs.add(new LogEvent(nextTimestamp(), line));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stores a state change. */
  void appendState(JobState state, TerminationReason reason, String message, Integer exitStatus) {
    lock.lock();
    try {
      states.add(new JobStateEvent(nextTimestamp(), state, reason, message, exitStatus));
    } finally {
      lock.unlock();
    }
  }

  /** The last state stored, or null. */
  JobState lastState() {
    lock.lock();
    try {
      return states.isEmpty() ? null : states.getLast().state();
    } finally {
      lock.unlock();
    }
  }

  /** Marks that no event follows: pulls that hand over the rest answer {@code has_more: false}. */
  void finish() {
    lock.lock();
    try {
      finished = true;
    } finally {
      lock.unlock();
    }
  }

  /** The events after {@code timestamp}, at most {@link #maxPullBytes} of output. */
  PullResponse pull(long timestamp) throws IOException {
    var pulledStates = new ArrayList<JobStateEvent>();
    var pulledRunnerLogs = new ArrayList<LogEvent>();
    var pulledChunks = new ArrayList<Chunk>();
    long lastUpdated;
    boolean hasMore;
    lock.lock();
    try {
      acknowledge(timestamp);
      int stateIndex = 0;
      while (stateIndex < states.size() && states.get(stateIndex).timestamp() <= timestamp) {
        stateIndex++;
      }
      Iterator<LogEvent> runnerLogIterator = runnerLogs.iterator();
      LogEvent runnerLog = runnerLogIterator.hasNext() ? runnerLogIterator.next() : null;
      int chunkIndex = 0;
      long budget = maxPullBytes;
      long cutoff = timestamp;
      boolean complete = true;
      while (true) {
        long stateTs =
            stateIndex < states.size() ? states.get(stateIndex).timestamp() : Long.MAX_VALUE;
        long runnerTs = runnerLog != null ? runnerLog.timestamp() : Long.MAX_VALUE;
        long chunkTs =
            chunkIndex < jobChunks.size() ? jobChunks.timestamp(chunkIndex) : Long.MAX_VALUE;
        long next = Math.min(stateTs, Math.min(runnerTs, chunkTs));
        if (next == Long.MAX_VALUE) {
          break;
        }
        long size =
            next == stateTs
                ? STATE_EVENT_BYTES
                : next == runnerTs ? runnerLog.message().length : jobChunks.length(chunkIndex);
        boolean first = cutoff == timestamp;
        if (!first && size > budget) {
          complete = false;
          break;
        }
        budget -= size;
        cutoff = next;
        if (next == stateTs) {
          pulledStates.add(states.get(stateIndex++));
        } else if (next == runnerTs) {
          pulledRunnerLogs.add(runnerLog);
          runnerLog = runnerLogIterator.hasNext() ? runnerLogIterator.next() : null;
        } else {
          pulledChunks.add(jobChunks.get(chunkIndex++));
        }
      }
      lastUpdated = complete ? Math.max(timestamp, lastTimestamp) : cutoff;
      hasMore = !(finished && complete);
    } finally {
      lock.unlock();
    }
    var jobLogs = new ArrayList<LogEvent>(pulledChunks.size());
    for (Chunk chunk : pulledChunks) {
      jobLogs.add(new LogEvent(chunk.timestamp(), read(chunk)));
    }
    return new PullResponse(pulledStates, jobLogs, pulledRunnerLogs, lastUpdated, null, hasMore);
  }

  /** How many events wait in memory to be pulled: for tests and the benchmark. */
  int pendingEvents() {
    lock.lock();
    try {
      return runnerLogs.size() + jobChunks.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    jobLog.close();
  }

  private void acknowledge(long timestamp) {
    while (!runnerLogs.isEmpty() && runnerLogs.peekFirst().timestamp() <= timestamp) {
      runnerLogs.pollFirst();
    }
    jobChunks.dropUpTo(timestamp);
  }

  private long nextTimestamp() {
    lastTimestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
    return lastTimestamp;
  }

  private byte[] read(Chunk chunk) throws IOException {
    if (chunk.inMemory() != null) {
      return chunk.inMemory();
    }
    byte[] bytes = new byte[chunk.length()];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      int n = jobLog.read(buffer, chunk.offset() + buffer.position());
      if (n < 0) {
        throw new IOException("job.log is shorter than its index: was it truncated?");
      }
    }
    return bytes;
  }

  /** A piece of job output: where it lies in {@code job.log}, or its bytes when not on disk. */
  record Chunk(long timestamp, long offset, int length, byte[] inMemory) {}

  /** The index of the job's output not yet acknowledged, in parallel arrays: 20 bytes a chunk. */
  private static final class ChunkIndex {
    private long[] timestamps = new long[64];
    private long[] offsets = new long[64];
    private int[] lengths = new int[64];
    private byte[][] inMemory = new byte[64][];
    private int head;
    private int tail;

    int size() {
      return tail - head;
    }

    long timestamp(int i) {
      return timestamps[head + i];
    }

    int length(int i) {
      return lengths[head + i];
    }

    Chunk get(int i) {
      int at = head + i;
      return new Chunk(timestamps[at], offsets[at], lengths[at], inMemory[at]);
    }

    void add(long timestamp, long offset, int length, byte[] bytes) {
      if (tail == timestamps.length) {
        int size = size();
        int capacity = size * 2 < timestamps.length ? timestamps.length : timestamps.length * 2;
        timestamps = moved(timestamps, capacity, size);
        offsets = moved(offsets, capacity, size);
        lengths = moved(lengths, capacity, size);
        byte[][] movedBytes = new byte[capacity][];
        System.arraycopy(inMemory, head, movedBytes, 0, size);
        inMemory = movedBytes;
        head = 0;
        tail = size;
      }
      timestamps[tail] = timestamp;
      offsets[tail] = offset;
      lengths[tail] = length;
      inMemory[tail] = bytes;
      tail++;
    }

    void dropUpTo(long timestamp) {
      while (head < tail && timestamps[head] <= timestamp) {
        inMemory[head] = null;
        head++;
      }
      if (head == tail) {
        head = 0;
        tail = 0;
      }
    }

    private long[] moved(long[] from, int capacity, int size) {
      long[] to = new long[capacity];
      System.arraycopy(from, head, to, 0, size);
      return to;
    }

    private int[] moved(int[] from, int capacity, int size) {
      int[] to = new int[capacity];
      System.arraycopy(from, head, to, 0, size);
      return to;
    }
  }
}

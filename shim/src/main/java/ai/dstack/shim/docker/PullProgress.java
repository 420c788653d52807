package ai.dstack.shim.docker;

import ai.dstack.core.agents.shim.ImagePullProgress;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds up Docker's pull messages per layer into bytes downloaded, extracted and in total, and keeps
 * the errors Docker reports in the stream.
 */
final class PullProgress {
  private final Map<String, Long> downloaded = new HashMap<>();
  private final Map<String, Long> extracted = new HashMap<>();
  private final Map<String, Long> total = new HashMap<>();
  private final Set<String> layers = new HashSet<>();
  private final List<String> errors = new ArrayList<>();
  private boolean completed;

  synchronized void add(PullResponseItem item) {
    String layer = item.getId();
    String status = item.getStatus() == null ? "" : item.getStatus();
    ResponseItem.ProgressDetail detail = item.getProgressDetail();
    if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
      errors.add(item.getErrorDetail().getMessage());
    }
    if (status.startsWith("Status:")) {
      completed = true; // "Status: Downloaded newer image for ..." ends a successful pull
    }
    if (layer == null) {
      return;
    }
    switch (status) {
      case "Pulling fs layer", "Waiting" -> layers.add(layer);
      case "Downloading" -> {
        layers.add(layer);
        if (detail != null && detail.getCurrent() != null) {
          downloaded.put(layer, detail.getCurrent());
        }
        if (detail != null && detail.getTotal() != null && detail.getTotal() > 0) {
          total.put(layer, detail.getTotal());
        }
      }
      case "Download complete", "Verifying Checksum" ->
          downloaded.put(layer, total.getOrDefault(layer, downloaded.getOrDefault(layer, 0L)));
      case "Extracting" -> {
        if (detail != null && detail.getCurrent() != null) {
          extracted.put(layer, detail.getCurrent());
        }
      }
      case "Pull complete" -> {
        downloaded.put(layer, total.getOrDefault(layer, downloaded.getOrDefault(layer, 0L)));
        extracted.put(layer, total.getOrDefault(layer, extracted.getOrDefault(layer, 0L)));
      }
      case "Already exists" -> layers.remove(layer);
      default -> {}
    }
  }

  synchronized ImagePullProgress snapshot() {
    long totalBytes = sum(total);
    boolean allSizesKnown = total.keySet().containsAll(layers);
    return new ImagePullProgress(
        sum(downloaded),
        sum(extracted),
        totalBytes,
        completed || (allSizesKnown && !layers.isEmpty()));
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized boolean completed() {
    return completed;
  }

  private static long sum(Map<String, Long> values) {
    return values.values().stream().mapToLong(Long::longValue).sum();
  }
}

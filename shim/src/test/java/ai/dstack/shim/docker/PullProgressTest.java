package ai.dstack.shim.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.agents.shim.ImagePullProgress;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker's pull stream adds up per layer into the task's pull progress. */
class PullProgressTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void addsUpLayersFromDockersPullStream() throws Exception {
    PullProgress progress = new PullProgress();
    for (String line :
        List.of(
            "{\"status\":\"Pulling from library/python\",\"id\":\"3.12\"}",
            "{\"status\":\"Already exists\",\"progressDetail\":{},\"id\":\"aaa\"}",
            "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"bbb\"}",
            "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"ccc\"}",
            "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":100,\"total\":1000},\"id\":\"bbb\"}")) {
      progress.add(MAPPER.readValue(line, PullResponseItem.class));
    }
    assertEquals(new ImagePullProgress(100, 0, 1000, false), progress.snapshot());
    for (String line :
        List.of(
            "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":50,\"total\":500},\"id\":\"ccc\"}",
            "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"bbb\"}",
            "{\"status\":\"Extracting\",\"progressDetail\":{\"current\":400,\"total\":1000},\"id\":\"bbb\"}")) {
      progress.add(MAPPER.readValue(line, PullResponseItem.class));
    }
    assertEquals(new ImagePullProgress(1050, 400, 1500, true), progress.snapshot());
    for (String line :
        List.of(
            "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"bbb\"}",
            "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"ccc\"}",
            "{\"status\":\"Digest: sha256:0123\"}",
            "{\"status\":\"Status: Downloaded newer image for python:3.12\"}")) {
      progress.add(MAPPER.readValue(line, PullResponseItem.class));
    }
    assertEquals(new ImagePullProgress(1500, 1500, 1500, true), progress.snapshot());
  }

  @Test
  void keepsTheErrorsDockerReportsInTheStream() throws Exception {
    PullProgress progress = new PullProgress();
    progress.add(
        MAPPER.readValue(
            "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}",
            PullResponseItem.class));
    assertEquals(List.of("manifest unknown"), progress.errors());
  }
}

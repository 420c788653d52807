package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.runs.wire.Fleet;
import ai.dstack.sdk.api.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleets table's cells for a cloud fleet, which the test server cannot make. */
class FleetTableTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

  private static final String CLOUD_FLEET =
      """
      {
        "id": "2f7c1d9e-55b4-4a8e-9d7f-3b1c2a4e6f80",
        "name": "gpus",
        "project_name": "%s",
        "created_at": "2026-01-10T11:55:00+00:00",
        "status": "active",
        "spec": {
          "configuration": {
            "type": "fleet",
            "nodes": {"min": 0, "target": 1, "max": 2},
            "placement": "cluster",
            "backends": ["aws", "remote"],
            "resources": {
              "cpu": {"arch": null, "count": {"min": 2, "max": null}},
              "memory": {"min": 8.0, "max": null},
              "gpu": {"vendor": null, "name": ["H100"], "count": {"min": 1, "max": 1},
                      "memory": {"min": 80.0, "max": 80.0}},
              "disk": {"size": {"min": 100.0, "max": null}}
            }
          },
          "profile": {"name": "default"},
          "merged_profile": {"spot_policy": "auto", "max_price": 1.5}
        },
        "instances": [{
          "id": "6d0b8f0e-8f1a-4c3e-9a51-2b7d3c4e5f61",
          "project_name": "main",
          "backend": "aws",
          "instance_type": {"name": "p5.xlarge", "resources": {
            "cpus": 16, "memory_mib": 262144, "spot": false, "disk": {"size_mib": 102400},
            "gpus": [{"name": "H100", "memory_mib": 81920, "vendor": "nvidia"}]}},
          "name": "gpus-0",
          "instance_num": 0,
          "status": "busy",
          "created": "2026-01-10T09:00:00+00:00",
          "region": "us-east-1",
          "availability_zone": "us-east-1a",
          "price": 2.5,
          "total_blocks": 1,
          "busy_blocks": 1,
          "gpu_driver": {"vendor": "nvidia", "version": "550.54"}
        }]
      }
      """;

  private static List<List<String>> cells(String project, boolean verbose) throws Exception {
    Fleet fleet = WireJson.MAPPER.readValue(CLOUD_FLEET.formatted(project), Fleet.class);
    var text = new StringWriter();
    FleetTable.of(List.of(fleet), "main", verbose, NOW).print(new PrintWriter(text));
    return text.toString().lines().map(l -> Arrays.asList(l.strip().split(" {2,}"))).toList();
  }

  @Test
  void aCloudFleetShowsWhatWasAskedAndItsInstanceWhatItHas() throws Exception {
    var rows = cells("main", false);

    assertEquals(
        List.of("NAME", "NODES", "GPU", "SPOT", "BACKEND", "PRICE", "STATUS", "CREATED"),
        rows.get(0));
    assertEquals(
        List.of(
            "gpus", "0..2", "H100:80GB:1", "auto", "aws, ssh", "$0..1.5", "active", "5 mins ago"),
        rows.get(1));
    assertEquals(
        List.of(
            "instance=0",
            "gpu=H100:80GB:1",
            "on-demand",
            "aws (us-east-1)",
            "$2.5",
            "busy",
            "3 hours ago"),
        rows.get(2));
  }

  @Test
  void verboseShowsResourcesDriverZoneAndPlacement() throws Exception {
    var rows = cells("main", true);

    assertEquals(
        List.of(
            "gpus",
            "0..2 (cluster)",
            "cpu=2.. mem=8GB.. disk=100GB.. gpu=H100:80GB:1",
            "auto",
            "aws, ssh",
            "$0..1.5",
            "active",
            "5 mins ago"),
        rows.get(1));
    assertEquals(
        List.of(
            "instance=0",
            "cpu=16 mem=256GB disk=100GB gpu=H100:80GB:1",
            "550.54",
            "on-demand",
            "aws (us-east-1a)",
            "$2.5",
            "busy",
            "3 hours ago"),
        rows.get(2));
  }

  @Test
  void aFleetOfAnotherProjectIsNamedWithItsProject() throws Exception {
    assertEquals("team/gpus", cells("team", false).get(1).get(0));
  }
}

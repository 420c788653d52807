package ai.dstack.core.agents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.dstack.core.json.Json;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shim protocol records read and write JSON exactly as dstack 0.22.5's server does. */
class ShimProtocolJsonTest {

  @Test
  void readsTheSubmitRequestDstacksServerWrites() throws Exception {
    TaskSubmitRequest request;
    // recorded from dstack 0.22.5: TaskSubmitRequest(...).model_dump(mode="json")
    try (InputStream in = getClass().getResourceAsStream("/agents/shim/task-submit-request.json")) {
      request = Json.MAPPER.readValue(in, TaskSubmitRequest.class);
    }
    assertEquals("2f3c9d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f", request.id());
    assertEquals("my-run-0-0", request.name());
    assertEquals("user", request.registryUsername());
    assertEquals("s3cret", request.registryPassword());
    assertEquals("dstackai/base:py3.12-0.9-cuda-12.1", request.imageName());
    assertEquals(TaskSubmitRequest.ALL_GPUS, request.gpu());
    assertEquals(8L << 30, request.shmSize());
    assertEquals(NetworkMode.HOST, request.networkMode());
    assertEquals(
        List.of(new ShimVolumeInfo("aws", "my-vol", "vol-0123456789abcdef0", true, "/dev/sdf")),
        request.volumes());
    assertEquals(List.of(new VolumeMountPoint("my-vol", "/volume")), request.volumeMounts());
    assertEquals(
        List.of(new InstanceMountPoint("/mnt/cache", "/root/.cache", true)),
        request.instanceMounts());
    assertEquals(List.of(new GpuDevice("/dev/nvidia0", "/dev/nvidia0")), request.gpuDevices());
    assertEquals("ubuntu", request.hostSshUser());
    assertEquals(2, request.containerSshKeys().size());
    assertEquals(0, request.runnerPort());
    assertFalse(request.toString().contains("s3cret"), "the password stays out of toString");
  }

  @Test
  void readsAMinimalSubmitRequestWithDstackShimDefaults() throws Exception {
    TaskSubmitRequest request =
        Json.MAPPER.readValue(
            "{\"id\":\"t1\",\"name\":\"n\",\"image_name\":\"ubuntu\",\"unknown_field\":1}",
            TaskSubmitRequest.class);
    assertEquals("root", request.containerUser());
    assertEquals(NetworkMode.HOST, request.networkMode());
    assertEquals(List.of(), request.volumes());
    assertEquals("", request.registryUsername());
  }

  @Test
  void writesTaskInfoWithDstacksFieldNames() {
    TaskInfoResponse info =
        new TaskInfoResponse(
            "t1",
            TaskStatus.PULLING,
            "",
            "",
            List.of(new PortMapping(32768, 8000)),
            new ImagePullProgress(10, 5, 100, false),
            "my-run-0-0-1a2b3c4d",
            "",
            List.of());
    assertEquals(
        "{\"id\":\"t1\",\"status\":\"pulling\",\"termination_reason\":\"\","
            + "\"termination_message\":\"\",\"ports\":[{\"host\":32768,\"container\":8000}],"
            + "\"image_pull_progress\":{\"downloaded_bytes\":10,\"extracted_bytes\":5,"
            + "\"total_bytes\":100,\"is_total_bytes_final\":false},"
            + "\"container_name\":\"my-run-0-0-1a2b3c4d\",\"container_id\":\"\",\"gpus_ids\":[]}",
        Json.write(info));
  }

  @Test
  void writesTheTaskListAndHealthcheckAsDstackReadsThem() {
    assertEquals(
        "{\"tasks\":[{\"id\":\"t1\",\"status\":\"terminated\"}]}",
        Json.write(
            new TaskListResponse(List.of(new TaskListResponse.Item("t1", TaskStatus.TERMINATED)))));
    assertEquals(
        "{\"service\":\"dstack-shim\",\"version\":\"0.22.5\"}",
        Json.write(new HealthcheckResponse(ShimApi.SERVICE, ShimApi.VERSION)));
  }

  @Test
  void summarisesTheGpusIntoDstacksHostInfoFields() {
    GpuInfo h100 = new GpuInfo("nvidia", "NVIDIA H100 80GB HBM3", 81559, "550.54.15", "GPU-1");
    HostInfo info =
        HostInfo.of(List.of(h100, h100), List.of("10.0.0.5/24"), 100L << 30, 52, 1L << 40);
    assertEquals("nvidia", info.gpuVendor());
    assertEquals("NVIDIA H100 80GB HBM3", info.gpuName());
    assertEquals(81559, info.gpuMemory());
    assertEquals(2, info.gpuCount());
    assertEquals("none", HostInfo.of(List.of(), List.of(), 0, 1, 0).gpuVendor());
  }

  @Test
  void readsTheTerminateRequestDstacksServerWrites() throws Exception {
    TaskTerminateRequest request =
        Json.MAPPER.readValue(
            "{\"termination_reason\":\"terminated_by_user\",\"termination_message\":\"\",\"timeout\":10}",
            TaskTerminateRequest.class);
    assertEquals(new TaskTerminateRequest("terminated_by_user", "", 10), request);
  }
}

"""Drives the fleet-side API (fleets, instances, volumes, gateways) through dstack 0.22.5's own
APIClient: every answer must validate against the client's pydantic models, and its typed errors
must come out.

usage: python dstack_fleets_flows.py URL ADMIN_TOKEN SUFFIX
"""
import sys

from dstack._internal.core.errors import ClientError, ResourceNotExistsError
from dstack._internal.core.models.backends.base import BackendType
from dstack._internal.core.models.fleets import (
    Fleet,
    FleetConfiguration,
    FleetSpec,
    FleetStatus,
    SSHParams,
)
from dstack._internal.core.models.instances import Instance, InstanceStatus
from dstack._internal.core.models.profiles import Profile
from dstack._internal.core.models.common import validate_extra_ignore
from dstack.api.server import APIClient

url, admin_token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
admin = APIClient(url, admin_token)
project = f"fleets-{suffix}"


def expect(error_type, call):
    try:
        call()
    except error_type as e:
        return e
    raise AssertionError(f"expected {error_type.__name__}")


admin.projects.create(project)
for name in ["main", project]:
    fleets = admin.fleets.list(name, include_imported=True)
    assert [f.name for f in fleets] == ["local"], fleets
    fleet = fleets[0]
    assert fleet.project_name == name and fleet.status == FleetStatus.ACTIVE
    assert fleet.spec.configuration.ssh_config is not None
    assert fleet.spec.configuration.blocks is not None
    [instance] = fleet.instances
    assert instance.backend == BackendType.REMOTE and instance.name == "local-0"
    assert instance.status in (InstanceStatus.IDLE, InstanceStatus.BUSY)
    assert instance.instance_type.resources.cpus > 0
    assert instance.instance_type.resources.memory_mib > 0
    assert instance.total_blocks >= 1 and instance.fleet_id == fleet.id
    assert admin.fleets.get(name, name="local").id == fleet.id
    assert admin.fleets.get(name, fleet_id=fleet.id).name == "local"

expect(ResourceNotExistsError, lambda: admin.fleets.get(project, name=f"nope-{suffix}"))
error = expect(ClientError, lambda: admin.fleets.delete(project, ["local"]))
assert "DSTACK_LOCAL_FLEET=false" in str(error), error
error = expect(ClientError, lambda: admin.fleets.delete_instances(project, "local", [0]))
assert "DSTACK_LOCAL_FLEET=false" in str(error), error
admin.fleets.delete(project, [f"nope-{suffix}"])

ssh_spec = FleetSpec(
    configuration=FleetConfiguration(
        name=f"ssh-{suffix}", ssh_config=SSHParams(user="root", hosts=["10.0.0.1"])
    ),
    profile=Profile(name="default"),
)
error = expect(ClientError, lambda: admin.fleets.get_plan(project, ssh_spec))
assert "SSH fleets are not supported yet" in str(error), error
cloud_spec = FleetSpec(
    configuration=FleetConfiguration(name=f"cloud-{suffix}", nodes=1),
    profile=Profile(name="default"),
)
error = expect(ClientError, lambda: admin.fleets.get_plan(project, cloud_spec))
assert "Cloud fleets are not supported yet" in str(error), error

everything = validate_extra_ignore(
    list[Fleet], admin._request("/api/fleets/list", body="{}").json()
)
assert {f.project_name for f in everything} >= {"main", project}
instances = validate_extra_ignore(
    list[Instance],
    admin._request("/api/instances/list", body='{"project_names": ["%s"]}' % project).json(),
)
assert [i.name for i in instances] == ["local-0"]

assert admin.volumes.list(project) == []
expect(ResourceNotExistsError, lambda: admin.volumes.get(project, f"v-{suffix}"))
assert admin.gateways.list(project, include_imported=True) == []
expect(ResourceNotExistsError, lambda: admin.gateways.get(project, f"g-{suffix}"))
assert admin.backends.list_backend_types() == []
print("OK")

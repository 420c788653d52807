"""Drives the users and projects API through dstack 0.22.5's own APIClient: every answer must
validate against the client's pydantic models, and its typed errors must come out.

usage: python dstack_client_flows.py URL ADMIN_TOKEN SUFFIX
"""
import sys

from dstack._internal.core.errors import ResourceExistsError, ResourceNotExistsError, ClientError
from dstack._internal.core.models.users import GlobalRole, ProjectRole
from dstack._internal.server.schemas.projects import MemberSetting
from dstack.api.server import APIClient

url, admin_token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
admin = APIClient(url, admin_token)
alice_name, project_name = f"alice-{suffix}", f"proj-{suffix}"


def expect(error_type, call):
    try:
        call()
    except error_type as e:
        return e
    raise AssertionError(f"expected {error_type.__name__}")


me = admin.users.get_my_user()
assert me.username == "admin" and me.global_role == GlobalRole.ADMIN
assert me.creds.token == admin_token and me.ssh_private_key and me.ssh_public_key

alice = admin.users.create(alice_name, GlobalRole.USER)
assert alice.id.version == 4 and alice.global_role == GlobalRole.USER
assert alice_name in [u.username for u in admin.users.list()]
assert admin.users.list(return_total_count=True).total_count >= 2
assert admin.users.get_user(alice_name).username == alice_name
assert admin.users.update(alice_name, GlobalRole.ADMIN).global_role == GlobalRole.ADMIN
assert admin.users.update(alice_name, GlobalRole.USER).global_role == GlobalRole.USER
alice_token = admin.users.refresh_token(alice_name).creds.token
alice_client = APIClient(url, alice_token)
assert alice_client.users.get_my_user().username == alice_name
assert [u.username for u in alice_client.users.list()] == [alice_name]
expect(ResourceExistsError, lambda: admin.users.create(alice_name, GlobalRole.USER))
expect(ResourceNotExistsError, lambda: admin.users.get_user(f"nobody-{suffix}"))

project = admin.projects.create(project_name)
assert project.project_id.version == 4 and project.owner.username == "admin"
project = admin.projects.add_member(project_name, alice_name, ProjectRole.MANAGER)
assert [(m.user.username, m.project_role) for m in project.members] == [
    ("admin", ProjectRole.ADMIN), (alice_name, ProjectRole.MANAGER)]
project = alice_client.projects.set_members(project_name, [
    MemberSetting(username="admin", project_role=ProjectRole.ADMIN),
    MemberSetting(username=alice_name, project_role=ProjectRole.USER)])
assert project.members[1].project_role == ProjectRole.USER
assert alice_client.projects.get(project_name).project_name == project_name
project = alice_client.projects.remove_member(project_name, alice_name)
assert [m.user.username for m in project.members] == ["admin"]
assert project_name not in [p.project_name for p in alice_client.projects.list()]
assert project_name in [p.project_name for p in admin.projects.list()]
assert admin.projects.list(return_total_count=True).total_count >= 2
expect(ResourceExistsError, lambda: admin.projects.create(project_name))
expect(ClientError, lambda: alice_client.projects.get(project_name))
admin.projects.delete([project_name])
assert project_name not in [p.project_name for p in admin.projects.list()]
print("OK")

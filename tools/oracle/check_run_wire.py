#!/usr/bin/env python3
"""Check our run model on dstack's wire against dstack 0.22.5's own server code (the "oracle").

Run with the oracle venv (see setup.sh):
    python check_run_wire.py client-specs FILE.yml...
        Prints {"FILE": {"run_spec": ..., "error": null}} with the run spec the dstack CLI would
        send for each file (env taken from a fake environment, files and repos faked).
    python check_run_wire.py job-specs CASES.json
        CASES.json is a list of {"name", "run_spec", "options", "ours": {...}}: the run spec as a
        client sends it and what our code made of it. For each case dstack's server code
        (validate_run_spec_and_set_defaults, the job configurators) runs on the same input, and
        the effective run spec, the plan's job specs and the submission's job specs are compared
        field by field. Also checks that every JobSpec we made validates as dstack's JobSpec with
        extra fields forbidden.
    python check_run_wire.py updates PAIRS.json
        PAIRS.json is a list of {"name", "current", "next", "ours"}: two run specs (as stored,
        with defaults) and whether our code updates a run in place from one to the other; dstack's
        can_update_run_spec (services/runs/spec.py) must say the same.
    python check_run_wire.py models MODELS.json OUT.json
        MODELS.json is a list of {"name", "model", "json", "checks"}: JSON our records write,
        parsed with the client's own models the way the client parses responses (extra fields
        ignored); each check is {"expr", "equals"}, a Python expression over the parsed model `m`.
        OUT.json gets, by name, what the client sends back: for a RunPlan the runs/apply body, for
        anything else the client's own serialisation of the model.

Image lookups (dstack asks the registry for an image's user, entrypoint and architectures) are
answered from `options.images`, the same table our side uses, so no network is needed.
"""
import asyncio
import json
import sys
import uuid
import warnings

warnings.filterwarnings("ignore")

import yaml  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

from dstack._internal.core.models.common import validate_extra_ignore  # noqa: E402
from dstack._internal.core.models.configurations import parse_apply_configuration  # noqa: E402
from dstack._internal.core.models.envs import EnvSentinel  # noqa: E402
from dstack._internal.core.models.files import FileArchiveMapping  # noqa: E402
from dstack._internal.core.models.profiles import Profile  # noqa: E402
from dstack._internal.core.models.repos.remote import RemoteRunRepoData  # noqa: E402
from dstack._internal.core.models.repos.virtual import VirtualRepo  # noqa: E402
from dstack._internal.core.models.runs import RunSpec  # noqa: E402

FAKE_ENV_PREFIX = "from-env-"


def _load_server_code():
    """Imports the parts of dstack's server this script runs, without its database layer.

    The oracle venv has the dstack client only (pip install dstack, no [server] extras), and the
    server modules we need import their packages' __init__, which pull in SQLAlchemy. So the two
    packages are registered empty, the registry client (dxf) and the ORM models module are stubbed,
    and the modules we call are then loaded from dstack's own files, unchanged.
    """
    import importlib
    import os
    import types

    import dstack._internal.server as server

    def package(name):
        module = types.ModuleType(name)
        module.__path__ = [os.path.join(os.path.dirname(server.__file__), *name.split(".")[3:])]
        sys.modules.setdefault(name, module)

    dxf = types.ModuleType("dxf")
    dxf.DXF = object
    dxf.__path__ = []
    dxf_exceptions = types.ModuleType("dxf.exceptions")
    dxf_exceptions.DXFError = type("DXFError", (Exception,), {})
    sys.modules.setdefault("dxf", dxf)
    sys.modules.setdefault("dxf.exceptions", dxf_exceptions)
    models = types.ModuleType("dstack._internal.server.models")
    models.UserModel = object
    sys.modules.setdefault("dstack._internal.server.models", models)
    package("dstack._internal.server.services.jobs")
    package("dstack._internal.server.services.runs")
    for name in ("base", "dev", "task", "service"):
        importlib.import_module(f"dstack._internal.server.services.jobs.configurators.{name}")
    importlib.import_module("dstack._internal.server.services.runs.spec")


def client_run_spec(path):
    """The run spec JSON the dstack CLI sends in runs/get_plan for this file, as a dict."""
    from dstack._internal.core.compatibility.runs import get_get_plan_excludes
    from dstack._internal.server.schemas.runs import GetRunPlanRequest

    with open(path) as f:
        conf = parse_apply_configuration(yaml.safe_load(f))
    # The CLI resolves bare env names from its own environment.
    for key, value in list(conf.env.items()):
        if isinstance(value, EnvSentinel):
            conf.env[key] = FAKE_ENV_PREFIX + value.key
    file_archives = [
        FileArchiveMapping(id=uuid.uuid5(uuid.NAMESPACE_URL, f"{path}:{m.path}"), path=m.path)
        for m in conf.files
    ]
    if conf.repos:
        repo_id = "demo-0123abcd"
        repo_data = RemoteRunRepoData(
            repo_name="demo",
            repo_branch=conf.repos[0].branch or "main",
            repo_hash=conf.repos[0].hash or "0123456789abcdef0123456789abcdef01234567",
            repo_config_name="Dev",
            repo_config_email="dev@example.com",
        )
        repo_code_hash = "c0de" * 16
        repo_dir = conf.repos[0].path
    else:
        repo = VirtualRepo()
        repo_id, repo_data, repo_code_hash, repo_dir = repo.repo_id, repo.run_repo_data, None, None
    run_spec = RunSpec(
        run_name=conf.name,
        repo_id=repo_id,
        repo_data=repo_data,
        repo_code_hash=repo_code_hash,
        repo_dir=repo_dir,
        file_archives=file_archives,
        configuration_path=path,
        configuration=conf,
        profile=Profile(name="default"),
        ssh_key_pub=None,
    )
    body = GetRunPlanRequest(
        run_spec=run_spec,
        max_offers=3,
        full_offers=False,
        unallocated_resources=False,
        for_offers_only=False,
    )
    return json.loads(body.model_dump_json(exclude=get_get_plan_excludes(body)))["run_spec"]


def cmd_client_specs(paths):
    out = {}
    for path in paths:
        try:
            out[path] = {"run_spec": client_run_spec(path), "error": None}
        except Exception as e:  # rejected by the client already
            out[path] = {"run_spec": None, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out))
    return 0


class _User:
    """What validate_run_spec_and_set_defaults reads of the server's UserModel."""

    def __init__(self, ssh_public_key):
        self.ssh_public_key = ssh_public_key


def _patch_server(options):
    """Make dstack's server code use the case's images and Python instead of its own."""
    import gpuhunt

    from dstack._internal.server.services import docker
    from dstack._internal.server.services.jobs.configurators import base, service

    def default_image(nvcc=False):
        return options["devel_image"] if nvcc else options["base_image"]

    def image_config(image, registry_auth):
        known = options.get("images", {}).get(image)
        if known is None:
            raise AssertionError(f"the case asks for image {image!r}, which options.images lacks")
        archs = {gpuhunt.CPUArchitecture(a) for a in known.get("architectures", [])}
        config = docker.ImageConfig(
            User=known.get("user"), Entrypoint=known.get("entrypoint"), Cmd=known.get("cmd")
        )
        return config, archs

    base.get_default_image = default_image
    service.get_default_image = default_image
    base.get_default_python_verison = lambda: options["python"]
    base._get_image_config_and_cpu_architectures = image_config
    base.settings.DSTACK_DIND_IMAGE = options["dind_image"]
    service.settings.DSTACK_DIND_IMAGE = options["dind_image"]


def dstack_effective(run_spec_json, options):
    """dstack's runs/get_plan effective_run_spec for this request's run spec."""
    from dstack._internal.server.services.runs.spec import validate_run_spec_and_set_defaults

    spec = RunSpec.model_validate(run_spec_json)
    spec = RunSpec.model_validate(spec.model_dump())
    validate_run_spec_and_set_defaults(user=_User(options["user_ssh_public_key"]), run_spec=spec)
    return spec


async def job_specs(run_spec, secrets, replica_num, replica_group_name=None):
    """dstack's get_job_specs_from_run_spec (services/jobs/__init__.py): the configurator of the
    run's type builds the replica's job specs. Restated here only because that module imports
    the database layer; the configurators themselves are dstack's."""
    from dstack._internal.server.services.jobs.configurators.dev import (
        DevEnvironmentJobConfigurator,
    )
    from dstack._internal.server.services.jobs.configurators.service import ServiceJobConfigurator
    from dstack._internal.server.services.jobs.configurators.task import TaskJobConfigurator

    configurator = {
        "dev-environment": DevEnvironmentJobConfigurator,
        "task": TaskJobConfigurator,
        "service": ServiceJobConfigurator,
    }[run_spec.configuration.type](
        run_spec=run_spec, secrets=secrets, replica_group_name=replica_group_name
    )
    return await configurator.get_job_specs(replica_num=replica_num)


async def dstack_plan_job_specs(spec, secrets):
    """The job specs of runs/get_plan's job_plans, in order: replica 0 of every replica group of a
    service, else replica 0 (runs/plan.py get_job_plans and _get_job_batches_for_planning, which
    plans every job of each batch)."""
    spec = spec.model_copy(deep=True)
    if spec.run_name is None:
        spec.run_name = "dry-run"
    if spec.configuration.type == "service":
        specs = []
        for group in spec.configuration.replica_groups:
            specs += await job_specs(spec, secrets, 0, group.name)
        return specs
    return await job_specs(spec, secrets, 0)


async def dstack_submission_job_specs(spec, secrets, run_name):
    """The job specs runs/apply creates for a new run named run_name (runs/__init__.py
    submit_run's loop: for services, replicas.min replicas of each group numbered across groups;
    else one replica; none for a scheduled run)."""
    spec = spec.model_copy(deep=True)
    spec.run_name = run_name
    specs = []
    scheduled = spec.merged_profile.schedule is not None
    if spec.configuration.type == "service":
        replica_num = 0
        for group in spec.configuration.replica_groups:
            for _ in range(0 if scheduled else (group.replicas.min or 0)):
                specs += await job_specs(spec, secrets, replica_num, group.name)
                replica_num += 1
    else:
        for replica_num in range(0 if scheduled else 1):
            specs += await job_specs(spec, secrets, replica_num)
    return specs


def same(a, b):
    """JSON equality where 8 == 8.0 but booleans never equal numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def diff(path, theirs, ours, out):
    """Every leaf where the two JSON values differ, as `path: dstack X, ours Y`."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in list(theirs) + [k for k in ours if k not in theirs]:
            if key not in ours:
                out.append(f"{path}.{key}: dstack {json.dumps(theirs[key])}, ours absent")
            elif key not in theirs:
                out.append(f"{path}.{key}: dstack absent, ours {json.dumps(ours[key])}")
            else:
                diff(f"{path}.{key}", theirs[key], ours[key], out)
    elif isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        for i, (t, o) in enumerate(zip(theirs, ours)):
            diff(f"{path}[{i}]", t, o, out)
    elif not same(theirs, ours):
        out.append(f"{path}: dstack {json.dumps(theirs)}, ours {json.dumps(ours)}")


def count_leaves(value):
    if isinstance(value, dict):
        return sum(count_leaves(v) for v in value.values()) or 1
    if isinstance(value, list):
        return sum(count_leaves(v) for v in value) or 1
    return 1


def compare_job_specs(label, theirs, ours, ours_pretty, problems):
    """Field-by-field comparison; the multi-node SSH key is random, so only its presence counts.
    ours_pretty: our requirements as printed for people, against dstack's pretty_format()."""
    if len(theirs) != len(ours):
        problems.append(f"{label}: dstack makes {len(theirs)} job specs, ours {len(ours)}")
        return 0
    compared = 0
    keys = [None] * len(theirs)
    for i, (t, o) in enumerate(zip(theirs, ours)):
        try:
            parsed = TypeAdapter(type(t)).validate_python(o)  # extra fields forbidden
            o_norm = json.loads(parsed.model_dump_json())
        except Exception as e:
            problems.append(f"{label}[{i}]: our JobSpec does not validate: {e}")
            continue
        t_json = json.loads(t.model_dump_json())
        for side in (t_json, o_norm):
            key = side.get("ssh_key")
            side["ssh_key"] = None if key is None else "<generated>"
        keys[i] = (o.get("replica_num"), (o.get("ssh_key") or {}).get("public"))
        out = []
        diff(f"{label}[{i}]", t_json, o_norm, out)
        # Our raw JSON must have every field dstack writes, not just validate.
        for key in t_json:
            if key not in o:
                out.append(f"{label}[{i}].{key}: missing from our JSON")
        problems.extend(out)
        compared += count_leaves(t_json)
        if ours_pretty[i] != t.requirements.pretty_format():
            problems.append(
                f"{label}[{i}]: requirements print as {ours_pretty[i]!r},"
                f" dstack {t.requirements.pretty_format()!r}"
            )
    # One key pair per replica, shared by its jobs.
    by_replica = {}
    for replica, public in filter(None, keys):
        if public is not None:
            by_replica.setdefault(replica, set()).add(public)
    for replica, publics in by_replica.items():
        if len(publics) != 1:
            problems.append(f"{label}: replica {replica} jobs have different SSH keys")
    return compared


def cmd_job_specs(cases_path):
    _load_server_code()
    with open(cases_path) as f:
        cases = json.load(f)
    total = agreed = rejected = specs = fields = 0
    failures = []
    for case in cases:
        name, options, ours = case["name"], case["options"], case["ours"]
        _patch_server(options)
        problems = []
        total += 1
        secrets = options.get("secrets", {})
        try:
            effective = dstack_effective(case["run_spec"], options)
            theirs_plan = asyncio.run(dstack_plan_job_specs(effective, secrets))
            theirs_submit = asyncio.run(
                dstack_submission_job_specs(
                    effective, secrets, ours.get("run_name") or effective.run_name or "unnamed-1"
                )
            )
        except Exception as e:
            dstack_error = f"{type(e).__name__}: {e}"
            if ours.get("error") is None:
                problems.append(f"dstack rejects it ({dstack_error}), ours accepts it")
            else:
                rejected += 1
                print(f"{name}: both reject: dstack: {dstack_error} | ours: {ours['error']}")
            if problems:
                failures.extend(f"{name}: {p}" for p in problems)
            else:
                agreed += 1
            continue
        if ours.get("error") is not None:
            failures.append(f"{name}: ours rejects it ({ours['error']}), dstack accepts it")
            continue
        # The effective run spec: what the client diffs against the stored run.
        ours_effective = RunSpec.model_validate(ours["effective_run_spec"])
        if ours_effective != effective:
            out = []
            diff("effective_run_spec", json.loads(effective.model_dump_json()),
                 json.loads(ours_effective.model_dump_json()), out)
            problems.extend(out or ["effective_run_spec: differs"])
        fields += count_leaves(json.loads(effective.model_dump_json()))
        fields += compare_job_specs(
            "plan", theirs_plan, ours["plan_job_specs"], ours["plan_requirements"], problems
        )
        fields += compare_job_specs(
            "submit",
            theirs_submit,
            ours["submit_job_specs"],
            ours["submit_requirements"],
            problems,
        )
        specs += len(theirs_plan) + len(theirs_submit)
        if problems:
            failures.extend(f"{name}: {p}" for p in problems)
        else:
            agreed += 1
    for failure in failures:
        print(failure)
    print(
        f"oracle: {total} cases, {agreed} agree ({rejected} rejected by both),"
        f" {specs} job specs, {fields} fields compared"
    )
    return 1 if failures else 0


def cmd_models(models_path, out_path):
    from dstack._internal.core.compatibility.runs import get_apply_plan_excludes
    from dstack._internal.core.models import fleets, instances, runs
    from dstack._internal.server.schemas.runs import ApplyRunPlanRequest

    known = {
        "Run": runs.Run,
        "Job": runs.Job,
        "JobSpec": runs.JobSpec,
        "JobSubmission": runs.JobSubmission,
        "JobProvisioningData": runs.JobProvisioningData,
        "JobRuntimeData": runs.JobRuntimeData,
        "RunPlan": runs.RunPlan,
        "JobPlan": runs.JobPlan,
        "RunSpec": runs.RunSpec,
        "InstanceOfferWithAvailability": instances.InstanceOfferWithAvailability,
        "Instance": instances.Instance,
        "Fleet": fleets.Fleet,
        "ApplyRunPlanInput": runs.ApplyRunPlanInput,
    }
    with open(models_path) as f:
        cases = json.load(f)
    failures = []
    sent_back = {}
    for case in cases:
        model = known[case["model"]]
        try:
            parsed = validate_extra_ignore(model, case["json"])
            if case["model"] == "RunPlan":
                # runs/apply, as the CLI sends it after this plan (api/server/_runs.py apply_plan)
                plan_input = validate_extra_ignore(runs.ApplyRunPlanInput, parsed)
                body = ApplyRunPlanRequest(plan=plan_input, force=False)
                sent = body.model_dump_json(exclude=get_apply_plan_excludes(plan_input))
            else:
                sent = parsed.model_dump_json()
            validate_extra_ignore(model, json.loads(parsed.model_dump_json()))
            sent_back[case["name"]] = json.loads(sent)
            for check in case.get("checks", []):
                got = eval(check["expr"], {"m": parsed})  # noqa: S307 (test-only expressions)
                if not same(json.loads(json.dumps(got, default=str)), check["equals"]):
                    failures.append(
                        f"{case['name']}: {check['expr']} is {got!r}, expected {check['equals']!r}"
                    )
        except Exception as e:
            failures.append(f"{case['name']}: {case['model']} does not parse: {e}")
    with open(out_path, "w") as f:
        json.dump(sent_back, f)
    for failure in failures:
        print(failure)
    print(f"oracle: {len(cases)} models, {len(cases) - len(failures)} parse")
    return 1 if failures else 0


def cmd_updates(pairs_path):
    _load_server_code()
    from dstack._internal.server.services.runs.spec import can_update_run_spec

    with open(pairs_path) as f:
        pairs = json.load(f)
    failures = []
    for pair in pairs:
        current = RunSpec.model_validate(pair["current"])
        new = RunSpec.model_validate(pair["next"])
        theirs = can_update_run_spec(current, new)
        if theirs != pair["ours"]:
            failures.append(
                f"{pair['name']}: dstack updates in place: {theirs}, ours: {pair['ours']}"
            )
    for failure in failures:
        print(failure)
    print(f"oracle: {len(pairs)} updates, {len(pairs) - len(failures)} agree")
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 1 and argv[0] == "client-specs":
        return cmd_client_specs(argv[1:])
    if len(argv) == 2 and argv[0] == "job-specs":
        return cmd_job_specs(argv[1])
    if len(argv) == 2 and argv[0] == "updates":
        return cmd_updates(argv[1])
    if len(argv) == 3 and argv[0] == "models":
        return cmd_models(argv[1], argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

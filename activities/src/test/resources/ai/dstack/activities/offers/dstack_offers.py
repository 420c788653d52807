"""Answers offer-matching questions with dstack 0.22.5's own code (the oracle).

Reads a JSON list of questions on stdin and writes a JSON list of answers on stdout:
  {"share": {"resources": YAML, "spot": bool|null, "max_price": float|null, "multinode": bool,
             "instance": {"cpus", "memory_mib", "gpus": [{"vendor", "name", "memory_mib"}],
                          "disk_mib", "spot", "price"}, "total_blocks": int}}
      -> the fewest blocks that meet the requirements, or null
  {"total_blocks": {"cpus": int, "gpus": int, "blocks": int|"auto"}} -> int, or null if indivisible
  {"gpu_name": {"vendor": str, "name": str}} -> dstack's short name

The server-side helpers (generate_shared_offer, is_divisible_into_blocks) are taken from dstack's
installed source by name, since their module needs the server's database packages to import; the
loop over shares is get_shared_instances_with_offers' (and filter_instances' for one block).
"""

import ast
import json
import pathlib
import sys
from typing import Literal, Union

import gpuhunt
import yaml

import dstack
from dstack._internal.core.backends.base.offers import (
    offer_to_catalog_item,
    requirements_to_query_filter,
)
from dstack._internal.core.models.backends.base import BackendType
from dstack._internal.core.models.instances import (
    Disk,
    Gpu,
    InstanceAvailability,
    InstanceOfferWithAvailability,
    InstanceType,
    Resources,
)
from dstack._internal.core.models.resources import ResourcesSpec
from dstack._internal.core.models.runs import Requirements
from dstack._internal.utils.gpu import (
    convert_amd_gpu_name,
    convert_intel_accelerator_name,
    convert_nvidia_gpu_name,
)


def _server_functions(*names):
    source = pathlib.Path(dstack.__file__).parent / "_internal/server/services/offers.py"
    tree = ast.parse(source.read_text())
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names]
    namespace = {
        "Literal": Literal,
        "Union": Union,
        "Resources": Resources,
        "InstanceType": InstanceType,
        "InstanceOfferWithAvailability": InstanceOfferWithAvailability,
    }
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(source), "exec"), namespace)
    return [namespace[n] for n in names]


generate_shared_offer, is_divisible_into_blocks = _server_functions(
    "generate_shared_offer", "is_divisible_into_blocks"
)


def share(q):
    resources = ResourcesSpec.model_validate(yaml.safe_load(q["resources"]) or {})
    requirements = Requirements(
        resources=resources,
        max_price=q.get("max_price"),
        spot=q.get("spot"),
        multinode=q.get("multinode", False),
    )
    i = q["instance"]
    offer = InstanceOfferWithAvailability(
        backend=BackendType.REMOTE,
        instance=InstanceType(
            name="local",
            resources=Resources(
                cpus=i["cpus"],
                memory_mib=i["memory_mib"],
                gpus=[Gpu(**g) for g in i["gpus"]],
                spot=i["spot"],
                disk=Disk(size_mib=i["disk_mib"]),
            ),
        ),
        region="local",
        price=i["price"],
        availability=InstanceAvailability.AVAILABLE,
    )
    query = requirements_to_query_filter(requirements)
    total = q["total_blocks"]
    if total == 1:
        # filter_instances(shared=False): the whole instance's offer
        return 1 if gpuhunt.matches(offer_to_catalog_item(offer), query) else None
    for blocks in range(total if requirements.multinode else 1, total + 1):
        shared = generate_shared_offer(offer, blocks, total)
        if gpuhunt.matches(offer_to_catalog_item(shared), query):
            return blocks
    return None


def total_blocks(q):
    divisible, total = is_divisible_into_blocks(q["cpus"], q["gpus"], q["blocks"])
    return total if divisible else None


def gpu_name(q):
    convert = {
        "nvidia": convert_nvidia_gpu_name,
        "amd": convert_amd_gpu_name,
        "intel": convert_intel_accelerator_name,
    }.get(q["vendor"], lambda n: n)
    return convert(q["name"])


ANSWERS = {"share": share, "total_blocks": total_blocks, "gpu_name": gpu_name}

questions = json.load(sys.stdin)
answers = []
for question in questions:
    ((kind, body),) = question.items()
    answers.append(ANSWERS[kind](body))
json.dump(answers, sys.stdout)

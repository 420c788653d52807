#!/usr/bin/env python3
"""Check configuration test cases against the real dstack 0.22.5 parser (the "oracle").

Run with the oracle venv (see setup.sh):
    .tools/oracle-venv/bin/python tools/oracle/check_cases.py CASES.yml...
    .tools/oracle-venv/bin/python tools/oracle/check_cases.py --dump FILE.yml   # FILE may be "-"

A case file holds YAML documents separated by lines that are exactly `---`. Each document
starts with directive comments, then YAML:
    # case: NAME
    # expect: PATH = JSON        (accepted; value at PATH in dstack's json() equals JSON)
    # error: MESSAGE             (rejected; MESSAGE is ours, only the rejection is checked)
    # oracle: differs REASON     (known deliberate difference: reported, never fails)
A document with neither `expect` nor `error` must be accepted.
"""
import json
import re
import sys
import warnings

import yaml

warnings.filterwarnings("ignore")  # pydantic v2 flags BaseModel.json() as deprecated

from dstack._internal.core.models.configurations import parse_apply_configuration  # noqa: E402

DIRECTIVE = re.compile(r"^#\s*(case|expect|error|oracle):\s?(.*)$")
PATH_TOKEN = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def parse(text):
    """Parse YAML text exactly as the dstack CLI does; return (json-dict, None) or (None, error)."""
    try:
        conf = parse_apply_configuration(yaml.safe_load(text))
        return json.loads(conf.json()), None
    except Exception as e:  # YAML errors, ConfigurationError and stray TypeErrors all mean "rejected"
        return None, f"{type(e).__name__}: {' | '.join(str(e).split(chr(10)))}"


def lookup(data, path):
    """Follow `a.b[0].c` through dicts and lists; raise KeyError when absent."""
    pos = 0
    for m in PATH_TOKEN.finditer(path):
        if m.start() != pos:
            raise KeyError(path)
        pos = m.end()
        key, index = m.groups()
        if index is not None:
            if not isinstance(data, list) or int(index) >= len(data):
                raise KeyError(path)
            data = data[int(index)]
        else:
            if not isinstance(data, dict) or key not in data:
                raise KeyError(path)
            data = data[key]
    if pos != len(path):
        raise KeyError(path)
    return data


def same(a, b):
    """JSON equality where 8 == 8.0 but booleans never equal numbers (unlike Python's True == 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def split_documents(text):
    chunks, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == "---":
            chunks.append("".join(current))
            current = []
        else:
            current.append(line)
    chunks.append("".join(current))
    return [c for c in chunks if c.strip()]


def directives(doc):
    """Directives come from the leading block of comment/blank lines only."""
    found = []
    for line in doc.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        m = DIRECTIVE.match(line.strip())
        if m:
            found.append((m.group(1), m.group(2).strip()))
    return found


def check_case(doc):
    """Return a list of problems (empty when dstack agrees with the case)."""
    dirs = directives(doc)
    expects = [v for k, v in dirs if k == "expect"]
    wants_error = any(k == "error" for k, _ in dirs)
    data, err = parse(doc)
    if wants_error:
        if err is None:
            return [f"dstack accepts it, case expects an error; dstack json: {json.dumps(data)}"]
        return []
    if err is not None:
        return [f"dstack rejects it: {err}"]
    problems = []
    for expect in expects:
        path, _, raw = expect.partition("=")
        path = path.strip()
        try:
            want = json.loads(raw)
        except ValueError:
            problems.append(f"bad expect line (need `PATH = JSON`): {expect}")
            continue
        try:
            got = lookup(data, path)
        except KeyError:
            problems.append(f"{path}: absent in dstack json, expected {json.dumps(want)}")
            continue
        if not same(got, want):
            problems.append(f"{path}: dstack has {json.dumps(got)}, expected {json.dumps(want)}")
    return problems


def main(argv):
    if len(argv) == 2 and argv[0] == "--dump":
        text = sys.stdin.read() if argv[1] == "-" else open(argv[1]).read()
        data, err = parse(text)
        print(err if err is not None else json.dumps(data, indent=2))
        return 1 if err is not None else 0
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    total = agree = differ = marked = failed = 0
    for path in argv:
        with open(path) as f:
            docs = split_documents(f.read())
        for i, doc in enumerate(docs, 1):
            dirs = directives(doc)
            name = next((v for k, v in dirs if k == "case"), f"#{i}")
            differs_mark = next((v for k, v in dirs if k == "oracle" and v.startswith("differs")), None)
            problems = check_case(doc)
            total += 1
            if not problems:
                agree += 1
                if differs_mark:
                    print(f'{path}: case "{name}": note: marked "{differs_mark}" but dstack agrees')
                continue
            differ += 1
            marked += bool(differs_mark)
            failed += not differs_mark
            tag = " [marked differs]" if differs_mark else ""
            for problem in problems:
                print(f'{path}: case "{name}":{tag} {problem}')
    print(f"oracle: {total} cases, {agree} agree, {differ} differ ({marked} marked differs)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The contracts as published with each release, for teams outside this repository:

    python -m devstack.release [--version 1.4.0] [--out dist]    # (make release)

writes `dist/oms-contracts-<version>.binpb`, a FileDescriptorSet of every proto/ file with the
google/protobuf files it imports and every comment (source info): enough to generate stubs in
any language (`protoc --descriptor_set_in=...`, `buf generate`) or to decode events with
reflection alone; and `dist/oms-contracts-<version>-reference/`, the generated reference pages.
The version defaults to the contracts package's (libs/contracts/pyproject.toml). It refuses to
publish a proto/ that breaks the baseline or whose reference is stale.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from devstack import reference
from devstack.compat import breaking_changes
from devstack.contracts import ROOT, baseline, current_descriptor_set

CONTRACTS_PACKAGE = ROOT / "libs" / "contracts" / "pyproject.toml"


def contracts_version() -> str:
    version: str = tomllib.loads(CONTRACTS_PACKAGE.read_text())["project"]["version"]
    return version


def release(version: str, out: Path) -> list[Path]:
    """Writes the release files; SystemExit with the reasons when proto/ may not be published."""
    pages, docs = reference.build()
    accepted = baseline(base=os.environ.get("OMS_CONTRACTS_BASE") or "main")
    problems = [
        *reference.problems(pages, docs, reference.REFERENCE_DIR),
        *breaking_changes(accepted.descriptor_set, current_descriptor_set()),
    ]
    if problems:
        sys.exit("not released:\n  " + "\n  ".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    descriptor_set = out / f"oms-contracts-{version}.binpb"
    published = current_descriptor_set(source_info=True, imports=True)
    descriptor_set.write_bytes(published.SerializeToString(deterministic=True))
    reference.write(pages, out / f"oms-contracts-{version}-reference")
    return [descriptor_set, out / f"oms-contracts-{version}-reference"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.release")
    parser.add_argument("--version", default="", help="default: the contracts package's")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    for path in release(args.version or contracts_version(), args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

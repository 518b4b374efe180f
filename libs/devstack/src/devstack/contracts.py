"""Generates the Python contracts from proto/ and guards their compatibility.

python -m devstack.contracts generate   # stubs into libs/contracts/src (part of the build)
python -m devstack.contracts check      # fail if proto/ breaks the baseline on main
python -m devstack.contracts lock       # accept the current protos as the new baseline

The baseline `check` compares against is the lock file as committed where this branch left main
(`git merge-base HEAD main`; `OMS_CONTRACTS_BASE` names another ref, e.g. a release tag), so a
change cannot re-lock its own baseline; outside a git checkout, the working lock file.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import descriptor_pb2

from devstack.compat import breaking_changes

ROOT = Path(__file__).resolve().parents[4]
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / "libs" / "contracts" / "src"
LOCK_FILE = PROTO_DIR / "descriptor-set.lock.binpb"


def proto_files(proto_dir: Path = PROTO_DIR) -> list[str]:
    return sorted(str(p.relative_to(proto_dir)) for p in proto_dir.rglob("*.proto"))


def _protoc(args: list[str], proto_dir: Path = PROTO_DIR) -> None:
    import grpc_tools
    from grpc_tools import protoc

    include = str(Path(grpc_tools.__file__).parent / "_proto")
    # the mypy-protobuf plugins live beside this interpreter, which may not be on PATH
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    argv = ["protoc", f"-I{proto_dir}", f"-I{include}", *args, *proto_files(proto_dir)]
    # the mypy plugins announce every file they write on stdout
    with contextlib.redirect_stdout(sys.stderr):
        failed = protoc.main(argv) != 0
    if failed:
        sys.exit("protoc failed")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in proto_files():
        digest.update(name.encode() + (PROTO_DIR / name).read_bytes())
    return digest.hexdigest()


def generate() -> None:
    """Regenerates the stubs when proto/ changed since the last time."""
    stamp = OUT_DIR / "oms" / ".proto-sha256"
    if stamp.exists() and stamp.read_text() == _fingerprint():
        return
    print("generating contracts from proto/", file=sys.stderr)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    _protoc(
        [
            f"--python_out={OUT_DIR}",
            f"--mypy_out={OUT_DIR}",
            f"--grpc_python_out={OUT_DIR}",
            f"--mypy_grpc_out={OUT_DIR}",
        ]
    )
    package_root = OUT_DIR / "oms"
    for folder in [package_root, *[p for p in package_root.rglob("*") if p.is_dir()]]:
        if folder.name != "__pycache__":
            (folder / "__init__.py").touch()
    (package_root / "py.typed").touch()
    stamp.write_text(_fingerprint())


def current_descriptor_set(
    *, source_info: bool = False, imports: bool = False, proto_dir: Path = PROTO_DIR
) -> descriptor_pb2.FileDescriptorSet:
    """proto/ compiled: with `source_info` its comments, with `imports` the google/protobuf
    files it imports too (a set a reader can decode with alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        flags = [*(["--include_source_info"] * source_info), *(["--include_imports"] * imports)]
        _protoc([f"--descriptor_set_out={out}", *flags], proto_dir)
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


@dataclass(frozen=True)
class Baseline:
    """The descriptor set proto/ must stay compatible with, and where it came from."""

    descriptor_set: descriptor_pb2.FileDescriptorSet
    origin: str


def _git(root: Path, *args: str) -> bytes:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(root.parent)}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return done.stdout


def baseline(root: Path = ROOT, lock_file: Path = LOCK_FILE, base: str = "main") -> Baseline:
    """The lock file as committed at the merge-base of HEAD and `base`: what main has accepted,
    which no change on a branch (nor uncommitted work on main) can re-lock. The working lock
    file when there is no such commit: outside a git checkout, or before main has a lock."""
    relative = lock_file.relative_to(root).as_posix()
    try:
        commit = _git(root, "merge-base", "HEAD", base).decode().strip()
        committed = _git(root, "show", f"{commit}:./{relative}")
    except (OSError, subprocess.CalledProcessError):
        return Baseline(
            descriptor_pb2.FileDescriptorSet.FromString(lock_file.read_bytes()),
            f"{relative} in the working tree (no git baseline on {base})",
        )
    return Baseline(
        descriptor_pb2.FileDescriptorSet.FromString(committed),
        f"{relative} as committed at {commit[:12]} (merge-base with {base})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.contracts")
    parser.add_argument("command", choices=["generate", "check", "lock"])
    command = parser.parse_args().command
    if command == "generate":
        generate()
    elif command == "lock":
        LOCK_FILE.write_bytes(current_descriptor_set().SerializeToString(deterministic=True))
        print(f"wrote {LOCK_FILE.relative_to(ROOT)}")
    else:
        accepted = baseline(base=os.environ.get("OMS_CONTRACTS_BASE") or "main")
        problems = breaking_changes(accepted.descriptor_set, current_descriptor_set())
        for problem in problems:
            print(f"breaking: {problem}")
        print(f"contracts checked against {accepted.origin}: {len(problems)} breaking change(s)")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

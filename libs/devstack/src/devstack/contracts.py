"""Generates the Python contracts from proto/ and guards their compatibility.

python -m devstack.contracts generate   # stubs into libs/contracts/src (part of the build)
python -m devstack.contracts check      # fail if proto/ breaks the committed descriptor set
python -m devstack.contracts lock       # accept the current protos as the new baseline
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from google.protobuf import descriptor_pb2

from devstack.compat import breaking_changes

ROOT = Path(__file__).resolve().parents[4]
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / "libs" / "contracts" / "src"
LOCK_FILE = PROTO_DIR / "descriptor-set.lock.binpb"


def proto_files() -> list[str]:
    return sorted(str(p.relative_to(PROTO_DIR)) for p in PROTO_DIR.rglob("*.proto"))


def _protoc(args: list[str]) -> None:
    import grpc_tools
    from grpc_tools import protoc

    include = str(Path(grpc_tools.__file__).parent / "_proto")
    # the mypy-protobuf plugins live beside this interpreter, which may not be on PATH
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    argv = ["protoc", f"-I{PROTO_DIR}", f"-I{include}", *args, *proto_files()]
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


def current_descriptor_set() -> descriptor_pb2.FileDescriptorSet:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        _protoc([f"--descriptor_set_out={out}"])
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


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
        baseline = descriptor_pb2.FileDescriptorSet.FromString(LOCK_FILE.read_bytes())
        problems = breaking_changes(baseline, current_descriptor_set())
        for problem in problems:
            print(f"breaking: {problem}")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

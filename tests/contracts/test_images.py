"""The images a platform team runs: a pinned base, built in two stages (the code generators stay
in the builder), run as an unprivileged user, from a build context without local state. (No
Docker engine here: the images themselves are proven by the installed-package test in
libs/servicehost/tests/integration/test_installed_package.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devstack.topology import BUSINESS_SERVICES, CONNECTORS

ROOT = Path(__file__).parents[2]
SERVICE_IMAGE = ROOT / "deploy" / "service.Dockerfile"
DOCKERFILES = [SERVICE_IMAGE, ROOT / "deploy" / "trust" / "Dockerfile"]
# an exact patch release of a slim image: no floating `3.11-slim` or `latest`
PINNED_BASE = re.compile(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim-[a-z]+$", re.MULTILINE)


def runtime_stage(dockerfile: Path) -> str:
    """The final stage: everything after the last FROM."""
    return dockerfile.read_text().rsplit("\nFROM ", 1)[1]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_the_base_image_is_pinned(dockerfile: Path) -> None:
    text = dockerfile.read_text()
    assert PINNED_BASE.search(text)
    assert all(
        line.startswith("FROM ${PYTHON_IMAGE}") for line in re.findall("^FROM .*", text, re.M)
    )


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_the_runtime_stage_has_no_build_tools_and_runs_unprivileged(dockerfile: Path) -> None:
    final = runtime_stage(dockerfile)
    assert "AS build" in dockerfile.read_text(), "contracts are generated in a builder stage"
    for tool in ("grpcio-tools", "mypy-protobuf", "COPY libs", "COPY proto", "apt-get"):
        assert tool not in final
    assert "--no-index" in final, "the runtime installs only the builder's wheels"
    assert re.search(r"^USER 10001:10001$", final, re.MULTILINE), "a numeric, non-root user"


def test_the_build_context_leaves_out_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    for entry in (".git", ".venv", ".run", ".cache", "**/tests", "bench", "**/__pycache__"):
        assert entry in ignored


def test_every_process_is_built_from_the_one_service_image() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    for name in (*BUSINESS_SERVICES, *CONNECTORS, "gateway", "web"):
        build = f"dockerfile: deploy/service.Dockerfile, args: {{SERVICE: {name}}}"
        assert build in compose, name
    assert not list((ROOT / "services").glob("*/Dockerfile")), "one recipe, not a copy each"

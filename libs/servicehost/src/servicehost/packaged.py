"""Where a service's migrations live: inside its own package, beside its code.

Each service ships `alembic.ini` and `migrations/` as package data, so an installed wheel (a
container image, a virtualenv) migrates exactly as the source tree does: nothing is looked up
relative to a checkout that a deployment does not have."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


class MigrationsMissing(RuntimeError):
    """The package was built or installed without its migrations (its package data)."""


def alembic_ini(package: str) -> Path:
    """The `alembic.ini` shipped in `package`; its `migrations/` folder sits beside it."""
    # Alembic reads real files (the ini, env.py, the versions), so the package must be installed
    # unzipped: wheels are, and zipapps are not supported.
    path = Path(str(files(package) / "alembic.ini"))
    if not path.is_file() or not (path.parent / "migrations" / "env.py").is_file():
        raise MigrationsMissing(
            f"{package} has no alembic.ini and migrations/ at {path.parent}: "
            "its package data was left out of the build"
        )
    return path

"""Where the local stack keeps its downloads (.cache/) and its state (.run/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
CACHE = ROOT / ".cache"
RUN = ROOT / ".run"
KAFKA_DEPLOY = ROOT / "deploy" / "kafka"


def alembic_ini(service: str) -> Path:
    """A service's Alembic configuration in the source tree. It lives inside the package, beside
    its `migrations/` folder, so the built wheel carries both (servicehost.packaged finds them in
    an installed package); new revisions are written here."""
    return ROOT / "services" / service / "src" / service / "alembic.ini"

"""Where the local stack keeps its downloads (.cache/) and its state (.run/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
CACHE = ROOT / ".cache"
RUN = ROOT / ".run"
KAFKA_DEPLOY = ROOT / "deploy" / "kafka"

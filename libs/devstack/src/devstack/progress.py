"""Progress of the slow steps of `make run` and `make test`: pip installing the pinned packages,
Maven fetching Kafka's jars. Their own output is hundreds of lines (or, quieted, nothing for a
minute); this counts the lines that mark one more package or jar and shows how far along it
is: one line rewritten in place on a terminal, a line every tenth of the way in a log. Lines
that are not progress are dropped, except errors and warnings, which pass through.

Standard library only: deploy/setup.sh runs it before the virtualenv has our packages.

    pip install ... | python -m devstack.progress pip --total 119
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from typing import TextIO

_MAVEN_DOWNLOADED = re.compile(
    r"^(?:\[INFO\] )?Downloaded from [^:]+: \S+/([^/\s]+\.jar) \((\d+(?:\.\d+)?) (B|kB|MB|GB) at "
)
_PIP_STARTED = re.compile(r"^(?:Collecting|Obtaining) ([^\s<>=!~;\[]+)")
_SIZES = {"B": 1, "kB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000}
_PASSED = re.compile(r"^(?:ERROR|WARNING|\[ERROR\]|\[FATAL\])")


@dataclass(frozen=True)
class Unit:
    """One more of what is being counted: a jar (with its size) or a package."""

    name: str
    size: int = 0


def maven_jar(line: str) -> Unit | None:
    """A jar Maven finished downloading (`Downloaded from central: <url>.jar (1.2 MB at ...)`)."""
    found = _MAVEN_DOWNLOADED.match(line.strip())
    if found is None:
        return None
    return Unit(found[1], round(float(found[2]) * _SIZES[found[3]]))


def pip_package(line: str) -> Unit | None:
    """A package pip started on: `Collecting grpcio==1.70.0 ...` or `Obtaining file:///...`."""
    found = _PIP_STARTED.match(line.strip())
    if found is None:
        return None
    return Unit(found[1].rstrip("/").rsplit("/", 1)[-1])


def describe(done: int, total: int, noun: str, size: int = 0, last: str = "") -> str:
    """`57/140 jars, 31.2 MB: kafka-clients-4.3.1.jar`; without a total (0), `57 jars`. A total
    is an estimate: it never shows less than what is done."""
    text = f"{done}/{max(total, done)} {noun}" if total else f"{done} {noun}"
    if size:
        text += f", {size / 1_000_000:.1f} MB"
    return f"{text}: {last}" if last else text


@dataclass
class Progress:
    """Counts units and shows how far along they are on `out`."""

    noun: str
    total: int = 0
    out: TextIO = field(default_factory=lambda: sys.stderr)
    tty: bool | None = None
    start: int = 0  # as many already there: the count goes on from them to `total`
    done: int = 0
    size: int = 0
    began: float = field(default_factory=time.monotonic)
    _tenths: int = 0

    def __post_init__(self) -> None:
        if self.tty is None:
            self.tty = self.out.isatty()
        self.done = self.start
        self._tenths = self.start * 10 // self.total if self.total else 0

    def advance(self, unit: Unit) -> None:
        self.done += 1
        self.size += unit.size
        line = describe(self.done, self.total, self.noun, self.size, unit.name)
        if self.tty:
            self.out.write(f"\r\033[K    {line}")
        else:
            # a log gets a line every tenth of the way, or every 25 without a total
            tenths = self.done * 10 // self.total if self.total else (self.done - self.start) // 25
            if tenths > self._tenths:
                self._tenths = tenths
                self.out.write(f"    {line}\n")
        self.out.flush()

    def note(self, line: str) -> None:
        """A line of the tool's that is not progress (an error), on its own line."""
        self.out.write(("\r\033[K" if self.tty else "") + line.rstrip("\n") + "\n")
        if self.tty and self.done:
            self.out.write(f"    {describe(self.done, self.total, self.noun, self.size)}")
        self.out.flush()

    def finish(self) -> None:
        seconds = time.monotonic() - self.began
        ending = "\r\033[K" if self.tty else ""
        summary = describe(self.done - self.start, 0, self.noun, self.size)
        if self.done == self.start and self.start:
            summary = f"none new: {self.start} {self.noun} already in place"
        self.out.write(f"{ending}    {summary} in {seconds:.0f}s\n")
        self.out.flush()


def follow(lines: Iterable[str], counted: Callable[[str], Unit | None], progress: Progress) -> None:
    """Feeds a tool's output to `progress`: its units advance it, its errors pass through."""
    for line in lines:
        unit = counted(line)
        if unit is not None:
            progress.advance(unit)
        elif _PASSED.match(line.strip()):
            progress.note(line)
        elif (stage := pip_stage(line)) is not None:
            progress.note(f"    {stage}")
    progress.finish()


def pip_stage(line: str) -> str | None:
    """What pip does once every package is there, which takes a while and counts nothing."""
    if line.startswith("Installing collected packages: "):
        names = line.partition(": ")[2].split(",")
        return f"installing {len(names)} packages..."
    if line.startswith("Building wheels for collected packages: "):
        return "building wheels..."
    return None


COUNTERS = {"pip": (pip_package, "packages"), "maven": (maven_jar, "jars")}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.progress", description=__doc__)
    parser.add_argument("tool", choices=sorted(COUNTERS))
    parser.add_argument("--total", type=int, default=0, help="how many in all (0: unknown)")
    parser.add_argument(
        "--start-installed",
        action="store_true",
        help="count on from the packages installed (but pip and editable ones)",
    )
    args = parser.parse_args()
    counted, noun = COUNTERS[args.tool]
    start = installed_packages() if args.start_installed else 0
    follow(sys.stdin, counted, Progress(noun, args.total, start=start))


def installed_packages() -> int:
    """Packages installed in this Python's environment, but pip (which no one pins) and the
    editable ones (the project's own, which pip obtains again on every install)."""
    names = {
        dist.metadata["Name"].lower()
        for dist in metadata.distributions()
        if '"editable": true' not in (dist.read_text("direct_url.json") or "")
    }
    return len(names - {"pip"})


if __name__ == "__main__":
    main()

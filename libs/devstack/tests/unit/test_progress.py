"""The progress of setup's slow steps, read from the tools' real output lines."""

from __future__ import annotations

import io

from devstack.progress import Progress, Unit, describe, follow, maven_jar, pip_package

# Lines as Maven 3.8 prints them in batch mode (-B), and pip 25 without -q.
MAVEN = """\
[INFO] Scanning for projects...
[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.pom
[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.pom (1.9 kB at 12 kB/s)
[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.jar
[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.jar (11 MB at 5.2 MB/s)
[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar (41 kB at 98 kB/s)
[ERROR] Failed to execute goal: Could not resolve dependencies
"""  # noqa: E501
PIP = """\
Collecting fastapi (from -r requirements-dev.txt (line 2))
  Downloading fastapi-0.165.0-py3-none-any.whl.metadata (28 kB)
Collecting grpcio==1.70.0
Collecting pygments>=2.15 (from rich>=12.0.0->typer)
  Using cached grpcio-1.70.0-cp311-cp311-manylinux_2_17_x86_64.whl (5.9 MB)
Obtaining file:///work/main/libs/pricing
Requirement already satisfied: idna>=2.8 in ./.venv/lib/python3.11/site-packages
WARNING: pip is looking at multiple versions of grpcio to determine which version is compatible
Installing collected packages: grpcio, fastapi
"""


def test_maven_jars_are_counted_with_their_size_and_poms_are_not() -> None:
    units = [u for u in map(maven_jar, MAVEN.splitlines()) if u is not None]
    assert units == [
        Unit("kafka-clients-4.3.1.jar", 11_000_000),
        Unit("slf4j-api-1.7.36.jar", 41_000),
    ]


def test_pip_counts_each_package_it_collects_or_obtains() -> None:
    names = [u.name for u in map(pip_package, PIP.splitlines()) if u is not None]
    assert names == ["fastapi", "grpcio", "pygments", "pricing"]


def test_describe_shows_how_far_along_never_past_the_total() -> None:
    assert describe(57, 140, "jars", 31_234_567, "kafka-clients-4.3.1.jar") == (
        "57/140 jars, 31.2 MB: kafka-clients-4.3.1.jar"
    )
    assert describe(150, 140, "jars") == "150/150 jars", "the total is only an estimate"
    assert describe(3, 0, "packages") == "3 packages"


def test_a_log_gets_a_line_per_tenth_and_the_errors_pass_through() -> None:
    out = io.StringIO()
    follow(MAVEN.splitlines(), maven_jar, Progress("jars", total=2, out=out, tty=False))
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "    1/2 jars, 11.0 MB: kafka-clients-4.3.1.jar",
        "    2/2 jars, 11.0 MB: slf4j-api-1.7.36.jar",
        "[ERROR] Failed to execute goal: Could not resolve dependencies",
    ]
    assert lines[3].startswith("    2 jars, 11.0 MB in ")
    assert len(lines) == 4, "nothing else of Maven's"


def test_a_terminal_gets_one_line_rewritten_in_place() -> None:
    out = io.StringIO()
    follow(PIP.splitlines(), pip_package, Progress("packages", total=119, out=out, tty=True))
    text = out.getvalue()
    assert "\r\x1b[K    4/119 packages: pricing" in text
    assert "WARNING: pip is looking at multiple versions" in text
    assert "\r\x1b[K    installing 2 packages...\n" in text, "a slow stage that counts nothing"
    assert text.count("\n") == 3, "the warning, the stage and the summary end lines; progress not"
    assert text.endswith(" in 0s\n")


def test_the_count_goes_on_from_what_is_already_installed() -> None:
    out = io.StringIO()
    follow(PIP.splitlines(), pip_package, Progress("packages", 136, out, tty=False, start=120))
    lines = out.getvalue().splitlines()
    assert lines[0] == "    123/136 packages: pygments", "a line on reaching the next tenth only"
    assert lines[-1].startswith("    4 packages in "), "what this run installed"


def test_nothing_to_do_says_what_is_in_place() -> None:
    out = io.StringIO()
    follow(
        ["Requirement already satisfied: idna"],
        pip_package,
        Progress("packages", 136, out, False, 119),
    )
    assert out.getvalue().startswith("    none new: 119 packages already in place in ")

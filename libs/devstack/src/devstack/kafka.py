"""A real Apache Kafka broker (KRaft, single node) from Maven Central jars, run as a JVM process,
reachable only over mutual TLS with certificates from the project's CA (devstack.pki), and
authorizing every request by ACLs (devstack.kafka_acls).

python -m devstack.kafka fetch                 # resolve the jars once (cached in .cache/)
python -m devstack.kafka console-consumer --topic oms.orders.sales-order.v1 --from-beginning
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from devstack.paths import CACHE, KAFKA_DEPLOY, RUN
from devstack.pki import BROKER, OPERATOR, Pki
from devstack.process import dying_with_parent
from devstack.progress import Progress, follow, maven_jar
from messaging.kafka import KafkaAccess

LIBS = CACHE / "kafka-libs"
REPOSITORY = CACHE / "m2"
# Jars a first fetch downloads into an empty repository (the broker's and Maven's plugins),
# counted for deploy/kafka/pom.xml: the total its progress shows, an estimate only.
FIRST_FETCH_JARS = 140
CLASSPATH = f"{LIBS}/*"
POM = KAFKA_DEPLOY / "pom.xml"


def fetch() -> None:
    """Copies the broker's jars (and Kafka's console tools) from Maven Central, once per POM,
    showing how far along the download is; silent when they are already there."""
    stamp = LIBS / ".pom-sha256"
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    cold = not any(REPOSITORY.rglob("*.jar"))
    print(f"\n==> fetching Kafka's jars from Maven Central with Maven, into {LIBS}", flush=True)
    if LIBS.exists():
        shutil.rmtree(LIBS)
    goal = ["dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={LIBS}"]
    _maven(goal, Progress("jars downloaded", FIRST_FETCH_JARS if cold else 0))
    stamp.write_text(digest)
    print(f"    {len(list(LIBS.glob('*.jar')))} jars in {LIBS}", flush=True)


def _maven(goal: list[str], progress: Progress) -> None:
    """Runs Maven, its download lines counted by `progress`; all it said, when it fails."""
    said: deque[str] = deque(maxlen=80)
    command = [
        "mvn",
        "-B",
        "-Dstyle.color=never",
        f"-Dmaven.repo.local={REPOSITORY}",
        "-f",
        str(POM),
        *goal,
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as maven:
        assert maven.stdout is not None
        follow(_kept(maven.stdout, said), maven_jar, progress)
    if maven.returncode != 0:
        print("".join(said), file=sys.stderr, flush=True)
        raise subprocess.CalledProcessError(maven.returncode, command)


def _kept(lines: Iterable[str], said: deque[str]) -> Iterator[str]:
    for line in lines:
        said.append(line)
        yield line


def cluster_id() -> str:
    """Kafka's cluster id format: 16 random bytes, base64url without padding, not starting '-'."""
    while True:
        value = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not value.startswith("-"):
            return value


def render_config(port: int, controller_port: int, data: Path, pki: Pki) -> str:
    template = (KAFKA_DEPLOY / "server.properties.tmpl").read_text()
    return (
        template.replace("@PORT@", str(port))
        .replace("@CPORT@", str(controller_port))
        .replace("@DATA@", str(data))
        .replace("@KEYSTORE@", str(pki.keystore(BROKER)))
        .replace("@TRUSTSTORE@", str(pki.ca_file))
        .replace("@BROKER@", BROKER)
        .replace("@OPERATOR@", OPERATOR)
    )


def client_properties(pki: Pki, name: str) -> Path:
    """A Java client config presenting `name`'s certificate, for Kafka's own console tools."""
    path = pki.folder / f"{name}.client.properties"
    path.write_text(
        "security.protocol=SSL\n"
        f"ssl.keystore.type=PEM\nssl.keystore.location={pki.keystore(name)}\n"
        f"ssl.truststore.type=PEM\nssl.truststore.location={pki.ca_file}\n"
    )
    return path


class KafkaBroker:
    """One broker+controller in `data_dir`; reuses a formatted folder on the same ports."""

    def __init__(self, data_dir: Path, port: int, controller_port: int, pki: Pki) -> None:
        self.data_dir = data_dir
        self.port = port
        self.controller_port = controller_port
        self.pki = pki
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def operator(self) -> KafkaAccess:
        """The operator's access: a super user, for provisioning and tools."""
        return KafkaAccess.of(self.bootstrap, self.pki.files(OPERATOR))

    def start(self, timeout: float = 90.0) -> None:
        fetch()
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "server.properties"
        rendered = render_config(self.port, self.controller_port, self.data_dir, self.pki)
        formatted = (self.data_dir / "kraft-combined-logs" / "meta.properties").exists()
        if formatted and config.exists() and config.read_text() != rendered:
            shutil.rmtree(self.data_dir / "kraft-combined-logs")  # ports changed: start afresh
            formatted = False
        config.write_text(rendered)
        java = ["java", f"-Dlog4j2.configurationFile={KAFKA_DEPLOY / 'tools-log4j2.properties'}"]
        if not formatted:
            subprocess.run(
                [*java, "-cp", CLASSPATH, "kafka.tools.StorageTool", "format",
                 "-t", cluster_id(), "-c", str(config)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        with (logs / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(
                dying_with_parent(
                    ["java", "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                     "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                     "-Djava.awt.headless=true",
                     f"-Dkafka.logs.dir={logs}",
                     f"-Dlog4j2.configurationFile={KAFKA_DEPLOY / 'log4j2.properties'}",
                     "-cp", CLASSPATH, "kafka.Kafka", str(config)]
                ),
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        # The client port opens only once the broker is unfenced and serving.
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Kafka exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(
                        f"Kafka not ready in {timeout}s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        log = self.data_dir / "logs" / "server.log"
        return "\n".join(log.read_text().splitlines()[-lines:]) if log.exists() else "(no log)"

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def console_consumer(
    bootstrap: str,
    pki: Pki,
    topic: str,
    from_beginning: bool,
    max_messages: int | None,
    timeout_ms: int | None,
) -> None:
    """Kafka's own console consumer, printing each record's key and headers."""
    fetch()
    args = ["java", f"-Dlog4j2.configurationFile={KAFKA_DEPLOY / 'tools-log4j2.properties'}",
            "-cp", CLASSPATH, "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "--bootstrap-server", bootstrap, "--topic", topic,
            "--consumer.config", str(client_properties(pki, OPERATOR)),
            "--formatter-property", "print.headers=true",
            "--formatter-property", "print.key=true",
            "--formatter-property", "print.timestamp=true"]  # fmt: skip
    if from_beginning:
        args.append("--from-beginning")
    if max_messages is not None:
        args += ["--max-messages", str(max_messages)]
    if timeout_ms is not None:
        args += ["--timeout-ms", str(timeout_ms)]
    os.execvp("java", args)


def _running_stack() -> dict[str, str]:
    state = RUN / "stack.json"
    if state.exists():
        found: dict[str, str] = json.loads(state.read_text())
        return found
    sys.exit("no running stack (.run/stack.json); pass --bootstrap-server and --pki")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.kafka")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="resolve the broker's jars from Maven Central")
    consume = sub.add_parser("console-consumer", help="read a topic with Kafka's console consumer")
    consume.add_argument("--topic", required=True)
    consume.add_argument("--from-beginning", action="store_true")
    consume.add_argument("--bootstrap-server")
    consume.add_argument(
        "--pki", type=Path, help="the folder devstack.pki made (default: the stack's)"
    )
    consume.add_argument("--max-messages", type=int)
    consume.add_argument("--timeout-ms", type=int, help="stop after this long without a record")
    args = parser.parse_args()
    if args.command == "fetch":
        fetch()
    else:
        stack = {} if args.bootstrap_server and args.pki else _running_stack()
        bootstrap = args.bootstrap_server or stack["kafka_bootstrap"]
        pki = Pki(args.pki or Path(stack["pki"]))
        console_consumer(
            bootstrap, pki, args.topic, args.from_beginning, args.max_messages, args.timeout_ms
        )


if __name__ == "__main__":
    main()

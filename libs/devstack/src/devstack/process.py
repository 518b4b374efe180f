"""Child processes that never outlive the local stack's supervisor."""

import socket
from collections.abc import Sequence


def dying_with_parent(command: Sequence[str]) -> list[str]:
    """`command`, SIGTERMed when the supervisor dies, however it dies: util-linux's setpriv sets
    the parent-death signal in the child and execs the command. (A preexec_fn doing the same ran
    Python between fork and exec, where the test runner's gRPC threads' fork handlers could
    deadlock the fork; without one, subprocess spawns without running them.) A supervisor
    killed in the instant before setpriv sets the signal leaves that one child running."""
    return ["setpriv", "--pdeathsig", "TERM", "--", *command]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0

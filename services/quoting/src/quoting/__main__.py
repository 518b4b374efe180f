from messaging.host import run
from quoting.bootstrap import SPEC
from quoting.config import Settings

run(SPEC, Settings())  # required fields come from the environment

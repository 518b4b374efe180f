from quoting.bootstrap import SPEC
from quoting.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

from billing.bootstrap import SPEC
from billing.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

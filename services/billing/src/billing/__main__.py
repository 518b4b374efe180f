from billing.bootstrap import SPEC
from billing.config import Settings
from messaging.host import run

run(SPEC, Settings())  # required fields come from the environment

from catalog.bootstrap import SPEC
from catalog.config import Settings
from messaging.host import run

run(SPEC, Settings())  # required fields come from the environment

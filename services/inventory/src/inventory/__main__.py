from inventory.bootstrap import SPEC
from inventory.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

from catalog.bootstrap import SPEC
from catalog.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

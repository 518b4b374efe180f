from procurement.bootstrap import SPEC
from procurement.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

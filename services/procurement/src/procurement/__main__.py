from messaging.host import run
from procurement.bootstrap import SPEC
from procurement.config import Settings

run(SPEC, Settings())  # required fields come from the environment

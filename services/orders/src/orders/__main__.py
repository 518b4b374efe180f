from orders.bootstrap import SPEC
from orders.config import Settings
from servicehost.host import run

run(SPEC, Settings())  # required fields come from the environment

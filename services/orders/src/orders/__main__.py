from messaging.host import run
from orders.bootstrap import SPEC
from orders.config import Settings

run(SPEC, Settings())  # required fields come from the environment

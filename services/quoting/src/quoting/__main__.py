import gc

from quoting.bootstrap import SPEC
from quoting.config import Settings
from servicehost.host import run

# What is loaded by now lives as long as the process: frozen, the collector's full passes skip
# it instead of walking it all again each time a large quote's objects pile up (they took about
# a tenth of the service's CPU on 1,000-line quotes).
gc.freeze()
run(SPEC, Settings())  # required fields come from the environment

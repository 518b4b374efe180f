from woocommerce.bootstrap import run
from woocommerce.config import Settings

run(Settings())  # required fields come from the environment

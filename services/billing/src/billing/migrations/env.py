from alembic import context

import billing.adapters.dunning_tables  # noqa: F401  (dunning's tables join the metadata)
from billing.adapters.tables import metadata
from servicekit.db import run_migrations_online

run_migrations_online(context.config, metadata)

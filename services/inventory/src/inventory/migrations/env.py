from alembic import context

from inventory.adapters.tables import metadata
from servicekit.db import run_migrations_online

run_migrations_online(context.config, metadata)

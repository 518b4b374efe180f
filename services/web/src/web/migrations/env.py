from alembic import context

from servicekit.db import run_migrations_online
from web.adapters.tables import metadata

run_migrations_online(context.config, metadata)

#!/bin/sh
# One database per process, each owned by a login role of its own whose password compose hands in
# as <NAME>_DB_PASSWORD (required: no defaults). The postgres image runs this once, on an empty
# volume; the superuser (POSTGRES_PASSWORD) is used for nothing else.
set -eu
for name in catalog quoting orders inventory billing procurement woocommerce gateway web; do
  variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password="$(printenv "$variable")" || { echo "$variable is required" >&2; exit 1; }
  # psql quotes the values (:"name" an identifier, :'password' a literal)
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v name="oms_$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
-- only its owner may connect: no service reads another's database
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done

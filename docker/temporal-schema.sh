#!/bin/sh
# One-shot schema setup for the Temporal server's PostgreSQL, run by the `temporal-schema` service
# in the temporalio/admin-tools image before the server starts. This is what the deprecated
# temporalio/auto-setup image did at every start; Temporal now ships the server image without it
# and runs these steps as a separate job (temporalio/samples-server, compose/scripts/setup-postgres.sh
# and compose/docker-compose-postgres.yml).
#
# Safe to re-run on every `docker compose up`: `create` treats an existing database as done,
# `setup-schema -v 0.0` leaves an already versioned schema alone, and `update-schema` applies only
# the versions newer than the database's, so an upgraded admin-tools image migrates in place.
# temporal-sql-tool reads the password from SQL_PASSWORD.
set -eu

SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

# The persistence database (workflow histories, task queues) and the visibility database (what
# `temporal workflow list` and the UI search), each with its own versioned schema.
sql_tool --db temporal create
sql_tool --db temporal setup-schema -v 0.0
sql_tool --db temporal update-schema -d "$SCHEMA_DIR/temporal/versioned"

sql_tool --db temporal_visibility create
sql_tool --db temporal_visibility setup-schema -v 0.0
sql_tool --db temporal_visibility update-schema -d "$SCHEMA_DIR/visibility/versioned"

echo 'temporal-schema: both databases are at the schema version of this admin-tools image'

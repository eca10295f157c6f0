#!/usr/bin/env bash
# Backups of a hub database, with or without TimescaleDB.
#
#   scripts/backup.sh dump    <database-url> <file>   a custom-format pg_dump of everything
#   scripts/backup.sh restore <file> <database-url>   into an existing, empty database
#
# A TimescaleDB database is restored the way TimescaleDB asks: the extension first, then
# timescaledb_pre_restore(), pg_restore, timescaledb_post_restore(), so the hypertable's chunks,
# the continuous aggregates and their materialized rows, compression and the policies' jobs come
# back as they were. The server restored to needs the same TimescaleDB version as the dumped one
# (and it preloaded). Stop the hub instances on the target before restoring; start them after.
# pg_dump, pg_restore and psql of the server's major version (or newer) must be on PATH.
set -euo pipefail

die() { echo "backup.sh: $*" >&2; exit 1; }
usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

dump() {
  local url=$1 file=$2
  # TimescaleDB's catalog has circular foreign keys: pg_dump warns about them, and restore() below
  # is how such a dump restores
  pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
  echo "backup.sh: dumped to $file ($(du -h "$file" | cut -f1))" >&2
}

restore() {
  local file=$1 url=$2
  [ -r "$file" ] || die "cannot read $file"
  local tables
  tables=$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  [ "$tables" = "0" ] || die "the target database has $tables tables; restore only into an empty database"
  local contents
  contents=$(pg_restore --list "$file") || die "$file is not a dump pg_restore can read"
  # (not `pg_restore --list | grep -q`: grep stops reading early, and pipefail takes the broken pipe as a no)
  if grep -qE ' EXTENSION - timescaledb( |$)' <<<"$contents"; then
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE EXTENSION IF NOT EXISTS timescaledb" -c "SELECT timescaledb_pre_restore()" >/dev/null \
      || die "TimescaleDB could not be prepared on the target (is it installed and preloaded there?)"
    if ! pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$file"; then
      psql -X -q -d "$url" -c "SELECT timescaledb_post_restore()" >/dev/null || true
      die "pg_restore failed; the target is left as it is for inspection"
    fi
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "SELECT timescaledb_post_restore()" -c "ANALYZE" >/dev/null
  else
    pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$file" || die "pg_restore failed"
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "ANALYZE" >/dev/null
  fi
  echo "backup.sh: restored $file" >&2
}

case "${1:-}" in
  dump) [ $# -eq 3 ] || usage; dump "$2" "$3" ;;
  restore) [ $# -eq 3 ] || usage; restore "$2" "$3" ;;
  *) usage ;;
esac

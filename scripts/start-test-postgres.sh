#!/usr/bin/env bash
# Start Debian's PostgreSQL and make sure the test role and database exist; print the URL for
# REMPART_TEST_POSTGRES_URL. Prints nothing (and exits 0) when it cannot: the store tests then
# say why they skip (or fail under CI).
set -uo pipefail
user=rempart password=rempart database=rempart_test
url="postgresql+psycopg://${user}:${password}@127.0.0.1:5432/${database}"
command -v pg_lsclusters >/dev/null || { echo "start-test-postgres: PostgreSQL is not installed" >&2; exit 0; }
[[ $(id -u) -eq 0 ]] || { echo "start-test-postgres: need root to start PostgreSQL" >&2; exit 0; }
if ! pg_lsclusters --no-header 2>/dev/null | grep -q online; then
  if ! pg_lsclusters --no-header 2>/dev/null | grep -q .; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$version" main >/dev/null 2>&1
  fi
  service postgresql start >/dev/null 2>&1 || pg_ctlcluster "$(pg_lsclusters --no-header | awk 'NR==1{print $1}')" main start >/dev/null 2>&1
fi
psql_as_postgres() { su postgres -s /bin/sh -c "psql -X -q -v ON_ERROR_STOP=1 -tA -c \"$1\"" 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8 9 10; do psql_as_postgres "select 1" >/dev/null && break; sleep 1; done
if [[ -z $(psql_as_postgres "select 1 from pg_roles where rolname='${user}'") ]]; then
  psql_as_postgres "create role ${user} login password '${password}'" >/dev/null || { echo "start-test-postgres: cannot create the role" >&2; exit 0; }
fi
if [[ -z $(psql_as_postgres "select 1 from pg_database where datname='${database}'") ]]; then
  psql_as_postgres "create database ${database} owner ${user}" >/dev/null || { echo "start-test-postgres: cannot create the database" >&2; exit 0; }
fi
echo "$url"

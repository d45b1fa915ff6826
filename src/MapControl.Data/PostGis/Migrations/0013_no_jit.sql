-- Migration 0013: no JIT compilation in this database's sessions.
-- PostGIS functions carry high costs, so short queries (one vector tile, a KPI) pass jit_above_cost and spent about a second
-- compiling for a fraction of a second of work (EXPLAIN ANALYZE of a tracks tile: JIT 1,067 ms of 1,797 ms; docs/PERFORMANCE.md).
-- Set on the database rather than by each client's startup options, so that it also holds behind a connection pooler
-- (PgBouncer refuses unknown startup options). A role that may not alter the database keeps JIT and is told so.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit stays on: only the owner of database % or a superuser may ALTER DATABASE … SET jit = off', current_database();
END
$$;

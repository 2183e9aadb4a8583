-- The shared platform's layout, run once by the database's administrator in
-- database `citytwin` (scripts/pg-cluster.sh does it on a new cluster):
-- PostGIS, one schema per department plus `twin`, and one login role each.
--
--   schema     owner (the only role that writes it)   read by
--   transport  citytwin_transport                      every platform role
--   energy     citytwin_energy                         every platform role
--   planning   citytwin_planning                       every platform role
--   twin       citytwin_twin                           every platform role
--
-- A department publishes by creating tables in its own schema; the default
-- privileges below make each new table readable by the other roles at once.
-- A department keeps a table private with REVOKE SELECT ... FROM <role>.
-- `twin_staging` (owned by citytwin_twin, read by nobody else) holds a
-- results set while it is written; it moves into `twin` in one transaction.
--
-- No passwords here: the roles are created without one and given theirs from
-- outside (pg-cluster.sh writes random ones to a pgpass file). Idempotent.

\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS postgis;

DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['citytwin_transport', 'citytwin_energy', 'citytwin_planning', 'citytwin_twin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', r);
    END IF;
  END LOOP;
END $$;

-- Nobody but the administrator creates anything outside the platform schemas.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE, TEMPORARY ON DATABASE citytwin FROM PUBLIC;
GRANT CONNECT ON DATABASE citytwin TO citytwin_transport, citytwin_energy, citytwin_planning, citytwin_twin;

CREATE SCHEMA IF NOT EXISTS transport AUTHORIZATION citytwin_transport;
CREATE SCHEMA IF NOT EXISTS energy AUTHORIZATION citytwin_energy;
CREATE SCHEMA IF NOT EXISTS planning AUTHORIZATION citytwin_planning;
CREATE SCHEMA IF NOT EXISTS twin AUTHORIZATION citytwin_twin;
CREATE SCHEMA IF NOT EXISTS twin_staging AUTHORIZATION citytwin_twin;

-- Each schema: its owner writes, the others read (usage on the schema, select
-- on today's tables and on every table its owner creates later).
DO $$
DECLARE
  s text;
  owner text;
  reader text;
  everyone text[] := ARRAY['citytwin_transport', 'citytwin_energy', 'citytwin_planning', 'citytwin_twin'];
BEGIN
  FOREACH s IN ARRAY ARRAY['transport', 'energy', 'planning', 'twin'] LOOP
    owner := 'citytwin_' || s;
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
    FOREACH reader IN ARRAY everyone LOOP
      CONTINUE WHEN reader = owner;
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, reader);
      EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, reader);
      EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO %I', owner, s, reader);
    END LOOP;
  END LOOP;
END $$;
REVOKE ALL ON SCHEMA twin_staging FROM PUBLIC;

-- Which results sets `twin` holds (one row per `citytwin publish --results`):
-- the tables and views of each, so a newer set of the same name replaces
-- exactly the old one.
CREATE TABLE IF NOT EXISTS twin.results_sets (
  name text PRIMARY KEY,
  relations text[] NOT NULL,
  source text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE twin.results_sets OWNER TO citytwin_twin;
GRANT SELECT ON twin.results_sets TO citytwin_transport, citytwin_energy, citytwin_planning;

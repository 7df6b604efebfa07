--! Previous: sha1:a071509ee0923fac5acd0ac60b42bce78c0de9d7
--! Hash: sha1:eadcf6702a671fb5c2c19e056c107e90bf175d95
--! Message: identity

-- Identity: user accounts with their roles, and sign-in sessions (refresh-token families).
-- Idempotent, as graphile-migrate re-runs current.sql on every change; also replayed by pg-mem in tests, so no
-- plpgsql, triggers or expression indexes here.

create table if not exists users (
  id uuid primary key,
  -- Normalised (trimmed, lower-cased) by the domain before it gets here; unique as stored.
  email text not null constraint users_email_key unique,
  name text not null,
  -- A self-describing PHC string (argon2id and its parameters), never the password.
  password_hash text not null,
  failed_logins integer not null default 0 constraint users_failed_logins_check check (failed_logins >= 0),
  locked_until timestamptz,
  -- Optimistic concurrency: every committed change to the aggregate bumps it by exactly one.
  version integer not null default 1,
  created_at timestamptz not null default now()
);

create table if not exists user_roles (
  user_id uuid not null constraint user_roles_user_id_fkey references users (id) on delete cascade,
  role text not null constraint user_roles_role_check check (role <> ''),
  primary key (user_id, role)
);

-- One row per sign-in: a refresh-token family. Only the hash of its current refresh token is stored.
create table if not exists sessions (
  id uuid primary key,
  user_id uuid not null constraint sessions_user_id_fkey references users (id) on delete cascade,
  token_hash text not null constraint sessions_token_hash_key unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now()
);

-- Revoking every session of a user (password change) looks them up by user.
create index if not exists sessions_user_id_idx on sessions (user_id);

-- Hashes of refresh tokens rotated away: presenting one again is a replay that revokes its whole family.
create table if not exists retired_refresh_tokens (
  token_hash text primary key,
  session_id uuid not null constraint retired_refresh_tokens_session_id_fkey references sessions (id) on delete cascade,
  retired_at timestamptz not null default now()
);

-- For the cascade when a session is deleted.
create index if not exists retired_refresh_tokens_session_id_idx on retired_refresh_tokens (session_id);

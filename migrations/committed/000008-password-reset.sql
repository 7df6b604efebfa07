--! Previous: sha1:e73018025843bac487801254c743b2e23597c6a2
--! Hash: sha1:f67fd6a2d6de4f3ebbdccbe3572bc0948d3557c3
--! Message: password-reset

-- Account recovery (issue 11): password reset links. Only the SHA-256 of each token is stored; the token itself
-- travels in the mailing job's payload (graphile_worker) until the email is sent, and expires anyway.
-- Idempotent (graphile-migrate re-runs current.sql) and replayable by pg-mem: no plpgsql, triggers or expressions.

create table if not exists password_reset_tokens (
  token_hash text primary key,
  user_id uuid not null constraint password_reset_tokens_user_id_fkey references users (id) on delete cascade,
  expires_at timestamptz not null,
  -- Redeemed (resetPassword), or superseded by a newer request or a password change: either way the link is dead.
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);

-- The throttle asks for an account's newest token; revoking and purging find all of an account's tokens.
create index if not exists password_reset_tokens_user_id_created_at_idx on password_reset_tokens (user_id, created_at);

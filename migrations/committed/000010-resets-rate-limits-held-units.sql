--! Previous: sha1:6ff920526d9f68bd06e5537f7f798a68a3a967d4
--! Hash: sha1:257c796233b2b1ca09d8cc9fe05be27df65f38f6
--! Message: resets-rate-limits-held-units

-- Password resets without a token at rest: the mailing job mints the link's token when it sends the email and keeps
-- only its hash, so no job payload (graphile_worker, SQS, failed jobs) holds a secret. One row per request, its
-- token_hash null until the email is sent. Replaces password_reset_tokens, whose rows are links already mailed from
-- a payload holding the token: they stop working (short-lived anyway; the account holder requests another).
-- Idempotent (graphile-migrate re-runs current.sql) and replayable by pg-mem: no plpgsql, triggers or expressions.

drop table if exists password_reset_tokens;

create table if not exists password_resets (
  id uuid primary key,
  user_id uuid not null constraint password_resets_user_id_fkey references users (id) on delete cascade,
  -- SHA-256 of the mailed token; null until the email is sent.
  token_hash text constraint password_resets_token_hash_key unique,
  expires_at timestamptz not null,
  -- Redeemed (resetPassword), or superseded by a newer request or a password change: either way the link is dead.
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);

-- The throttle asks for an account's newest reset; revoking and purging find all of an account's resets.
create index if not exists password_resets_user_id_created_at_idx on password_resets (user_id, created_at);

-- Performance (second round): the units each batch's order lines hold, kept by the product repository in the
-- transaction that adds or removes a line (under the product's row lock), so allocating reads one figure per batch
-- instead of every line the product ever had, and pages of batches read it instead of summing their lines.
alter table batches add column if not exists allocated_quantity integer not null default 0;
update batches set allocated_quantity = held.quantity
from (select batch_reference, sum(quantity)::int as quantity from allocations group by batch_reference) held
where held.batch_reference = batches.reference and batches.allocated_quantity <> held.quantity;
alter table batches drop constraint if exists batches_allocated_quantity_check;
alter table batches add constraint batches_allocated_quantity_check
  check (allocated_quantity >= 0 and allocated_quantity <= purchased_quantity);

-- Shared authentication rate limits: every API instance counts attempts in this one table, so N instances allow
-- the limit once, not N times (src/platform/auth/rate-limit.ts). The schema is rate-limiter-flexible's own for its
-- Postgres store (RateLimiterPostgres, created here instead of by the library at run time: `tableCreated: true`).
-- `key` is '<limiter>:<bucket>' (auth-account:<email digest>, auth-address:<address>); `expire` is the end of the
-- window in epoch milliseconds, as the instance that opened it saw its clock.
create table if not exists rate_limits (
  key varchar(255) primary key,
  points integer not null default 0,
  expire bigint
);
-- The library deletes rows expired an hour ago, every five minutes, from each instance.
create index if not exists rate_limits_expire_idx on rate_limits (expire);

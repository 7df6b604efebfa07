-- Enter migration here

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

--! Previous: sha1:b152c057e15695fbb6176de8ef6cd85cb3668ead
--! Hash: sha1:e73018025843bac487801254c743b2e23597c6a2
--! Message: external-bus

-- The external bus: what background tasks have handled (idempotent consumers) and the mail the development
-- transport "sends". graphile-worker keeps its jobs in its own schema (graphile_worker), installed by its own
-- migrations when the API or the worker starts.

-- One row per (message, consumer) handled, written in the same transaction as the consumer's effect: a repeated
-- delivery finds it and does nothing.
create table if not exists processed_messages (
  message_id uuid not null,
  consumer text not null,
  processed_at timestamptz not null default now(),
  primary key (message_id, consumer)
);

-- EMAIL_TRANSPORT=table: every email, as it would have been sent. Inspect with
--   select recipient, subject, body, created_at from sent_emails order by created_at desc;
create table if not exists sent_emails (
  id bigint generated always as identity primary key,
  recipient text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now()
);

-- The administrator may also read jobs (Query.failedJobs), a resource added with the external bus.
update roles set policies = '[{"resource":"PRODUCT","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"BATCH","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"USER","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"ROLE","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"JOB","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]}]'
where name = 'admin';

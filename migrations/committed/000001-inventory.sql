--! Previous: -
--! Hash: sha1:a071509ee0923fac5acd0ac60b42bce78c0de9d7
--! Message: inventory

-- Inventory: products (the aggregate root) and their batches.
create table if not exists products (
  sku text primary key,
  description text not null default '',
  -- Optimistic concurrency: every committed change to the aggregate bumps it by exactly one.
  version integer not null default 0,
  created_at timestamptz not null default now()
);

create table if not exists batches (
  reference text primary key,
  sku text not null references products (sku),
  purchased_quantity integer not null check (purchased_quantity > 0),
  -- null means the batch is in the warehouse already
  eta date,
  created_at timestamptz not null default now()
);

create index if not exists batches_sku_idx on batches (sku);

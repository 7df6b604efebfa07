--! Previous: sha1:abd0d11dc43f9ff7d17b085fc494845238438c5c
--! Hash: sha1:19a2e044790ed3abb8ecef8890218b98c9b2bc18
--! Message: allocation

-- Allocation: order lines allocated to batches. (order_id, sku) is the key, so a line is allocated at most once
-- whatever the application does.
create table if not exists allocations (
  order_id text not null,
  sku text not null,
  batch_reference text not null constraint allocations_batch_reference_fkey references batches (reference),
  quantity integer not null constraint allocations_quantity_check check (quantity > 0),
  allocated_at timestamptz not null default now(),
  constraint allocations_pkey primary key (order_id, sku)
);
create index if not exists allocations_batch_reference_idx on allocations (batch_reference);

-- Read model behind Query.allocations(orderId): written only by event handlers (Allocated, Deallocated), after
-- the allocation itself committed, so it is eventually consistent with `allocations` by design.
create table if not exists allocations_view (
  order_id text not null,
  sku text not null,
  batch_reference text not null,
  constraint allocations_view_pkey primary key (order_id, sku)
);

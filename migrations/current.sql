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

--! Previous: sha1:eadcf6702a671fb5c2c19e056c107e90bf175d95
--! Hash: sha1:abd0d11dc43f9ff7d17b085fc494845238438c5c
--! Message: product-paging

-- Paging products by creation time: cursors carry the key as a millisecond ISO string, so creation times are kept
-- at millisecond precision (a microsecond part would make the row on a page boundary show up again), and the
-- (created_at, sku) index serves the keyset predicate in both directions.
alter table products alter column created_at set default date_trunc('milliseconds', now());
update products set created_at = date_trunc('milliseconds', created_at)
  where created_at <> date_trunc('milliseconds', created_at);
create index if not exists products_created_at_sku_idx on products (created_at, sku);

--! Previous: sha1:f67fd6a2d6de4f3ebbdccbe3572bc0948d3557c3
--! Hash: sha1:6ff920526d9f68bd06e5537f7f798a68a3a967d4
--! Message: allocations-by-sku

-- The allocation repository loads a product's allocations (`WHERE sku = $1 ORDER BY allocated_at, order_id`) on
-- every allocate, deallocate and reallocation. The primary key (order_id, sku) cannot serve that, so it was a
-- sequential scan of every allocation ever made: 83% of Postgres' time per allocate at 25,000 rows, growing with
-- the table (bench/README.md). This index serves the filter and the order.
create index if not exists allocations_sku_idx on allocations (sku, allocated_at, order_id);

--! Previous: sha1:19a2e044790ed3abb8ecef8890218b98c9b2bc18
--! Hash: sha1:98ca2b7d267df2835140d9b66659c4a9b8b1226b
--! Message: batch-creation-milliseconds

-- Batch pages (Product.batches) also carry creation times in their cursors at millisecond precision: keep
-- batches.created_at at that precision too, as 000003 did for products, so two batches created in the same
-- millisecond tie on the cursor key and are told apart by their reference.
alter table batches alter column created_at set default date_trunc('milliseconds', now());
update batches set created_at = date_trunc('milliseconds', created_at)
  where created_at <> date_trunc('milliseconds', created_at);

/**
 * The inventory model as its handlers use it: `model.allocate(product, line, now)`, `model.addBatch(product, ...)`.
 * One namespace, so a handler named like the rule it applies (`allocate`) never has to rename the rule.
 */
export * from './allocation.ts';
export * from './product.ts';

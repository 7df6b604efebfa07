import { DomainError } from '../../core/errors.ts';

/** The inventory failures a caller sees. Factories, not constants, so each throw gets its own stack. */
export const duplicateBatch = (reference: string): DomainError =>
  new DomainError('InvalidInput', 'DuplicateBatch', `Batch ${reference} already exists`, { field: 'reference' });

export const productNotFound = (sku: string): DomainError =>
  new DomainError('NotFound', 'ProductNotFound', `There is no product ${sku}`, { field: 'sku' });

export const batchNotFound = (reference: string): DomainError =>
  new DomainError('NotFound', 'BatchNotFound', `There is no batch ${reference}`, { field: 'reference' });

export const allocationNotFound = (orderId: string, sku: string): DomainError =>
  new DomainError('NotFound', 'AllocationNotFound', `Order ${orderId} has no allocated line for ${sku}`, {
    field: 'orderId',
  });

/** A business refusal, not bad input: the same request may succeed once stock arrives. */
export const outOfStock = (sku: string): DomainError =>
  new DomainError('RuleViolation', 'OutOfStock', `Out of stock for ${sku}`);

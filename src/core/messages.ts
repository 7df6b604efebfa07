/**
 * Messages are plain readonly data. Commands are orders with exactly one handler (`AddBatch`);
 * events are facts in the past tense with zero or more handlers (`BatchAdded`).
 */
export type Command = { readonly type: string };
export type DomainEvent = { readonly type: string };

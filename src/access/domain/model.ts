/**
 * The access model as its handlers use it: `model.createRole(input, resources)`, `model.grant(holder, role)`.
 * One namespace, so a handler named like the rule it applies (`createRole`) never has to rename the rule.
 */
export * from './administrators.ts';
export * from './holder.ts';
export * from './role.ts';

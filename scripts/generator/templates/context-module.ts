/**
 * What the shell sees of a generated context: its module (src/<context>/module.ts, the one value src/contexts.ts
 * lists) and the resolvers and resource declaration the module hands over.
 */
import type { ContextNames } from '../names.ts';

export const module = (n: ContextNames): string => `/**
 * The ${n.context} context as the shell sees it (listed in src/contexts.ts): ${n.spokenPlural}, each known by its
 * reference. Everything the composition root needs from ${n.context} is declared here; deleting the context is deleting
 * its folders and its line in the list.
 */
import type { ReadScope } from '../core/access.ts';
import { bindCommandHandlers, bindEventHandlers } from '../core/bus.ts';
import type { UnitOfWork } from '../core/ports.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import type { RepositoryFactory } from '../platform/database/unit-of-work.ts';
import { create${n.Aggregate}Repository } from './adapters/slonik-${n.file}-repository.ts';
import { create${n.Context}Views } from './adapters/slonik-${n.context}-views.ts';
import { ${n.context}Resolvers, ${n.context}Resources } from './entrypoints/resolvers.ts';
import { ${n.context}Subscriptions } from './entrypoints/subscriptions.ts';
import { ${n.context}CommandHandlers, ${n.context}EventHandlers } from './services/handlers.ts';
import type { ${n.Context}Dependencies, ${n.Context}Repositories } from './services/ports.ts';
import type { ${n.Context}Views } from './services/views.ts';

// Codegen mappers: the TypeScript shape each GraphQL type of ${n.context} resolves from
// (scripts/codegen/context-resolvers.ts collects the \`<Type>Mapper\` exports of every listed module).
export type { ${n.Aggregate}View as ${n.Aggregate}Mapper } from './services/views.ts';
export type { ${n.Aggregate}Result as Create${n.Aggregate}PayloadMapper } from './services/handlers.ts';
// generate: mappers

/** Tests replace what they isolate: the unit of work (a fake store) and the views. */
export type ${n.Context}Overrides = {
  readonly unitOfWork?: () => UnitOfWork<${n.Context}Repositories>;
  readonly views?: (readScope: ReadScope) => ${n.Context}Views;
};

const repositories: RepositoryFactory<${n.Context}Repositories> = (connection, events) => ({
  ${n.aggregates}: create${n.Aggregate}Repository(connection, events),
});

const wire = (shell: ContextShell, overrides: ${n.Context}Overrides = {}) => {
  const unitOfWork = overrides.unitOfWork ?? (() => shell.unitOfWork(repositories));
  // A fresh unit of work for every message: never shared between concurrent requests.
  const dependencies = (): ${n.Context}Dependencies => ({ uow: unitOfWork(), clock: shell.clock });
  return {
    commands: bindCommandHandlers(${n.context}CommandHandlers, dependencies),
    events: bindEventHandlers(${n.context}EventHandlers, dependencies),
    views: overrides.views ?? ((readScope: ReadScope) => create${n.Context}Views(shell.database(), readScope)),
  };
};

export const ${n.context}: Module<'${n.context}', typeof wire> = {
  name: '${n.context}',
  resources: ${n.context}Resources,
  resolvers: ${n.context}Resolvers,
  subscriptions: ${n.context}Subscriptions,
  wire,
};
`;

export const entrypointResolvers = (n: ContextNames): string => `import { DomainError } from '../../core/errors.ts';
import type { GraphQLContext, Resolvers } from '../../generated/graphql.ts';
import type { ResourceDeclaration } from '../../platform/context-module.ts';
import { ${n.aggregate}NotFound } from '../domain/errors.ts';
import { is${n.Aggregate}Reference } from '../domain/${n.file}.ts';

/**
 * Thin: each mutation is one command, each payload reads back through the (scoped) views. No authorization here:
 * @auth in schema/${n.context}.graphql decides before a resolver runs.
 */

/**
 * A ${n.spoken} this request's command has just written, read back through the caller's views: null means the
 * caller may do the command but not read the result (a CREATE grant without READ). Forbidden, not an internal
 * error.
 */
const readable = async <T>(row: Promise<T | null>): Promise<T> => {
  const found = await row;
  if (found === null) throw new DomainError('Forbidden', 'Forbidden', 'You may not read this ${n.spoken}');
  return found;
};

export const ${n.context}Resolvers: Resolvers = {
  Query: {
    ${n.aggregate}: (_parent, { reference }, { views }) => views.${n.context}.${n.aggregate}ByReference(reference),
  },

  Mutation: {
    create${n.Aggregate}: (_parent, { input }, { bus, access }) =>
      bus.execute({ type: 'Create${n.Aggregate}', reference: input.reference, ownerId: access.principal }),
    // generate: mutations
  },

  Create${n.Aggregate}Payload: {
    ${n.aggregate}: ({ reference }, _args, { views }) => readable(views.${n.context}.${n.aggregate}ByReference(reference)),
  },
  // generate: payloads
};

/**
 * The resource ${n.context} owns (module.ts declares it; schema/${n.context}.graphql adds it to \`enum Resource\`).
 * Policies name a ${n.spoken} by its reference; its creator owns it (the OWNER selector). The @auth lookup is
 * unscoped (deciding comes before showing), and a denial for a caller who may not read it answers the handlers'
 * own ${n.Aggregate}NotFound, so "hidden" and "missing" look the same.
 */
export const ${n.context}Resources: Readonly<Record<'${n.resource}', ResourceDeclaration>> = {
  ${n.resource}: {
    key: { valid: is${n.Aggregate}Reference, is: 'a ${n.spoken} reference' },
    subject: {
      ownership: async (reference, { views, access }: GraphQLContext) => {
        const owner = await views.${n.context}.${n.aggregate}Owner(reference);
        return { exists: owner !== null, owned: owner?.ownerId != null && owner.ownerId === access.principal };
      },
      notFound: ${n.aggregate}NotFound,
    },
  },
};
`;

export const entrypointSubscriptions = (n: ContextNames): string => `/**
 * What feeds ${n.context}'s Subscription fields (schema/${n.context}.graphql): the committed events that change a
 * ${n.spoken}, and how a subscriber reads it again, through its own scoped views. The shell announces each change
 * when its transaction commits, fans it out on every instance and checks @auth again before every delivery.
 */
import type { GraphQLContext } from '../../generated/graphql.ts';
import type { SubscriptionFeeds } from '../../platform/graphql/context.ts';

/** Every event of ${n.context} names the ${n.spoken} it changed by its reference. */
const changed = ({ reference }: { readonly reference: string }) => ({ reference });

export const ${n.context}Subscriptions: SubscriptionFeeds = {
  ${n.aggregate}Changed: {
    argument: 'reference',
    events: {
      ${n.Aggregate}Created: changed,
      // generate: changes
    },
    read: ({ reference = '' }, { views }: GraphQLContext) => views.${n.context}.${n.aggregate}ByReference(reference),
  },
};
`;

/**
 * The bounded contexts of this application: the one list the shell knows them by. The composition root
 * (src/bootstrap.ts) maps over it, the GraphQL schema collects their resolvers from it, codegen collects their
 * mappers from it (scripts/codegen/mappers.ts), and the types below derive the bus and the views from it.
 *
 * Add a context: its folder (src/<name>/ with module.ts, schema/<name>.graphql) and one line here.
 * Remove one: delete its folders and its line.
 */
import { access } from './access/module.ts';
import type { MessageBus } from './core/bus.ts';
import { identity } from './identity/module.ts';
import { inventory } from './inventory/module.ts';
import { jobs } from './jobs/module.ts';
import { notifications } from './notifications/module.ts';
import type { RequestContext } from './platform/graphql/context.ts';

export const contexts = [identity, access, inventory, notifications, jobs] as const;

type Context = (typeof contexts)[number];
type Wired<C> = C extends { wire(...args: never[]): infer W } ? W : never;
type Intersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer I) => void
  ? I
  : never;

type CommandsOf<C> = C extends unknown ? (Wired<C> extends { commands: infer Routes } ? Routes : never) : never;

/** Every command any context handles, each with its result type. */
export type KingdomCommandRoutes = Intersection<CommandsOf<Context>>;
export type KingdomBus = MessageBus<KingdomCommandRoutes>;

/** A request's views: `views.inventory`, `views.identity`..., one entry per context that has views. */
export type KingdomViews = {
  readonly [C in Context as Wired<C> extends { views: unknown } ? C['name'] : never]: Wired<C> extends {
    views: (...args: never[]) => infer Views;
  }
    ? Views
    : never;
};

/** What every resolver receives (codegen's `contextType`): writes go to `bus`, reads to `views`. */
export type GraphQLContext = RequestContext<KingdomBus, KingdomViews>;

/** Per-context test seams for the composition root: `{ inventory: { views, unitOfWork } }`. */
export type ContextOverrides = {
  readonly [C in Context as C['name']]?: C extends { wire(shell: never, overrides?: infer O): unknown } ? O : never;
};

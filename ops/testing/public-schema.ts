/**
 * The public GraphQL schema as the app serves it (the root and every slice's part, in the order of app-slices.ts),
 * for tests that need the real schema without the app: the server alone with test resolvers, the query limits.
 */
import { rootSchema } from '../../contracts/graphql/root.ts';
import { APP_SLICES } from '../app/app-slices.ts';
import { schemaOf } from '../app/wire-slices.ts';

/** The slices' parts, as createServer's `schema` option takes them. */
export const PUBLIC_SCHEMA_PARTS: readonly string[] = schemaOf(APP_SLICES);

/** The whole SDL, root included. */
export const PUBLIC_SCHEMA_SDL = [rootSchema, ...PUBLIC_SCHEMA_PARTS].join('\n');

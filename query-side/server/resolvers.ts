/**
 * Merges the features' resolver maps into one; two features defining the same field is a start-up error.
 * Subscription `subscribe` functions are wrapped so a DomainError thrown when a subscription starts reaches the
 * client with its extensions.code (mercurius sends those errors without the errorFormatter).
 */
import { GraphQLError } from 'graphql';
import { isDomainError } from '../../contracts/errors.ts';
import type { ResolverMap } from './context.ts';

type SubscribeFn = (...args: unknown[]) => unknown;

function withDomainErrorCodes(subscribe: SubscribeFn): SubscribeFn {
  const toGraphQLError = (error: unknown): unknown =>
    isDomainError(error)
      ? new GraphQLError(error.message, {
          originalError: error,
          extensions: { ...(error.details ?? {}), code: error.code },
        })
      : error;
  return async (...args) => {
    try {
      return await subscribe(...args);
    } catch (error) {
      throw toGraphQLError(error);
    }
  };
}

function wrapSubscriptions(fields: Record<string, unknown>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const subscribe = (field as { subscribe?: unknown } | undefined)?.subscribe;
    wrapped[name] =
      typeof subscribe === 'function'
        ? { ...(field as object), subscribe: withDomainErrorCodes(subscribe as SubscribeFn) }
        : field;
  }
  return wrapped;
}

export function mergeResolvers(maps: readonly ResolverMap[]): ResolverMap {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const existing = merged[typeName];
      const isFieldMap = typeof fields === 'object' && fields !== null && fields.constructor === Object;
      if (existing === undefined) {
        merged[typeName] = isFieldMap ? { ...fields } : fields;
        continue;
      }
      if (!isFieldMap || typeof existing !== 'object' || existing === null) {
        throw new Error(`resolvers for ${typeName} are defined twice`);
      }
      const target = existing as Record<string, unknown>;
      for (const [fieldName, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (fieldName in target) throw new Error(`resolver ${typeName}.${fieldName} is defined twice`);
        target[fieldName] = resolver;
      }
    }
  }
  if (merged.Subscription) merged.Subscription = wrapSubscriptions(merged.Subscription as Record<string, unknown>);
  return merged as ResolverMap;
}

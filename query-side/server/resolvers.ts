/** Merges the features' resolver maps into one; two features defining the same field is a start-up error. */
import type { ResolverMap } from './context.ts';

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
  return merged as ResolverMap;
}

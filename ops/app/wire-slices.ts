/**
 * Turns the list of slices into what the app runs: the schema the server serves, the projectors the runtime runs,
 * and the slices' resolvers, routes, services and feeds, wired in list order.
 */
import type { Projector } from '../../projections/runtime/index.ts';
import type { Config } from '../config/config.ts';
import type { DatabaseFeatures, Infrastructure, Slice, SliceDeps, SliceParts } from './slice.ts';

// Slices provide different things: the list holds them all, and deps.use gives each its own type back.
type AnySlice = Slice<unknown>;

/** Everything the slices add, gathered for the composition root. */
export interface WiredSlices {
  resolvers: NonNullable<SliceParts['resolvers']>[number][];
  plugins: NonNullable<SliceParts['plugins']>[number][];
  services: NonNullable<SliceParts['services']>[number][];
  feeds: NonNullable<SliceParts['feeds']>[number][];
  resolveUser?: SliceParts['resolveUser'];
}

export const schemaOf = (slices: readonly AnySlice[]): string[] =>
  slices.flatMap((slice) => (slice.schema ? [slice.schema] : []));

export const projectorsOf = (slices: readonly AnySlice[], config: Config, features: DatabaseFeatures): Projector[] =>
  slices.flatMap((slice) => slice.projectors?.(config, features) ?? []);

export async function wireSlices(slices: readonly AnySlice[], infrastructure: Infrastructure): Promise<WiredSlices> {
  const wired: WiredSlices = { resolvers: [], plugins: [], services: [], feeds: [] };
  const provided = new Map<AnySlice, unknown>();
  for (const slice of slices) {
    const deps: SliceDeps = {
      ...infrastructure,
      use<P>(other: Slice<P>): P {
        const value = provided.get(other);
        if (value === undefined) {
          throw new Error(`slice ${slice.name} uses ${other.name}, which is not wired before it or provides nothing`);
        }
        return value as P;
      },
    };
    const parts = (await slice.create?.(deps)) ?? {};
    wired.resolvers.push(...(parts.resolvers ?? []));
    wired.plugins.push(...(parts.plugins ?? []));
    wired.services.push(...(parts.services ?? []));
    wired.feeds.push(...(parts.feeds ?? []));
    if (parts.resolveUser) {
      if (wired.resolveUser) throw new Error(`slice ${slice.name} gives a second resolveUser`);
      wired.resolveUser = parts.resolveUser;
    }
    if (parts.provides !== undefined) provided.set(slice, parts.provides);
  }
  return wired;
}

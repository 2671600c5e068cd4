/** Every projector of the product, from the slices' modules: the app runs them and `npm run replay` rebuilds them. */
import type { Projector } from '../../projections/runtime/index.ts';
import type { Config } from '../config/config.ts';
import { APP_SLICES } from './app-slices.ts';
import type { DatabaseFeatures } from './slice.ts';
import { projectorsOf } from './wire-slices.ts';

export const createProjectors = (config: Config, features: DatabaseFeatures): Projector[] =>
  projectorsOf(APP_SLICES, config, features);

/** The projectors' names, for usage messages before any database is open: they depend on no database feature. */
export const projectorNames = (config: Config): string[] =>
  createProjectors(config, { searchIndexVectors: { available: true } }).map((projector) => projector.name);

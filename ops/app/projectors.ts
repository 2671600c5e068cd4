/** Every projector of the product, from the slices' modules: the app runs them and `npm run replay` rebuilds them. */
import type { Projector } from '../../projections/runtime/index.ts';
import type { Config } from '../config/config.ts';
import { APP_SLICES } from './app-slices.ts';
import { projectorsOf } from './wire-slices.ts';

export const createProjectors = (config: Config): Projector[] => projectorsOf(APP_SLICES, config);

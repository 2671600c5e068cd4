// Starts the generation thread (generation-thread.ts): a worker does not inherit the TypeScript loader the process
// was started with, so it registers tsx itself first. Plain JavaScript so that Node can load it as is.
import { register } from 'tsx/esm/api';

register();
await import('./generation-thread.ts');

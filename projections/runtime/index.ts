/** The projection runtime's public surface: what projectors, the app wiring and the replay script use. */
export { projectorByEventType, matchesFilter, type Projector, type Migration, type ProjectionContext, type EventHandler } from './projector.ts';
export { createProjectionRuntime, type ProjectionRuntime, type ProjectionRuntimeOptions, type WaitOptions } from './runtime.ts';
export type { ProjectorHealth, ProjectorStatus, ProjectorFailure, AfterCommit } from './runner.ts';
export { advisoryLockLease, singleProcessLease, type ProjectorLease } from './lease.ts';
export { rebuildProjection, catchUpRebuild, rebuildSchemaName, type RebuildResult, type RebuildTarget } from './rebuild.ts';
export { verifyRebuild, type VerifyResult, type TableDifference } from './verify.ts';
export { swapRebuild, dropRebuild } from './swap.ts';

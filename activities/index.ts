import type { ActivityDependencies } from './dependencies.js';
import { createSelfCheckActivities } from './self-check.js';

export type { ActivityDependencies } from './dependencies.js';

/** All activities the worker registers, built over injected dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSelfCheckActivities(deps),
  };
}

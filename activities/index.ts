import type { Db } from 'mongodb';
import { createSelfCheckActivities } from './self-check.js';

/** Everything activities need from the process that hosts them; built once by the worker. */
export interface ActivityDependencies {
  db: Db;
}

/** All activities the worker registers, built over injected dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSelfCheckActivities(deps),
  };
}

/**
 * SelfCheck's contract: workflow id, input and result, and the one activity it calls. The
 * sandbox, tests and the activity depend on this module, never on the workflow's code. Type
 * imports only, so any process can load it.
 */

/** Runs one activity that writes to MongoDB: proves Temporal, the worker and the store work together. */
export interface SelfCheckInput {
  checkId: string;
  requestedAt: string;
}

export interface SelfCheckResult {
  checkId: string;
  workflowId: string;
  writtenAt: string;
}

/** One workflow per check: `self-check:{checkId}`. */
export const selfCheckWorkflowId = (checkId: string): string => `self-check:${checkId}`;

/** The check as the activity records it: the workflow adds its own id. */
export interface RecordSelfCheckInput extends SelfCheckInput {
  workflowId: string;
}

/** The activity SelfCheck calls; `activities/self-check.ts` implements it and `satisfies` this. */
export interface SelfCheckActivities {
  /** Writes the check to MongoDB and answers what was written. */
  recordSelfCheck(input: RecordSelfCheckInput): Promise<SelfCheckResult>;
}

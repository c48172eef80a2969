import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SelfCheckActivities } from '../activities/self-check.js';
import { selfCheckOptions } from './activity-options.js';

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

export const selfCheckWorkflowId = (checkId: string): string => `self-check:${checkId}`;

const { recordSelfCheck } = proxyActivities<SelfCheckActivities>(selfCheckOptions);

export async function selfCheck(input: SelfCheckInput): Promise<SelfCheckResult> {
  return recordSelfCheck({ ...input, workflowId: workflowInfo().workflowId });
}

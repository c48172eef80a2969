import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { selfCheckOptions } from './activity-options.js';
import type { SelfCheckActivities, SelfCheckInput, SelfCheckResult } from './self-check-contract.js';

export { selfCheckWorkflowId, type SelfCheckInput, type SelfCheckResult } from './self-check-contract.js';

const { recordSelfCheck } = proxyActivities<SelfCheckActivities>(selfCheckOptions);

export async function selfCheck(input: SelfCheckInput): Promise<SelfCheckResult> {
  return recordSelfCheck({ ...input, workflowId: workflowInfo().workflowId });
}

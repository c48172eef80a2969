import type { Db } from 'mongodb';
import { recordSelfCheck as storeSelfCheck } from '../store/self-checks.js';
import type { RecordSelfCheckInput, SelfCheckActivities, SelfCheckResult } from '../workflows/self-check-contract.js';

/** SelfCheck's one activity: records the check in MongoDB. */
export function createSelfCheckActivities(deps: { db: Db }) {
  return {
    async recordSelfCheck(input: RecordSelfCheckInput): Promise<SelfCheckResult> {
      const record = await storeSelfCheck(deps.db, input);
      return { checkId: record._id, workflowId: record.workflowId, writtenAt: record.writtenAt.toISOString() };
    },
  } satisfies SelfCheckActivities;
}

import type { Db } from 'mongodb';
import { recordSelfCheck as storeSelfCheck } from '../store/self-checks.js';

export interface RecordSelfCheckInput {
  checkId: string;
  workflowId: string;
  requestedAt: string;
}

export function createSelfCheckActivities(deps: { db: Db }) {
  return {
    async recordSelfCheck(input: RecordSelfCheckInput): Promise<{ checkId: string; workflowId: string; writtenAt: string }> {
      const record = await storeSelfCheck(deps.db, input);
      return { checkId: record._id, workflowId: record.workflowId, writtenAt: record.writtenAt.toISOString() };
    },
  };
}

export type SelfCheckActivities = ReturnType<typeof createSelfCheckActivities>;

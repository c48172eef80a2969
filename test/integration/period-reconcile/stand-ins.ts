/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { ApplicationFailure } from '@temporalio/common';
import type { PeriodReconcileActivities } from '../../../workflows/period-reconcile-contract.js';

/**
 * PeriodReconcile's activities as a scripted world: the month is November 2026, every
 * reconciliation comes out clean, and the first `refusals` reconciliations are refused for good
 * (Intacct refusing the credentials). `calls` says what the workflow asked, in order.
 */
export class World {
  calls: string[] = [];
  refusals = 0;

  activities(): PeriodReconcileActivities {
    return {
      resolvePeriod: async (input) => {
        this.calls.push(`resolvePeriod:${new Date(input.nowMs).getUTCFullYear() > 2000}`);
        return { period: '2026-11' };
      },
      reconcilePeriod: async (input) => {
        this.calls.push(`reconcilePeriod:${input.period}:${input.requestedBy}`);
        if (this.refusals > 0) {
          this.refusals -= 1;
          throw ApplicationFailure.create({
            type: 'IntacctAuthError',
            message: 'Intacct refused the credentials',
            nonRetryable: true,
            details: [{ failureClass: 'auth' }],
          });
        }
        return {
          tenantId: input.tenantId,
          period: input.period,
          figuresHash: 'f'.repeat(64),
          revision: 1,
          sameAsPreviousRun: false,
          differences: 0,
          gateways: 1,
        };
      },
      parkPeriod: async (input) => void this.calls.push(`park:${input.period}`),
      clearPeriodAttention: async (input) => void this.calls.push(`clear:${input.period}`),
    };
  }
}

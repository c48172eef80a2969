import { describe, expect, inject, it } from 'vitest';
import { runChaos, type ChaosSummary } from '../../chaos/run.js';

/**
 * `npm run chaos`, small: about fifty orders on both storefronts through the real processes,
 * webhooks three times and out of order, Intacct faults, the worker killed twice with SIGKILL
 * and the Temporal dev server restarted (its own, so it can restart it; MongoDB is the suite's
 * FerretDB). Every figure is read from the systems' own state by the runner; the test holds
 * the run to zero violations and checks that the chaos really happened.
 */
describe('chaos run, small', () => {
  it(
    'when 50 orders meet duplicated, reordered webhooks, Intacct faults, two worker kills and a Temporal restart, then every order lands exactly once and nothing is violated',
    async () => {
      const lines: string[] = [];
      let summary: ChaosSummary | undefined;
      try {
        summary = await runChaos({
          orders: 50,
          seed: 11,
          ordersPerSecond: 1,
          badInputRequests: 500,
          settleTimeoutMs: 6 * 60_000,
          stallTimeoutMs: 4 * 60_000,
          stack: { mongoUri: inject('mongoUri'), environment: { LOG_LEVEL: 'info' } },
          log: (line) => lines.push(line),
        });
      } finally {
        if (summary === undefined || summary.violations.length > 0)
          process.stderr.write(`chaos run log:\n${lines.join('\n')}\n${JSON.stringify(summary, null, 2)}\n`);
      }

      expect(summary.violations).toEqual([]);
      expect(summary.orders.placed).toBe(50);
      expect(summary.orders.byStorefront.bigcommerce).toBeGreaterThan(0);
      expect(summary.orders.byStorefront.clarity).toBeGreaterThan(0);
      // Every order settled where its store says it must: posted, cancelled, or parked by an edit that re-taxes a line taxed per line.
      expect(summary.orders.byOutcome.parked ?? 0).toBe(summary.orders.fidelity.editsParked);
      expect((summary.orders.byOutcome.synced ?? 0) + (summary.orders.byOutcome.cancelled ?? 0) + summary.orders.fidelity.editsParked).toBe(
        50,
      );
      expect(summary.intacct.documentsCreated).toBeGreaterThanOrEqual(summary.orders.byOutcome.synced ?? 0);

      // The chaos happened: faults counted by the Intacct sandbox itself, kills, the restart, webhook copies.
      expect(summary.faults.workerKills).toBe(2);
      expect(summary.faults.temporalRestarts).toBe(1);
      expect(summary.faults.intacct.injected.http5xx ?? 0).toBeGreaterThan(0);
      expect(summary.faults.intacct.injected.commitThenDrop ?? 0).toBeGreaterThan(0);
      expect(summary.faults.intacct.injected.rateLimit ?? 0).toBeGreaterThan(0);
      for (const storefront of [summary.webhooks.bigcommerce, summary.webhooks.clarity]) {
        expect(storefront.events).toBeGreaterThan(0);
        expect(storefront.eventsDeliveredAtLeast3Times).toBe(storefront.events);
      }

      // Stripe paid out while orders were still placed (faults, kills and the restart around), then the rest; each
      // posted payout is held by the verification to Intacct's GL (clearing nets to zero, the bank up by the nets).
      expect(summary.payouts.paidOutDuringRun).toBeGreaterThanOrEqual(1);
      expect(summary.payouts.ledger?.bank.rise).toBe(summary.payouts.ledger?.bank.postedPayoutsNet);
      expect(summary.payouts.periodReconciliation?.unexplained).toEqual([]);

      if (summary.badInput.ran) {
        expect(summary.badInput.sent).toBeGreaterThanOrEqual(500);
        expect(summary.badInput.workflowsStarted).toBe(0);
        expect(summary.badInput.serverErrors).toBe(0);
      }
      if (summary.secrets.ran) {
        expect(summary.secrets.secretsSearched).toBeGreaterThan(0);
        expect(summary.secrets.hits).toEqual([]);
      }
    },
    8 * 60_000,
  );
});

import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import { advanceMark } from '../mappers/clarity-customer-poll.js';
import { scheduledRunBookkeepingOptions, storefrontListingOptions, workflowStartBatchOptions } from './activity-options.js';
import type {
  ClarityCustomerPollActivities,
  ClarityCustomerPollCounters,
  ClarityCustomerPollInput,
  ClarityCustomerPollMark,
  ClarityCustomerPollReport,
} from './customer-sync-contract.js';

export type { ClarityCustomerPollInput, ClarityCustomerPollReport } from './customer-sync-contract.js';

const { listChangedClarityCustomers } = proxyActivities<ClarityCustomerPollActivities>(storefrontListingOptions);
const { offerCustomerChanges } = proxyActivities<ClarityCustomerPollActivities>(workflowStartBatchOptions);
const { planClarityCustomerPoll, saveClarityCustomerPollMark, finishClarityCustomerPoll } =
  proxyActivities<ClarityCustomerPollActivities>(scheduledRunBookkeepingOptions);

/** Pages per run before continuing as new: each page is about ten events. */
const defaultPagesPerRun = 20;

/**
 * Clarity's customer changes carried to Intacct. Clarity sends no customer events, so the
 * tenant's schedule pages the customers it changed since the last poll (oldest change first) and
 * hands each to its own CustomerSync, the entity the BigCommerce customer webhooks start: the
 * same link, match, field-owner and exactly-once rules. The tenant's first poll has no mark and
 * reads every customer (its backfill). The mark moves after each page is handed on, so a crashed
 * poll resumes there, and a poll that finds nothing past the mark starts nothing.
 */
export async function clarityCustomerPoll(input: ClarityCustomerPollInput): Promise<ClarityCustomerPollReport> {
  const { tenantId } = input;
  const startedAt = input.progress?.startedAt ?? new Date().toISOString();
  const plan = input.progress?.plan ?? (await planClarityCustomerPoll({ tenantId, ...(input.full === true && { full: true }) }));
  const counters: ClarityCustomerPollCounters = input.progress?.counters ?? { pages: 0, listed: 0, offered: 0 };
  let mark: ClarityCustomerPollMark | undefined = input.progress?.mark ?? plan.mark;
  let cursor = input.progress?.cursor;
  const generation = input.progress?.generation ?? 0;

  if (plan.outcome === 'polls') {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= (input.pagesPerRun ?? defaultPagesPerRun) && cursor !== undefined) {
        return continueAsNew<typeof clarityCustomerPoll>({
          ...input,
          progress: { startedAt, plan, ...(mark !== undefined && { mark }), cursor, counters, generation: generation + 1 },
        });
      }
      // Every page is asked past the plan's mark: the cursor belongs to that one query.
      const page = await listChangedClarityCustomers({
        tenantId,
        ...(plan.mark !== undefined && { mark: plan.mark }),
        ...(cursor !== undefined && { cursor }),
        ...(input.pageSize !== undefined && { pageSize: input.pageSize }),
      });
      counters.pages += 1;
      counters.listed += page.listed;
      if (page.changes.length > 0) {
        counters.offered += (await offerCustomerChanges({ tenantId, changes: page.changes })).offered;
        mark = advanceMark(mark, page.changes)!;
        await saveClarityCustomerPollMark({ tenantId, mark });
      }
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
  }

  const report: ClarityCustomerPollReport = {
    tenantId,
    outcome: plan.outcome === 'polls' ? 'completed' : plan.outcome,
    ...(plan.note !== undefined && { note: plan.note }),
    ...(plan.mark !== undefined && { since: plan.mark }),
    ...(mark !== undefined && { mark }),
    ...counters,
    startedAt,
    finishedAt: new Date().toISOString(),
    generations: generation + 1,
  };
  await finishClarityCustomerPoll(report);
  return report;
}

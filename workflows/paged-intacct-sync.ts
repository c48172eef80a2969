import { workflowInfo } from '@temporalio/workflow';
import type { StorefrontKind } from '../mappers/canonical-order.js';
import { laterIntacctTimestamp, nextCatalogWatermark } from '../mappers/catalog-item-sync.js';

/*
 * The run shape CatalogSync and the customer poll share: page through Intacct records modified
 * since the tenant's watermark by keyset, hand each page to the flow's own storefront step,
 * continue as new every `pagesPerRun` pages with the checkpoint, and end with a report whose
 * next watermark is the latest change read less the run's duration. Workflow code: deterministic.
 */

/** Counters every paged sync keeps, besides its own. */
export interface PagedSyncCounters {
  pages: number;
  failed: number;
  intacctTransactions: number;
}

/** Where a paged run stands: carried by continue-as-new, so a long run resumes at the page it reached. */
export interface PagedSyncCheckpoint<Counters extends PagedSyncCounters, Failure> {
  cursor?: string;
  startedAtMs: number;
  modifiedSince?: string;
  latestModifiedAt?: string;
  counters: Counters;
  failedSamples: Failure[];
  generation: number;
}

/** The input both paged syncs take. */
export interface PagedSyncInput<Checkpoint> {
  tenantId: string;
  runId?: string;
  checkpoint?: Checkpoint;
  full?: boolean;
  pageSize?: number;
  pagesPerRun?: number;
}

/** What the flow's plan activity said before the run. */
export interface PagedSyncPlan {
  enabled: boolean;
  deferredBecause?: string;
  storefront: StorefrontKind;
  modifiedSince?: string;
}

/** One Intacct page as the run needs it: where the next page starts, and what it cost. */
export interface IntacctChangesPage {
  nextCursor?: string;
  intacctTransactions: number;
}

/** The report fields every paged sync ends with; each flow's report is this plus nothing else. */
export type PagedSyncReport<Counters, Failure> = Counters & {
  runId: string;
  tenantId: string;
  storefront: StorefrontKind;
  outcome: 'completed' | 'disabled' | 'unsupported' | 'deferred';
  note?: string;
  modifiedSince?: string;
  nextModifiedSince?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  failedSamples: Failure[];
  generations: number;
};

const defaultPageSize = 200;
/** About 4 + batches events per page, each payload a few kB: ten pages keep a run's history small. */
const defaultPagesPerRun = 10;
const samplesKept = 20;

/** Counts a step's refusals and keeps the first few as samples for the report. */
export function noteFailures<Failure>(checkpoint: PagedSyncCheckpoint<PagedSyncCounters, Failure>, failed: readonly Failure[]): void {
  checkpoint.counters.failed += failed.length;
  checkpoint.failedSamples = [...checkpoint.failedSamples, ...failed].slice(0, samplesKept);
}

/** How one flow plugs into {@link runPagedIntacctSync}. */
export interface PagedIntacctSync<
  Counters extends PagedSyncCounters,
  Failure,
  Input extends PagedSyncInput<PagedSyncCheckpoint<Counters, Failure>>,
  Page extends IntacctChangesPage,
> {
  input: Input;
  /** The flow's plan, read by the caller before anything else so the command order stays. */
  plan: PagedSyncPlan;
  noCounters: Counters;
  /** Reads one Intacct page (an activity). */
  readPage: (request: { tenantId: string; pageSize: number; modifiedSince?: string; cursor?: string }) => Promise<Page>;
  /** The WHENMODIFIED of each record on the page, for the next watermark. */
  modifiedTimes: (page: Page) => readonly string[];
  /** The flow's own counting and storefront writes for one page. */
  applyPage: (page: Page, checkpoint: PagedSyncCheckpoint<Counters, Failure>) => Promise<void>;
  /** The flow's `continueAsNew<typeof flow>`. */
  continueAsNew: (next: Input) => Promise<never>;
  /** Whether the flow writes to this storefront; asked once, for an enabled run that is not deferred. Default: BigCommerce only. */
  writesTo?: (storefront: StorefrontKind) => boolean;
}

/**
 * Runs one paged Intacct → storefront sync (on the storefronts the flow `writesTo`) and returns its report for the flow's finish activity. A run that is disabled,
 * deferred or unsupported reads and writes nothing, and its report moves no watermark.
 */
export async function runPagedIntacctSync<
  Counters extends PagedSyncCounters,
  Failure,
  Input extends PagedSyncInput<PagedSyncCheckpoint<Counters, Failure>>,
  Page extends IntacctChangesPage,
>(sync: PagedIntacctSync<Counters, Failure, Input, Page>): Promise<PagedSyncReport<Counters, Failure>> {
  const { input, plan } = sync;
  const { tenantId } = input;
  const runId = input.runId ?? workflowInfo().runId;
  const checkpoint: PagedSyncCheckpoint<Counters, Failure> = input.checkpoint
    ? { ...input.checkpoint, counters: { ...input.checkpoint.counters } }
    : {
        startedAtMs: Date.now(),
        ...(plan.modifiedSince !== undefined && { modifiedSince: plan.modifiedSince }),
        counters: { ...sync.noCounters },
        failedSamples: [],
        generation: 0,
      };
  const { counters } = checkpoint;
  // A plan without `deferredBecause` (every run recorded before the soft limit existed) runs as it did.
  const deferred = plan.enabled && plan.deferredBecause !== undefined;
  const runs = plan.enabled && !deferred && (sync.writesTo ?? ((storefront) => storefront === 'bigcommerce'))(plan.storefront);

  if (runs) {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= (input.pagesPerRun ?? defaultPagesPerRun) && checkpoint.cursor !== undefined) {
        return sync.continueAsNew({ ...input, runId, checkpoint: { ...checkpoint, generation: checkpoint.generation + 1 } });
      }
      const page = await sync.readPage({
        tenantId,
        pageSize: input.pageSize ?? defaultPageSize,
        ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
        ...(checkpoint.cursor !== undefined && { cursor: checkpoint.cursor }),
      });
      counters.pages += 1;
      counters.intacctTransactions += page.intacctTransactions;
      for (const modifiedAt of sync.modifiedTimes(page)) {
        const latest = laterIntacctTimestamp(checkpoint.latestModifiedAt, modifiedAt);
        if (latest !== undefined) checkpoint.latestModifiedAt = latest;
      }
      await sync.applyPage(page, checkpoint);
      if (page.nextCursor === undefined) break;
      checkpoint.cursor = page.nextCursor;
    }
  }

  const finishedAtMs = Date.now();
  const nextModifiedSince = runs ? nextCatalogWatermark(checkpoint.latestModifiedAt, finishedAtMs - checkpoint.startedAtMs) : undefined;
  return {
    runId,
    tenantId,
    storefront: plan.storefront,
    outcome: !plan.enabled ? 'disabled' : deferred ? 'deferred' : runs ? 'completed' : 'unsupported',
    ...(deferred && plan.deferredBecause !== undefined && { note: plan.deferredBecause }),
    ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
    ...(nextModifiedSince !== undefined && { nextModifiedSince }),
    startedAt: new Date(checkpoint.startedAtMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    durationMs: finishedAtMs - checkpoint.startedAtMs,
    ...counters,
    failedSamples: checkpoint.failedSamples,
    generations: checkpoint.generation + 1,
  };
}

import { demoTenant } from '../../sandbox/demo-tenant.js';
import { catalogSyncWorkflowId, type CatalogSyncInput, type CatalogSyncReport } from '../../workflows/catalog-sync-contract.js';
import { control, peakRssOf, sampled, withSandboxWorker } from './sandbox-worker.js';

export interface CatalogBenchOptions {
  /** Generated items in both sandboxes (besides the demo catalogue), the same SKUs, names and prices. */
  items: number;
  /** Every n-th generated item gets a new price in Intacct before the first sync. Default 10 (10 %). */
  changeEvery?: number;
  log?: (line: string) => void;
  temporalAddress?: string;
  mongoUri?: string;
}

interface LoggedRequest {
  method: string;
  path: string;
}

/**
 * Issue 20's catalog figures: a CatalogSync first run over `items` generated items (every
 * `changeEvery`-th repriced in Intacct, so the run has changes to carry), then a second run with
 * nothing changed, which must write nothing. The worker runs in this process against the
 * sandboxes in a child process (their catalogues stay out of the measured memory), as the
 * inventory bench does. Per run: duration, pages, Intacct transactions per page, store requests
 * (reads and writes) per changed item, products written, and peak RSS and heap.
 */
export async function runCatalogBench(options: CatalogBenchOptions): Promise<Record<string, unknown>> {
  const log = options.log ?? (() => undefined);
  const changeEvery = options.changeEvery ?? 10;
  let repriced = 0;
  return withSandboxWorker(
    {
      name: 'catalog',
      temporalAddress: options.temporalAddress,
      mongoUri: options.mongoUri,
      log,
      seed: async (urls) => {
        await control(urls.intacct, 'POST', '/__control/reset', { extraItems: options.items });
        await control(urls.bigcommerce, 'POST', '/_control/reset', { extraProducts: options.items });
        for (let index = changeEvery; index <= options.items; index += changeEvery) {
          await control(urls.intacct, 'PATCH', `/__control/records/ITEM/SKU-${String(index).padStart(6, '0')}`, {
            fields: { BASEPRICE: '12' },
          });
          repriced += 1;
        }
        log(`seeded ${options.items} items in both sandboxes; ${repriced} repriced in Intacct`);
      },
      // A yearly schedule: nothing but the benchmark starts a sync.
      settings: (current) => ({
        ...current,
        catalog: { ...current.catalog, items: { ...current.catalog.items, enabled: true, schedule: '0 3 1 1 *' } },
      }),
    },
    async ({ urls, config, client, worker, transactions, suffix, sandboxesPid }) => {
      const storeRequests = async () => {
        const { requests } = (await control(urls.bigcommerce, 'GET', '/_control/requests')) as { requests: LoggedRequest[] };
        const catalog = requests.filter((request) => request.path.includes('/v3/catalog/'));
        return {
          reads: catalog.filter((request) => request.method === 'GET').length,
          writes: catalog.filter((request) => request.method === 'PUT').length,
        };
      };

      const sync = async (label: string) => {
        const before = await storeRequests();
        const transactionsBefore = transactions.total(demoTenant.id);
        const runStarted = performance.now();
        const {
          result: report,
          peakRssMb,
          peakHeapUsedMb,
        } = await sampled(
          () =>
            client.workflow.execute('catalogSync', {
              workflowId: `${catalogSyncWorkflowId(demoTenant.id)}:bench-${label}-${suffix}`,
              taskQueue: config.temporal.taskQueue,
              args: [{ tenantId: demoTenant.id } satisfies CatalogSyncInput],
            }) as Promise<CatalogSyncReport>,
        );
        const durationMs = Math.round(performance.now() - runStarted);
        const after = await storeRequests();
        const changed = report.productsWritten + report.variantsWritten;
        const storeReads = after.reads - before.reads;
        const storeWrites = after.writes - before.writes;
        const figures = {
          durationMs,
          itemsPerSecond: Math.round((report.intacctItems / durationMs) * 1000),
          pages: report.pages,
          intacctItems: report.intacctItems,
          changedItems: changed,
          unchanged: report.unchanged,
          failed: report.failed,
          intacctTransactions: report.intacctTransactions,
          intacctTransactionsCounted: transactions.total(demoTenant.id) - transactionsBefore,
          intacctTransactionsPerPage: report.pages === 0 ? 0 : Math.round((report.intacctTransactions / report.pages) * 100) / 100,
          storeReads,
          storeWrites,
          storeRequestsPerChangedItem: changed === 0 ? null : Math.round(((storeReads + storeWrites) / changed) * 100) / 100,
          storeWritesPerChangedItem: changed === 0 ? null : Math.round((storeWrites / changed) * 100) / 100,
          continueAsNewRuns: report.generations,
          peakRssMb,
          peakHeapUsedMb,
        };
        log(`${label} sync: ${JSON.stringify(figures)}`);
        return figures;
      };

      const { first, second } = await worker.runUntil(async () => ({ first: await sync('first'), second: await sync('second') }));
      if (second.storeWrites !== 0) throw new Error(`the no-change second sync wrote to the store ${second.storeWrites} times`);
      return {
        items: options.items,
        repricedInIntacct: repriced,
        first,
        second,
        sandboxesPeakRssMb: await peakRssOf(sandboxesPid),
        note: 'worker, Temporal client and bench in one process; sandboxes in a child process; the store at its sandbox quota',
      };
    },
  );
}

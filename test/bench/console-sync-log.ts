import { pino } from 'pino';
import { createApp } from '../../api/app.js';
import { listen } from '../../api/server.js';
import { loadConfig } from '../../config/index.js';
import { productionEndpointDefaults } from '../../config/vendor-endpoints.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { VendorEndpoints } from '../../connectors/vendor-endpoints.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../../store/database.js';
import { ledgerEntryId, recordLedgerEntry, type LedgerEntry } from '../../store/ledger.js';
import { backfillSyncLog, recordSyncLogRow } from '../../store/sync-log.js';
import { BenchServers } from './bench-servers.js';
import { harnessDatabaseTimeouts } from '../support/process-stack.js';
import { distribution, round } from './stats.js';

/** What the console's sync-log figure is measured with. */
export interface ConsoleSyncLogBenchOptions {
  /** Ledger entries of the one tenant (default 100,000). */
  entries?: number;
  /** Requests per page measured, one at a time after a warm-up (default 10). */
  requests?: number;
  /** A running MongoDB-wire server; FerretDB is started when absent. */
  mongoUri?: string;
  log?: (line: string) => void;
}

const tenantId = 'bench-console';
const bootstrapKey = 'bench-console-bootstrap-key-0123456789';
const insertBatch = 5_000;

/** The ledger of a busy tenant: orders in key order, one in ten parked with an error, the rest synced. */
function ledgerEntries(from: number, count: number, now: Date): LedgerEntry[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const externalId = String(100_000_000 + index);
    const parked = index % 10 === 0;
    const entry: LedgerEntry & { _id: string } = {
      _id: ledgerEntryId({ tenantId, entity: 'order', externalId }),
      tenantId,
      entity: 'order',
      externalId,
      state: parked ? 'parked' : 'synced',
      attempts: parked ? 2 : 1,
      ...(parked
        ? { lastError: { code: 'unknown_sku', message: `SKU SKU-${index % 500} has no Intacct item`, at: now } }
        : { intacctDocumentId: `SO-${externalId}`, intacctKey: String(index) }),
      createdAt: new Date(now.getTime() - index * 1_000),
      updatedAt: new Date(now.getTime() - index * 1_000),
    };
    return entry;
  });
}

/** Signs in to the console the way its form does; answers the session cookie. */
async function signIn(baseUrl: string): Promise<string> {
  const form = await fetch(`${baseUrl}/console/sign-in`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const formCookie = form.headers.getSetCookie()[0]?.split(';')[0];
  if (token === undefined || formCookie === undefined) throw new Error('the sign-in form carried no token');
  const answer = await fetch(`${baseUrl}/console/sign-in`, {
    method: 'POST',
    headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, apiKey: bootstrapKey, next: '/console' }),
    redirect: 'manual',
  });
  const session = answer.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('console_session='))
    ?.split(';')[0];
  if (answer.status !== 303 || session === undefined) throw new Error(`sign-in answered ${answer.status}`);
  return session;
}

/**
 * The operator console's sync log at scale: a tenant with `entries` ledger entries (100,000 by
 * default) in FerretDB, the API process's console in this process, and the time of a whole
 * page request (session check, tenant scope, keyset query of 50, render) measured for the first
 * page, a page deep in the log, and a filtered page. The target is 200 ms at the median.
 */
export async function runConsoleSyncLogBench(options: ConsoleSyncLogBenchOptions = {}): Promise<Record<string, unknown>> {
  const log = options.log ?? (() => undefined);
  const entries = options.entries ?? 100_000;
  const requests = options.requests ?? 10;
  const base = loadConfig();
  const servers = new BenchServers('console', log);
  const mongoUri = await servers.mongo(options.mongoUri);
  const database = openDatabase({
    uri: mongoUri,
    database: `bench_console_${Date.now()}`,
    ...harnessDatabaseTimeouts,
    serverSelectionTimeoutMs: 5_000,
  });
  try {
    await ensureIndexes(database.db);
    const cipher = new CredentialCipher(base.credentials.keys, base.credentials.activeKeyId);
    const app = createApp({
      logger: pino({ level: 'silent' }),
      readinessChecks: {},
      admin: {
        db: database.db,
        cipher,
        connectors: new ConnectorClients({
          endpoints: new VendorEndpoints({ allowed: productionEndpointDefaults, refusePrivateAddresses: true }),
        }),
        bootstrapApiKey: bootstrapKey,
      },
      console: { secureCookies: false },
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const created = await fetch(`${server.url}/api/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: tenantId,
          name: 'Bench Co',
          connection: { storefront: { kind: 'bigcommerce', storeHash: 'bench' }, intacct: { companyId: 'BENCH' } },
        }),
      });
      if (created.status !== 201) throw new Error(`creating the tenant answered ${created.status}`);

      log(`console sync log: writing ${entries} ledger entries`);
      const seedStarted = performance.now();
      const now = new Date();
      const ledger = database.db.collection<LedgerEntry>('sync_ledger');
      for (let from = 0; from < entries; from += insertBatch)
        await ledger.insertMany(ledgerEntries(from, Math.min(insertBatch, entries - from), now), { ordered: false });
      const seedMs = Math.round(performance.now() - seedStarted);
      // The entries went in behind the ledger's API, as a ledger from before the read model: the backfill places them.
      const backfillStarted = performance.now();
      const backfilled = await backfillSyncLog(database.db);
      const backfillMs = Math.round(performance.now() - backfillStarted);
      if (backfilled !== entries) throw new Error(`the backfill placed ${backfilled} of ${entries} entries`);
      log(`console sync log: backfilled the read model in ${backfillMs} ms`);

      const cookie = await signIn(server.url);
      // Places count up in first-recorded order and the log reads newest first: 90% deep is place 10%.
      const deepCursor = String(Math.floor(entries * 0.1));
      const pages = {
        first: '/console/tenants/bench-console/orders',
        deep: `/console/tenants/bench-console/orders?cursor=${encodeURIComponent(deepCursor)}`,
        parked: '/console/tenants/bench-console/orders?state=parked',
      };
      const figures: Record<string, unknown> = {};
      for (const [name, pagePath] of Object.entries(pages)) {
        const timeOne = async () => {
          const started = performance.now();
          const answer = await fetch(`${server.url}${pagePath}`, { headers: { cookie } });
          const body = await answer.text();
          const ms = performance.now() - started;
          if (answer.status !== 200 || (body.match(/<tr>/g)?.length ?? 0) < 50)
            throw new Error(`${pagePath} answered ${answer.status} without a full page`);
          return { ms, bytes: body.length };
        };
        await timeOne();
        const samples: number[] = [];
        let bytes = 0;
        for (let index = 0; index < requests; index += 1) {
          const sample = await timeOne();
          samples.push(sample.ms);
          bytes = sample.bytes;
        }
        figures[name] = { ...distribution(samples), pageBytes: bytes };
        log(`console sync log, ${name} page: median ${round(distribution(samples).p50)} ms`);
      }
      // What keeping the read model costs each ledger write at this size: the whole write, and the read model's part of it.
      const ledgerWrites: number[] = [];
      const rowWrites: number[] = [];
      for (let index = 0; index < requests; index += 1) {
        const key = { tenantId, entity: 'order' as const, externalId: `bench-write-${index}` };
        let started = performance.now();
        const entry = await recordLedgerEntry(database.db, key, { state: 'synced', intacctDocumentId: `SO-W${index}` });
        ledgerWrites.push(performance.now() - started);
        started = performance.now();
        await recordSyncLogRow(database.db, entry, ledgerEntryId(key));
        rowWrites.push(performance.now() - started);
      }
      log(
        `console sync log: a ledger write takes ${round(distribution(ledgerWrites).p50)} ms at the median, its sync-log row ${round(distribution(rowWrites).p50)} ms`,
      );
      return {
        entries,
        seedMs,
        backfillMs,
        ledgerWriteMs: distribution(ledgerWrites),
        syncLogRowWriteMs: distribution(rowWrites),
        requestsPerPage: requests,
        pagesMs: figures,
        targetMedianMs: 200,
        how: 'one tenant with `entries` order entries in the ledger (FerretDB, its indexes); each figure is the whole GET of a sync-log page of 50 over loopback, one at a time after a warm-up: session and key look-up, tenant scope, the keyset query, the render. first = page 1; deep = the page after 90% of the log (keyset cursor); parked = filtered by state (one in ten). Pages read the sync-log read model (store/sync-log.ts), backfilled from the seeded ledger (backfillMs). ledgerWriteMs = recordLedgerEntry of a new order at this size including its sync-log row; syncLogRowWriteMs = the write of that row alone',
      };
    } finally {
      await server.close();
    }
  } finally {
    await database.db.dropDatabase().catch(() => undefined);
    await database.close();
    await servers.stop();
  }
}

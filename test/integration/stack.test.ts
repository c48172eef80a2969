import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { projectRoot } from '../../config/index.js';
import { findFreePort } from '../../sandbox/runtime/servers.js';

interface RunningStack {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

interface ProcessEntry {
  pid: number;
  command: string;
}

/** Everything a process started, recursively (the launcher's servers, worker and API). */
function descendants(pid: number): ProcessEntry[] {
  let children: ProcessEntry[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
      .filter((match): match is RegExpMatchArray => match !== null)
      .map((match) => ({ pid: Number(match[1]), command: match[2]! }));
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child.pid)]);
}

/** Still running (a zombie waiting for its parent to reap it counts as gone). */
const isRunning = ({ pid }: ProcessEntry): boolean => {
  try {
    return !/^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return false;
  }
};

function startStack(env: Record<string, string>): RunningStack {
  const { TEMPORAL_ADDRESS: _t, MONGODB_URI: _m, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'sandbox/stack.ts')], {
    cwd: projectRoot,
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(stack: RunningStack, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const match = await eventually(() => stack.output().match(pattern), {
    until: (found) => found !== null || stack.child.exitCode !== null,
    what: () => `${pattern} in the stack's output:\n${stack.output()}`,
    timeoutMs,
    intervalMs: 200,
  });
  if (match === null) throw new Error(`stack exited early:\n${stack.output()}`);
  return match;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm start: the local stack launcher', () => {
  let dataDir: string;
  let ports: Record<'api' | 'temporal' | 'ui' | 'mongo' | 'intacct' | 'bigcommerce' | 'clarity' | 'stripe', number>;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-'));
    ports = {
      api: await findFreePort(),
      temporal: await findFreePort(),
      ui: await findFreePort(),
      mongo: await findFreePort(),
      intacct: await findFreePort(),
      bigcommerce: await findFreePort(),
      clarity: await findFreePort(),
      stripe: await findFreePort(),
    };
    env = {
      DATA_DIR: dataDir,
      API_PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      MONGODB_PORT: String(ports.mongo),
      INTACCT_SANDBOX_PORT: String(ports.intacct),
      BIGCOMMERCE_SANDBOX_PORT: String(ports.bigcommerce),
      CLARITY_SANDBOX_PORT: String(ports.clarity),
      STRIPE_SANDBOX_PORT: String(ports.stripe),
      TEMPORAL_TASK_QUEUE: 'stack-test',
    };
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('when started then it serves the Web UI and /readyz, syncs a demo order to Intacct, and SIGTERM leaves no process or port behind; history and the sandbox records survive a restart', async () => {
    const first = startStack(env);
    const [, selfCheckId] = await waitForOutput(first, /self-check passed: workflow (\S+)/, 90_000);
    await waitForOutput(first, /Ctrl-C stops everything/, 10_000);
    expect(first.output()).toContain(`http://localhost:${ports.ui}`);
    expect(first.output()).toContain(`http://localhost:${ports.api}`);

    const readyz = await fetch(`http://127.0.0.1:${ports.api}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ status: 'ready', dependencies: { temporal: 'up', mongodb: 'up' } });
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect(first.output()).toContain('demo tenant "demo" created');
    const demo = await fetch(`http://127.0.0.1:${ports.api}/api/v1/tenants/demo`, { headers: { authorization: 'Bearer demo-admin-key' } });
    expect(demo.status).toBe(200);
    expect(await demo.json()).toMatchObject({
      tenant: { id: 'demo', storefront: 'bigcommerce' },
      credentials: { intacct: { set: true }, bigcommerce: { set: true } },
    });
    const sandboxProducts = await fetch(`http://127.0.0.1:${ports.bigcommerce}/stores/demostore/v3/catalog/products`, {
      headers: { 'X-Auth-Token': 'demo-bc-token', accept: 'application/json' },
    });
    expect(sandboxProducts.status).toBe(200);

    // The demo works end to end: an order the store moves on becomes one Intacct sales order.
    expect(first.output()).toContain(`demo store webhooks → http://localhost:${ports.api}/webhooks/bigcommerce/demo`);
    const moved = await fetch(`http://127.0.0.1:${ports.bigcommerce}/stores/demostore/v2/orders/103`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ status_id: 9 }),
    });
    expect(moved.status).toBe(200);
    const documents = await eventually(
      async () => {
        const records = (await (await fetch(`http://127.0.0.1:${ports.intacct}/__control/records/SODOCUMENT`)).json()) as {
          records: Array<Record<string, string>>;
        };
        return records.records.filter((record) => record.PONUMBER === '103');
      },
      { until: (found) => found.length > 0, what: 'the sales document of order 103', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(documents).toHaveLength(1);

    // The README's demo: a paid order placed at Awaiting Fulfillment (11) is synced, as the admin API and the ledger show.
    const placed = await fetch(`http://127.0.0.1:${ports.bigcommerce}/stores/demostore/v2/orders`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        status_id: 11,
        products: [{ product_id: 112, quantity: 2 }],
        billing_address: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', zip: '78701', country_iso2: 'US' },
      }),
    });
    expect(placed.status).toBe(201);
    const demoOrderId = String(((await placed.json()) as { id: number }).id);
    const admin = { headers: { authorization: 'Bearer demo-admin-key' } };
    const demoOrder = await eventually(
      async () =>
        (await (await fetch(`http://127.0.0.1:${ports.api}/api/v1/tenants/demo/orders/${demoOrderId}`, admin)).json()) as {
          status?: { step: string; intacct?: { customerId?: string; salesDocumentId?: string; paymentKey?: string } };
        },
      { until: (found) => found.status?.step === 'awaiting_fulfilment', what: `the README's demo order ${demoOrderId}`, timeoutMs: 60_000 },
    );
    expect(demoOrder.status?.intacct).toMatchObject({
      customerId: 'WEB-GUEST',
      salesDocumentId: expect.stringMatching(/^Sales Order-/),
      paymentKey: expect.any(String),
    });
    const ledger = (await (
      await fetch(`http://127.0.0.1:${ports.api}/api/v1/tenants/demo/ledger?externalId=${demoOrderId}`, admin)
    ).json()) as {
      entries: Array<{ entity: string; state: string }>;
    };
    expect(ledger.entries.map(({ entity, state }) => `${entity} ${state}`).sort()).toEqual(['order synced', 'payment synced']);

    const processes = descendants(first.child.pid!);
    const commands = processes.map((entry) => entry.command).join('\n');
    for (const part of ['temporal server start-dev', 'ferretdb', 'workers/main.ts', 'api/main.ts']) expect(commands).toContain(part);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(processes.filter(isRunning)).toEqual([]);
    for (const port of Object.values(ports)) expect(await portIsFree(port)).toBe(true);

    // The dev server keeps its SQLite file in DATA_DIR: the first run's workflow is still there.
    const second = startStack(env);
    try {
      await waitForOutput(second, /Ctrl-C stops everything/, 90_000);
      expect(second.output()).toContain('demo tenant "demo" already there');
      // The sandboxes keep their world in DATA_DIR too: Intacct still has order 103's document.
      const kept = (await (await fetch(`http://127.0.0.1:${ports.intacct}/__control/records/SODOCUMENT`)).json()) as {
        records: Array<Record<string, string>>;
      };
      expect(kept.records.filter((record) => record.PONUMBER === '103').map((record) => record.DOCID)).toEqual(
        documents.map((document) => document.DOCID),
      );
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
      try {
        const description = await new Client({ connection }).workflow.getHandle(selfCheckId!).describe();
        expect(description.status.name).toBe('COMPLETED');
      } finally {
        await connection.close();
      }
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  it('when a port is taken then it exits non-zero naming the port and the variable that moves it, starting nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.api, resolve));
    try {
      const stack = startStack(env);
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toContain(`port ${ports.api} (product API) is already in use`);
      expect(stack.output()).toContain('API_PORT');
      expect(stack.output()).not.toContain('provision:');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

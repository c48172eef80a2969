import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../config/index.js';
import { collectConfiguredSecrets, scanForSecrets } from '../../chaos/secrets-scan.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { sandboxPortsEnvironment } from '../../support/vendor-endpoints.js';

describe('the secrets scan, shown to find what it looks for', () => {
  let directory: string;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Client & { close(): Promise<void> };
  let workflowId: string;
  const secret = (name: string) => ({ label: name, value: `${name}-${randomBytes(12).toString('base64url')}` });
  const inLog = secret('planted-in-a-log-line');
  const base64InLog = secret('planted-base64-in-a-log-line');
  const inWorkflow = secret('planted-in-a-workflow-input');
  const inDocument = { label: 'planted-in-a-document', value: `say "${randomBytes(9).toString('hex')}" \\ twice` };
  const nowhere = secret('planted-nowhere');
  /** A shopper whose order a client without the codec started: readable by anyone. */
  const exposed = { email: 'ada.okafor.7@chaos.example', first: 'Adaeze', street: '12 Market St' };
  /** A shopper whose order the product's client started: encrypted. */
  const hidden = { email: 'hugo.haddad.8@chaos.example', first: 'Hugolin', street: '9 Harbor Rd' };
  const personalData = [
    { label: 'exposed email', value: exposed.email },
    { label: 'exposed first name', value: exposed.first },
    { label: 'exposed street', value: exposed.street },
    { label: 'hidden email', value: hidden.email },
    { label: 'hidden first name', value: hidden.first },
    { label: 'hidden street', value: hidden.street },
  ];
  let plainWorkflowId: string;
  let encryptedWorkflowId: string;

  beforeAll(async () => {
    const config = testConfig();
    directory = await mkdtemp(path.join(tmpdir(), 'secrets-scan-'));
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    await writeFile(
      path.join(directory, 'api.log'),
      [
        JSON.stringify({ level: 30, msg: 'request', path: '/healthz' }),
        JSON.stringify({ level: 30, msg: 'oops', header: inLog.value }),
        JSON.stringify({ level: 30, msg: 'encoded', blob: Buffer.from(`prefix:${base64InLog.value}`.slice(7)).toString('base64') }),
      ].join('\n'),
    );
    await database.db.collection('planted').insertOne({ _id: 'doc-1' as never, nested: { list: [{ note: inDocument.value }] } });
    // No worker polls this queue: the input sits in the history's first event, which is what is scanned.
    workflowId = uniqueId('planted-secret');
    await client.workflow.start('plantedSecretWorkflow', {
      taskQueue: uniqueId('nobody-polls'),
      workflowId,
      args: [{ orderId: '1', token: inWorkflow.value }],
    });
    await eventually(async () => (await client.workflow.count(`WorkflowId = "${workflowId}"`)).count, {
      until: (count) => count === 1,
      what: 'the planted workflow in visibility',
      intervalMs: 250,
    });
    const order = (shopper: typeof exposed) => ({
      orderId: '7',
      billing_address: { first_name: shopper.first, street_1: shopper.street, email: shopper.email },
    });
    const withoutCodec = new Client({ connection: client.connection, namespace: config.temporal.namespace });
    plainWorkflowId = uniqueId('planted-plain-order');
    await withoutCodec.workflow.start('plantedOrderWorkflow', {
      taskQueue: uniqueId('nobody-polls'),
      workflowId: plainWorkflowId,
      args: [order(exposed)],
    });
    encryptedWorkflowId = uniqueId('planted-encrypted-order');
    await client.workflow.start('plantedOrderWorkflow', {
      taskQueue: uniqueId('nobody-polls'),
      workflowId: encryptedWorkflowId,
      args: [order(hidden)],
    });
  });

  afterAll(async () => {
    for (const planted of [workflowId, plainWorkflowId, encryptedWorkflowId])
      if (planted)
        await client?.workflow
          .getHandle(planted)
          .terminate('planted for the secrets scan test')
          .catch(() => undefined);
    await client?.close();
    await database?.drop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('when secrets are planted in a log line, a workflow input and a document, then each is found where it was planted, and an unplanted one nowhere', async () => {
    const report = await scanForSecrets({
      secrets: [inLog, base64InLog, inWorkflow, inDocument, nowhere],
      logFiles: [path.join(directory, 'api.log'), path.join(directory, 'missing.log')],
      client,
      workflowQuery: `WorkflowId = "${workflowId}"`,
      db: database.db,
    });
    const where = (label: string) => report.hits.filter((hit) => hit.secret === label).map((hit) => hit.where);
    expect(where(inLog.label)).toEqual([expect.stringMatching(/^log .*api\.log:2 \(raw\)$/)]);
    expect(where(base64InLog.label)).toEqual([expect.stringMatching(/^log .*api\.log:3 \(base64\)$/)]);
    expect(where(inWorkflow.label).length).toBeGreaterThan(0);
    expect(where(inWorkflow.label).every((place) => place.startsWith(`history ${workflowId} `))).toBe(true);
    expect(where(inWorkflow.label).some((place) => place.includes(' event 1 '))).toBe(true);
    expect(where(inDocument.label).length).toBeGreaterThan(0);
    expect(where(inDocument.label).every((place) => place.startsWith('mongodb planted _id "doc-1"'))).toBe(true);
    expect(where(nowhere.label)).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(inLog.value);
    expect(report.unreadable).toEqual([path.join(directory, 'missing.log')]);
    expect(report.scanned.histories).toBe(1);
    expect(report.scanned.historyEvents).toBeGreaterThan(0);
    expect(report.scanned.collections).toBeGreaterThan(1);
    expect(report.scanned.logBytes).toBeGreaterThan(100);
  });

  it("when a shopper's order is in one history in plain text and another's is encrypted, then the scan, reading without the key, finds the first shopper's email, name and street there and none of the second's", async () => {
    const report = await scanForSecrets({
      secrets: [],
      logFiles: [],
      client,
      workflowQuery: `WorkflowId = "${plainWorkflowId}" OR WorkflowId = "${encryptedWorkflowId}"`,
      db: database.db,
      personalData,
    });
    expect(report.scanned.histories).toBe(2);
    const found = report.personalDataHits.map((hit) => hit.item).sort();
    expect(found).toEqual(['exposed email', 'exposed first name', 'exposed street']);
    expect(report.personalDataHits.every((hit) => hit.where.startsWith(`history ${plainWorkflowId} `))).toBe(true);
    expect(report.scanned.personalData).toMatchObject({ searched: 6, hits: 3 });
    expect(report.scanned.personalData.encryptedPayloads).toBeGreaterThan(0);
    expect(report.scanned.personalData.readablePayloads).toBeGreaterThan(0);
    // The hidden shopper is in the encrypted history: the key reads it, the scan does not use the key.
    const history = await client.workflow.getHandle(encryptedWorkflowId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const decoded = await client.options.loadedDataConverter.payloadCodecs[0]!.decode(input);
    expect(Buffer.from(decoded[0]!.data!).toString()).toContain(hidden.email);
    expect(JSON.stringify(report)).not.toContain(exposed.email);
  });
});

describe('the secrets scan after a real order sync', () => {
  let stack: OrderToCashStack;
  let api: ChildProcess | undefined;
  let directory: string;
  let logFile: string;
  const adminKey = `chaos-admin-${randomBytes(12).toString('hex')}`;

  /** The product's own API process (its composition root and logger), logging to a file at debug level. */
  const startApiProcess = async (): Promise<string> => {
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'api/main.ts')], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: stack.config.temporal.address,
        TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
        MONGODB_URI: stack.config.mongo.uri,
        MONGODB_DATABASE: stack.config.mongo.database,
        ADMIN_API_KEY: adminKey,
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        LOG_LEVEL: 'debug',
        ...sandboxPortsEnvironment({
          intacct: stack.sandboxes.intacct.url,
          bigcommerce: stack.sandboxes.bigcommerce.url,
          clarity: stack.sandboxes.clarity.url,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api = child;
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const line = await eventually(
      async () => (await readFile(logFile, 'utf8').catch(() => '')).split('\n').find((candidate) => candidate.includes('API listening')),
      {
        until: (found) => found !== undefined || child.exitCode !== null,
        what: 'the API process to listen',
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    if (line === undefined) throw new Error(`the API process exited: ${await readFile(logFile, 'utf8')}`);
    return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  };

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    directory = await mkdtemp(path.join(tmpdir(), 'secrets-scan-sync-'));
    logFile = path.join(directory, 'api.log');
  });

  afterAll(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api!.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await stack?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('when an order syncs from the store to Intacct through the API process, then no configured credential is in its logs, the histories or the database', async () => {
    const apiUrl = await startApiProcess();
    const tenantId = await stack.createTenant('bigcommerce');
    const registered = await fetch(`${apiUrl}/api/v1/tenants/${tenantId}/webhooks/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicBaseUrl: apiUrl }),
    });
    expect(registered.status).toBe(200);
    expect((await stack.bigCommerce('PUT', '/v2/orders/103', { status_id: 11 })).status).toBe(200);
    const status = await stack.waitForOrder(tenantId, '103', (current) => current.intacct.salesDocumentId !== undefined, 90_000);
    expect(status.intacct.salesDocumentId).toMatch(/^Sales Order-/);

    const { secrets, skipped } = await collectConfiguredSecrets({
      db: stack.database.db,
      cipher: stack.cipher,
      config: { ...stack.config, admin: { ...stack.config.admin, bootstrapApiKey: adminKey } },
    });
    const labels = secrets.map((entry) => entry.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        `tenant ${tenantId} intacct.senderPassword`,
        `tenant ${tenantId} intacct.userPassword`,
        `tenant ${tenantId} bigcommerce.accessToken`,
        `tenant ${tenantId} bigcommerce.clientSecret`,
        `tenant ${tenantId} webhook secret 1`,
        'bootstrap admin API key (ADMIN_API_KEY)',
      ]),
    );
    expect(labels.some((label) => label.startsWith('credentials key '))).toBe(true);
    expect(skipped).toEqual([]);

    // The buyer of order 103 as the store holds them: none may be readable in the histories without the key.
    const billing = ((await stack.bigCommerce('GET', '/v2/orders/103')).body as { billing_address: Record<string, string> })
      .billing_address;
    const personalData = ['first_name', 'last_name', 'street_1', 'email', 'phone']
      .filter((field) => (billing[field] ?? '') !== '')
      .map((field) => ({ label: `order 103 ${field}`, value: billing[field]! }));
    expect(personalData.map((item) => item.label)).toEqual(expect.arrayContaining(['order 103 email', 'order 103 street_1']));
    const report = await scanForSecrets({
      secrets,
      logFiles: [logFile],
      client: stack.client,
      workflowQuery: `TenantId = "${tenantId}"`,
      db: stack.database.db,
      personalData,
    });
    expect(report.hits).toEqual([]);
    expect(report.personalDataHits).toEqual([]);
    expect(report.scanned.personalData.encryptedPayloads).toBeGreaterThan(10);
    // The scan looked at something: the API's request lines, the order's history, the tenant's documents.
    expect(report.scanned.logBytes).toBeGreaterThan(0);
    expect((await readFile(logFile, 'utf8')).includes(`/webhooks/bigcommerce/${tenantId}`)).toBe(true);
    expect(report.scanned.histories).toBeGreaterThanOrEqual(1);
    expect(report.scanned.historyEvents).toBeGreaterThan(10);
    expect(report.scanned.documents).toBeGreaterThan(5);
  });
});

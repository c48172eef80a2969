import { createRequire } from 'node:module';
import { Context, log } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../config/logger.js';
import { sdkLogger } from '../../../workers/logging.js';
import { remindAfterDays } from '../../fixtures/workflows/index.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId, withProductWorker } from '../../support/harness.js';
import { routeSdkLogs } from '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

/**
 * Finding 8 of the security review: the worker's logs carried Temporal task tokens, with which
 * anyone reading the logs could complete or fail a running activity through the client API.
 * The product's worker runs an activity on the dev server (failing once, so the SDK's own
 * "Activity failed" line is written too) while the SDK's lines go through the worker process's
 * logger at debug level; the JSON it writes is searched for every attempt's token.
 */
describe('worker logs: no Temporal task tokens', () => {
  const config = testConfig();
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let stopRouting: (() => void) | undefined;
  const written: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    const logger = createLogger({ logLevel: 'debug' }, 'worker', { write: (line: string) => void written.push(line) });
    stopRouting = routeSdkLogs(sdkLogger(logger, 'debug'));
  });
  afterAll(async () => {
    stopRouting?.();
    await client?.close();
    await database?.drop();
  });

  it("when an activity logs and fails once then the lines carry its log and the SDK's, and no attempt's task token in any encoding", async () => {
    const orderId = uniqueId('order');
    const taskTokens: Buffer[] = [];
    const sendReminder = (order: string): Promise<string> => {
      const { taskToken, attempt } = Context.current().info;
      taskTokens.push(Buffer.from(taskToken));
      // A careless line that hands the whole activity info to the logger: the redaction catches it.
      log.debug('reminder attempt', { info: Context.current().info });
      if (attempt === 1) return Promise.reject(new Error('the store is busy'));
      log.info('reminder sent', { orderId: order });
      return Promise.resolve(`reminded ${order}`);
    };

    const result = await withProductWorker(
      config,
      database,
      () =>
        client.workflow.execute(remindAfterDays, {
          workflowId: uniqueId('reminder'),
          taskQueue: config.temporal.taskQueue,
          args: [orderId, 0],
        }),
      { workflowsPath: require.resolve('../../fixtures/workflows/index.ts'), activities: { sendReminder } },
    );
    expect(result).toBe(`reminded ${orderId}`);

    const lines = written.map((line) => JSON.parse(line) as { msg: string; sdk?: Record<string, unknown> });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'reminder sent',
        sdk: expect.objectContaining({ orderId, activityType: 'sendReminder', attempt: 2, sdkComponent: 'activity' }),
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'Activity failed', sdk: expect.objectContaining({ attempt: 1 }) }));
    expect(lines.filter((line) => line.msg === 'reminder attempt')).toHaveLength(2);

    expect(taskTokens).toHaveLength(2);
    const everything = written.join('');
    for (const token of taskTokens) {
      expect(token.length).toBeGreaterThan(16);
      for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(everything).not.toContain(token.toString(encoding));
      // The bytes as JSON writes a Uint8Array: {"0":10,"1":32,...}.
      expect(everything).not.toContain(JSON.stringify(Object.fromEntries(token.entries())).slice(1, -1));
      expect(everything).not.toContain(`[${[...token].join(',')}]`);
    }
    expect(everything).not.toMatch(/"(base64)?taskToken":"(?!\[redacted\])/i);
  });
});

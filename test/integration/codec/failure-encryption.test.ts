import { createRequire } from 'node:module';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkedVendorRefusal, failingScheduledRun } from '../../fixtures/workflows/index.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);

/** A vendor's refusal quoting the shopper, as Intacct's and the storefronts' errors can. */
const email = 'w.quackenbush@example.org';
const vendorMessage = `Customer with email ${email} already exists (Wilhelmina Quackenbush, 742 Evergreen Terrace)`;

describe("failure messages and stack traces are encrypted in Temporal's history", () => {
  const config = testConfig();
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let worker: RunningTestWorker;
  let connection: Connection;
  let raw: Client;

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/index.ts'),
      activities: {
        refuseWithVendorMessage(message: string): Promise<void> {
          return Promise.reject(ApplicationFailure.nonRetryable(message, 'IntacctInputError', { failureClass: 'input' }));
        },
      },
    });
    // A client with no codec, as anyone with Temporal access (or its database) reads histories.
    connection = await Connection.connect({ address: config.temporal.address! });
    raw = new Client({ connection, namespace: config.temporal.namespace });
  });
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await client?.close();
  });

  const rawHistory = async (workflowId: string) => {
    const response = await raw.workflowService.getWorkflowExecutionHistory({
      namespace: config.temporal.namespace,
      execution: { workflowId },
    });
    const history = temporal.api.history.v1.History.create(response.history ?? {});
    return { history, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1') };
  };

  it("when an activity fails with a message quoting a shopper's email, then the raw history holds no email, the key decodes it, and the parked item's reason quotes the vendor", async () => {
    const workflowId = uniqueId('vendor-refusal');
    const attention = await client.workflow.execute(parkedVendorRefusal, {
      taskQueue: worker.taskQueue,
      workflowId,
      args: [vendorMessage],
    });
    // The flow read the failure through the failure converter: the attention item says what the vendor said.
    expect(attention.reason).toBe(`creating the customer failed: ${vendorMessage}`);
    expect(attention.details).toMatchObject({ failureType: 'IntacctInputError', failureClass: 'input' });

    const { history, bytes } = await rawHistory(workflowId);
    expect(bytes).not.toContain(email);
    expect(bytes).not.toContain('Quackenbush');
    const failed = history.events.find((event) => event.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(failed?.message).toBe('Encoded failure');
    expect(failed?.stackTrace ?? '').toBe('');
    expect(failed?.applicationFailureInfo?.type).toBe('IntacctInputError');
    const decoded = await fromHistoryPayload<{ message: string; stack_trace: string }>(failed!.encodedAttributes!);
    expect(decoded.message).toBe(vendorMessage);
    expect(decoded.stack_trace).toContain('refuseWithVendorMessage');
  });

  it("when a workflow fails with a message quoting a shopper's email, then the raw history holds no email and the product's client reads the message", async () => {
    const workflowId = uniqueId('failing-run');
    const handle = await client.workflow.start(failingScheduledRun, { taskQueue: worker.taskQueue, workflowId, args: [vendorMessage] });
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(vendorMessage);

    const { history, bytes } = await rawHistory(workflowId);
    expect(bytes).not.toContain(email);
    const failed = history.events.find((event) => event.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes
      ?.failure;
    expect(failed?.message).toBe('Encoded failure');
    expect((await fromHistoryPayload<{ message: string }>(failed!.encodedAttributes!)).message).toBe(vendorMessage);
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../../config/index.js';

interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run bench`'s entry point with the given flags on the test run's servers. */
function runBench(args: string[]): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/bench/main.ts'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), MONGODB_URI: inject('mongoUri'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const positive = expect.any(Number);

/**
 * A tiny `npm run bench` (5 orders, 2 s of webhooks, no inventory): it finishes and prints one
 * JSON document with every figure present and consistent. Not a timed assertion: performance
 * is read from the bench's output, never asserted by a test.
 */
describe('npm run bench', () => {
  it('when run with tiny numbers, then it prints one JSON document with every order, webhook and memory figure, consistent with each other', async () => {
    const run = await runBench([
      '--orders',
      '5',
      '--concurrency',
      '5',
      '--rate',
      '10',
      '--duration',
      '2',
      '--ack-orders-rate',
      '1',
      '--only',
      'orders,ack',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;

    expect(report.environment).toMatchObject({
      node: process.version,
      cpus: positive,
      orders: 5,
      webhookRate: 10,
      commit: expect.any(String),
      workerConcurrency: { maxConcurrentActivityTaskExecutions: positive, maxConcurrentWorkflowTaskExecutions: positive },
    });

    const { product, floor, ratio } = report.throughput;
    expect(product.orders).toBe(5);
    expect(product.orderIds).toBeUndefined();
    expect(product.activitiesPerOrder).toBeGreaterThanOrEqual(5);
    expect(product.activitySequence).toHaveLength(product.activitiesPerOrder);
    expect(product.activitySequence).toContain('createSalesDocument');
    expect(floor.activitiesPerWorkflow).toBe(product.activitiesPerOrder);
    for (const run of [floor.before, floor.after])
      expect(run).toMatchObject({ workflows: 5, activitiesPerWorkflow: product.activitiesPerOrder, workflowsPerSecond: positive });
    expect(floor.workflowsPerSecond).toBeCloseTo((floor.before.workflowsPerSecond + floor.after.workflowsPerSecond) / 2, 1);
    for (const figure of [product.ordersPerSecond, product.ordersPerSecondToDocument, floor.workflowsPerSecond, ratio])
      expect(figure).toBeGreaterThan(0);
    expect(ratio).toBeCloseTo(product.ordersPerSecond / floor.workflowsPerSecond, 1);
    expect(product.retriedActivities).toEqual(expect.any(Object));
    expect(Object.keys(product.timePerOrder.runningMsByActivity)).toEqual(expect.arrayContaining(product.activitySequence));
    // The document comes before the order is posted (payment and write-back follow it).
    expect(product.secondsToLastDocument).toBeLessThanOrEqual(product.secondsToLastPosted);

    const latency = report.webhookToDocumentLatencyMs;
    for (const name of ['placedToWorkflowStart', 'placedToIntacctDocument', 'placedToPosted']) {
      expect(latency[name]).toMatchObject({ count: 5 });
      expect(latency[name].p50).toBeGreaterThan(0);
      expect(latency[name].p99).toBeGreaterThanOrEqual(latency[name].p50);
    }
    expect(latency.placedToIntacctDocument.p50).toBeGreaterThan(latency.placedToWorkflowStart.p50);

    const intacct = report.intacctTransactions;
    expect(intacct.byFunction.create_sotransaction).toBe(5);
    expect(intacct.transactionsPerOrder).toBeGreaterThanOrEqual(1);
    expect(intacct.transactionsPerOrder).toBeCloseTo(intacct.transactions / 5, 2);

    expect(report.storefrontRequests.requestsPerOrder).toBeGreaterThanOrEqual(1);
    expect(report.storefrontRequests.byEndpoint).toHaveProperty('GET /v2/orders/{id}');

    const ack = report.webhookAck;
    expect(ack.offeredRate).toBe(10);
    expect(ack.ordersDuringRun.placed).toBe(2);
    // Both streams: every request answered 2xx (the floor route is served on the bench's API), latencies ordered.
    for (const stream of [ack.receiver, ack.floor]) {
      expect(stream).toMatchObject({ requests: 20, answered2xx: 20, share2xx: 1, notAnswered2xx: {} });
      expect(stream.latencyMs.p50).toBeGreaterThan(0);
      expect(stream.latencyMs.p99).toBeGreaterThanOrEqual(stream.latencyMs.p50);
      expect(stream.latencyMs.max).toBeGreaterThanOrEqual(stream.latencyMs.p99);
    }
    expect(ack.p99Ratio).toBeCloseTo(ack.receiver.latencyMs.p99 / ack.floor.latencyMs.p99, 1);
    expect(ack.goal).toMatchObject({ share2xx: 1, p99RatioAtMost: 2, met: ack.p99Ratio <= 2 });

    expect(report.peakMemoryMb.api).toBeGreaterThan(0);
    expect(report.peakMemoryMb.worker).toBeGreaterThan(0);
    expect(report.inventory).toBeUndefined();
  }, 420_000);

  it('when a flag is not a positive number, then it stops with a message naming the flag', async () => {
    const run = await runBench(['--orders', 'many', '--only', 'orders']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--orders must be a positive whole number');
  }, 60_000);
});

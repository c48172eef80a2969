import { describe, expect, it } from 'vitest';
import { StoreDeadline, StoreDeadlineExceeded } from '../../../api/webhooks/delivery-acceptance.js';

const after = <T>(ms: number, answer: T) => new Promise<T>((resolve) => setTimeout(() => resolve(answer), ms));
const never = () => new Promise<never>(() => undefined);

describe('the database deadline of one delivery', () => {
  it('when a call answers in time then its answer is given', async () => {
    expect(await new StoreDeadline(500).wait(() => after(5, 'tenant'))).toBe('tenant');
  });

  it('when a call fails in time then its own error is given', async () => {
    await expect(new StoreDeadline(500).wait(() => Promise.reject(new Error('duplicate key')))).rejects.toThrow('duplicate key');
  });

  it('when a call hangs then it gives up after the budget with StoreDeadlineExceeded, without waiting for the call', async () => {
    const startedAt = performance.now();
    await expect(new StoreDeadline(50).wait(never)).rejects.toThrow(StoreDeadlineExceeded);
    const elapsedMs = performance.now() - startedAt;
    expect(elapsedMs).toBeGreaterThanOrEqual(45);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it('when several calls are made then they share the budget: two calls of 60 % each do not both fit', async () => {
    const deadline = new StoreDeadline(1_000);
    expect(await deadline.wait(() => after(600, 'secrets'))).toBe('secrets');
    await expect(deadline.wait(() => after(600, 'record'))).rejects.toThrow(StoreDeadlineExceeded);
  });

  it('when the budget is spent then a further call is not waited for at all', async () => {
    const deadline = new StoreDeadline(20);
    await expect(deadline.wait(never)).rejects.toThrow(StoreDeadlineExceeded);
    await expect(deadline.wait(() => after(30, 'mark'))).rejects.toThrow(StoreDeadlineExceeded);
  });

  it('when a call may use only part of the budget then the rest is left for the next one', async () => {
    const deadline = new StoreDeadline(1_000);
    await expect(deadline.wait(never, 100)).rejects.toThrow(StoreDeadlineExceeded);
    expect(await deadline.wait(() => after(300, 'record'))).toBe('record');
  });
});

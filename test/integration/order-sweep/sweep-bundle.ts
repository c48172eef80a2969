// The sweep tests' workflow bundle: the real sweep workflows, the harness's stand-in OrderToCash, and a stand-in ReturnToCreditMemo.
import { condition } from '@temporalio/workflow';

export * from '../../fixtures/workflows/order-sweep.js';

/** Stands in for ReturnToCreditMemo: same type name; runs until the test terminates it. */
export async function returnToCreditMemo(_input: unknown): Promise<void> {
  await condition(() => false);
}

import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { deadLetteringDispatcher, temporalRefusal } from '../../../api/webhooks/dead-lettering-dispatcher.js';
import type { StorefrontEvent } from '../../../api/webhooks/ports.js';

/** A gRPC error as @temporalio/client wraps it: a ServiceError whose cause carries the status. */
const grpcFailure = (code: number, details: string) =>
  new ServiceError('Failed to signalWithStart Workflow', {
    cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }),
  });

const event: StorefrontEvent = {
  tenantId: 'acme',
  storefront: 'bigcommerce',
  topic: 'store/order/created',
  entity: 'order',
  entityId: '250',
  deliveryId: 'hash-1',
  occurredAt: '2026-12-06T10:00:00Z',
};

function withFailingDispatch(failure: Error, deadLetterFails = false) {
  const kept: Array<{ event: StorefrontEvent; reason: string }> = [];
  const dispatcher = deadLetteringDispatcher(
    { dispatch: () => Promise.reject(failure) },
    {
      deadLetter: (refused, reason) => {
        if (deadLetterFails) return Promise.reject(new Error('database down'));
        kept.push({ event: refused, reason });
        return Promise.resolve();
      },
    },
  );
  return { dispatcher, kept };
}

describe('dead-lettering dispatcher', () => {
  it('when Temporal refuses the event as INVALID_ARGUMENT then it is kept with Temporal’s reason and reported dead-lettered', async () => {
    const { dispatcher, kept } = withFailingDispatch(grpcFailure(3, 'WorkflowId length exceeds limit.'));
    expect(await dispatcher.dispatch(event)).toBe('dead-lettered');
    expect(kept).toEqual([{ event, reason: 'WorkflowId length exceeds limit.' }]);
  });

  it('when Temporal is unavailable, too slow or overloaded then the failure is passed on and nothing is kept', async () => {
    for (const code of [14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 13 /* INTERNAL */]) {
      const failure = grpcFailure(code, 'no');
      const { dispatcher, kept } = withFailingDispatch(failure);
      await expect(dispatcher.dispatch(event)).rejects.toBe(failure);
      expect(kept).toEqual([]);
    }
  });

  it('when the failure is not Temporal’s answer at all then it is passed on', async () => {
    const failure = new Error('bug');
    const { dispatcher } = withFailingDispatch(failure);
    await expect(dispatcher.dispatch(event)).rejects.toBe(failure);
    expect(temporalRefusal(failure)).toBeUndefined();
  });

  it('when the dead letter cannot be kept then the dispatch fails, so the store retries rather than the event being lost', async () => {
    const { dispatcher } = withFailingDispatch(grpcFailure(3, 'bad'), true);
    await expect(dispatcher.dispatch(event)).rejects.toThrow('database down');
  });
});

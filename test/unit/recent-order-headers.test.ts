import { describe, expect, it } from 'vitest';
import { createRecentOrderHeaders } from '../../activities/recent-order-headers.js';
import type { Order } from '../../connectors/bigcommerce/index.js';
import type { OrderRef } from '../../workflows/shared-contract.js';

const ref = (orderId: string): OrderRef => ({ tenantId: 't1', storefront: 'bigcommerce', orderId });
const header = (staffNotes: string) => ({ id: 1, staff_notes: staffNotes }) as unknown as Order;

describe('recent BigCommerce order headers (the fetch hands its header to the write-back)', () => {
  it('when the write-back asks for the version the fetch read, within the window, then it gets that header once', () => {
    let now = 1_000;
    const recent = createRecentOrderHeaders({ freshForMs: 60_000, now: () => now });
    recent.remember(ref('7'), header('merchant note'), 'stamp-a');
    now += 59_000;
    expect(recent.take(ref('7'), 'stamp-a')).toEqual(header('merchant note'));
    expect(recent.take(ref('7'), 'stamp-a')).toBeUndefined();
  });

  it('when the write-back acts on another version, or comes after the window, or without a stamp, then it gets nothing and reads the store', () => {
    let now = 0;
    const recent = createRecentOrderHeaders({ freshForMs: 60_000, now: () => now });
    recent.remember(ref('1'), header('a'), 'stamp-1');
    expect(recent.take(ref('1'), 'stamp-other')).toBeUndefined();
    recent.remember(ref('2'), header('b'), 'stamp-2');
    now = 60_001;
    expect(recent.take(ref('2'), 'stamp-2')).toBeUndefined();
    recent.remember(ref('3'), header('c'), 'stamp-3');
    expect(recent.take(ref('3'), undefined)).toBeUndefined();
    recent.remember(ref('4'), header('d'), undefined);
    expect(recent.take(ref('4'), undefined)).toBeUndefined();
  });

  it('when posting takes minutes (orders queued behind others), then the header is still handed out, up to 10 minutes by default', () => {
    let now = 0;
    const recent = createRecentOrderHeaders({ now: () => now });
    recent.remember(ref('8'), header('a'), 'stamp-8');
    now = 9 * 60_000;
    expect(recent.take(ref('8'), 'stamp-8')).toEqual(header('a'));
    recent.remember(ref('9'), header('b'), 'stamp-9');
    now += 10 * 60_000 + 1;
    expect(recent.take(ref('9'), 'stamp-9')).toBeUndefined();
  });

  it('when the same order id belongs to two tenants then each gets its own header', () => {
    const recent = createRecentOrderHeaders();
    recent.remember({ ...ref('5'), tenantId: 'a' }, header('of a'), 's');
    recent.remember({ ...ref('5'), tenantId: 'b' }, header('of b'), 's');
    expect(recent.take({ ...ref('5'), tenantId: 'a' }, 's')).toEqual(header('of a'));
    expect(recent.take({ ...ref('5'), tenantId: 'b' }, 's')).toEqual(header('of b'));
  });

  it('when more headers are read than it keeps then the oldest are dropped first', () => {
    const recent = createRecentOrderHeaders({ capacity: 2 });
    for (const id of ['1', '2', '3']) recent.remember(ref(id), header(id), `s${id}`);
    expect(recent.take(ref('1'), 's1')).toBeUndefined();
    expect(recent.take(ref('2'), 's2')).toEqual(header('2'));
    expect(recent.take(ref('3'), 's3')).toEqual(header('3'));
  });
});

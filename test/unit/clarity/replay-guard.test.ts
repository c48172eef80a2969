import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../../api/webhooks/clarity-replay-guard.js';

describe('Clarity webhook replay guard', () => {
  it('when a delivery was accepted then the same key and timestamp are seen until the window ends', () => {
    let now = 0;
    const guard = new ReplayGuard(600_000, () => now);
    guard.remember('tenant-a/evt_1', '100');
    expect(guard.seen('tenant-a/evt_1', '100')).toBe(true);
    expect(guard.seen('tenant-a/evt_1', '101')).toBe(false);
    expect(guard.seen('tenant-b/evt_1', '100')).toBe(false);
    now = 599_999;
    expect(guard.seen('tenant-a/evt_1', '100')).toBe(true);
    now = 600_000;
    expect(guard.seen('tenant-a/evt_1', '100')).toBe(false);
  });

  it('when more deliveries are accepted than it holds then the oldest are forgotten first', () => {
    const guard = new ReplayGuard(600_000, () => 0, 2);
    guard.remember('a', '1');
    guard.remember('b', '1');
    guard.remember('c', '1');
    expect([guard.seen('a', '1'), guard.seen('b', '1'), guard.seen('c', '1')]).toEqual([false, true, true]);
  });
});

import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter, clientKey } from '../../../api/admin/auth-failure-limiter.js';

describe('AuthFailureLimiter', () => {
  const limits = { maxFailures: 3, windowMs: 60_000, maxClients: 100 };

  it('when a client reaches the failure limit then it waits for the rest of its window, and other clients do not', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(limits, () => now);
    for (let failure = 0; failure < 3; failure += 1) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
    }
    now += 15_000;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(45);
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 45_000;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('when failures are spread over windows then they do not add up', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(limits, () => now);
    limiter.recordFailure('c');
    limiter.recordFailure('c');
    now += 60_000;
    limiter.recordFailure('c');
    limiter.recordFailure('c');
    expect(limiter.retryAfterSeconds('c')).toBe(0);
  });

  it('when more clients fail than it may remember then it forgets the oldest and memory stays bounded', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(limits, () => now);
    for (let client = 0; client < 1_000; client += 1) {
      now += 1;
      limiter.recordFailure(`client-${client}`);
    }
    expect(limiter.size).toBe(100);
    for (let failure = 0; failure < 3; failure += 1) limiter.recordFailure('client-999');
    expect(limiter.retryAfterSeconds('client-999')).toBeGreaterThan(0);
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:0db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('counts %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

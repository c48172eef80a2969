import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

// Finding 5 of the security review (admin API part): wrong keys could be tried without limit.
describe('admin API: repeated wrong keys from one client', () => {
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when one client presents ten wrong keys then the next attempt is answered 429 with Retry-After, even with the right key', async () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const wrong = await api.call('GET', '/api/v1/tenants', { key: `guess-${attempt}-${'x'.repeat(30)}` });
      expect(wrong.status, `attempt ${attempt}`).toBe(401);
    }
    const limited = await api.call('GET', '/api/v1/tenants', { key: 'guess-11' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_failed_attempts');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The penalty is checked before the key, so a right guess inside it is not revealed.
    expect((await api.call('GET', '/api/v1/tenants', { key: bootstrapKey })).status).toBe(429);
    // A request without a key guesses nothing and is still told what to send.
    expect((await api.call('GET', '/api/v1/tenants', { key: null })).status).toBe(401);
  });
});

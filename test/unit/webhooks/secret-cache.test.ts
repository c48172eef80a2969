import { describe, expect, it } from 'vitest';
import type { WebhookSecretSource } from '../../../api/webhooks/ports.js';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';
import { StoreDeadline, StoreDeadlineExceeded } from '../../../api/webhooks/delivery-acceptance.js';
import { cachedWebhookSecrets, type WebhookSecretCacheOptions } from '../../../api/webhooks/store-adapters.js';

/** A secret source that counts its reads, over a table the test edits like an operator would. */
function countingSource() {
  const stored = new Map<string, string[] | undefined>([['acme', ['secret-1']]]);
  const reads: string[] = [];
  const pending: Array<() => void> = [];
  const behaviour = { fail: false, hold: false };
  const source: WebhookSecretSource = {
    webhookSecrets: (tenantId: string, storefront: StorefrontKind) => {
      reads.push(tenantId);
      if (behaviour.fail) return Promise.reject(new Error('database down'));
      const answer = () => (storefront === 'bigcommerce' ? stored.get(tenantId) : undefined);
      if (!behaviour.hold) return Promise.resolve(answer());
      return new Promise((resolve) => pending.push(() => resolve(answer())));
    },
  };
  const finishHeldReads = () => {
    behaviour.hold = false;
    for (const finish of pending.splice(0)) finish();
  };
  return { stored, reads, behaviour, source, finishHeldReads };
}

function cacheOver(options: WebhookSecretCacheOptions = {}) {
  const backing = countingSource();
  let clock = 1_000_000;
  const cache = cachedWebhookSecrets(backing.source, { now: () => clock, ...options });
  const ask = (tenantId: string, fresh = false) => cache.webhookSecrets(tenantId, 'bigcommerce', fresh ? { fresh } : undefined);
  return { ...backing, cache, ask, advance: (ms: number) => (clock += ms) };
}

describe('cached webhook secrets', () => {
  it('when a tenant’s secrets were read moments ago then they are answered again without a second read', async () => {
    const { ask, reads } = cacheOver();
    expect(await ask('acme')).toEqual(['secret-1']);
    expect(await ask('acme')).toEqual(['secret-1']);
    expect(reads).toEqual(['acme']);
  });

  it('when the TTL has passed then the secrets are read again, so a disabled tenant is refused within 30 s', async () => {
    const { ask, reads, stored, advance } = cacheOver();
    await ask('acme');
    stored.set('acme', undefined);
    advance(29_999);
    expect(await ask('acme')).toEqual(['secret-1']);
    advance(1);
    expect(await ask('acme')).toBeUndefined();
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('when a tenant is unknown then that answer is kept too, for the shorter 5 s', async () => {
    const { ask, reads, advance } = cacheOver();
    expect(await ask('nobody')).toBeUndefined();
    advance(4_999);
    expect(await ask('nobody')).toBeUndefined();
    expect(reads).toEqual(['nobody']);
    advance(1);
    await ask('nobody');
    expect(reads).toEqual(['nobody', 'nobody']);
  });

  it('when secrets served from the cache did not verify then a fresh ask reads again, so a secret rotated a moment ago is accepted at once', async () => {
    const { ask, reads, stored } = cacheOver();
    await ask('acme');
    expect(await ask('acme')).toEqual(['secret-1']);
    stored.set('acme', ['secret-1', 'secret-2']);
    expect(await ask('acme', true)).toEqual(['secret-1', 'secret-2']);
    expect(await ask('acme')).toEqual(['secret-1', 'secret-2']);
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('when a tenant re-enabled a moment ago is cached as unknown then the fresh ask after the refusal accepts it at once', async () => {
    const { ask, stored } = cacheOver();
    stored.set('paused', undefined);
    await ask('paused');
    stored.set('paused', ['secret-p']);
    expect(await ask('paused')).toBeUndefined();
    expect(await ask('paused', true)).toEqual(['secret-p']);
  });

  it('when the secrets were just read for this very request then a fresh ask does not read them a second time', async () => {
    const { ask, reads } = cacheOver();
    await ask('nobody');
    await ask('nobody', true);
    expect(reads).toEqual(['nobody']);
  });

  it('when forged deliveries keep failing to verify then the secrets are read at most twice per TTL, however many arrive', async () => {
    const { ask, reads } = cacheOver();
    for (let forged = 0; forged < 50; forged += 1) {
      await ask('acme');
      await ask('acme', true);
    }
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('when many requests ask for a tenant while its read is slow then they share that one read', async () => {
    const { ask, reads, behaviour, finishHeldReads } = cacheOver();
    behaviour.hold = true;
    const answers = Promise.all([ask('acme'), ask('acme'), ask('acme', true)]);
    finishHeldReads();
    expect(await answers).toEqual([['secret-1'], ['secret-1'], ['secret-1']]);
    expect(reads).toEqual(['acme']);
  });

  it('when a read outlives the request that gave up on it then its answer still fills the cache for the storefront’s retry', async () => {
    const { ask, reads, stored, behaviour, finishHeldReads } = cacheOver();
    behaviour.hold = true;
    await expect(new StoreDeadline(10).wait(() => ask('acme'))).rejects.toThrow(StoreDeadlineExceeded);
    finishHeldReads();
    await new Promise((resolve) => setImmediate(resolve));
    stored.set('acme', ['secret-2']);
    expect(await ask('acme')).toEqual(['secret-1']);
    expect(reads).toEqual(['acme']);
  });

  it('when a read fails then nothing is cached and the next ask reads again', async () => {
    const { ask, reads, behaviour } = cacheOver();
    behaviour.fail = true;
    await expect(ask('acme')).rejects.toThrow('database down');
    behaviour.fail = false;
    expect(await ask('acme')).toEqual(['secret-1']);
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('when more tenants are asked for than it holds then the least recently asked is forgotten, so a flood of unknown ids cannot grow it', async () => {
    const { ask, reads } = cacheOver({ maxEntries: 2 });
    await ask('a');
    await ask('b');
    await ask('a');
    await ask('c');
    expect(reads).toEqual(['a', 'b', 'c']);
    await ask('a');
    await ask('c');
    expect(reads).toEqual(['a', 'b', 'c']);
    await ask('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('when a flood of distinct unknown tenant ids passes then the cache still holds only its maximum', async () => {
    const { ask, reads } = cacheOver({ maxEntries: 100 });
    await ask('acme');
    for (let index = 0; index < 1_000; index += 1) await ask(`unknown-${index}`);
    reads.length = 0;
    for (let index = 900; index < 1_000; index += 1) await ask(`unknown-${index}`);
    expect(reads).toEqual([]);
    await ask('acme');
    expect(reads).toEqual(['acme']);
  });
});

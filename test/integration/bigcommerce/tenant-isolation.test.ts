import { describe, expect, it } from 'vitest';
import { ConnectorClients } from '../../../connectors/clients.js';
import { demoCredentials, useBigCommerceSandbox } from './sandbox-fixture.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

const bc = useBigCommerceSandbox();

/**
 * Issue 15, finding 2, on the storefront side: the product spaces a store's requests to stay
 * under its quota (150 per 30 s: one start every ~224 ms). A tenant that names the victim's
 * store hash and API address must not be able to spend the victim's spacing.
 */
describe("one tenant cannot spend another's BigCommerce quota", () => {
  it("when a tenant names the victim's store and fires a burst, then the victim's request still starts at once", async () => {
    const factory = new ConnectorClients({ endpoints: sandboxEndpoints({ bigcommerce: bc.sandbox.url }) });
    const store = { storeHash: demoCredentials.storeHash, apiBaseUrl: bc.sandbox.url };
    // The attacker knows the store hash and the API address, not the victim's token.
    const attacker = factory.bigCommerce('attacker', store, { accessToken: 'guessed' });
    const victim = factory.bigCommerce('victim', store, { accessToken: demoCredentials.accessToken });
    const burst = 40;
    let settled = 0;
    const attempts = Array.from({ length: burst }, () =>
      attacker.orders.getOrder(100).then(
        () => 'answered',
        () => 'refused',
      ),
    ).map((attempt) => attempt.finally(() => (settled += 1)));

    const started = performance.now();
    const order = await victim.orders.getOrder(100);
    const victimMs = performance.now() - started;

    expect(order.id).toBe(100);
    // Behind the attacker's burst in one shared limiter it would wait about 40 × 224 ms ≈ 9 s.
    expect(victimMs).toBeLessThan(3_000);
    expect(settled).toBeLessThan(burst);
    expect(new Set(await Promise.all(attempts))).toEqual(new Set(['refused']));
  }, 30_000);
});

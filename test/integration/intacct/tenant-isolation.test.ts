import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorClients, type IntacctCompany, type IntacctSignIn } from '../../../connectors/clients.js';
import { findCustomerById, readByName } from '../../../connectors/intacct/index.js';
import { eventually } from '../../support/eventually.js';
import { demoCredentials, startHarness, uniqueId, type SandboxHarness } from './support.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/** A server on a free local port that accepts connections and never answers: a tenant's "hanging Intacct". */
async function startHangingListener(): Promise<{ url: string; sockets: Set<Socket>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/ia/xml/xmlgw.phtml`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Settles with how long `promise` took, or with `undefined` once `boundMs` has passed without it. */
async function timedWithin<T>(boundMs: number, promise: Promise<T>): Promise<{ value: T; ms: number } | undefined> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), boundMs)));
  try {
    return await Promise.race([promise.then((value) => ({ value, ms: performance.now() - started })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Issue 15, finding 2: a tenant names a victim's Intacct company and points its endpoint at a
 * server that never answers. The worker and the API build every client through one
 * ConnectorClients, so both tenants' clients come from one here, as in the product.
 */
describe("one tenant cannot slow another's Intacct requests", () => {
  let sandbox: SandboxHarness;
  let hanging: Awaited<ReturnType<typeof startHangingListener>>;
  const signIn: IntacctSignIn = {
    senderId: demoCredentials.senderId,
    senderPassword: demoCredentials.senderPassword,
    userId: demoCredentials.userId,
    userPassword: demoCredentials.userPassword,
  };
  const victimCompany = (): IntacctCompany => ({ companyId: demoCredentials.companyId, endpointUrl: sandbox.gateway });
  const attackerCompany = (): IntacctCompany => ({ companyId: demoCredentials.companyId, endpointUrl: hanging.url });
  // The attacker does not hold the victim's passwords.
  const attackerSignIn: IntacctSignIn = { ...signIn, senderPassword: 'guessed', userPassword: 'guessed' };
  // Far above the victim's bound: each of the attacker's requests holds whatever slot it takes for a minute.
  // The hanging server stands for an endpoint the installation allows (another Intacct gateway) that stops answering.
  const allowed = () => sandboxEndpoints({ intacct: [sandbox.gateway, ...(hanging ? [hanging.url] : [])] });
  const clients = () => new ConnectorClients({ endpoints: allowed(), intacctTimeoutMs: 60_000 });
  const victimBoundMs = 5_000;

  beforeAll(async () => {
    sandbox = await startHarness();
  });
  afterEach(async () => {
    await hanging?.close();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  /** Fires the attacker's requests at the hanging server and waits until it holds them: the attack is in place. */
  async function attack(factory: ConnectorClients, attackerTenant: string, requests: number) {
    const settled = { count: 0 };
    const attempts = Array.from({ length: requests }, () =>
      factory
        .intacct(attackerTenant, attackerCompany(), attackerSignIn)
        .verifySignIn()
        .then(
          () => 'answered',
          () => 'failed',
        )
        .finally(() => (settled.count += 1)),
    );
    await eventually(() => hanging.sockets.size >= 2, { what: "the hanging server to hold the attacker's requests", timeoutMs: 10_000 });
    return { attempts, settled };
  }

  it("when a tenant names the victim's company at a hanging endpoint, then the victim's next order lookup still completes within 5 s", async () => {
    hanging = await startHangingListener();
    const factory = clients();
    const victim = uniqueId('victim');
    // The victim is at work: signed in, its session cached, as during a day of orders.
    await factory.intacct(victim, victimCompany(), signIn).verifySignIn();

    const { attempts, settled } = await attack(factory, uniqueId('attacker'), 6);
    const lookup = await timedWithin(victimBoundMs, findCustomerById(factory.intacct(victim, victimCompany(), signIn), 'C-1001'));

    expect(lookup, "the victim's lookup should not wait for the attacker's hanging requests").toBeDefined();
    expect(lookup!.value?.customerId).toBe('C-1001');
    expect(lookup!.ms).toBeLessThan(victimBoundMs);
    // The attacker's requests were hanging the whole time: none had settled when the victim's completed.
    expect(settled.count).toBe(0);
    expect(hanging.sockets.size).toBeGreaterThanOrEqual(2);
    await hanging.close();
    expect(await Promise.all(attempts)).toEqual(Array.from({ length: 6 }, () => 'failed'));
  });

  it("when the attack starts before the victim has ever signed in, then the victim's first sign-in still completes within 5 s", async () => {
    hanging = await startHangingListener();
    const factory = clients();
    const { settled } = await attack(factory, uniqueId('attacker'), 6);

    const first = await timedWithin(victimBoundMs, factory.intacct(uniqueId('victim'), victimCompany(), signIn).verifySignIn());

    expect(first, "the victim's sign-in should not wait for the attacker's hanging requests").toBeDefined();
    expect(first!.value.endpoint).toContain(new URL(sandbox.gateway).host);
    expect(settled.count).toBe(0);
  });

  it("when one tenant's requests hang at several made-up companies, then it holds at most its own share and other tenants' requests run", async () => {
    hanging = await startHangingListener();
    const factory = new ConnectorClients({ endpoints: allowed(), intacctTimeoutMs: 60_000, intacctConcurrencyPerTenant: 3 });
    const attacker = uniqueId('attacker');
    const companies = ['CO-1', 'CO-2', 'CO-3', 'CO-4'];
    const attempts = companies.flatMap((companyId) =>
      [1, 2].map(() =>
        factory
          .intacct(attacker, { companyId, endpointUrl: hanging.url }, attackerSignIn)
          .verifySignIn()
          .catch(() => 'failed'),
      ),
    );
    await eventually(() => hanging.sockets.size >= 3, { what: 'the hanging server to hold three requests', timeoutMs: 10_000 });

    const victim = await timedWithin(victimBoundMs, factory.intacct(uniqueId('victim'), victimCompany(), signIn).verifySignIn());

    expect(victim).toBeDefined();
    // Eight requests at four companies, but never more than the tenant's share in flight.
    expect(hanging.sockets.size).toBe(3);
    await hanging.close();
    await Promise.all(attempts);
  });

  it('when two tenants have both signed in to the company, then they share its concurrency limit and the gateway refuses none of their requests', async () => {
    const factory = clients();
    const [first, second] = [uniqueId('books-a'), uniqueId('books-b')];
    await factory.intacct(first, victimCompany(), signIn).verifySignIn();
    await factory.intacct(second, victimCompany(), signIn).verifySignIn();
    // Each answer holds one of the company's two gateway slots for a while, so requests overlap.
    await sandbox.faults([{ kind: 'latency', function: 'readByName', latencyMs: 400 }]);
    try {
      const call = () => ({ controlId: uniqueId('c'), body: readByName({ object: 'CUSTOMER', keys: ['C-1001'] }) });
      const lookups = [first, second].flatMap((tenantId) =>
        [1, 2, 3].map(() => factory.intacct(tenantId, victimCompany(), signIn).executeOne(call())),
      );
      // Separate slots per tenant would send four at once and meet GW-0010 (the sandbox's limit is two per company).
      expect((await Promise.allSettled(lookups)).map((outcome) => outcome.status)).toEqual(Array.from({ length: 6 }, () => 'fulfilled'));
    } finally {
      await sandbox.clearFaults();
    }
  });
});

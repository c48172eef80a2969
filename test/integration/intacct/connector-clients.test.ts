import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorClients, type IntacctCompany, type IntacctSignIn } from '../../../connectors/clients.js';
import { demoCredentials, failure, startHarness, uniqueId, type SandboxHarness } from './support.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/** The factory the worker and the API build their clients with, against the Intacct sandbox over HTTP. */
describe('connector clients of one process', () => {
  let sandbox: SandboxHarness;
  const signIn: IntacctSignIn = {
    senderId: demoCredentials.senderId,
    senderPassword: demoCredentials.senderPassword,
    userId: demoCredentials.userId,
    userPassword: demoCredentials.userPassword,
  };
  const company = (): IntacctCompany => ({ companyId: demoCredentials.companyId, endpointUrl: sandbox.gateway });
  const clients = () =>
    new ConnectorClients({
      endpoints: sandboxEndpoints({ intacct: sandbox.gateway }),
      intacctTransactionCounter: sandbox.counter,
      intacctTimeoutMs: 10_000,
    });

  beforeAll(async () => {
    sandbox = await startHarness();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when two Intacct clients of one company are built, then the second uses the session the first opened', async () => {
    const tenantId = uniqueId('tenant');
    const factory = clients();
    await factory.intacct(tenantId, company(), signIn).verifySignIn();
    await factory.intacct(tenantId, company(), signIn).verifySignIn();
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 1 });
  });

  it('when a connection test signs in afresh, then wrong credentials are refused even while the process holds a session', async () => {
    const tenantId = uniqueId('tenant');
    const factory = clients();
    await factory.intacct(tenantId, company(), signIn).verifySignIn();
    const wrong = { ...signIn, userPassword: 'not-the-password' };
    // On the process's session the changed password is never sent: the reason a test signs in afresh.
    await expect(factory.intacct(tenantId, company(), wrong).verifySignIn()).resolves.toBeDefined();
    const refusal = await failure(factory.intacct(tenantId, company(), wrong, { signInAfresh: true }).verifySignIn());
    expect(refusal.kind).toBe('auth');
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSalesDocument,
  findSalesDocumentsByReference,
  readSalesDocument,
  type SalesDocumentInput,
} from '../../../connectors/intacct/index.js';
import { IntacctAuthConfigError } from '../../../connectors/intacct/errors.js';
import { demoCredentials, startHarness, uniqueId, type SandboxHarness } from './support.js';

function order(referenceNumber: string): SalesDocumentInput & { referenceNumber: string } {
  return {
    transactionDefinition: 'Sales Invoice',
    date: '2026-01-10',
    customerId: 'C-1001',
    referenceNumber,
    paymentTerm: 'Net 30',
    lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price: '19.99', locationId: '100' }],
  };
}

/**
 * A multi-entity company as Intacct keeps it: a session signed in to an entity (`locationid`)
 * creates transactions that entity owns (`MEGAENTITYID`); another entity's session does not see
 * them; the top level sees every entity's.
 */
describe('Intacct sandbox: entity-scoped sessions of a multi-entity company', () => {
  let sandbox: SandboxHarness;

  beforeAll(async () => {
    sandbox = await startHarness();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const signedInTo = (entityId?: string) =>
    sandbox.client({ credentials: entityId === undefined ? demoCredentials : { ...demoCredentials, entityId } });

  it('when an entity session creates an invoice, then the entity owns it and its receivable, the top level sees it and another entity does not', async () => {
    const reference = uniqueId('ENT');
    const { documentId } = await createSalesDocument(signedInTo('200'), order(reference), `so-create:${reference}`);

    const [document] = (await sandbox.records('SODOCUMENT')).filter((record) => record.DOCID === documentId);
    expect(document).toMatchObject({ MEGAENTITYID: '200', PONUMBER: reference });
    const [invoice] = (await sandbox.records('ARINVOICE')).filter((record) => record.DOCID === documentId);
    expect(invoice).toMatchObject({ MEGAENTITYID: '200' });

    expect(await findSalesDocumentsByReference(signedInTo('200'), 'Sales Invoice', reference)).toHaveLength(1);
    expect(await findSalesDocumentsByReference(signedInTo(), 'Sales Invoice', reference)).toHaveLength(1);
    expect(await findSalesDocumentsByReference(signedInTo('100'), 'Sales Invoice', reference)).toEqual([]);
    expect(await readSalesDocument(signedInTo('100'), documentId)).toBeUndefined();
  });

  it('when the top level creates an invoice, then it has no owning entity and an entity session does not see it', async () => {
    const reference = uniqueId('TOP');
    const { documentId } = await createSalesDocument(signedInTo(), order(reference), `so-create:${reference}`);

    const [document] = (await sandbox.records('SODOCUMENT')).filter((record) => record.DOCID === documentId);
    expect(document).not.toHaveProperty('MEGAENTITYID');
    expect(await findSalesDocumentsByReference(signedInTo('200'), 'Sales Invoice', reference)).toEqual([]);
  });
});

/**
 * A user restricted to entities (Intacct's entity restrictions on a user): it signs in to its
 * entity only, and the sandbox refuses it elsewhere the way the gateway refuses a sign-in, naming
 * the entity, so a rule routing an order to an entity the integration user cannot reach fails
 * with a reason an operator can act on.
 */
describe('Intacct sandbox: a user restricted to one entity', () => {
  let sandbox: SandboxHarness;
  const clerk = { ...demoCredentials, userId: 'entity-200-clerk', userPassword: 'clerk-pw' };

  beforeAll(async () => {
    sandbox = await startHarness({
      seed: {
        users: [
          { userId: demoCredentials.userId, password: demoCredentials.userPassword },
          { userId: clerk.userId, password: clerk.userPassword, entities: ['200'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when it signs in to its entity, then it creates there as any user does', async () => {
    const reference = uniqueId('CLERK');
    const { documentId } = await createSalesDocument(
      sandbox.client({ credentials: { ...clerk, entityId: '200' } }),
      order(reference),
      `so-create:${reference}`,
    );
    const [document] = (await sandbox.records('SODOCUMENT')).filter((record) => record.DOCID === documentId);
    expect(document).toMatchObject({ MEGAENTITYID: '200', PONUMBER: reference });
  });

  it.each([
    { where: 'another entity', entityId: '100', says: 'does not have permission to access entity 100' },
    { where: 'the top level', entityId: undefined, says: 'cannot sign in at the top level' },
  ])('when it signs in to $where, then the sign-in is refused naming it, and nothing is created', async ({ entityId, says }) => {
    const reference = uniqueId('CLERK');
    const client = sandbox.client({ credentials: entityId === undefined ? clerk : { ...clerk, entityId } });
    const refused = await createSalesDocument(client, order(reference), `so-create:${reference}`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IntacctAuthConfigError);
    expect((refused as Error).message).toContain(says);
    expect((await sandbox.records('SODOCUMENT')).filter((record) => record.PONUMBER === reference)).toEqual([]);
    // The unrestricted user is unaffected.
    expect(await findSalesDocumentsByReference(sandbox.client(), 'Sales Invoice', reference)).toEqual([]);
  });
});

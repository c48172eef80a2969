import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { intacctControlId } from '../../../activities/intacct-writes.js';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import {
  clearFaults,
  countIntacctCalls,
  injectFaults,
  intacctFunctionCalls,
  intacctRecords,
  runAttempt,
  salesDocumentInput,
  signIn,
} from './intacct-writes-support.js';

describe('createSalesDocument against the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let activities: SalesDocumentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    activities = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterEach(async () => {
    await clearFaults(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A tenant signed in to Intacct and a fresh order id. */
  async function newOrder(orderSync: Parameters<OrderSyncFixture['createTenant']>[1] = {}): Promise<{ tenantId: string; orderId: string }> {
    const tenantId = await fixture.createTenant('bigcommerce', orderSync);
    await signIn(fixture, tenantId);
    return { tenantId, orderId: uniqueId('ORD') };
  }

  const documentsWithReference = async (referenceNumber: string) =>
    (await intacctRecords(fixture, 'SODOCUMENT')).filter((row) => row.PONUMBER === referenceNumber);
  const orderLedger = (tenantId: string, orderId: string) =>
    findLedgerEntry(fixture.database.db, { tenantId, entity: 'order', externalId: orderId });

  it('when the first attempt creates the document, then it costs exactly the create (no lookup) and the ledger records it synced', async () => {
    const order = await newOrder();
    const calls = countIntacctCalls(fixture, order.tenantId);
    const created = await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order));
    expect(created).toEqual({ documentId: expect.stringMatching(/^Sales Order-SO-\d{4}$/), created: true });
    expect(calls()).toEqual({ create_sotransaction: 1 });
    const controlId = `so-create:${order.tenantId}:${order.orderId}:Sales Order`;
    expect((await intacctFunctionCalls(fixture, 'create_sotransaction')).filter((call) => call.controlId === controlId)).toEqual([
      { controlId, uniqueId: true, status: 'success' },
    ]);
    const [document] = await documentsWithReference(order.orderId);
    expect(document).toMatchObject({ DOCID: created.documentId, CUSTVENDID: 'WEB-GUEST', TOTAL: '70.5', STATE: 'Pending' });
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: created.documentId,
      settingsVersion: 1,
      workflowId: `order-to-cash:${order.tenantId}:${order.orderId}`,
      attempts: 1,
    });
  });

  it('when the ledger already holds the document, then a second call returns it as not created and sends nothing to Intacct', async () => {
    const order = await newOrder();
    const first = await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order));
    const calls = countIntacctCalls(fixture, order.tenantId);
    expect(await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order))).toEqual({
      documentId: first.documentId,
      created: false,
    });
    expect(await runAttempt(3, activities.createSalesDocument, salesDocumentInput(order))).toEqual({
      documentId: first.documentId,
      created: false,
    });
    expect(calls()).toEqual({});
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
  });

  it('when the create commits but its answer is lost, then the retry (attempt 2) finds it by reference number and exactly one document exists', async () => {
    const order = await newOrder();
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order))).rejects.toMatchObject({
      type: 'IntacctRetryableError',
      nonRetryable: false,
    });
    const [committed] = await documentsWithReference(order.orderId);
    expect(committed).toBeDefined();
    expect((await orderLedger(order.tenantId, order.orderId))?.intacctDocumentId).toBeUndefined();

    const calls = countIntacctCalls(fixture, order.tenantId);
    expect(await runAttempt(2, activities.createSalesDocument, salesDocumentInput(order))).toEqual({
      documentId: committed!.DOCID,
      created: false,
    });
    expect(calls()).toEqual({ readByQuery: 1 });
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: committed!.DOCID,
      attempts: 2,
    });
  });

  it('when a later workflow run finds the ledger counted an attempt but holds no document, then it looks up before creating even on its first attempt', async () => {
    const order = await newOrder();
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order))).rejects.toMatchObject({
      type: 'IntacctRetryableError',
    });
    const calls = countIntacctCalls(fixture, order.tenantId);
    const again = await runAttempt(1, activities.createSalesDocument, {
      ...salesDocumentInput(order),
      workflowId: 'a-later-run',
      settingsVersion: 2,
    });
    expect(again.created).toBe(false);
    expect(calls()).toEqual({ readByQuery: 1 });
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({ workflowId: 'a-later-run', settingsVersion: 2 });
  });

  it('when the rules route the document to another entity, then it is created there once, with the entity in its control id, and the ledger remembers the entity', async () => {
    const order = await newOrder();
    const calls = countIntacctCalls(fixture, order.tenantId);
    const created = await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order, { entityId: '200' }));
    expect(created).toEqual({ documentId: expect.stringMatching(/^Sales Order-SO-\d{4}$/), created: true });
    expect(calls()).toEqual({ create_sotransaction: 1 });
    const controlId = `so-create:${order.tenantId}:${order.orderId}:Sales Order:200`;
    expect((await intacctFunctionCalls(fixture, 'create_sotransaction')).filter((call) => call.controlId === controlId)).toHaveLength(1);
    expect(await documentsWithReference(order.orderId)).toEqual([
      expect.objectContaining({ DOCID: created.documentId, MEGAENTITYID: '200' }),
    ]);
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: created.documentId,
      intacctEntityId: '200',
    });
  });

  it('when an attempt routed to one entity lost its answer and a later run routes the order elsewhere, then the document is found where it was created and not created again', async () => {
    const order = await newOrder();
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order, { entityId: '200' }))).rejects.toMatchObject({
      type: 'IntacctRetryableError',
    });
    const [committed] = await documentsWithReference(order.orderId);
    expect(committed).toMatchObject({ MEGAENTITYID: '200' });

    const again = await runAttempt(1, activities.createSalesDocument, {
      ...salesDocumentInput(order),
      workflowId: 'a-later-run',
      settingsVersion: 2,
    });
    expect(again).toEqual({ documentId: committed!.DOCID, created: false });
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: committed!.DOCID,
      intacctEntityId: '200',
    });
  });

  it('when the gateway answers 5xx before running the create, then the retry creates the document once', async () => {
    const order = await newOrder();
    await injectFaults(fixture, [{ kind: 'http5xx', function: 'create_sotransaction', times: 1, status: 503 }]);
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order))).rejects.toMatchObject({
      type: 'IntacctRetryableError',
      nonRetryable: false,
    });
    expect(await documentsWithReference(order.orderId)).toHaveLength(0);
    const calls = countIntacctCalls(fixture, order.tenantId);
    const created = await runAttempt(2, activities.createSalesDocument, salesDocumentInput(order));
    expect(created.created).toBe(true);
    expect(calls()).toEqual({ readByQuery: 1, create_sotransaction: 1 });
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
  });

  it('when Intacct rate-limits the create, then the failure is retryable and waits at least as long as Intacct asks', async () => {
    const order = await newOrder();
    await injectFaults(fixture, [{ kind: 'rateLimit', function: 'create_sotransaction', times: 1 }]);
    const failure = await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: 'IntacctRetryableError', nonRetryable: false, nextRetryDelay: 2000 });
    expect((await runAttempt(2, activities.createSalesDocument, salesDocumentInput(order))).created).toBe(true);
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
  });

  it('when two runs create the same order at once, then one document exists and both return it', async () => {
    const order = await newOrder();
    const [a, b] = await Promise.all([
      runAttempt(1, activities.createSalesDocument, salesDocumentInput(order)),
      runAttempt(1, activities.createSalesDocument, salesDocumentInput(order)),
    ]);
    expect(a.documentId).toBe(b.documentId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await documentsWithReference(order.orderId)).toHaveLength(1);
  });

  it('when the tenant posts invoices and a retry finds the document, then the AR invoice key comes with it', async () => {
    const order = await newOrder({ transactionDefinition: 'Sales Invoice' });
    const input = salesDocumentInput({ ...order, transactionDefinition: 'Sales Invoice' });
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    await expect(runAttempt(1, activities.createSalesDocument, input)).rejects.toMatchObject({ type: 'IntacctRetryableError' });
    const found = await runAttempt(2, activities.createSalesDocument, input);
    const [document] = await documentsWithReference(order.orderId);
    expect(document!.PRRECORDKEY).toMatch(/^\d+$/);
    expect(found).toEqual({ documentId: document!.DOCID, arInvoiceKey: document!.PRRECORDKEY, created: false });
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({ arInvoiceKey: document!.PRRECORDKEY });
  });

  it('when Intacct refuses the document, then the failure is a non-retryable input error and nothing is recorded as synced', async () => {
    const order = await newOrder();
    await expect(
      runAttempt(1, activities.createSalesDocument, salesDocumentInput(order, { customerId: 'NO-SUCH-CUSTOMER' })),
    ).rejects.toMatchObject({
      type: 'IntacctInputError',
      nonRetryable: true,
      message: expect.stringContaining("Invalid Customer 'NO-SUCH-CUSTOMER' specified."),
    });
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it.each([
    {
      case: 'a department that does not exist',
      overrides: { lines: [{ itemId: 'MUG-CER-12OZ', warehouseId: 'WH01', quantity: '1', price: '14.50', departmentId: 'MARKETING' }] },
      type: 'IntacctDimensionValueUnknown',
      details: { dimension: 'Department', value: 'MARKETING', errorno: 'BL03000003' },
    },
    {
      case: 'a user-defined dimension value that does not exist',
      overrides: { customFields: [{ name: 'GLDIMCHANNEL', value: 'SPACE' }] },
      type: 'IntacctDimensionValueUnknown',
      details: { dimension: 'Channel', value: 'SPACE', errorno: 'BL03000003' },
    },
    {
      case: 'a custom field Intacct does not define',
      overrides: { customFields: [{ name: 'SALES_MOOD', value: 'cheerful' }] },
      type: 'IntacctCustomFieldUnknown',
      details: { customField: 'SALES_MOOD', errorno: 'BL03000002' },
    },
  ])('when Intacct refuses $case, then the failure names it with its own type, is not retried, and nothing is synced', async (example) => {
    const order = await newOrder();
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order, example.overrides))).rejects.toMatchObject({
      type: example.type,
      nonRetryable: true,
      details: [{ failureClass: 'input', ...example.details }],
    });
    expect(await documentsWithReference(order.orderId)).toEqual([]);
    expect(await orderLedger(order.tenantId, order.orderId)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('when the ledger records the document as cancelled, then it is not posted again and the failure says so', async () => {
    const order = await newOrder();
    const { documentId } = await runAttempt(1, activities.createSalesDocument, salesDocumentInput(order));
    await runAttempt(1, activities.cancelSalesDocument, { ...order, storefront: 'bigcommerce', salesDocumentId: documentId });
    const calls = countIntacctCalls(fixture, order.tenantId);
    await expect(runAttempt(1, activities.createSalesDocument, salesDocumentInput(order))).rejects.toMatchObject({
      type: 'SalesDocumentCancelled',
      nonRetryable: true,
    });
    expect(calls()).toEqual({});
    expect(await documentsWithReference(order.orderId)).toHaveLength(0);
  });

  it('when a control id would pass Intacct’s 256 characters, then it is hashed, stays stable and fits', () => {
    const short = intacctControlId('so-create', 't-1', 'ORD-1', 'Sales Order');
    expect(short).toBe('so-create:t-1:ORD-1:Sales Order');
    const long = intacctControlId('so-create', 't-1', 'X'.repeat(300), 'Sales Order');
    expect(long).toMatch(/^so-create:sha256:[0-9a-f]{64}$/);
    expect(intacctControlId('so-create', 't-1', 'X'.repeat(300), 'Sales Order')).toBe(long);
    expect(intacctControlId('so-create', 't-1', 'Y'.repeat(300), 'Sales Order')).not.toBe(long);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSalesDocumentActivities } from '../../../activities/sales-documents.js';
import { createSalesOrderEditActivities } from '../../../activities/sales-order-edits.js';
import type { UpdateSalesOrderInput } from '../../../workflows/order-to-cash-contract.js';
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

describe('updateSalesOrderToMatch against the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let activities: ReturnType<typeof createSalesDocumentActivities> & ReturnType<typeof createSalesOrderEditActivities>;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    activities = {
      ...createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections }),
      ...createSalesOrderEditActivities({ db: fixture.database.db, connections: fixture.connections }),
    };
  });
  afterEach(async () => {
    await clearFaults(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A posted sales order (2 × TSHIRT-BLK-M at 24.00, 1 × MUG-CER-12OZ at 14.50, shipping 8.00) and the edit of it. */
  async function postedOrder(message?: string) {
    const tenantId = await fixture.createTenant('bigcommerce');
    await signIn(fixture, tenantId);
    const order = { tenantId, orderId: uniqueId('ORD') };
    const posted = salesDocumentInput(order, message === undefined ? {} : { message });
    const { documentId } = await runAttempt(1, activities.createSalesDocument, posted);
    const edit = (lines: UpdateSalesOrderInput['document']['lines'], contactsChanged = false): UpdateSalesOrderInput => ({
      ...order,
      storefront: 'bigcommerce',
      workflowId: posted.workflowId,
      salesDocumentId: documentId,
      storefrontStamp: '2026-03-02T16:00:00Z (status 11, shipped 0 of 3, total 79.00, refunded 0.0000, payment captured)',
      document: { ...posted.document, lines },
      currency: 'USD',
      contactsChanged,
    });
    return { ...order, documentId, lines: posted.document.lines, edit };
  }
  const linesOf = async (documentId: string) =>
    (await intacctRecords(fixture, 'SODOCUMENTENTRY'))
      .filter((entry) => entry.DOCHDRID === documentId)
      .sort((a, b) => Number(a.LINE_NO) - Number(b.LINE_NO))
      .map((entry) => `${entry.ITEMID} ${Number(entry.QUANTITY)} × ${Number(entry.PRICE).toFixed(2)}`);
  const documentOf = async (documentId: string) =>
    (await intacctRecords(fixture, 'SODOCUMENT')).find((document) => document.DOCID === documentId)!;

  it('when a product is replaced, a quantity changes and the ship-to moves, then one update sets the old line to 0, adds the new one and takes the contact', async () => {
    const order = await postedOrder();
    const calls = countIntacctCalls(fixture, order.tenantId);
    const [tee, , shipping] = order.lines;
    const shipTo = {
      contact: { contactName: 'Jane Doe (BC order ship-to)', printAs: 'Jane Doe', mailAddress: { address1: '99 Lake Rd', city: 'Austin' } },
    };
    const input = order.edit(
      [{ ...tee!, quantity: '3' }, { itemId: 'CAP-NVY-OS', warehouseId: 'WH01', quantity: '1', price: '19.99' }, shipping!],
      true,
    );
    const updated = await runAttempt(1, activities.updateSalesOrderToMatch, { ...input, document: { ...input.document, shipTo } });
    expect(updated).toEqual({ state: 'updated' });
    expect(calls()).toEqual({ readByQuery: 2, update_sotransaction: 1 });
    expect(await linesOf(order.documentId)).toEqual([
      'TSHIRT-BLK-M 3 × 24.00',
      'MUG-CER-12OZ 0 × 14.50',
      'SHIPPING 1 × 8.00',
      'CAP-NVY-OS 1 × 19.99',
    ]);
    const document = await documentOf(order.documentId);
    expect(Number(document.TOTAL)).toBeCloseTo(99.99, 2);
    expect(document).toMatchObject({ 'SHIPTO.CONTACTNAME': 'Jane Doe (BC order ship-to)', 'SHIPTO.MAILADDRESS.ADDRESS1': '99 Lake Rd' });

    // The same edit again (a second delivery, a retry): the lines already match, nothing is sent.
    const again = countIntacctCalls(fixture, order.tenantId);
    expect(
      await runAttempt(
        2,
        activities.updateSalesOrderToMatch,
        order.edit([{ ...tee!, quantity: '3' }, { itemId: 'CAP-NVY-OS', warehouseId: 'WH01', quantity: '1', price: '19.99' }, shipping!]),
      ),
    ).toEqual({
      state: 'unchanged',
    });
    expect(again()).toEqual({ readByQuery: 2 });
  });

  it('when the update is committed but its answer lost, then the retry finds the lines matching and writes nothing more', async () => {
    const order = await postedOrder();
    const [tee, mug, shipping] = order.lines;
    const input = order.edit([tee!, { ...mug!, price: '12.00' }, shipping!]);
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'update_sotransaction', times: 1 }]);
    await expect(runAttempt(1, activities.updateSalesOrderToMatch, input)).rejects.toThrow();
    expect(await runAttempt(2, activities.updateSalesOrderToMatch, input)).toEqual({ state: 'unchanged' });
    const updates = (await intacctFunctionCalls(fixture, 'update_sotransaction')).filter((call) => call.controlId.includes(order.orderId));
    expect(updates).toEqual([
      { controlId: expect.stringMatching(`^so-edit:${order.tenantId}:${order.orderId}:`), uniqueId: true, status: 'success' },
    ]);
    expect(await linesOf(order.documentId)).toEqual(['TSHIRT-BLK-M 2 × 24.00', 'MUG-CER-12OZ 1 × 12.00', 'SHIPPING 1 × 8.00']);
  });

  it('when refunds already reduced the sales order, then nothing is written and the differences are reported for a person', async () => {
    const order = await postedOrder('Storefront refunds applied before invoicing: r-1');
    const [tee, mug, shipping] = order.lines;
    const calls = countIntacctCalls(fixture, order.tenantId);
    expect(await runAttempt(1, activities.updateSalesOrderToMatch, order.edit([{ ...tee!, quantity: '1' }, mug!, shipping!]))).toEqual({
      state: 'not_editable',
      intacctState: 'Pending',
      differences: [{ what: 'item TSHIRT-BLK-M (line 1)', storeSays: '1 × 24.00 USD', intacctHolds: '2 × 24 USD' }],
    });
    expect(calls()).toEqual({ readByQuery: 2 });
    expect(await linesOf(order.documentId)).toEqual(['TSHIRT-BLK-M 2 × 24.00', 'MUG-CER-12OZ 1 × 14.50', 'SHIPPING 1 × 8.00']);
  });
});

import { formatDecimal, parseDecimal, type Scaled } from '../decimal.js';
import type { SalesDefinition } from '../seed.js';
import type { Row } from '../store.js';
import { entityOwnerFields, type FunctionContext } from './context.js';

/* The AR record (invoice or adjustment) a posting sales document keeps in step with itself. */

/** Posts the AR side of a posting definition and returns its RECORDNO (PRRECORDKEY). */
export function postReceivable(definition: SalesDefinition, document: Row, total: Scaled, context: FunctionContext): string {
  if (definition.posts === 'none' || document.STATE === 'Draft') return '';
  if (definition.posts === 'invoice') {
    return String(
      context.store.insert('ARINVOICE', {
        ...entityOwnerFields(context),
        RECORDID: document.DOCNO ?? '',
        DOCID: document.DOCID ?? '',
        CUSTOMERID: document.CUSTVENDID ?? '',
        TOTALENTERED: formatDecimal(total),
        TOTALPAID: '0',
        TOTALDUE: formatDecimal(total),
        STATE: 'Posted',
        WHENCREATED: document.WHENCREATED ?? '',
        WHENDUE: document.WHENDUE ?? '',
      }),
    );
  }
  return String(
    context.store.insert('ARADJUSTMENT', {
      ...entityOwnerFields(context),
      RECORDID: document.DOCNO ?? '',
      DOCID: document.DOCID ?? '',
      CUSTOMERID: document.CUSTVENDID ?? '',
      TOTALENTERED: formatDecimal(-total),
      TOTALDUE: formatDecimal(-total),
      STATE: 'Posted',
      WHENCREATED: document.WHENCREATED ?? '',
    }),
  );
}

/** Removes the AR record a document posted; refused once payments are applied to it. */
export function removeReceivable(definition: SalesDefinition, document: Row, context: FunctionContext): void {
  const key = document.PRRECORDKEY;
  if (!key) return;
  const object = definition.posts === 'invoice' ? 'ARINVOICE' : 'ARADJUSTMENT';
  const receivable = context.store.get(object, Number(key));
  if (receivable && parseDecimal(receivable.TOTALPAID ?? '0') !== 0n) {
    throw context.errors.fail(
      'documentNotEditable',
      `${document.DOCID} has payments applied and cannot be changed.`,
      'Reverse the payments first.',
    );
  }
  context.store.remove(object, Number(key));
}

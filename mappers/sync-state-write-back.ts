import type { WriteBackInput } from '../workflows/order-to-cash-contract.js';
import { oneLine } from './one-line.js';

/**
 * How the product shows its sync state on a storefront order: the one marker line it keeps in
 * a BigCommerce order's staff notes, and the document id in Clarity's `erpReference`. Pure text
 * work; `activities/storefront-write-back.ts` reads the order, calls these, and writes only when
 * the result differs from what is there.
 */

/** The sync state to record on the order, as the workflow reports it. */
export type WriteBackState = Pick<WriteBackInput, 'state' | 'salesDocumentId' | 'attentionCode'>;

/** Every line of staff notes that starts with this (after indentation) is the product's, and only those. */
export const intacctMarkerPrefix = '[Intacct]';

const markerPattern = /^\s*\[Intacct\]/;

/**
 * The one line the product keeps in a BigCommerce order's staff notes:
 * `[Intacct] Sales Order-SO-0042 · synced`, `[Intacct] needs attention: unknown_sku`,
 * `[Intacct] Sales Order-SO-0042 · cancelled`. The document id leads when there is one, so
 * staff see which Intacct document the order is (or was) in.
 */
export function intacctMarkerLine(input: WriteBackState): string {
  const document = oneLine(input.salesDocumentId);
  const code = oneLine(input.attentionCode);
  const status =
    input.state === 'synced'
      ? 'synced'
      : input.state === 'cancelled'
        ? 'cancelled'
        : code === ''
          ? 'needs attention'
          : `needs attention: ${code}`;
  return `${intacctMarkerPrefix} ${document === '' ? status : `${document} · ${status}`}`;
}

/**
 * The staff notes with the product's marker line replaced by `marker` (or appended when there
 * is none yet); everything the merchant wrote stays as it was. Applying it to its own result
 * gives the same text, so "no change" can be detected by comparing with the current notes.
 * Several old marker lines (written by hand or by an older version) collapse into one.
 */
export function withIntacctMarker(staffNotes: string, marker: string): string {
  const newline = staffNotes.includes('\r\n') ? '\r\n' : '\n';
  const merchantLines = staffNotes.split(/\r?\n/).filter((line) => !markerPattern.test(line));
  while (merchantLines.length > 0 && merchantLines[merchantLines.length - 1]!.trim() === '') merchantLines.pop();
  return [...merchantLines, oneLine(marker)].join(newline);
}

/** The product's marker line in the notes, if any (the last one when several). */
export function readIntacctMarker(staffNotes: string): string | undefined {
  return staffNotes
    .split(/\r?\n/)
    .filter((line) => markerPattern.test(line))
    .map((line) => line.trim())
    .at(-1);
}

/**
 * What Clarity's `erpReference` (its only write-back field: "the ERP document number") should
 * hold for a sync state. Synced: the document id. Cancelled: cleared, since the document was
 * deleted or closed by the compensation. Needs attention: the contract has no field for it, so
 * the reference is left as it is (null until a document exists); the attention queue carries it.
 */
export function clarityErpReference(input: WriteBackState): { change: true; erpReference: string | null } | { change: false } {
  if (input.state === 'synced') {
    const document = oneLine(input.salesDocumentId);
    return document === '' ? { change: false } : { change: true, erpReference: document };
  }
  if (input.state === 'cancelled') return { change: true, erpReference: null };
  return { change: false };
}

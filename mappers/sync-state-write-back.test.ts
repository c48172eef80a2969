import { describe, expect, it } from 'vitest';
import {
  clarityErpReference,
  intacctMarkerLine,
  readIntacctMarker,
  withIntacctMarker,
  type WriteBackState,
} from './sync-state-write-back.js';

describe('intacctMarkerLine', () => {
  const cases: { name: string; input: WriteBackState; expected: string }[] = [
    {
      name: 'synced with a document',
      input: { state: 'synced', salesDocumentId: 'Sales Order-SO-0042' },
      expected: '[Intacct] Sales Order-SO-0042 · synced',
    },
    { name: 'synced without a document id', input: { state: 'synced' }, expected: '[Intacct] synced' },
    {
      name: 'needs attention before any document',
      input: { state: 'needs_attention', attentionCode: 'unknown_sku' },
      expected: '[Intacct] needs attention: unknown_sku',
    },
    {
      name: 'needs attention after the document',
      input: { state: 'needs_attention', salesDocumentId: 'Sales Order-SO-0042', attentionCode: 'payment_failed' },
      expected: '[Intacct] Sales Order-SO-0042 · needs attention: payment_failed',
    },
    { name: 'needs attention without a code', input: { state: 'needs_attention' }, expected: '[Intacct] needs attention' },
    { name: 'cancelled', input: { state: 'cancelled' }, expected: '[Intacct] cancelled' },
    {
      name: 'cancelled naming the document',
      input: { state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' },
      expected: '[Intacct] Sales Order-SO-0042 · cancelled',
    },
    {
      name: 'newlines in the values stay on one line',
      input: { state: 'needs_attention', salesDocumentId: 'Sales Order-\nSO-1', attentionCode: 'a\r\nb' },
      expected: '[Intacct] Sales Order- SO-1 · needs attention: a b',
    },
  ];
  it.each(cases)('when the state is $name, then the marker is "$expected"', ({ input, expected }) => {
    expect(intacctMarkerLine(input)).toBe(expected);
  });
});

describe('withIntacctMarker', () => {
  const synced = '[Intacct] Sales Order-SO-0042 · synced';
  const cases: { name: string; notes: string; marker: string; expected: string }[] = [
    { name: 'the notes are empty', notes: '', marker: synced, expected: synced },
    { name: 'the merchant wrote notes', notes: 'Gift wrap, VIP customer', marker: synced, expected: `Gift wrap, VIP customer\n${synced}` },
    {
      name: 'the merchant notes end in blank lines',
      notes: 'Call before delivery\n\n  \n',
      marker: synced,
      expected: `Call before delivery\n${synced}`,
    },
    { name: 'our line is already there', notes: `Gift wrap\n${synced}`, marker: synced, expected: `Gift wrap\n${synced}` },
    {
      name: 'the state changed',
      notes: `Gift wrap\n[Intacct] needs attention: unknown_sku`,
      marker: synced,
      expected: `Gift wrap\n${synced}`,
    },
    {
      name: 'our line sits between merchant lines',
      notes: `Line one\n[Intacct] needs attention: unknown_sku\nLine two`,
      marker: '[Intacct] cancelled',
      expected: 'Line one\nLine two\n[Intacct] cancelled',
    },
    {
      name: 'there are several old marker lines, one indented',
      notes: `[Intacct] synced\nNote\n   [Intacct] needs attention`,
      marker: synced,
      expected: `Note\n${synced}`,
    },
    {
      name: 'the notes use CRLF',
      notes: 'First\r\nSecond\r\n[Intacct] cancelled',
      marker: synced,
      expected: `First\r\nSecond\r\n${synced}`,
    },
    {
      name: 'the merchant mentions Intacct mid-line',
      notes: 'Ask about [Intacct] export',
      marker: synced,
      expected: `Ask about [Intacct] export\n${synced}`,
    },
    { name: 'a merchant line has trailing spaces', notes: 'Fragile   ', marker: synced, expected: `Fragile   \n${synced}` },
  ];
  it.each(cases)('when $name, then the merchant text is kept and one marker line ends the notes', ({ notes, marker, expected }) => {
    const written = withIntacctMarker(notes, marker);
    expect(written).toBe(expected);
    expect(withIntacctMarker(written, marker)).toBe(written);
    expect(readIntacctMarker(written)).toBe(marker);
  });

  it('when the notes hold no marker, then none is read', () => {
    expect(readIntacctMarker('Gift wrap')).toBeUndefined();
  });
});

describe('clarityErpReference', () => {
  const cases: { name: string; input: WriteBackState; expected: ReturnType<typeof clarityErpReference> }[] = [
    {
      name: 'synced',
      input: { state: 'synced', salesDocumentId: ' Sales Order-SO-0042 ' },
      expected: { change: true, erpReference: 'Sales Order-SO-0042' },
    },
    { name: 'synced without a document id', input: { state: 'synced' }, expected: { change: false } },
    {
      name: 'cancelled',
      input: { state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' },
      expected: { change: true, erpReference: null },
    },
    { name: 'needs attention', input: { state: 'needs_attention', attentionCode: 'unknown_sku' }, expected: { change: false } },
  ];
  it.each(cases)('when the state is $name, then the write is $expected', ({ input, expected }) => {
    expect(clarityErpReference(input)).toEqual(expected);
  });
});

import { encryptedEncoding } from '../../config/payload-encryption.js';

/**
 * The chaos run's personal-data scan, part of the secrets scan's pass over the histories: the
 * shoppers' emails, names, phones and streets of the run's orders searched for in what anyone
 * with access to Temporal (its UI, its CLI, its database) reads of a history without the payload
 * key. It never decodes: ciphertext is not text, and the key is what keeps the data unreadable.
 */

/** One shopper's identifier from the run's orders; the label says whose and which, never the value. */
export interface PersonalDataItem {
  label: string;
  value: string;
}

/** Shorter identifiers (a two-letter name) would match by accident and prove nothing. */
export const minimumPersonalDataLength = 3;

const emailPattern = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const wordPattern = /\p{L}[\p{L}\p{M}'’]*/gu;
const singleWord = /^\p{L}[\p{L}\p{M}'’]*$/u;
const singleEmail = new RegExp(`^${emailPattern.source}$`, 'u');

/**
 * Finds the items in a text: names as whole words (case as written, so "Grace" is not found in
 * "graceful"), emails as whole addresses (any case), anything else (a street, a phone) as written.
 * One pass of two patterns over the text whatever the number of orders, so a large run's scan
 * stays cheap.
 */
export class PersonalDataMatcher {
  private readonly words = new Map<string, string>();
  private readonly emails = new Map<string, string>();
  private readonly phrases = new Map<string, string>();

  constructor(items: readonly PersonalDataItem[]) {
    const labels = new Map<string, string[]>();
    for (const { label, value } of items) {
      const trimmed = value.trim();
      if (trimmed.length < minimumPersonalDataLength) continue;
      labels.set(trimmed, [...(labels.get(trimmed) ?? []), label]);
    }
    for (const [value, all] of labels) {
      const label = all.length === 1 ? all[0]! : `${all[0]!} (and ${all.length - 1} more with the same value)`;
      if (singleEmail.test(value)) this.emails.set(value.toLowerCase(), label);
      else if (singleWord.test(value)) this.words.set(value, label);
      else this.phrases.set(value, label);
    }
  }

  /** How many distinct identifiers are searched for. */
  get size(): number {
    return this.words.size + this.emails.size + this.phrases.size;
  }

  /** The labels of the items the text holds, each once. */
  find(text: string): string[] {
    const found = new Set<string>();
    for (const [email] of text.matchAll(emailPattern)) {
      const label = this.emails.get(email.toLowerCase());
      if (label !== undefined) found.add(label);
    }
    for (const [word] of text.matchAll(wordPattern)) {
      const label = this.words.get(word);
      if (label !== undefined) found.add(label);
    }
    for (const [phrase, label] of this.phrases) if (text.includes(phrase)) found.add(label);
    return [...found];
  }
}

/** What a history event shows without the key: its texts, and how many of its payloads were encrypted or readable. */
export interface ReadableEvent {
  texts: string[];
  encryptedPayloads: number;
  readablePayloads: number;
}

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/**
 * Every string of a history event and the data of each payload that is not encrypted (search
 * attributes, the SDK's patch markers, any payload a client wrote without the codec), as a reader
 * without the payload key sees them. Encrypted payloads are counted, not read.
 */
export function readableTextsOf(event: unknown): ReadableEvent {
  const readable: ReadableEvent = { texts: [], encryptedPayloads: 0, readablePayloads: 0 };
  const walk = (value: unknown, depth: number): void => {
    if (depth > 64 || value === null || value === undefined) return;
    if (typeof value === 'string') readable.texts.push(value);
    else if (value instanceof Uint8Array || typeof value !== 'object') return;
    else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (isPayload(value)) {
      const encoding = value.metadata.encoding;
      if (encoding !== undefined && utf8(encoding) === encryptedEncoding) readable.encryptedPayloads += 1;
      else {
        readable.readablePayloads += 1;
        readable.texts.push(utf8(value.data ?? new Uint8Array()), ...Object.values(value.metadata).map(utf8));
      }
    } else for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(event, 0);
  return readable;
}

function isPayload(value: object): value is { metadata: Record<string, Uint8Array>; data?: Uint8Array | null } {
  const { metadata, data } = value as { metadata?: unknown; data?: unknown };
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    Object.values(metadata).every((entry) => entry instanceof Uint8Array) &&
    (data === undefined || data === null || data instanceof Uint8Array)
  );
}

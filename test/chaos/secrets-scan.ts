import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { BSON, type Db } from 'mongodb';
import type { Config } from '../../config/index.js';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import { credentialParts, loadCredentials } from '../../store/credentials.js';
import { listTenants } from '../../store/tenants.js';
import { PersonalDataMatcher, readableTextsOf, type PersonalDataItem } from './personal-data-scan.js';

/**
 * The chaos run's secrets scan: every configured credential, in its raw form and the
 * encodings it would take on the way out (base64, URL-encoded, JSON-escaped), searched for in
 * the log files, in every workflow history (payloads decoded as well as raw) and in every
 * document of every collection. A hit names the secret by its label, never by its value.
 * In the same pass over the histories, the shoppers' personal data (`personal-data-scan.ts`) is
 * searched for in what a reader without the payload key sees.
 */

export interface ConfiguredSecret {
  label: string;
  value: string;
}

export interface SecretsScanOptions {
  secrets: ConfiguredSecret[];
  logFiles: string[];
  client: Client;
  /** Visibility query selecting the histories to read; every workflow of the namespace when absent. */
  workflowQuery?: string;
  db: Db;
  /** The run's shoppers' emails, names, phones and streets: none may be readable in a history without the key. */
  personalData?: PersonalDataItem[];
}

/** At most this many personal-data hits are listed (a run without the codec would list every order); all are counted. */
export const listedPersonalDataHits = 50;

export interface SecretsScanReport {
  hits: Array<{ secret: string; where: string }>;
  /** Personal data readable in a history without the payload key: the first {@link listedPersonalDataHits}. */
  personalDataHits: Array<{ item: string; where: string }>;
  scanned: {
    logBytes: number;
    histories: number;
    historyEvents: number;
    collections: number;
    documents: number;
    /** Distinct personal identifiers searched for, and the hits found in all. */
    personalData: { searched: number; hits: number; encryptedPayloads: number; readablePayloads: number };
  };
  /** Log files that could not be read (missing, unreadable): not scanned. */
  unreadable?: string[];
}

/** Shorter values match by accident and prove nothing. */
export const minimumSecretLength = 8;

/** The forms a secret takes when it leaks: raw, base64 (standard and URL-safe), URL-encoded, JSON-escaped. */
export function secretEncodings(value: string): Array<{ encoding: string; text: string }> {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const forms = [
    { encoding: 'raw', text: value },
    // Padding depends on what follows the secret in a longer encoded text: search without it.
    { encoding: 'base64', text: base64.replace(/=+$/, '') },
    { encoding: 'base64url', text: Buffer.from(value, 'utf8').toString('base64url') },
    { encoding: 'url-encoded', text: encodeURIComponent(value) },
    { encoding: 'form-encoded', text: encodeURIComponent(value).replaceAll('%20', '+') },
    { encoding: 'json-escaped', text: JSON.stringify(value).slice(1, -1) },
  ];
  const seen = new Set<string>();
  return forms.filter((form) => form.text.length >= minimumSecretLength && !seen.has(form.text) && seen.add(form.text));
}

interface Needle {
  label: string;
  encoding: string;
  text: string;
}

/** Collects every string and every byte array (as UTF-8 text) under a value. */
function textsOf(value: unknown, into: string[] = [], depth = 0): string[] {
  if (depth > 64 || value === null || value === undefined) return into;
  if (typeof value === 'string') {
    into.push(value);
  } else if (value instanceof Uint8Array) {
    into.push(Buffer.from(value).toString('utf8'));
  } else if (value instanceof BSON.Binary) {
    into.push(Buffer.from(value.buffer).toString('utf8'));
  } else if (Array.isArray(value)) {
    for (const item of value) textsOf(item, into, depth + 1);
  } else if (typeof value === 'object') {
    for (const item of Object.values(value)) textsOf(item, into, depth + 1);
  }
  return into;
}

/**
 * The texts of every payload under a history event, decrypted with the client's own payload
 * codecs (the product's, with its keys): payloads are encrypted at rest, and the scan must see
 * what a holder of the key would, or a secret put into a workflow input would go unnoticed.
 */
async function decryptedPayloadTexts(event: unknown, codecs: readonly PayloadCodec[]): Promise<string[]> {
  const arrays: Payload[][] = [];
  const walk = (value: unknown, key: string, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (key === 'payloads' && Array.isArray(value)) {
      arrays.push(value as Payload[]);
      return;
    }
    for (const [name, child] of Object.entries(value)) walk(child, name, depth + 1);
  };
  walk(event, '', 0);
  const texts: string[] = [];
  for (const payloads of arrays) {
    let decoded = payloads;
    for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
    textsOf(decoded, texts);
  }
  return texts;
}

/** The JSON form of a history event, bytes as base64 (as the Temporal CLI and UI show them). */
const rawJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Uint8Array) return Buffer.from(item).toString('base64');
    if (typeof item === 'bigint') return item.toString();
    return item;
  }) ?? '';

/**
 * Searches for every secret (see {@link secretEncodings}) in the log files, the histories the
 * query selects, and every document of the database.
 */
export async function scanForSecrets(options: SecretsScanOptions): Promise<SecretsScanReport> {
  const needles: Needle[] = options.secrets
    .filter((secret) => secret.value.length >= minimumSecretLength)
    .flatMap((secret) => secretEncodings(secret.value).map((form) => ({ label: secret.label, ...form })));
  const personal = new PersonalDataMatcher(options.personalData ?? []);
  const report: SecretsScanReport = {
    hits: [],
    personalDataHits: [],
    scanned: {
      logBytes: 0,
      histories: 0,
      historyEvents: 0,
      collections: 0,
      documents: 0,
      personalData: { searched: personal.size, hits: 0, encryptedPayloads: 0, readablePayloads: 0 },
    },
  };
  const seen = new Set<string>();
  const hit = (needle: Needle, where: string) => {
    const key = `${needle.label}\u0000${where}`;
    if (seen.has(key)) return;
    seen.add(key);
    report.hits.push({ secret: needle.label, where });
  };
  const search = (texts: readonly string[], where: (needle: Needle) => string) => {
    for (const needle of needles) if (texts.some((text) => text.includes(needle.text))) hit(needle, where(needle));
  };

  for (const file of options.logFiles) {
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch {
      (report.unreadable ??= []).push(file);
      continue;
    }
    report.scanned.logBytes += Buffer.byteLength(content, 'utf8');
    for (const needle of needles) {
      const index = content.indexOf(needle.text);
      if (index < 0) continue;
      const line = content.slice(0, index).split('\n').length;
      hit(needle, `log ${file}:${line} (${needle.encoding})`);
    }
  }

  const codecs = options.client.options.loadedDataConverter.payloadCodecs;
  for await (const execution of options.client.workflow.list(options.workflowQuery ? { query: options.workflowQuery } : {})) {
    const history = await options.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    report.scanned.histories += 1;
    for (const event of history.events ?? []) {
      report.scanned.historyEvents += 1;
      const where = `history ${execution.workflowId} (run ${execution.runId}) event ${String(event.eventId)}`;
      const decoded = [...textsOf(event), ...(await decryptedPayloadTexts(event, codecs))];
      search([...decoded, rawJson(event)], (needle) => `${where} (${needle.encoding})`);
      if (personal.size === 0) continue;
      const readable = readableTextsOf(event);
      const counts = report.scanned.personalData;
      counts.encryptedPayloads += readable.encryptedPayloads;
      counts.readablePayloads += readable.readablePayloads;
      for (const item of personal.find(readable.texts.join('\n'))) {
        counts.hits += 1;
        if (report.personalDataHits.length < listedPersonalDataHits) report.personalDataHits.push({ item, where });
      }
    }
  }

  for (const { name } of await options.db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    report.scanned.collections += 1;
    for await (const document of options.db.collection(name).find({})) {
      report.scanned.documents += 1;
      const texts = [...textsOf(document), BSON.EJSON.stringify(document, { relaxed: false })];
      search(texts, (needle) => `mongodb ${name} _id ${BSON.EJSON.stringify(document._id)} (${needle.encoding})`);
    }
  }
  return report;
}

export interface CollectedSecrets {
  secrets: ConfiguredSecret[];
  /** What was left out and why (too short to search for, or a credential that could not be opened). */
  skipped: Array<{ label: string; reason: string }>;
}

/**
 * Every configured credential: each tenant's sealed credentials (opened through the
 * credential store), its webhook secrets, the bootstrap admin key (issued API keys are stored
 * hashed and cannot be recovered), the credential encryption keys, the Temporal API key and a
 * MongoDB password when configured. Identical values are listed once, under every label.
 */
export async function collectConfiguredSecrets(options: { db: Db; cipher: CredentialCipher; config: Config }): Promise<CollectedSecrets> {
  const found: ConfiguredSecret[] = [];
  const skipped: CollectedSecrets['skipped'] = [];
  const add = (label: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    found.push({ label, value });
  };

  for (const tenant of await listTenants(options.db)) {
    for (const part of credentialParts) {
      let credentials: Record<string, unknown> | undefined;
      try {
        credentials = await loadCredentials(options.db, options.cipher, tenant._id, part);
      } catch (error) {
        skipped.push({
          label: `tenant ${tenant._id} ${part}`,
          reason: `could not be opened: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      if (!credentials) continue;
      if (part === 'webhook') {
        const secrets = (credentials.secrets as Array<{ secret: string }> | undefined) ?? [];
        secrets.forEach((entry, index) => add(`tenant ${tenant._id} webhook secret ${index + 1}`, entry.secret));
        continue;
      }
      for (const [field, value] of Object.entries(credentials))
        if (typeof value === 'string') add(`tenant ${tenant._id} ${part}.${field}`, value);
    }
  }
  add('bootstrap admin API key (ADMIN_API_KEY)', options.config.admin.bootstrapApiKey);
  for (const [id, key] of options.config.credentials.keys) add(`credentials key ${id} (CREDENTIALS_KEYS)`, key.toString('base64'));
  add('Temporal API key (TEMPORAL_API_KEY)', options.config.temporal.apiKey);
  if (options.config.mongo.uri) {
    try {
      const password = decodeURIComponent(new URL(options.config.mongo.uri).password);
      add('MongoDB password (MONGODB_URI)', password || undefined);
    } catch {
      // Not a URL the WHATWG parser reads (several hosts): no password to look for.
    }
  }

  const byValue = new Map<string, string[]>();
  for (const { label, value } of found) byValue.set(value, [...(byValue.get(value) ?? []), label]);
  const secrets: ConfiguredSecret[] = [];
  for (const [value, labels] of byValue) {
    const label = labels.length === 1 ? labels[0]! : `${labels[0]!} (and ${labels.length - 1} more with the same value)`;
    if (value.length < minimumSecretLength)
      skipped.push({ label, reason: `shorter than ${minimumSecretLength} characters: too short to search for without false hits` });
    else secrets.push({ label, value });
  }
  return { secrets, skipped };
}

/** {@link collectConfiguredSecrets} without the list of what was skipped. */
export async function configuredSecrets(options: { db: Db; cipher: CredentialCipher; config: Config }): Promise<ConfiguredSecret[]> {
  return (await collectConfiguredSecrets(options)).secrets;
}

import { randomBytes } from 'node:crypto';
import { noSuch } from './errors.js';
import { defaultAccountSettings, type StripeAccountSettings } from './fees.js';
import { objectNames, type BalanceTransactionRecord, type CollectionName, type EventRecord, type StripeRecords } from './model.js';

/** What the sandbox's state file holds. */
export interface StripeWorldSnapshot {
  records: StripeRecords;
  settings: StripeAccountSettings;
  clockOffsetSeconds: number;
}

type RecordOf<C extends CollectionName> = StripeRecords[C][number];

/** The request an event was caused by (`event.request`): set around each API call. */
export interface RequestOrigin {
  id: string | null;
  idempotency_key: string | null;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function emptyRecords(): StripeRecords {
  return {
    paymentIntents: [],
    charges: [],
    refunds: [],
    disputes: [],
    balanceTransactions: [],
    payouts: [],
    events: [],
    webhookEndpoints: [],
  };
}

/**
 * One Stripe account in test mode: its objects in creation order, its pricing and settlement
 * settings, and a clock that tests can move forward (funds become available, payouts arrive).
 * Every change that Stripe announces becomes an event, handed to the listener (webhook delivery).
 */
export class StripeWorld {
  records: StripeRecords = emptyRecords();
  settings: StripeAccountSettings = structuredClone(defaultAccountSettings);
  /** Added to the wall clock: the control API moves the account's time forward. */
  clockOffsetSeconds = 0;
  private origin: RequestOrigin = { id: null, idempotency_key: null };
  private listener: (event: EventRecord) => void = () => undefined;
  private readonly index = new Map<string, { collection: CollectionName; record: RecordOf<CollectionName> }>();

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** The account's time, in Unix seconds. */
  now(): number {
    return Math.floor(this.wallClock() / 1000) + this.clockOffsetSeconds;
  }

  /** A new id with Stripe's prefix for the object, e.g. `ch_3Q…` (24 random characters). */
  newId(prefix: string): string {
    const bytes = randomBytes(24);
    let id = '';
    for (const byte of bytes) id += alphabet[byte % alphabet.length];
    return `${prefix}_${id}`;
  }

  insert<C extends CollectionName>(collection: C, record: RecordOf<C>): RecordOf<C> {
    (this.records[collection] as RecordOf<C>[]).push(record);
    this.index.set(record.id, { collection, record });
    return record;
  }

  find<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    const hit = this.index.get(id);
    return hit?.collection === collection ? hit.record : undefined;
  }

  /** The record, or Stripe's 404 naming the object and the parameter that held the id. */
  get<C extends CollectionName>(collection: C, id: string, param = 'id'): RecordOf<C> {
    const record = this.find(collection, id);
    if (record === undefined) throw noSuch(objectNames[collection], id, param);
    return record;
  }

  /** Any object by id, for `expand[]`. */
  lookup(id: string): { collection: CollectionName; record: RecordOf<CollectionName> } | undefined {
    return this.index.get(id);
  }

  remove(collection: CollectionName, id: string): void {
    const list = this.records[collection] as { id: string }[];
    const at = list.findIndex((record) => record.id === id);
    if (at >= 0) list.splice(at, 1);
    this.index.delete(id);
  }

  /** A movement of the balance: net is amount less fee, available after the account's delay. */
  addBalanceTransaction(
    input: Omit<BalanceTransactionRecord, 'id' | 'created' | 'payout' | 'net' | 'availableOn'> & { availableOn?: number },
  ): BalanceTransactionRecord {
    const created = this.now();
    return this.insert('balanceTransactions', {
      ...input,
      id: this.newId('txn'),
      created,
      availableOn: input.availableOn ?? created + this.settings.availableAfterDays * 86_400,
      net: input.amount - input.fee,
      payout: null,
    });
  }

  /** Records an event (with the object as it is now) and hands it to the listener. */
  emit(type: string, object: Record<string, unknown>, previousAttributes?: Record<string, unknown>): EventRecord {
    const event = this.insert('events', {
      id: this.newId('evt'),
      type,
      created: this.now(),
      object: structuredClone(object),
      previousAttributes,
      request: { ...this.origin },
    });
    this.listener(event);
    return event;
  }

  onEvent(listener: (event: EventRecord) => void): void {
    this.listener = listener;
  }

  /** Runs an API call with its request named on the events it causes. */
  during<T>(origin: RequestOrigin, work: () => T): T {
    const previous = this.origin;
    this.origin = origin;
    try {
      return work();
    } finally {
      this.origin = previous;
    }
  }

  toSnapshot(): StripeWorldSnapshot {
    return { records: this.records, settings: this.settings, clockOffsetSeconds: this.clockOffsetSeconds };
  }

  restore(snapshot: StripeWorldSnapshot): void {
    this.records = { ...emptyRecords(), ...snapshot.records };
    this.settings = { ...structuredClone(defaultAccountSettings), ...snapshot.settings };
    this.clockOffsetSeconds = snapshot.clockOffsetSeconds;
    this.index.clear();
    for (const collection of Object.keys(this.records) as CollectionName[]) {
      for (const record of this.records[collection]) this.index.set(record.id, { collection, record });
    }
  }
}

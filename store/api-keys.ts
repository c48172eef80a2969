import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';

export type Role = 'admin' | 'operator' | 'viewer';

/** An admin API key as stored: only a hash of its secret. */
export interface ApiKeyRecord {
  _id: string;
  name: string;
  role: Role;
  /** The one tenant the key may see, or null for every tenant. */
  tenantId: string | null;
  secretHash: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
}

export interface IssuedApiKey {
  record: Omit<ApiKeyRecord, 'secretHash'>;
  /** Shown once, at creation. */
  token: string;
}

const collectionName = 'api_keys';
const tokenPattern = /^ssk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export async function issueApiKey(
  db: Db,
  key: { name: string; role: Role; tenantId: string | null; createdBy: string },
): Promise<IssuedApiKey> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = { _id: id, ...key, secretHash: hashSecret(secret), createdAt: new Date() };
  await db.collection<ApiKeyRecord>(collectionName).insertOne(record);
  const { secretHash: _hash, ...visible } = record;
  return { record: visible, token: `ssk_${id}_${secret}` };
}

/** The key a bearer token names, when the token is well formed, matches and is not revoked. */
export async function findApiKeyByToken(db: Db, token: string): Promise<ApiKeyRecord | undefined> {
  const match = tokenPattern.exec(token);
  if (!match) return undefined;
  const record = await db.collection<ApiKeyRecord>(collectionName).findOne({ _id: match[1]! });
  if (!record || record.revokedAt) return undefined;
  const presented = Buffer.from(hashSecret(match[2]!), 'hex');
  return timingSafeEqual(presented, Buffer.from(record.secretHash, 'hex')) ? record : undefined;
}

/** A key by its id when it exists and is not revoked: whether a session opened with it may go on. */
export async function findLiveApiKey(db: Db, id: string): Promise<Omit<ApiKeyRecord, 'secretHash'> | undefined> {
  const record = await db
    .collection<ApiKeyRecord>(collectionName)
    .findOne({ _id: id, revokedAt: { $exists: false } }, { projection: { secretHash: 0 } });
  return record ?? undefined;
}

export async function listApiKeys(db: Db, filter: { tenantId?: string } = {}): Promise<Array<Omit<ApiKeyRecord, 'secretHash'>>> {
  return db
    .collection<ApiKeyRecord>(collectionName)
    .find(filter.tenantId ? { tenantId: filter.tenantId } : {}, { projection: { secretHash: 0 } })
    .sort({ createdAt: 1 })
    .toArray();
}

/** Revokes a live key within `scope`; resolves the tenant it was for, or undefined when there was no such key. */
export async function revokeApiKey(db: Db, id: string, scope: { tenantId?: string }): Promise<{ tenantId: string | null } | undefined> {
  const revoked = await db
    .collection<ApiKeyRecord>(collectionName)
    .findOneAndUpdate(
      { _id: id, revokedAt: { $exists: false }, ...(scope.tenantId && { tenantId: scope.tenantId }) },
      { $set: { revokedAt: new Date() } },
    );
  return revoked === null ? undefined : { tenantId: revoked.tenantId };
}

export async function ensureApiKeyIndexes(db: Db): Promise<void> {
  await db.collection<ApiKeyRecord>(collectionName).createIndex({ tenantId: 1 });
}

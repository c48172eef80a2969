import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';
import { settingsDiff, type TenantSettings } from './schemas/settings.js';

export interface SettingsDocument {
  _id: string;
  version: number;
  settings: TenantSettings;
  updatedAt: Date;
  updatedBy: string;
}

export interface SettingsChange {
  tenantId: string;
  version: number;
  changedAt: Date;
  changedBy: string;
  diff: Array<{ path: string; before: unknown; after: unknown }>;
}

/** The settings changed since the caller read them: its version is not the current one. */
export class StaleSettingsVersionError extends Error {
  override readonly name = 'StaleSettingsVersionError';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`settings are at version ${currentVersion}, not ${expectedVersion}; read them again and reapply the change`);
  }
}

const settingsCollection = 'tenant_settings';
const historyCollection = 'tenant_settings_history';

export async function ensureSettingsIndexes(db: Db): Promise<void> {
  await db.collection<SettingsChange>(historyCollection).createIndex({ tenantId: 1, version: -1 }, { unique: true });
}

export async function readSettings(db: Db, tenantId: string): Promise<SettingsDocument | null> {
  return db.collection<SettingsDocument>(settingsCollection).findOne({ _id: tenantId });
}

/**
 * Writes new settings if the stored version is still `expectedVersion` (0 creates them), and
 * records who changed what. Optimistic concurrency on one document: no transaction needed.
 */
export async function writeSettings(
  db: Db,
  tenantId: string,
  settings: TenantSettings,
  options: { expectedVersion: number; changedBy: string },
): Promise<SettingsDocument> {
  const collection = db.collection<SettingsDocument>(settingsCollection);
  const before = await collection.findOne({ _id: tenantId });
  const currentVersion = before?.version ?? 0;
  if (currentVersion !== options.expectedVersion) throw new StaleSettingsVersionError(options.expectedVersion, currentVersion);

  const changedAt = new Date();
  let written: SettingsDocument | null;
  if (before === null) {
    const first: SettingsDocument = { _id: tenantId, version: 1, settings, updatedAt: changedAt, updatedBy: options.changedBy };
    try {
      await collection.insertOne(first);
      written = first;
    } catch (error) {
      // Another writer created version 1 first: report it as stale below.
      if (!isDuplicateKeyError(error)) throw error;
      written = null;
    }
  } else {
    written = await collection.findOneAndUpdate(
      { _id: tenantId, version: options.expectedVersion },
      { $set: { settings, updatedAt: changedAt, updatedBy: options.changedBy }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
  }
  if (written === null) {
    const current = await collection.findOne({ _id: tenantId });
    throw new StaleSettingsVersionError(options.expectedVersion, current?.version ?? 0);
  }
  await db.collection<SettingsChange>(historyCollection).insertOne({
    tenantId,
    version: written.version,
    changedAt,
    changedBy: options.changedBy,
    diff: settingsDiff(before?.settings ?? {}, settings),
  });
  return written;
}

export async function listSettingsHistory(db: Db, tenantId: string, limit: number): Promise<SettingsChange[]> {
  return db
    .collection<SettingsChange>(historyCollection)
    .find({ tenantId }, { projection: { _id: 0 } })
    .sort({ version: -1 })
    .limit(limit)
    .toArray();
}

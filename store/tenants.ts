import type { Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKeyError } from './duplicate-key.js';
import type { OperationLimit } from './operation-limit.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';

export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes, 2-63 characters, starting with a letter or digit');

export interface Tenant {
  _id: string;
  name: string;
  storefront: StorefrontKind;
  status: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
}

const collectionName = 'tenants';

export async function ensureTenantIndexes(db: Db): Promise<void> {
  await db.collection<Tenant>(collectionName).createIndex({ status: 1 });
}

/** Creates the tenant; resolves false when the id is already taken. */
export async function createTenant(db: Db, tenant: { id: string; name: string; storefront: StorefrontKind }): Promise<boolean> {
  const now = new Date();
  try {
    await db
      .collection<Tenant>(collectionName)
      .insertOne({ _id: tenant.id, name: tenant.name, storefront: tenant.storefront, status: 'active', createdAt: now, updatedAt: now });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export async function findTenant(db: Db, tenantId: string, within?: OperationLimit): Promise<Tenant | null> {
  return db.collection<Tenant>(collectionName).findOne({ _id: tenantId }, { ...within });
}

export async function listTenants(db: Db, filter: { ids?: string[] } = {}): Promise<Tenant[]> {
  return db
    .collection<Tenant>(collectionName)
    .find(filter.ids ? { _id: { $in: filter.ids } } : {})
    .sort({ _id: 1 })
    .toArray();
}

export async function updateTenant(db: Db, tenantId: string, changes: Partial<Pick<Tenant, 'name' | 'status'>>): Promise<Tenant | null> {
  return db
    .collection<Tenant>(collectionName)
    .findOneAndUpdate({ _id: tenantId }, { $set: { ...changes, updatedAt: new Date() } }, { returnDocument: 'after' });
}

import type { Db } from 'mongodb';
import { z } from 'zod';
import type { CredentialCipher, SealedSecret } from './credential-cipher.js';
import { retryOnDuplicateKey } from './duplicate-key.js';
import type { OperationLimit } from './operation-limit.js';

/** Intacct Web Services sender and API user (the company id lives in settings: not a secret). */
export const intacctCredentialsSchema = z.object({
  senderId: z.string().min(1).max(100),
  senderPassword: z.string().min(1).max(200),
  userId: z.string().min(1).max(100),
  userPassword: z.string().min(1).max(200),
});

export const bigCommerceCredentialsSchema = z.object({
  accessToken: z.string().min(1).max(200),
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(200),
});

export const clarityCredentialsSchema = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(200),
});

/**
 * A Stripe account: the secret (or restricted) API key the connector reads payouts with, and the
 * signing secret of the webhook endpoint Stripe delivers `payout.*` and `charge.dispute.*` to
 * (optional until the tenant sets that endpoint up in Stripe's dashboard).
 */
export const stripeCredentialsSchema = z.strictObject({
  secretKey: z
    .string()
    .max(500)
    .regex(/^(sk|rk)_[A-Za-z0-9_]{8,}$/, 'a Stripe secret key (sk_…) or restricted key (rk_…)'),
  webhookSigningSecret: z
    .string()
    .max(500)
    .regex(/^whsec_[A-Za-z0-9+/=_-]{8,}$/, "the webhook endpoint's signing secret (whsec_…)")
    .optional(),
});

/** Secrets the storefront sends with its webhooks; two while a rotation is in progress. */
export const webhookSecretsSchema = z.object({
  secrets: z
    .array(z.object({ secret: z.string().min(16), createdAt: z.string() }))
    .min(1)
    .max(2),
});

/** The key alert webhooks are signed with (HMAC-SHA256, docs/alerts.md): the receiver holds the same value. */
export const alertSigningSchema = z.object({ signingSecret: z.string().min(32).max(200) });

export const credentialSchemas = {
  intacct: intacctCredentialsSchema,
  bigcommerce: bigCommerceCredentialsSchema,
  clarity: clarityCredentialsSchema,
  stripe: stripeCredentialsSchema,
  webhook: webhookSecretsSchema,
  alerts: alertSigningSchema,
} as const;

export type CredentialPart = keyof typeof credentialSchemas;
export type Credentials<P extends CredentialPart> = z.infer<(typeof credentialSchemas)[P]>;
export const credentialParts = Object.keys(credentialSchemas) as CredentialPart[];

interface CredentialsDocument {
  _id: string;
  parts: Partial<Record<CredentialPart, SealedSecret & { updatedAt: Date }>>;
}

/** What an API answer may say about a credential: whether it is set, never its value. */
export interface CredentialDescription {
  set: boolean;
  updatedAt?: string;
  keyId?: string;
}

const collectionName = 'tenant_credentials';
const associatedData = (tenantId: string, part: CredentialPart) => `tenant:${tenantId}:credentials:${part}`;

export async function saveCredentials<P extends CredentialPart>(
  db: Db,
  cipher: CredentialCipher,
  tenantId: string,
  part: P,
  value: Credentials<P>,
): Promise<void> {
  const sealed = cipher.seal(credentialSchemas[part].parse(value), associatedData(tenantId, part));
  await retryOnDuplicateKey(() =>
    db
      .collection<CredentialsDocument>(collectionName)
      .updateOne({ _id: tenantId }, { $set: { [`parts.${part}`]: { ...sealed, updatedAt: new Date() } } }, { upsert: true }),
  );
}

export async function loadCredentials<P extends CredentialPart>(
  db: Db,
  cipher: CredentialCipher,
  tenantId: string,
  part: P,
  within?: OperationLimit,
): Promise<Credentials<P> | undefined> {
  const document = await db
    .collection<CredentialsDocument>(collectionName)
    .findOne({ _id: tenantId }, { projection: { [`parts.${part}`]: 1 }, ...within });
  const sealed = document?.parts[part];
  if (sealed === undefined) return undefined;
  return credentialSchemas[part].parse(cipher.open(sealed, associatedData(tenantId, part))) as Credentials<P>;
}

export async function describeCredentials(db: Db, tenantId: string): Promise<Record<CredentialPart, CredentialDescription>> {
  const document = await db.collection<CredentialsDocument>(collectionName).findOne({ _id: tenantId });
  return Object.fromEntries(
    credentialParts.map((part) => {
      const sealed = document?.parts[part];
      return [part, sealed ? { set: true, updatedAt: sealed.updatedAt.toISOString(), keyId: sealed.keyId } : { set: false }];
    }),
  ) as Record<CredentialPart, CredentialDescription>;
}

export async function deleteCredentials(db: Db, tenantId: string, part: CredentialPart): Promise<void> {
  await db.collection<CredentialsDocument>(collectionName).updateOne({ _id: tenantId }, { $unset: { [`parts.${part}`]: '' } });
}

/**
 * Re-seals every credential made with a key other than the active one. Safe to run again
 * after an interruption: values already under the active key are skipped.
 */
export async function reEncryptCredentials(db: Db, cipher: CredentialCipher): Promise<{ examined: number; reEncrypted: number }> {
  const collection = db.collection<CredentialsDocument>(collectionName);
  let examined = 0;
  let reEncrypted = 0;
  for await (const document of collection.find({})) {
    for (const part of credentialParts) {
      const sealed = document.parts[part];
      if (sealed === undefined) continue;
      examined += 1;
      if (!cipher.isStale(sealed)) continue;
      const value = cipher.open(sealed, associatedData(document._id, part));
      const resealed = cipher.seal(value, associatedData(document._id, part));
      // Conditional on the old ciphertext, so a concurrent credential update is never overwritten.
      const result = await collection.updateOne(
        { _id: document._id, [`parts.${part}.data`]: sealed.data },
        { $set: { [`parts.${part}`]: { ...resealed, updatedAt: sealed.updatedAt } } },
      );
      reEncrypted += result.modifiedCount;
    }
  }
  return { examined, reEncrypted };
}

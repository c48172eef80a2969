import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { keyRingProductionProblems, parseKeyRing, type KeyRing } from './key-ring.js';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The environment variables of the hashed guest mapping keys (part of config/index.ts's schema; docs/privacy.md). */
export const guestMappingKeyVariables = {
  GUEST_MAPPING_HMAC_KEYS: optionalText.describe(
    "`id:base64key[,id:base64key]`, random 32-byte keys of the HMAC that stands for a guest's email in customers mapping keys; all are tried on lookup, the active one hashes new rows. Unset: keys derived from CREDENTIALS_KEYS (HKDF-SHA256), with the same ids",
  ),
  GUEST_MAPPING_HMAC_ACTIVE_KEY_ID: optionalText.describe(
    'Id of the key new guest mapping keys are hashed with; default the last id in GUEST_MAPPING_HMAC_KEYS',
  ),
};

type GuestMappingKeyEnvironment = { [name in keyof typeof guestMappingKeyVariables]: z.output<(typeof guestMappingKeyVariables)[name]> };

/** What the derived keys' HKDF is told, so they differ from every other use of the credentials keys. */
const derivationInfo = 'guest-mapping-keys';

/**
 * The HMAC keys of guest mapping keys: the configured ring, or one derived from the credentials
 * keys (same ids, same active key) so an installation needs no new secret; production checks a
 * configured ring as it checks the credentials keys. Problems are added to `problems`.
 */
export function guestMappingKeyRing(
  mode: 'sandbox' | 'production',
  env: GuestMappingKeyEnvironment,
  credentials: KeyRing,
  problems: string[],
): KeyRing {
  if (env.GUEST_MAPPING_HMAC_KEYS === undefined) {
    const keys = new Map(
      [...credentials.keys].map(([id, key]) => [id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), derivationInfo, 32))] as const),
    );
    return { keys, activeKeyId: credentials.activeKeyId };
  }
  const ring = parseKeyRing(
    {
      mode,
      variable: 'GUEST_MAPPING_HMAC_KEYS',
      activeVariable: 'GUEST_MAPPING_HMAC_ACTIVE_KEY_ID',
      keysText: env.GUEST_MAPPING_HMAC_KEYS,
      activeKeyId: env.GUEST_MAPPING_HMAC_ACTIVE_KEY_ID,
      // Never used: the variable is set on this path.
      sandboxKey: { id: 'unused', key: Buffer.alloc(32) },
    },
    problems,
  );
  if (mode === 'production') problems.push(...keyRingProductionProblems('GUEST_MAPPING_HMAC_KEYS', ring.keys.values(), Buffer.alloc(32)));
  return ring;
}

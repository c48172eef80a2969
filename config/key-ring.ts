/** Keys by id and the one new ciphertexts are made with: decrypting accepts every key, so keys can rotate. */
export interface KeyRing {
  /** Keys by id (32 bytes each); every ciphertext records the id of the key that made it. */
  keys: Map<string, Buffer>;
  /** The key new ciphertexts are made with. */
  activeKeyId: string;
}

/** How one `id:base64key[,id:base64key...]` setting is read. */
export interface KeyRingSetting {
  mode: 'sandbox' | 'production';
  /** The variable holding the keys, named in every problem (CREDENTIALS_KEYS, PAYLOAD_CODEC_KEYS). */
  variable: string;
  /** The variable naming the active key. */
  activeVariable: string;
  keysText: string | undefined;
  activeKeyId: string | undefined;
  /** The public key sandbox mode uses when none is configured; production refuses it. */
  sandboxKey: { id: string; key: Buffer };
}

/**
 * Reads an `id:base64key[,id:base64key...]` setting: the active key encrypts, all decrypt, so a
 * rotation adds the new key, makes it active, and keeps the old one until nothing needs it.
 * Problems are added to `problems`; what is returned is then only good for finding more of them.
 */
export function parseKeyRing(setting: KeyRingSetting, problems: string[]): KeyRing {
  const { mode, variable, activeVariable, keysText, activeKeyId, sandboxKey } = setting;
  if (keysText === undefined) {
    if (mode === 'production') problems.push(`${variable}: required in production (id:base64-of-32-bytes)`);
    return {
      keys: new Map(mode === 'production' ? [] : [[sandboxKey.id, sandboxKey.key]]),
      activeKeyId: activeKeyId ?? sandboxKey.id,
    };
  }
  const keys = new Map<string, Buffer>();
  for (const entry of keysText
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      problems.push(`${variable}: each entry is id:base64key with a short id`);
      continue;
    }
    if (key.length !== 32) {
      problems.push(`${variable}: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
      continue;
    }
    keys.set(id, key);
  }
  const active = activeKeyId ?? [...keys.keys()].at(-1);
  if (activeKeyId !== undefined && !keys.has(activeKeyId)) problems.push(`${activeVariable}: must name one of the ids in ${variable}`);
  else if (keys.size === 0 && !problems.some((problem) => problem.startsWith(variable)))
    problems.push(`${variable}: give at least one id:base64key`);
  return { keys, activeKeyId: active ?? '' };
}

/**
 * What production refuses in a key ring: the public sandbox key, or a key that is not random
 * (a random generator gives, with overwhelming probability, more than 16 different byte values
 * among 32; a typed, padded or zeroed key does not).
 */
export function keyRingProductionProblems(variable: string, keys: Iterable<Buffer>, sandboxKey: Buffer): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    if (key.equals(sandboxKey)) problems.push(`${variable}: the sandbox key cannot be used in production`);
    else if (new Set(key).size <= 16)
      problems.push(`${variable}: a key is not random (repeated bytes such as all zeros); make one with openssl rand -base64 32`);
  }
  return problems;
}

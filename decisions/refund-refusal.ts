/** What an Intacct refusal said, in the gateway's words: its error number and descriptions. */
export interface IntacctRefusalWords {
  vendorCode?: string | undefined;
  description?: string | undefined;
  description2?: string | undefined;
}

/**
 * The failure type a refusal of a refund's write is parked under: a closed period and an unknown
 * item are named as such (their fixes differ from the write's own), anything else keeps
 * `refusedWrite`. Error numbers for both are unverified (the reference marks them so), so the
 * gateway's wording is checked as well.
 */
export function refundRefusalType<Type extends string>(
  refusal: IntacctRefusalWords,
  refusedWrite: Type,
): 'ClosedPeriod' | 'UnknownItem' | Type {
  const words = `${refusal.vendorCode ?? ''} ${refusal.description ?? ''} ${refusal.description2 ?? ''}`;
  if (/BL03000071|period .*is closed|closed period/i.test(words)) return 'ClosedPeriod';
  if (/invalid item\b/i.test(words)) return 'UnknownItem';
  return refusedWrite;
}

/**
 * Stripe's parameter encoding, for query strings and `application/x-www-form-urlencoded`
 * bodies alike: nested objects as `parent[child]`, lists of scalars as `name[]` (as in
 * `expand[]=data.source`), lists of objects by index (`items[0][price]`). Undefined values are
 * left out; booleans and numbers are written as text.
 */
export type StripeParamValue = string | number | boolean | undefined | StripeParams | ReadonlyArray<string | number | StripeParams>;
export interface StripeParams {
  readonly [name: string]: StripeParamValue;
}

/** The `[name, value]` pairs of `params`, in the order given, encoded as Stripe reads them. */
export function stripeParamPairs(params: StripeParams, prefix?: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    const key = prefix === undefined ? name : `${prefix}[${name}]`;
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      value.forEach((entry: string | number | StripeParams, index) => {
        if (typeof entry === 'object') pairs.push(...stripeParamPairs(entry, `${key}[${index}]`));
        else pairs.push([`${key}[]`, String(entry)]);
      });
    } else if (typeof value === 'object') pairs.push(...stripeParamPairs(value as StripeParams, key));
    else pairs.push([key, String(value)]);
  }
  return pairs;
}

/** `params` as a URL-encoded string (a query string without `?`, or a form body). */
export function encodeStripeParams(params: StripeParams): string {
  return new URLSearchParams(stripeParamPairs(params)).toString();
}

import { currencyExponent, InvalidAmountError, isIso4217Currency, parseAmount } from './money.js';

/** Why part of a storefront order cannot become a canonical order. */
export type OrderMappingProblemCode =
  | 'invalid_currency'
  | 'invalid_quantity'
  | 'invalid_amount'
  | 'inexact_amount'
  | 'currency_mismatch'
  | 'missing_sku'
  | 'unrecognised_country'
  | 'invalid_date'
  | 'unsupported_charge'
  | 'inconsistent_discounts';

export interface OrderMappingProblem {
  code: OrderMappingProblemCode;
  /** Where in the storefront order, e.g. `line 65 total_ex_tax`, `billing address`. */
  field: string;
  message: string;
}

/**
 * An order that cannot be mapped. It lists every problem found, not only the first, so the
 * workflow can park the order once with the whole reason. `code` is stable for callers that
 * cannot use `instanceof` (workflows see it as an activity failure type).
 */
export class OrderMappingError extends Error {
  override readonly name = 'OrderMappingError';
  readonly code = 'order_unmappable';

  constructor(
    readonly storefront: string,
    readonly orderId: string,
    readonly problems: readonly OrderMappingProblem[],
  ) {
    super(
      `${storefront} order ${orderId} cannot be mapped: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    );
  }
}

/** Collects problems while a mapper reads an order, then throws them all at once. */
export class ProblemCollector {
  readonly problems: OrderMappingProblem[] = [];
  private readonly currencyValid: boolean;

  constructor(readonly currency: string) {
    try {
      currencyExponent(currency);
      this.currencyValid = isIso4217Currency(currency);
    } catch {
      this.currencyValid = false;
    }
    if (!this.currencyValid) this.add('invalid_currency', 'currency', `"${currency}" is not an ISO 4217 currency code`);
  }

  add(code: OrderMappingProblemCode, field: string, message: string): void {
    this.problems.push({ code, field, message });
  }

  /**
   * Reads an amount that must be exact in the order's currency (a string, or a V3 number).
   * A problem is recorded and 0 returned when it is not; nothing is reported twice for an
   * invalid currency.
   */
  amount(field: string, value: string | number): number {
    if (!this.currencyValid) return 0;
    const text = typeof value === 'number' ? String(value) : value;
    try {
      const parsed = parseAmount(text, this.currency);
      if (!parsed.exact) this.add('inexact_amount', field, `"${text}" has more decimals than ${this.currency} allows`);
      return parsed.minor;
    } catch (error) {
      if (!(error instanceof InvalidAmountError)) throw error;
      this.add('invalid_amount', field, `"${text}" is not a decimal amount`);
      return 0;
    }
  }

  /** Reads a line quantity, which must be a whole number of at least 1 (0 would divide prices by zero downstream). */
  quantity(field: string, value: number): number {
    if (!Number.isInteger(value) || value < 1) this.add('invalid_quantity', field, `quantity ${value} is not a whole number of at least 1`);
    return value;
  }

  /** Reads a date into ISO 8601 UTC; records a problem (and returns "") when it is not a date. */
  date(field: string, value: string): string {
    const parsed = value.trim() === '' ? Number.NaN : Date.parse(value);
    if (Number.isNaN(parsed)) {
      this.add('invalid_date', field, `"${value}" is not a date`);
      return '';
    }
    return new Date(parsed).toISOString();
  }

  /** Throws an `OrderMappingError` listing every problem, if there is any. */
  throwIfAny(storefront: string, orderId: string): void {
    if (this.problems.length > 0) throw new OrderMappingError(storefront, orderId, this.problems);
  }
}

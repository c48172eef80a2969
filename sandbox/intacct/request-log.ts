/** One gateway request as the control endpoint reports it. */
export interface RequestLogEntry {
  readonly at: string;
  readonly httpStatus: number;
  readonly companyId: string | undefined;
  readonly senderId: string | undefined;
  readonly controlId: string | undefined;
  readonly uniqueId: boolean;
  readonly transaction: boolean;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly controlId: string; readonly status: string }>;
  readonly fault: string | undefined;
  readonly schemaErrors: readonly string[];
}

/** The last `capacity` requests, oldest first. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 5000) {}

  /** Appends an entry, dropping the oldest beyond capacity. */
  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Every entry kept. */
  list(): readonly RequestLogEntry[] {
    return this.entries;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries = [];
  }
}

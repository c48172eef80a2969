/** A stored record: every value is text, nested fields are dotted (`DISPLAYCONTACT.EMAIL1`). */
export type Row = Record<string, string>;

/** How an object is keyed. */
export interface ObjectDefinition {
  /** Field `readByName`/`update` use as the record's name (CUSTOMERID, DOCID, NAME for ARTERM). */
  readonly idField: string | undefined;
}

/** The objects the sandbox serves and their ID fields. */
export const objectDefinitions: Readonly<Record<string, ObjectDefinition>> = {
  CUSTOMER: { idField: 'CUSTOMERID' },
  ITEM: { idField: 'ITEMID' },
  WAREHOUSE: { idField: 'WAREHOUSEID' },
  // Internal key `ITEMID@WAREHOUSEID` (fields starting with _ are never shown), so stock moves need no scan.
  ITEMWAREHOUSEINFO: { idField: '_KEY' },
  ARTERM: { idField: 'NAME' },
  // Order-entry price list entries; internal key `PRICELISTID@ITEMID` (one entry per item a list prices, as the sandbox keeps them).
  SOPRICELISTENTRY: { idField: '_KEY' },
  DEPARTMENT: { idField: 'DEPARTMENTID' },
  LOCATION: { idField: 'LOCATIONID' },
  CLASS: { idField: 'CLASSID' },
  PROJECT: { idField: 'PROJECTID' },
  // The demo company's user-defined dimension (custom-fields.ts): its records are the values.
  CHANNEL: { idField: 'ID' },
  GLACCOUNT: { idField: 'ACCOUNTNO' },
  GLJOURNAL: { idField: 'SYMBOL' },
  CHECKINGACCOUNT: { idField: 'BANKACCOUNTID' },
  SODOCUMENTPARAMS: { idField: 'DOCID' },
  SODOCUMENT: { idField: 'DOCID' },
  SODOCUMENTENTRY: { idField: undefined },
  // Subtotals of sales documents; the sandbox keeps only line-level ones: each line's tax entries (see handlers/sales-document-tax.ts).
  SODOCUMENTSUBTOTALS: { idField: undefined },
  TAXSOLUTION: { idField: 'SOLUTIONID' },
  TAXDETAIL: { idField: 'DETAILID' },
  SHIPMETHOD: { idField: 'NAME' },
  INVDOCUMENTPARAMS: { idField: 'DOCID' },
  INVDOCUMENT: { idField: 'DOCID' },
  INVDOCUMENTENTRY: { idField: undefined },
  ARINVOICE: { idField: 'RECORDID' },
  ARPYMT: { idField: undefined },
  ARPYMTDETAIL: { idField: undefined },
  ARADJUSTMENT: { idField: 'RECORDID' },
  GLBATCH: { idField: undefined },
  GLENTRY: { idField: undefined },
  DEPOSIT: { idField: undefined },
};

/** A company's records as written to its state file: plain JSON, journal empty. */
export interface CompanySnapshot {
  readonly companyId: string;
  readonly nextRecordNo: number;
  readonly tables: Readonly<Record<string, readonly Row[]>>;
  readonly sequences: Readonly<Record<string, number>>;
  readonly recordedControlIds: readonly string[];
}

class Table {
  readonly rows = new Map<number, Row>();
  readonly byId = new Map<string, number>();
  constructor(readonly idField: string | undefined) {}
}

/**
 * One company's records. Every change is journalled so a failed function, or every function
 * of a failed `transaction="true"` operation, can be undone exactly.
 */
export class CompanyStore {
  private readonly tables = new Map<string, Table>();
  private nextRecordNo = 1000;
  private readonly sequences = new Map<string, number>();
  /** Function control ids that succeeded, for `uniqueid`. */
  private readonly recordedControlIds = new Set<string>();
  private journal: Array<() => void> = [];

  constructor(readonly companyId: string) {
    for (const [object, definition] of Object.entries(objectDefinitions)) this.tables.set(object, new Table(definition.idField));
  }

  private table(object: string): Table {
    const table = this.tables.get(object);
    if (!table) throw new Error(`Unknown object ${object}`);
    return table;
  }

  /** Whether the sandbox knows this object. */
  hasObject(object: string): boolean {
    return this.tables.has(object);
  }

  /** Inserts a record and returns its new RECORDNO. */
  insert(object: string, fields: Row): number {
    const table = this.table(object);
    const recordNo = this.nextRecordNo++;
    const row: Row = { RECORDNO: String(recordNo), ...fields };
    table.rows.set(recordNo, row);
    const id = table.idField === undefined ? undefined : row[table.idField];
    if (id !== undefined && id !== '') table.byId.set(id, recordNo);
    this.journal.push(() => {
      table.rows.delete(recordNo);
      if (id !== undefined && id !== '') table.byId.delete(id);
      this.nextRecordNo = Math.min(this.nextRecordNo, recordNo);
    });
    return recordNo;
  }

  /** Changes fields of a record (the ID field cannot change). */
  update(object: string, recordNo: number, changes: Row): void {
    const table = this.table(object);
    const row = table.rows.get(recordNo);
    if (!row) throw new Error(`No ${object} ${recordNo}`);
    const before = { ...row };
    Object.assign(row, changes);
    this.journal.push(() => {
      for (const key of Object.keys(row)) delete row[key];
      Object.assign(row, before);
    });
  }

  /** Removes a record. */
  remove(object: string, recordNo: number): void {
    const table = this.table(object);
    const row = table.rows.get(recordNo);
    if (!row) return;
    table.rows.delete(recordNo);
    const id = table.idField === undefined ? undefined : row[table.idField];
    if (id !== undefined && id !== '') table.byId.delete(id);
    this.journal.push(() => {
      table.rows.set(recordNo, row);
      if (id !== undefined && id !== '') table.byId.set(id, recordNo);
    });
  }

  /** A record by RECORDNO. */
  get(object: string, recordNo: number): Row | undefined {
    return this.table(object).rows.get(recordNo);
  }

  /** A record by its ID field. */
  getById(object: string, id: string): Row | undefined {
    const table = this.table(object);
    const recordNo = table.byId.get(id);
    return recordNo === undefined ? undefined : table.rows.get(recordNo);
  }

  /** Every record of an object, in RECORDNO order. */
  all(object: string): Row[] {
    return [...this.table(object).rows.values()];
  }

  /** Records whose field equals a value (a scan; the sandbox's tables are small or scanned rarely). */
  where(object: string, field: string, value: string): Row[] {
    return this.all(object).filter((row) => row[field] === value);
  }

  /** Number of records of an object. */
  count(object: string): number {
    return this.table(object).rows.size;
  }

  /** The next number of a document sequence (per transaction definition), journalled. */
  nextSequence(name: string): number {
    const current = this.sequences.get(name) ?? 0;
    this.sequences.set(name, current + 1);
    this.journal.push(() => this.sequences.set(name, current));
    return current + 1;
  }

  /** Whether a function control id already succeeded. */
  isRecorded(controlId: string): boolean {
    return this.recordedControlIds.has(controlId);
  }

  /** Remembers a successful function control id (undone with the function). */
  record(controlId: string): void {
    if (this.recordedControlIds.has(controlId)) return;
    this.recordedControlIds.add(controlId);
    this.journal.push(() => this.recordedControlIds.delete(controlId));
  }

  /** The company as plain JSON, between operations (nothing to roll back). */
  toSnapshot(): CompanySnapshot {
    return {
      companyId: this.companyId,
      nextRecordNo: this.nextRecordNo,
      tables: Object.fromEntries([...this.tables].map(([object, table]) => [object, [...table.rows.values()]])),
      sequences: Object.fromEntries(this.sequences),
      recordedControlIds: [...this.recordedControlIds],
    };
  }

  /** A company as a snapshot left it; objects the snapshot does not know start empty. */
  static fromSnapshot(snapshot: CompanySnapshot): CompanyStore {
    const store = new CompanyStore(snapshot.companyId);
    for (const [object, rows] of Object.entries(snapshot.tables)) {
      if (!store.hasObject(object)) continue;
      const table = store.table(object);
      for (const row of rows) {
        const recordNo = Number(row.RECORDNO);
        table.rows.set(recordNo, { ...row });
        const id = table.idField === undefined ? undefined : row[table.idField];
        if (id !== undefined && id !== '') table.byId.set(id, recordNo);
      }
    }
    store.nextRecordNo = snapshot.nextRecordNo;
    for (const [name, value] of Object.entries(snapshot.sequences)) store.sequences.set(name, value);
    for (const controlId of snapshot.recordedControlIds) store.recordedControlIds.add(controlId);
    return store;
  }

  /** A point to roll back to. */
  mark(): number {
    return this.journal.length;
  }

  /** Undoes every change made since `mark`. */
  rollbackTo(mark: number): void {
    while (this.journal.length > mark) this.journal.pop()!();
  }

  /** Makes every change so far permanent. */
  commit(): void {
    this.journal = [];
  }
}

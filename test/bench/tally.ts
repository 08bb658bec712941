export interface Counted {
  readonly table: string;
  readonly operation: string;
  requests: number;
  readUnits: number;
  writeUnits: number;
  conditionFailures: number;
}

export type Totals = Omit<Counted, 'table' | 'operation'>;

const readOperations = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** What one measurement counted, by table and operation. */
export class Tally {
  private readonly counted = new Map<string, Counted>();

  add(table: string, operation: string, counts: Partial<Totals>): void {
    const key = `${table} ${operation}`;
    const row = this.counted.get(key) ?? {
      table,
      operation,
      requests: 0,
      readUnits: 0,
      writeUnits: 0,
      conditionFailures: 0,
    };
    row.requests += counts.requests ?? 0;
    row.readUnits += counts.readUnits ?? 0;
    row.writeUnits += counts.writeUnits ?? 0;
    row.conditionFailures += counts.conditionFailures ?? 0;
    this.counted.set(key, row);
  }

  /** Adds another tally's counts to this one. */
  absorb(other: Tally): this {
    for (const row of other.rows) this.add(row.table, row.operation, row);
    return this;
  }

  get rows(): readonly Counted[] {
    return [...this.counted.values()];
  }

  /** The sums over the rows that match, divided by `per` (operations measured). */
  totals(per = 1, match: { table?: string; operation?: string } = {}): Totals {
    const rows = this.rows.filter(
      (row) =>
        (match.table === undefined || row.table === match.table) &&
        (match.operation === undefined || row.operation === match.operation),
    );
    const sum = (pick: (row: Counted) => number) =>
      rows.reduce((total, row) => total + pick(row), 0) / per;
    return {
      requests: sum((row) => row.requests),
      readUnits: sum((row) => row.readUnits),
      writeUnits: sum((row) => row.writeUnits),
      conditionFailures: sum((row) => row.conditionFailures),
    };
  }

  /** Requests that read, or that write, per operation measured. */
  requestsThat(kind: 'read' | 'write', per = 1): number {
    return (
      this.rows
        .filter((row) => readOperations.has(row.operation) === (kind === 'read'))
        .reduce((sum, row) => sum + row.requests, 0) / per
    );
  }

  /** One line per table and operation, per operation measured: "log PutItem 1× 1 WU". */
  describe(per = 1): string {
    const amount = (value: number) => String(Math.round((value / per) * 100) / 100);
    return this.rows
      .map((row) => {
        const units = [
          row.readUnits > 0 ? `${amount(row.readUnits)} RU` : '',
          row.writeUnits > 0 ? `${amount(row.writeUnits)} WU` : '',
        ].filter(Boolean);
        return `${row.table} ${row.operation} ${amount(row.requests)}×${units.length > 0 ? ` ${units.join(' ')}` : ''}`;
      })
      .join(' · ');
  }
}

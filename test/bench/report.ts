import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export type Unit =
  | 'ms'
  | 'events/s'
  | 'writes/s'
  | 'MB'
  | 'kB'
  | 'count'
  | '×'
  | 'USD'
  /** Requests per operation (an average: a batch's requests are shared by its changes). */
  | 'requests'
  /** Read and write capacity units (on demand: request units), by AWS's rules. */
  | 'RU'
  | 'WU';

export interface Measure {
  readonly label: string;
  readonly value: number;
  readonly unit: Unit;
}

export interface Budget {
  readonly text: string;
  readonly met: boolean;
}

/**
 * One printed row: a measured figure, the figure it is compared to (its floor, measured in the
 * same run), their ratio, its budget, and what the same figure was before a change (measured in
 * the same run, or as an issue or an earlier run stated it: its label says which).
 */
export interface Figure {
  readonly group: string;
  readonly measured: Measure;
  readonly comparedTo?: Measure;
  /** measured / comparedTo. */
  readonly ratio?: number;
  readonly budget?: Budget;
  readonly before?: Measure;
}

export function figure(
  group: string,
  measured: Measure,
  comparedTo?: Measure,
  budget?: Budget,
  before?: Measure,
): Figure {
  // Two figures in different units have no meaningful ratio.
  const ratio =
    comparedTo && comparedTo.unit === measured.unit && comparedTo.value !== 0
      ? measured.value / comparedTo.value
      : undefined;
  return { group, measured, comparedTo, ratio, budget, before };
}

export const budget = {
  ratioAtMost: (ratio: number, limit: number): Budget => ({
    text: `ratio ≤ ${limit}`,
    met: ratio <= limit,
  }),
  atMost: (value: number, limit: number, unit: Unit): Budget => ({
    text: `≤ ${withUnit(limit, unit)}`,
    met: value <= limit,
  }),
  atLeast: (value: number, limit: number, unit: Unit): Budget => ({
    text: `≥ ${withUnit(limit, unit)}`,
    met: value >= limit,
  }),
  /** Met when every one of the budgets is. */
  all: (...budgets: Budget[]): Budget => ({
    text: budgets.map((each) => each.text).join(', '),
    met: budgets.every((each) => each.met),
  }),
};

export function format(value: number, unit: Unit): string {
  if (unit === 'count' || unit === 'events/s' || unit === 'writes/s') {
    return Math.round(value).toLocaleString('en-US');
  }
  if (unit === 'USD' && value < 0.1) return value.toPrecision(2);
  if (unit === '×' || unit === 'USD' || unit === 'requests' || unit === 'RU' || unit === 'WU') {
    return value.toFixed(2);
  }
  if (unit === 'ms' && value < 10) return value.toFixed(2);
  return value.toFixed(1);
}

function withUnit(value: number, unit: Unit): string {
  return unit === '×' ? `${format(value, unit)}×` : `${format(value, unit)} ${unit}`;
}

function cells(row: Figure): string[] {
  const measured = withUnit(row.measured.value, row.measured.unit);
  const comparedTo = row.comparedTo
    ? `${row.comparedTo.label}: ${withUnit(row.comparedTo.value, row.comparedTo.unit)}`
    : '';
  const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`;
  const met = row.budget ? (row.budget.met ? 'met' : 'MISSED') : '';
  const before = row.before
    ? `${row.before.label}: ${withUnit(row.before.value, row.before.unit)}`
    : '';
  return [
    row.group,
    row.measured.label,
    measured,
    comparedTo,
    ratio,
    row.budget?.text ?? '',
    met,
    before,
  ];
}

/** The figures as a Markdown table, padded so that it also reads well in a terminal. */
export function table(figures: readonly Figure[]): string {
  const header = [
    '#',
    'Figure',
    'Measured',
    'Compared to (same run)',
    'Ratio',
    'Budget',
    'Met',
    'Before',
  ];
  const rows = [header, ...figures.map(cells)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => width(row[column]))));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((size) => '-'.repeat(size + 2)).join('|')}|`;
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n');
}

function width(cell: string | undefined): number {
  return [...(cell ?? '')].length;
}

export function machine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    /** Other work on the machine skews every figure: a load near the CPU count is a busy run. */
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export async function writeJson(
  file: string,
  host: ReturnType<typeof machine>,
  figures: readonly Figure[],
  durationS: number,
): Promise<void> {
  const document = { machine: host, durationS, figures };
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
}

/** Progress goes to stderr, so that stdout holds only the table. */
export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

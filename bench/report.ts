/** Medians, units and the printed table of the bench. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The lowest and highest OneHop/OpenSSH ratio over repetitions that ran back to back (OneHop's
 * i-th run against OpenSSH's i-th): on a shared VM single runs swing, and a verdict near its
 * target is only as firm as this range.
 */
export function pairedRange(
  onehop: readonly number[],
  openssh: readonly number[],
): [number, number] | undefined {
  const ratios = onehop.map((o, i) => o / (openssh[i] ?? Number.NaN)).filter(Number.isFinite);
  if (ratios.length < 2) return undefined;
  return [Math.min(...ratios), Math.max(...ratios)];
}

export const MB = 1e6;

export function mbps(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

export interface Target {
  /** `max`: the ratio must be at most `value`; `min`: at least. */
  kind: 'max' | 'min';
  value: number;
}

export interface Row {
  label: string;
  onehop: string;
  openssh?: string;
  /** OneHop / OpenSSH, in the unit of the row. */
  ratio?: number;
  /** Lowest and highest ratio of the paired repetitions (see pairedRange). */
  range?: [number, number];
  target?: Target;
  /** `reference`: printed with the target for context, not a verdict of the bench. */
  reference?: boolean;
}

export function verdict(row: Row): 'PASS' | 'MISS' | '' {
  if (row.ratio === undefined || row.target === undefined || row.reference) return '';
  const ok =
    row.target.kind === 'max' ? row.ratio <= row.target.value : row.ratio >= row.target.value;
  return ok ? 'PASS' : 'MISS';
}

export function formatTable(rows: readonly Row[]): string {
  const width = (pick: (row: Row) => string) => Math.max(...rows.map((row) => pick(row).length));
  const labelW = width((r) => r.label);
  const onehopW = width((r) => r.onehop);
  const opensshW = width((r) => r.openssh ?? '');
  return rows
    .map((row) => {
      const parts = [row.label.padEnd(labelW), row.onehop.padEnd(onehopW)];
      parts.push((row.openssh ?? '').padEnd(opensshW));
      if (row.ratio !== undefined) {
        const range = row.range ? ` [${row.range[0].toFixed(2)}–${row.range[1].toFixed(2)}]` : '';
        parts.push(`ratio ${row.ratio.toFixed(2)}${range}`.padEnd(23));
        if (row.target) {
          const sign = row.target.kind === 'max' ? '≤' : '≥';
          parts.push(`(target ${sign} ${String(row.target.value)})`);
          parts.push(row.reference ? 'reference' : verdict(row));
        }
      }
      return parts.join('  ').trimEnd();
    })
    .join('\n');
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function rate(value: number, unit: string): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${unit}`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A signed difference: `+1.2 MiB`, `-0.4 MiB`. */
export function deltaMib(bytes: number): string {
  return `${bytes < 0 ? '-' : '+'}${mib(Math.abs(bytes))}`;
}

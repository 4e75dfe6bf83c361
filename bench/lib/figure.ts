/** What a benchmark hands to the report: rows of samples, some with a target. */
export interface Target {
  op: "<=" | ">=" | "<" | "==";
  value: number;
}

export interface Row {
  label: string;
  unit: string;
  samples: number[];
  target?: Target;
  /** Shown after the figure, e.g. where the number comes from. */
  note?: string;
}

export interface Figure {
  id: string;
  title: string;
  rows: Row[];
  /** Plain-language remarks computed from this run's numbers. */
  notes: string[];
}

export function meets(value: number, target: Target): boolean {
  switch (target.op) {
    case "<=":
      return value <= target.value;
    case ">=":
      return value >= target.value;
    case "<":
      return value < target.value;
    case "==":
      return value === target.value;
  }
}

export const MB = 1e6;

import { MODEL_FIELDS, NOT_EMPLOYED_DAYS } from './applicant-model.ts';

const AT = {
  EXT_SOURCE_1: MODEL_FIELDS.indexOf('EXT_SOURCE_1'),
  EXT_SOURCE_3: MODEL_FIELDS.indexOf('EXT_SOURCE_3'),
  OCCUPATION_TYPE: MODEL_FIELDS.indexOf('OCCUPATION_TYPE'),
  DAYS_EMPLOYED: MODEL_FIELDS.indexOf('DAYS_EMPLOYED'),
  AMT_CREDIT: MODEL_FIELDS.indexOf('AMT_CREDIT'),
  AMT_INCOME_TOTAL: MODEL_FIELDS.indexOf('AMT_INCOME_TOTAL'),
  AMT_ANNUITY: MODEL_FIELDS.indexOf('AMT_ANNUITY'),
};

/** Summary of a simulated applicant file, printed after writing it. Rates are shares in [0, 1]. */
export interface ApplicantStats {
  rows: number;
  defaultRate: number;
  missingRate: { EXT_SOURCE_1: number; EXT_SOURCE_3: number; OCCUPATION_TYPE: number };
  /** Share of DAYS_EMPLOYED = 365243 ("not employed": pensioners, unemployed). */
  notEmployedRate: number;
  /** Medians from a log-scale histogram: exact to 0.1 %. */
  medianCreditToIncome: number;
  medianCreditToAnnuity: number;
}

const BIN_WIDTH = 0.001;
const LOG_MIN = -8;
const BINS = 16_000;

/** A median over millions of ratios in constant memory: counts in log-spaced bins 0.1 % wide. */
class LogHistogram {
  private readonly counts = new Float64Array(BINS);
  private total = 0;

  add(value: number): void {
    if (!(value > 0) || !Number.isFinite(value)) return;
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor((Math.log(value) - LOG_MIN) / BIN_WIDTH)));
    this.counts[bin]! += 1;
    this.total += 1;
  }

  median(): number {
    if (this.total === 0) return Number.NaN;
    const half = this.total / 2;
    let seen = 0;
    for (let bin = 0; bin < BINS; bin += 1) {
      seen += this.counts[bin]!;
      if (seen >= half) return Math.exp(LOG_MIN + (bin + 0.5) * BIN_WIDTH);
    }
    return Number.NaN;
  }
}

const share = (count: number, rows: number) => (rows === 0 ? 0 : count / rows);

export class ApplicantStatsCollector {
  private rows = 0;
  private defaults = 0;
  private missingExt1 = 0;
  private missingExt3 = 0;
  private missingOccupation = 0;
  private notEmployed = 0;
  private readonly creditToIncome = new LogHistogram();
  private readonly creditToAnnuity = new LogHistogram();

  /** Adds one applicant given as values in MODEL_FIELDS order. */
  addCells(cells: ReadonlyArray<number | string | null>, target: number): void {
    this.rows += 1;
    this.defaults += target;
    if (cells[AT.EXT_SOURCE_1] === null) this.missingExt1 += 1;
    if (cells[AT.EXT_SOURCE_3] === null) this.missingExt3 += 1;
    if (cells[AT.OCCUPATION_TYPE] === null) this.missingOccupation += 1;
    if (cells[AT.DAYS_EMPLOYED] === NOT_EMPLOYED_DAYS) this.notEmployed += 1;
    const credit = cells[AT.AMT_CREDIT] as number;
    this.creditToIncome.add(credit / (cells[AT.AMT_INCOME_TOTAL] as number));
    const annuity = cells[AT.AMT_ANNUITY];
    if (annuity !== null) this.creditToAnnuity.add(credit / (annuity as number));
  }

  result(): ApplicantStats {
    const rows = this.rows;
    return {
      rows,
      defaultRate: share(this.defaults, rows),
      missingRate: {
        EXT_SOURCE_1: share(this.missingExt1, rows),
        EXT_SOURCE_3: share(this.missingExt3, rows),
        OCCUPATION_TYPE: share(this.missingOccupation, rows),
      },
      notEmployedRate: share(this.notEmployed, rows),
      medianCreditToIncome: this.creditToIncome.median(),
      medianCreditToAnnuity: this.creditToAnnuity.median(),
    };
  }
}

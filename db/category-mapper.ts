/**
 * Maps one category field's codes in record chunks (each chunk has its own dictionary) to the codes of a column read:
 * the schema's index of the label, else the schema's count plus the label's place among those outside the schema, in
 * the order this mapper first meets them.
 */
import { MISSING_CODE } from './chunk-format.ts';

/** Maps one category field's chunk codes to the answer's codes: schema index, else a label outside it. */
export class CategoryMapper {
  readonly unseen: string[] = [];
  private readonly unseenIndex = new Map<string, number>();
  private readonly known: Map<string, number>;
  private readonly knownCount: number;
  private labels: string[] = [];
  private table = new Int32Array(0);

  constructor(categories: readonly string[]) {
    this.known = new Map();
    categories.forEach((label, i) => {
      if (!this.known.has(label)) this.known.set(label, i);
    });
    this.knownCount = categories.length;
  }

  /** Starts a chunk whose dictionary is `labels`; codes are resolved the first time a record shows them. */
  begin(labels: string[]): void {
    this.labels = labels;
    if (this.table.length < labels.length) this.table = new Int32Array(Math.max(labels.length, 64));
    this.table.fill(-3, 0, labels.length);
  }

  code(stored: number): number {
    if (stored === MISSING_CODE) return -1;
    const mapped = this.table[stored]!;
    if (mapped !== -3) return mapped;
    const label = this.labels[stored]!;
    let code = this.known.get(label);
    if (code === undefined) {
      let k = this.unseenIndex.get(label);
      if (k === undefined) {
        k = this.unseen.push(label) - 1;
        this.unseenIndex.set(label, k);
      }
      code = this.knownCount + k;
    }
    this.table[stored] = code;
    return code;
  }
}

/**
 * Every stored embedding matrix in memory as float32, so a query is one pass of dot products.
 * Rows are [photos × k × d]; `ids[i]` names the photo of matrix i.
 */
import { scoreWithRow, type RowScore } from './scoring.js';

export class SearchIndex {
  private matrices: Float32Array;
  private ids: string[] = [];
  private readonly position = new Map<string, number>();

  constructor(
    readonly k: number,
    readonly d: number,
  ) {
    this.matrices = new Float32Array(64 * k * d);
  }

  get size(): number {
    return this.ids.length;
  }

  set(id: string, matrix: Float32Array): void {
    const stride = this.k * this.d;
    let at = this.position.get(id);
    if (at === undefined) {
      at = this.ids.length;
      if ((at + 1) * stride > this.matrices.length) {
        const grown = new Float32Array(this.matrices.length * 2);
        grown.set(this.matrices);
        this.matrices = grown;
      }
      this.ids.push(id);
      this.position.set(id, at);
    }
    this.matrices.set(matrix, at * stride);
  }

  delete(id: string): void {
    const at = this.position.get(id);
    if (at === undefined) return;
    const stride = this.k * this.d;
    const last = this.ids.length - 1;
    if (at !== last) {
      this.matrices.copyWithin(at * stride, last * stride, (last + 1) * stride);
      this.ids[at] = this.ids[last]!;
      this.position.set(this.ids[at]!, at);
    }
    this.ids.pop();
    this.position.delete(id);
  }

  has(id: string): boolean {
    return this.position.has(id);
  }

  /** s(w) with the matching row for every photo, in index order. */
  scoreAll(w: Float32Array): { ids: readonly string[]; scores: Float32Array; rows: Uint8Array } {
    const stride = this.k * this.d;
    const scores = new Float32Array(this.ids.length);
    const rows = new Uint8Array(this.ids.length);
    for (let i = 0; i < this.ids.length; i++) {
      const result: RowScore = scoreWithRow(
        this.matrices.subarray(i * stride, (i + 1) * stride),
        this.k,
        this.d,
        w,
      );
      scores[i] = result.score;
      rows[i] = result.row;
    }
    return { ids: this.ids, scores, rows };
  }
}

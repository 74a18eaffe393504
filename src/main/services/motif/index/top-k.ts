/**
 * The k best (row, score) pairs seen, as a binary min-heap on score: offering a score below the
 * worst kept is one comparison, which is what a scan over a million rows does almost every time.
 * Ties go to the lower row, so results are deterministic.
 */
export class TopK {
  private readonly rowsHeap: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.rowsHeap = new Int32Array(Math.max(1, k));
    this.scores = new Float64Array(Math.max(1, k));
  }

  offer(row: number, score: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, row, this.scores[parent]!, this.rowsHeap[parent]!)) break;
        this.scores[i] = this.scores[parent]!;
        this.rowsHeap[i] = this.rowsHeap[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.rowsHeap[i] = row;
      return;
    }
    if (!this.worse(this.scores[0]!, this.rowsHeap[0]!, score, row)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.worse(this.scores[r]!, this.rowsHeap[r]!, this.scores[l]!, this.rowsHeap[l]!) ? r : l;
      if (!this.worse(this.scores[c]!, this.rowsHeap[c]!, score, row)) break;
      this.scores[i] = this.scores[c]!;
      this.rowsHeap[i] = this.rowsHeap[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.rowsHeap[i] = row;
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The lowest score kept (the one the next offer must beat once full). */
  get worstScore(): number {
    return this.size === 0 ? -Infinity : this.scores[0]!;
  }

    /** The kept rows, in no order. */
  rows(): number[] {
    return Array.from(this.rowsHeap.subarray(0, this.size));
  }

  /** Best first. */
  sorted(): { row: number; score: number }[] {
    const out: { row: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ row: this.rowsHeap[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.row - b.row);
  }

  /** Is (s1, r1) worse than (s2, r2)? Lower score, or the same score and a higher row. */
  private worse(s1: number, r1: number, s2: number, r2: number): boolean {
    return s1 < s2 || (s1 === s2 && r1 > r2);
  }
}

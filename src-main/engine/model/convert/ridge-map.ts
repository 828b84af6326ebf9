/**
 * Ridge regression from one word-vector space into another (GloVe-100d → the official 300-d
 * label space): W = argmin ‖XW − Y‖² + λ‖W‖², i.e. (XᵀX + λI) W = XᵀY, solved by Cholesky.
 * X is [n, p], Y is [n, q], W is [p, q]; all row-major. Arithmetic in float64.
 */

export function fitRidgeMap(
  x: Float32Array,
  y: Float32Array,
  n: number,
  lambda: number,
): Float32Array {
  const p = x.length / n;
  const q = y.length / n;
  if (!Number.isInteger(p) || !Number.isInteger(q) || n < 1) {
    throw new RangeError(`X and Y must both have ${n} rows`);
  }
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  const a = new Float64Array(p * p); // XᵀX + λI   [p, p]
  const b = new Float64Array(p * q); // XᵀY        [p, q]
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) {
      const xi = x[r * p + i]!;
      if (xi === 0) continue;
      for (let j = i; j < p; j++) a[i * p + j]! += xi * x[r * p + j]!;
      for (let j = 0; j < q; j++) b[i * q + j]! += xi * y[r * q + j]!;
    }
  }
  for (let i = 0; i < p; i++) {
    a[i * p + i]! += lambda;
    for (let j = 0; j < i; j++) a[i * p + j] = a[j * p + i]!;
  }
  const l = cholesky(a, p);
  const w = new Float32Array(p * q);
  const col = new Float64Array(p);
  for (let j = 0; j < q; j++) {
    for (let i = 0; i < p; i++) col[i] = b[i * q + j]!;
    solveCholesky(l, p, col);
    for (let i = 0; i < p; i++) w[i * q + j] = col[i]!;
  }
  return w;
}

/** Lower-triangular L with A = L Lᵀ (A symmetric positive definite, [n, n]). */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${i})`);
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b in place. */
export function solveCholesky(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** normalise(v · W) for one row vector v of length p; W is [p, q]. */
export function applyMap(v: ArrayLike<number>, w: Float32Array, q: number): Float32Array {
  const p = w.length / q;
  const out = new Float32Array(q);
  for (let i = 0; i < p; i++) {
    const vi = v[i]!;
    if (vi !== 0) for (let j = 0; j < q; j++) out[j]! += vi * w[i * q + j]!;
  }
  let norm = 0;
  for (let j = 0; j < q; j++) norm += out[j]! * out[j]!;
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < q; j++) out[j]! /= norm;
  return out;
}

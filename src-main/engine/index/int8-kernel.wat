;; The scoring kernel: s(w) = max_k ⟨A_k, w⟩ for every photo of a chunk and every query term, on
;; int8 rows with a float32 scale per row and int16 query vectors, with 128-bit SIMD (8
;; multiply-adds per `i32x4.dot_i16x8_s`). Assembled at build time by wabt's wat2wasm
;; (scripts/wasm-kernels.mjs) into int8-kernel.wasm; int8-kernel.ts loads it and holds `jsKernel`,
;; the same loop in plain JavaScript, for runtimes without WebAssembly SIMD.
;;
;;   for photo i < count, term t < terms:
;;     dot_k = Σ_j data[k, i, j] · queries[t, j]            (int32, j < dp, dp a multiple of 8)
;;     outScores[t·stride + i] = max_k(dot_k · scales[k, i]) · qscales[t]
;;     outRows[t·stride + i]   = perm[i, argmax_k]          (the row's index before sorting)
;;
;; Every argument is a byte address in the shared memory (chunk-layout.ts lays them out) or a
;; count. Row planes: row k of every photo of the chunk lies together, so data[k, i] starts at
;; data + (k·stride + i)·dp, scales[k, i] and norms[k, i] at + 4·(k·stride + i).
;;
;; A photo's rows are stored by decreasing norm, and ⟨A_k, w⟩ ≤ ‖A_k‖ for a unit w, so once a
;; row's norm is at most the best score so far no later row can beat it: the row loop stops there.
;; Exact, and it skips most rows of SDL-style matrices, whose few heavy rows carry the meaning
;; (the starter pack's photos have 4–10 rows near norm 1 and the rest near 0); skipped rows are
;; never read from memory, which is what bounds the speed. An all-zero row's stored norm is 0
;; (quantised-rows.ts), so a photo's empty rows cost at most one row read.
(module
  ;; The index's memory (search-index.ts), shared with the worker threads (kernel-workers.ts).
  ;; 65536 pages = 4 GiB, the whole 32-bit space: shared memories must declare a maximum.
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "score")
    (param $data i32) ;; int8 rows [k, stride, dp]
    (param $scales i32) ;; float32 row scales [k, stride]
    (param $norms i32) ;; float32 row norms [k, stride], each row's ‖A_k‖
    (param $perm i32) ;; uint8 [stride, k]: a stored row's index in the original matrix
    (param $count i32) ;; photos in this chunk (≤ stride)
    (param $k i32) ;; rows per matrix
    (param $dp i32) ;; values per row, d padded to a multiple of 8
    (param $queries i32) ;; int16 query vectors [terms, dp]
    (param $qscales i32) ;; float32 [terms]: a query value is queries[t, j] · qscales[t]
    (param $terms i32) ;; query terms scored in this pass
    (param $outScores i32) ;; float32 [terms, stride], written
    (param $outRows i32) ;; uint8 [terms, stride], written
    (param $stride i32) ;; photos per chunk (the planes' length)
    (local $i i32) ;; photo
    (local $t i32) ;; term
    (local $row i32) ;; row in stored (decreasing-norm) order
    (local $p i32) ;; address in the row's int8 values
    (local $pend i32) ;; end of the row's values
    (local $q i32) ;; address in the term's int16 values
    (local $sp i32) ;; &scales[0, i]
    (local $bestRow i32)
    (local $np i32) ;; &norms[0, i]
    (local $best f32) ;; best row score so far, in row units (before · qscales[t])
    (local $dot f32)
    (local $qs f32) ;; qscales[t]
    (local $acc v128) ;; four int32 partial sums
    (local $acc2 v128) ;; a second, independent set (two dot products in flight)

    (local.set $i (i32.const 0))
    (block $photosDone
      (loop $photos
        (br_if $photosDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $t (i32.const 0))
        (block $termsDone
          (loop $eachTerm
            (br_if $termsDone (i32.ge_u (local.get $t) (local.get $terms)))
            (local.set $best (f32.const -inf))
            (local.set $bestRow (i32.const 0))
            (local.set $sp (i32.add (local.get $scales) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $np (i32.add (local.get $norms) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $qs
              (f32.load (i32.add (local.get $qscales) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $row (i32.const 0))
            (block $rowsDone
              (loop $rows
                (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $k)))
                ;; Rows come by decreasing norm: stop once norms[row, i] ≤ best (same units).
                (br_if $rowsDone
                  (f32.le
                    (f32.load
                      (i32.add
                        (local.get $np)
                        (i32.shl (i32.mul (local.get $row) (local.get $stride)) (i32.const 2))))
                    (f32.mul (local.get $best) (local.get $qs))))
                (local.set $acc (v128.const i32x4 0 0 0 0))
                ;; p = &data[row, i, 0], q = &queries[t, 0], pend = p + dp
                (local.set $p
                  (i32.add
                    (local.get $data)
                    (i32.mul
                      (i32.add (i32.mul (local.get $row) (local.get $stride)) (local.get $i))
                      (local.get $dp))))
                (local.set $q
                  (i32.add
                    (local.get $queries)
                    (i32.shl (i32.mul (local.get $t) (local.get $dp)) (i32.const 1))))
                (local.set $pend (i32.add (local.get $p) (local.get $dp)))
                ;; An odd number of 8-value steps: take one first, so the loop can take two a turn.
                (if (i32.and (local.get $dp) (i32.const 8))
                  (then
                    ;; acc += 8 int8 values widened to int16 · 8 int16 query values
                    (local.set $acc
                      (i32x4.add
                        (local.get $acc)
                        (i32x4.dot_i16x8_s
                          (v128.load8x8_s align=1 (local.get $p))
                          (v128.load align=1 (local.get $q)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 8)))
                    (local.set $q (i32.add (local.get $q) (i32.const 16)))))
                (local.set $acc2 (v128.const i32x4 0 0 0 0))
                (block $pairsDone
                  (loop $pairs
                    ;; 16 values a turn, into two independent accumulators
                    (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $acc
                      (i32x4.add
                        (local.get $acc)
                        (i32x4.dot_i16x8_s
                          (v128.load8x8_s align=1 (local.get $p))
                          (v128.load align=1 (local.get $q)))))
                    (local.set $acc2
                      (i32x4.add
                        (local.get $acc2)
                        (i32x4.dot_i16x8_s
                          (v128.load8x8_s offset=8 align=1 (local.get $p))
                          (v128.load offset=16 align=1 (local.get $q)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 16)))
                    (local.set $q (i32.add (local.get $q) (i32.const 32)))
                    (br $pairs)))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $acc2)))
                ;; dot = float(Σ lanes of acc) · scales[row, i]; keep the best row
                (if
                  (f32.gt
                    (local.tee $dot
                      (f32.mul
                        (f32.convert_i32_s
                          (i32.add
                            (i32.add
                              (i32.add
                                (i32x4.extract_lane 0 (local.get $acc))
                                (i32x4.extract_lane 1 (local.get $acc)))
                              (i32x4.extract_lane 2 (local.get $acc)))
                            (i32x4.extract_lane 3 (local.get $acc))))
                        (f32.load
                          (i32.add
                            (local.get $sp)
                            (i32.shl
                              (i32.mul (local.get $row) (local.get $stride))
                              (i32.const 2))))))
                    (local.get $best))
                  (then
                    (local.set $best (local.get $dot))
                    (local.set $bestRow (local.get $row))))
                (local.set $row (i32.add (local.get $row) (i32.const 1)))
                (br $rows)))
            ;; outScores[t·stride + i] = best · qscales[t]
            (f32.store
              (i32.add
                (local.get $outScores)
                (i32.shl
                  (i32.add (i32.mul (local.get $t) (local.get $stride)) (local.get $i))
                  (i32.const 2)))
              (f32.mul
                (local.get $best)
                (f32.load (i32.add (local.get $qscales) (i32.shl (local.get $t) (i32.const 2))))))
            ;; outRows[t·stride + i] = perm[i·k + bestRow]: the row's index before sorting
            (i32.store8
              (i32.add
                (local.get $outRows)
                (i32.add (i32.mul (local.get $t) (local.get $stride)) (local.get $i)))
              (i32.load8_u
                (i32.add
                  (i32.add (local.get $perm) (i32.mul (local.get $i) (local.get $k)))
                  (local.get $bestRow))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $eachTerm)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $photos)))))

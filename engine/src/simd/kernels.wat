;; The course's own WebAssembly SIMD kernels, run on the tfjs wasm backend's memory (imported as
;; env.memory): tensors are read and written in place at the byte offsets tfjs gives them.
;; Compiled by `npm run build:wasm` (wabt) into kernels-wasm.ts; test/engine-simd.test.ts checks that
;; the committed binary is this source's.
(module
  (import "env" "memory" (memory 1))

  ;; maxPoolGrad2x2(x, dy, dx, batch, inH, inW, C, outH, outW)
  ;; The gradient of a 2x2, stride-2, unpadded max pooling, NHWC float32, C a multiple of 4:
  ;; each dy value goes to the FIRST maximum of its window in the order (0,0), (0,1), (1,0), (1,1),
  ;; a NaN or -inf at (0,0) never wins (the cpu backend's rule). Writes the four positions of every
  ;; window (0 where the value did not win; 0 + dy, so -0 becomes +0 as in the cpu kernel's +=);
  ;; rows and columns no window covers (odd sizes) are the caller's to zero.
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32)
    (param $C i32) (param $outH i32) (param $outW i32)
    (local $colStep i32) (local $rowStep i32) (local $b i32) (local $yR i32) (local $yC i32) (local $d i32)
    (local $at i32) (local $off i32)
    (local $v v128) (local $valid v128) (local $m01 v128) (local $m10 v128) (local $m11 v128) (local $g v128)
    (local $negInf v128)
    (local.set $colStep (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowStep (i32.mul (local.get $inW) (local.get $colStep)))
    (local.set $negInf (f32x4.splat (f32.const -inf)))
    (local.set $b (i32.const 0))
    (block $doneB (loop $loopB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $yR (i32.const 0))
      (block $doneR (loop $loopR
        (br_if $doneR (i32.ge_u (local.get $yR) (local.get $outH)))
        (local.set $yC (i32.const 0))
        (block $doneC (loop $loopC
          (br_if $doneC (i32.ge_u (local.get $yC) (local.get $outW)))
          ;; byte offset of the window's (0,0) element, channel 0, from the start of x (and of dx)
          (local.set $off (i32.mul
            (i32.add
              (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.shl (local.get $yR) (i32.const 1))) (local.get $inW))
              (i32.shl (local.get $yC) (i32.const 1)))
            (local.get $colStep)))
          (local.set $d (i32.const 0))
          (block $doneD (loop $loopD
            (br_if $doneD (i32.ge_u (local.get $d) (local.get $colStep)))
            (local.set $at (i32.add (i32.add (local.get $x) (local.get $off)) (local.get $d)))
            (local.set $v (v128.load (local.get $at)))
            (local.set $valid (f32x4.gt (local.get $v) (local.get $negInf)))
            (local.set $v (v128.bitselect (local.get $v) (local.get $negInf) (local.get $valid)))
            (local.set $m01 (f32x4.gt (v128.load (i32.add (local.get $at) (local.get $colStep))) (local.get $v)))
            (local.set $v (v128.bitselect (v128.load (i32.add (local.get $at) (local.get $colStep))) (local.get $v) (local.get $m01)))
            (local.set $m10 (f32x4.gt (v128.load (i32.add (local.get $at) (local.get $rowStep))) (local.get $v)))
            (local.set $v (v128.bitselect (v128.load (i32.add (local.get $at) (local.get $rowStep))) (local.get $v) (local.get $m10)))
            (local.set $m11 (f32x4.gt
              (v128.load (i32.add (i32.add (local.get $at) (local.get $rowStep)) (local.get $colStep))) (local.get $v)))
            (local.set $g (f32x4.add (f32x4.splat (f32.const 0)) (v128.load (local.get $dy))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $at (i32.add (i32.add (local.get $dx) (local.get $off)) (local.get $d)))
            ;; (1,1) wins where m11; (1,0) where m10 and not m11; (0,1) where m01 and neither; (0,0) where valid and none
            (v128.store (i32.add (i32.add (local.get $at) (local.get $rowStep)) (local.get $colStep))
              (v128.and (local.get $g) (local.get $m11)))
            (v128.store (i32.add (local.get $at) (local.get $rowStep))
              (v128.and (local.get $g) (v128.andnot (local.get $m10) (local.get $m11))))
            (v128.store (i32.add (local.get $at) (local.get $colStep))
              (v128.and (local.get $g) (v128.andnot (v128.andnot (local.get $m01) (local.get $m10)) (local.get $m11))))
            (v128.store (local.get $at)
              (v128.and (local.get $g)
                (v128.andnot (v128.andnot (v128.andnot (local.get $valid) (local.get $m01)) (local.get $m10)) (local.get $m11))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $loopD)))
          (local.set $yC (i32.add (local.get $yC) (i32.const 1)))
          (br $loopC)))
        (local.set $yR (i32.add (local.get $yR) (i32.const 1)))
        (br $loopR)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $loopB)))
  )

  ;; adamKeras(w, g, m, v, wOut, mOut, vOut, n, b1, omb1, b2, omb2, c1, c2, eps, neglr)
  ;; One Adam step on n float32 values, op for op as tfjs' AdamOptimizer.applyGradients computes it
  ;; (each operation rounded to float32 in the same order, so the results are the same bits):
  ;;   m' = m*b1 + g*omb1             v' = v*b2 + (g*g)*omb2
  ;;   w' = ((m'/c1) / (sqrt(v'/c2) + eps)) * neglr + w
  ;; with omb = 1 - beta, c = 1 - beta^t and neglr = -learning rate, all rounded to float32 by the caller.
  (func (export "adamKeras")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $wOut i32) (param $mOut i32) (param $vOut i32)
    (param $n i32) (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32) (param $c1 f32) (param $c2 f32)
    (param $eps f32) (param $neglr f32)
    (local $off i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    ;; four at a time
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $off (i32.const 0))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $off))))
      (local.set $mv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $off))) (f32x4.splat (local.get $b1)))
        (f32x4.mul (local.get $gv) (f32x4.splat (local.get $omb1)))))
      (local.set $vv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $off))) (f32x4.splat (local.get $b2)))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $omb2)))))
      (v128.store (i32.add (local.get $mOut) (local.get $off)) (local.get $mv))
      (v128.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vv))
      (v128.store (i32.add (local.get $wOut) (local.get $off))
        (f32x4.add
          (f32x4.mul
            (f32x4.div
              (f32x4.div (local.get $mv) (f32x4.splat (local.get $c1)))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (f32x4.splat (local.get $c2)))) (f32x4.splat (local.get $eps))))
            (f32x4.splat (local.get $neglr)))
          (v128.load (i32.add (local.get $w) (local.get $off)))))
      (local.set $off (i32.add (local.get $off) (i32.const 16)))
      (br $loop4)))
    ;; the last n mod 4, one at a time
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
      (local.set $ms (f32.add
        (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $b1))
        (f32.mul (local.get $gs) (local.get $omb1))))
      (local.set $vs (f32.add
        (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $b2))
        (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $omb2))))
      (f32.store (i32.add (local.get $mOut) (local.get $off)) (local.get $ms))
      (f32.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vs))
      (f32.store (i32.add (local.get $wOut) (local.get $off))
        (f32.add
          (f32.mul
            (f32.div
              (f32.div (local.get $ms) (local.get $c1))
              (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))
            (local.get $neglr))
          (f32.load (i32.add (local.get $w) (local.get $off)))))
      (local.set $off (i32.add (local.get $off) (i32.const 4)))
      (br $loop1)))
  )

  ;; mulWindows(src, dy, out, images, imageStride, length, shift)
  ;; For each image b: out[b*length + k] = src[b*imageStride + shift + k] * dy[b*length + k], k < length
  ;; (float32 element counts): the product of every filter tap's window of x with dy, read in place
  ;; from the padded x instead of sliced out first. The same products as a Multiply of the slices.
  (func (export "mulWindows")
    (param $src i32) (param $dy i32) (param $out i32) (param $images i32) (param $imageStride i32)
    (param $length i32) (param $shift i32)
    (local $b i32) (local $s i32) (local $k i32) (local $end4 i32) (local $end i32)
    (local.set $end (i32.shl (local.get $length) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $length) (i32.const -4)) (i32.const 2)))
    (local.set $s (i32.add (local.get $src) (i32.shl (local.get $shift) (i32.const 2))))
    (local.set $b (i32.const 0))
    (block $doneB (loop $loopB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $images)))
      (local.set $k (i32.const 0))
      (block $done4 (loop $loop4
        (br_if $done4 (i32.ge_u (local.get $k) (local.get $end4)))
        (v128.store (i32.add (local.get $out) (local.get $k))
          (f32x4.mul (v128.load (i32.add (local.get $s) (local.get $k))) (v128.load (i32.add (local.get $dy) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $loop4)))
      (block $done1 (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $k) (local.get $end)))
        (f32.store (i32.add (local.get $out) (local.get $k))
          (f32.mul (f32.load (i32.add (local.get $s) (local.get $k))) (f32.load (i32.add (local.get $dy) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $loop1)))
      (local.set $s (i32.add (local.get $s) (i32.shl (local.get $imageStride) (i32.const 2))))
      (local.set $dy (i32.add (local.get $dy) (local.get $end)))
      (local.set $out (i32.add (local.get $out) (local.get $end)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $loopB)))
  )

  ;; bnNormalize(x, mean, invStd, gamma, beta, xhat, y, positions, C)
  ;; BatchNormalization's forward on [positions, C] float32 (C a multiple of 4), per-channel vectors of C:
  ;;   xhat = (x - mean) * invStd,   y = xhat * gamma + beta
  ;; the same float32 operations, in the same order, as the tf ops of sync-batchnorm.ts.
  (func (export "bnNormalize")
    (param $x i32) (param $mean i32) (param $invStd i32) (param $gamma i32) (param $beta i32)
    (param $xhat i32) (param $y i32) (param $positions i32) (param $C i32)
    (local $p i32) (local $c i32) (local $row i32) (local $v v128)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $doneP (loop $loopP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $positions)))
      (local.set $c (i32.const 0))
      (block $doneC (loop $loopC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $row)))
        (local.set $v (f32x4.mul
          (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (v128.load (i32.add (local.get $mean) (local.get $c))))
          (v128.load (i32.add (local.get $invStd) (local.get $c)))))
        (v128.store (i32.add (local.get $xhat) (local.get $c)) (local.get $v))
        (v128.store (i32.add (local.get $y) (local.get $c))
          (f32x4.add (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $gamma) (local.get $c))))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $loopC)))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $xhat (i32.add (local.get $xhat) (local.get $row)))
      (local.set $y (i32.add (local.get $y) (local.get $row)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $loopP)))
  )

  ;; bnInputGrad(dy, xhat, A, B, gi, dx, positions, C, count)
  ;; BatchNormalization's input gradient on [positions, C] (C a multiple of 4), per-channel A = sum(dy),
  ;; B = sum(dy * xhat), gi = gamma * invStd, and count the positions the statistics came from:
  ;;   dx = gi * (dy - (A + xhat * B) / count)
  ;; the same float32 operations, in the same order, as the tf ops of sync-batchnorm.ts.
  (func (export "bnInputGrad")
    (param $dy i32) (param $xhat i32) (param $A i32) (param $B i32) (param $gi i32) (param $dx i32)
    (param $positions i32) (param $C i32) (param $count f32)
    (local $p i32) (local $c i32) (local $row i32) (local $n v128)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $n (f32x4.splat (local.get $count)))
    (local.set $p (i32.const 0))
    (block $doneP (loop $loopP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $positions)))
      (local.set $c (i32.const 0))
      (block $doneC (loop $loopC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $row)))
        (v128.store (i32.add (local.get $dx) (local.get $c))
          (f32x4.mul
            (v128.load (i32.add (local.get $gi) (local.get $c)))
            (f32x4.sub
              (v128.load (i32.add (local.get $dy) (local.get $c)))
              (f32x4.div
                (f32x4.add (v128.load (i32.add (local.get $A) (local.get $c)))
                  (f32x4.mul (v128.load (i32.add (local.get $xhat) (local.get $c))) (v128.load (i32.add (local.get $B) (local.get $c)))))
                (local.get $n)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $loopC)))
      (local.set $dy (i32.add (local.get $dy) (local.get $row)))
      (local.set $xhat (i32.add (local.get $xhat) (local.get $row)))
      (local.set $dx (i32.add (local.get $dx) (local.get $row)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $loopP)))
  )

  ;; reluGrad(dy, x, dx, n)
  ;; ReLU's gradient on n float32 values as tfjs computes it, mul(dy, cast(step(x))):
  ;;   dx = dy * s  with s = 1 where x > 0, NaN where x is NaN, 0 elsewhere
  ;; in one pass instead of three (Step, Cast, Multiply).
  (func (export "reluGrad") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32)
    (local $off i32) (local $end i32) (local $xv v128) (local $s v128) (local $xs f32) (local $ss f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $off (i32.const 0))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
      (local.set $s (v128.bitselect (f32x4.splat (f32.const 1)) (f32x4.splat (f32.const 0))
        (f32x4.gt (local.get $xv) (f32x4.splat (f32.const 0)))))
      (local.set $s (v128.bitselect (local.get $xv) (local.get $s) (f32x4.ne (local.get $xv) (local.get $xv))))
      (v128.store (i32.add (local.get $dx) (local.get $off))
        (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $off))) (local.get $s)))
      (local.set $off (i32.add (local.get $off) (i32.const 16)))
      (br $loop4)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $xs (f32.load (i32.add (local.get $x) (local.get $off))))
      (local.set $ss (select (f32.const 1) (f32.const 0) (f32.gt (local.get $xs) (f32.const 0))))
      (local.set $ss (select (local.get $xs) (local.get $ss) (f32.ne (local.get $xs) (local.get $xs))))
      (f32.store (i32.add (local.get $dx) (local.get $off))
        (f32.mul (f32.load (i32.add (local.get $dy) (local.get $off))) (local.get $ss)))
      (local.set $off (i32.add (local.get $off) (i32.const 4)))
      (br $loop1)))
  )

  ;; pointwiseFilterGrad(x, dy, out, rows, ci, co, rowBlock)
  ;; The filter gradient of a 1x1, stride-1, unpadded convolution on one chunk of rows:
  ;;   out[a][b] = sum over p = 0 .. rows-1 of x[p][a] * dy[p][b]      (x [rows, ci], dy [rows, co], out [ci, co])
  ;; each sum from +0 in the order of p, every product rounded to float32 and then added (mul, then
  ;; add: XNNPACK's GEMM order, which tfjs' matMul(xᵀ, dy) runs, so the same bits), without
  ;; materializing xᵀ or packing dy. ci a multiple of 4, co of 8. Blocks of 4 x 8 outputs stay in
  ;; registers over `rowBlock` rows (chosen so those rows of x and dy stay in L1), then go back to out.
  (func (export "pointwiseFilterGrad")
    (param $x i32) (param $dy i32) (param $out i32) (param $rows i32) (param $ci i32) (param $co i32) (param $rowBlock i32)
    (local $ci4 i32) (local $co4 i32) (local $rowK1 i32) (local $rowK2 i32) (local $rowK3 i32)
    (local $r0 i32) (local $r1 i32) (local $a i32) (local $b i32) (local $o i32) (local $px i32) (local $pd i32) (local $p i32)
    (local $end i32)
    (local $d0 v128) (local $d1 v128) (local $s v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128) (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $ci4 (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $co4 (i32.shl (local.get $co) (i32.const 2)))
    (local.set $rowK1 (local.get $co4))
    (local.set $rowK2 (i32.shl (local.get $co4) (i32.const 1)))
    (local.set $rowK3 (i32.mul (local.get $co4) (i32.const 3)))
    ;; out = +0
    (local.set $o (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $ci) (local.get $co4))))
    (block $doneZ (loop $loopZ
      (br_if $doneZ (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (local.get $o) (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $loopZ)))
    (local.set $r0 (i32.const 0))
    (block $doneR (loop $loopR
      (br_if $doneR (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (select (local.get $rows) (i32.add (local.get $r0) (local.get $rowBlock))
        (i32.lt_u (i32.sub (local.get $rows) (local.get $r0)) (local.get $rowBlock))))
      (local.set $a (i32.const 0))
      (block $doneA (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $a) (local.get $ci)))
        (local.set $b (i32.const 0))
        (block $doneB (loop $loopB
          (br_if $doneB (i32.ge_u (local.get $b) (local.get $co)))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $co)) (local.get $b)) (i32.const 2))))
          (local.set $a00 (v128.load (i32.add (local.get $o) (i32.const 0))))
          (local.set $a01 (v128.load (i32.add (local.get $o) (i32.const 16))))
          (local.set $a10 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK1)) (i32.const 0))))
          (local.set $a11 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK1)) (i32.const 16))))
          (local.set $a20 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK2)) (i32.const 0))))
          (local.set $a21 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK2)) (i32.const 16))))
          (local.set $a30 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK3)) (i32.const 0))))
          (local.set $a31 (v128.load (i32.add (i32.add (local.get $o) (local.get $rowK3)) (i32.const 16))))
          (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $ci)) (local.get $a)) (i32.const 2))))
          (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $co)) (local.get $b)) (i32.const 2))))
          (local.set $p (local.get $r0))
          (block $doneP (loop $loopP
            (br_if $doneP (i32.ge_u (local.get $p) (local.get $r1)))
            (local.set $d0 (v128.load (local.get $pd)))
            (local.set $d1 (v128.load offset=16 (local.get $pd)))
            (local.set $s (v128.load32_splat offset=0 (local.get $px)))
            (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (v128.load32_splat offset=4 (local.get $px)))
            (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (v128.load32_splat offset=8 (local.get $px)))
            (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (v128.load32_splat offset=12 (local.get $px)))
            (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $px (i32.add (local.get $px) (local.get $ci4)))
            (local.set $pd (i32.add (local.get $pd) (local.get $co4)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $loopP)))
          (v128.store (i32.add (local.get $o) (i32.const 0)) (local.get $a00))
          (v128.store (i32.add (local.get $o) (i32.const 16)) (local.get $a01))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK1)) (i32.const 0)) (local.get $a10))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK1)) (i32.const 16)) (local.get $a11))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK2)) (i32.const 0)) (local.get $a20))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK2)) (i32.const 16)) (local.get $a21))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK3)) (i32.const 0)) (local.get $a30))
          (v128.store (i32.add (i32.add (local.get $o) (local.get $rowK3)) (i32.const 16)) (local.get $a31))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))
          (br $loopB)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $loopA)))
      (local.set $r0 (local.get $r1))
      (br $loopR)))
  )

  ;; channelOp(op, a, b, out, rows, channels)
  ;; An elementwise op of a [rows, channels] tensor and a [channels] vector broadcast over its rows
  ;; (a bias, a BatchNorm scale), one float32 operation per element, so tfjs' bits:
  ;;   op 0: out = a + b    1: out = a - b    2: out = a * b    3: out = b - a
  ;; channels a multiple of 4. tfjs-wasm runs these broadcasts one row of `channels` at a time.
  (func (export "channelOp")
    (param $op i32) (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $channels i32)
    (local $rowBytes i32) (local $r i32) (local $c i32) (local $v i32) (local $o i32) (local $rowEnd i32)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $c (local.get $a))
    (local.set $o (local.get $out))
    (local.set $r (i32.const 0))
    (block $doneR (loop $loopR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $v (local.get $b))
        (if (i32.eq (local.get $op) (i32.const 0)) (then
          (block $done0 (loop $loop0
            (br_if $done0 (i32.ge_u (local.get $c) (local.get $rowEnd)))
            (v128.store (local.get $o) (f32x4.add (v128.load (local.get $c)) (v128.load (local.get $v))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $loop0)))))
        (if (i32.eq (local.get $op) (i32.const 1)) (then
          (block $done1 (loop $loop1
            (br_if $done1 (i32.ge_u (local.get $c) (local.get $rowEnd)))
            (v128.store (local.get $o) (f32x4.sub (v128.load (local.get $c)) (v128.load (local.get $v))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $loop1)))))
        (if (i32.eq (local.get $op) (i32.const 2)) (then
          (block $done2 (loop $loop2
            (br_if $done2 (i32.ge_u (local.get $c) (local.get $rowEnd)))
            (v128.store (local.get $o) (f32x4.mul (v128.load (local.get $c)) (v128.load (local.get $v))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $loop2)))))
        (if (i32.eq (local.get $op) (i32.const 3)) (then
          (block $done3 (loop $loop3
            (br_if $done3 (i32.ge_u (local.get $c) (local.get $rowEnd)))
            (v128.store (local.get $o) (f32x4.sub (v128.load (local.get $v)) (v128.load (local.get $c))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $loop3)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $loopR)))
  )

  ;; transpose(src, dst, rows, cols)
  ;; dst [cols, rows] = the transpose of src [rows, cols] (float32; rows and cols multiples of 4),
  ;; by blocks of 4x4: four rows loaded, shuffled, stored as four columns. Moves bits, computes nothing.
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $colBytes i32) (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $doneR (loop $loopR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $doneC (loop $loopC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $p (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load (i32.add (local.get $p) (local.get $rowBytes))))
        (local.set $x (v128.load (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $y (v128.load (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
        (local.set $q (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
        (v128.store (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $q) (local.get $colBytes)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $q) (i32.shl (local.get $colBytes) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $q) (i32.mul (local.get $colBytes) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $loopC)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $loopR)))
  )

  ;; scaleAdd(a, b, out, n, sa, sb, scaleA)
  ;; out = a*sa + b*sb (scaleA 1) or a + b*sb (scaleA 0) on n float32 values, each product rounded,
  ;; then the sum, as tf.add(tf.mul(a, sa), tf.mul(b, sb)) computes it: the weighted average of the
  ;; replicas' gradients in one pass. out may be a.
  (func (export "scaleAdd") (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $sa f32) (param $sb f32) (param $scaleA i32)
    (local $off i32) (local $end i32) (local $va v128) (local $vsa v128) (local $vsb v128) (local $xa f32)
    (local.set $vsa (f32x4.splat (local.get $sa)))
    (local.set $vsb (f32x4.splat (local.get $sb)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $off (i32.const 0))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $va (v128.load (i32.add (local.get $a) (local.get $off))))
      (if (local.get $scaleA) (then (local.set $va (f32x4.mul (local.get $va) (local.get $vsa)))))
      (v128.store (i32.add (local.get $out) (local.get $off))
        (f32x4.add (local.get $va) (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $off))) (local.get $vsb))))
      (local.set $off (i32.add (local.get $off) (i32.const 16)))
      (br $loop4)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $xa (f32.load (i32.add (local.get $a) (local.get $off))))
      (if (local.get $scaleA) (then (local.set $xa (f32.mul (local.get $xa) (local.get $sa)))))
      (f32.store (i32.add (local.get $out) (local.get $off))
        (f32.add (local.get $xa) (f32.mul (f32.load (i32.add (local.get $b) (local.get $off))) (local.get $sb))))
      (local.set $off (i32.add (local.get $off) (i32.const 4)))
      (br $loop1)))
  )
)

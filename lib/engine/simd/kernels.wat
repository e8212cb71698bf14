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
)

// Generator of engine/src/simd/winograd.wat and winograd-relaxed.wat: the Winograd F(2x2,3x3)
// convolution (Lavin & Gray 2016) as WebAssembly SIMD, unrolled where hand-writing would be long
// (the 4x4 transforms, the 2-tile x 16-channel product). The two files differ only in the
// multiply-add: f32x4.mul then f32x4.add, or relaxed SIMD's fused f32x4.relaxed_madd.
// `npm run build:wasm` writes both and compiles them; test/engine/engine-simd.test.ts checks that
// the committed files are this generator's output and the binaries their compilation.

export type MaddFlavor = "plain" | "relaxed";

const R = [0, 1, 2, 3];

/** acc + a*b as WAT. */
function madd(flavor: MaddFlavor, a: string, b: string, acc: string): string {
  return flavor === "relaxed" ? `(f32x4.relaxed_madd ${a} ${b} ${acc})` : `(f32x4.add ${acc} (f32x4.mul ${a} ${b}))`;
}

const get = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const add = (a: string, b: string) => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string) => `(f32x4.sub ${a} ${b})`;
const i32 = (op: string, a: string, b: string) => `(i32.${op} ${a} ${b})`;
const c32 = (n: number) => `(i32.const ${n})`;

/** A counted loop `for (v = from; v < to; v += step) body`, as a block/loop pair. */
function loop(v: string, from: string, to: string, step: string, body: string[]): string[] {
  return [
    set(v, from),
    `(block $done_${v} (loop $next_${v}`,
    `  (br_if $done_${v} ${i32("ge_u", get(v), to)})`,
    ...body.map((l) => "  " + l),
    `  ${set(v, i32("add", get(v), step))}`,
    `  (br $next_${v})))`,
  ];
}

/**
 * inputTransform: V[ξ][t][ci] = (Bᵀ d B)[ξ] for the tiles t of one block, d the 4x4 window of x at
 * input row 2*ty - padTop, column 2*(tx0 + t) - padLeft; positions outside x (and tiles t >= nt,
 * the block's padding tile) read the zero area instead.
 * Bᵀ = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]].
 */
function inputTransform(): string[] {
  const addrs = R.flatMap((r) => R.map((c) => `a${r}${c}`));
  const ds = addrs.map((a) => "d" + a.slice(1));
  const es = addrs.map((a) => "e" + a.slice(1));
  const body: string[] = [];
  body.push(set("ix0", i32("sub", i32("shl", i32("add", get("tx0"), get("t")), c32(1)), get("padLeft"))));
  for (const r of R) {
    body.push(set(`rv${r}`, i32("lt_u", i32("add", get("iy0"), c32(r)), get("H"))));
    body.push(set(`ra${r}`, i32("add", get("x"), i32("mul", i32("add", get("imageRow"), c32(r)), get("rowBytes")))));
  }
  for (const c of R) {
    body.push(set(`cv${c}`, i32("and", i32("lt_u", i32("add", get("ix0"), c32(c)), get("W")), i32("lt_u", get("t"), get("nt")))));
  }
  for (const r of R) {
    for (const c of R) {
      const real = i32("add", get(`ra${r}`), i32("mul", i32("add", get("ix0"), c32(c)), get("pixBytes")));
      body.push(set(`a${r}${c}`, `(select ${real} ${get("zero")} ${i32("and", get(`rv${r}`), get(`cv${c}`))})`));
    }
  }
  const inner: string[] = [];
  for (const r of R) for (const c of R) inner.push(set(`d${r}${c}`, `(v128.load ${i32("add", get(`a${r}${c}`), get("d"))})`));
  // rows: e = d B
  for (const r of R) {
    inner.push(set(`e${r}0`, sub(get(`d${r}0`), get(`d${r}2`))));
    inner.push(set(`e${r}1`, add(get(`d${r}1`), get(`d${r}2`))));
    inner.push(set(`e${r}2`, sub(get(`d${r}2`), get(`d${r}1`))));
    inner.push(set(`e${r}3`, sub(get(`d${r}1`), get(`d${r}3`))));
  }
  // columns: Bᵀ e, stored at V + ξ * vXiBytes + t * ciBytes + d
  const cols: Array<(c: number) => string> = [
    (c) => sub(get(`e0${c}`), get(`e2${c}`)),
    (c) => add(get(`e1${c}`), get(`e2${c}`)),
    (c) => sub(get(`e2${c}`), get(`e1${c}`)),
    (c) => sub(get(`e1${c}`), get(`e3${c}`)),
  ];
  inner.push(set("p", i32("add", i32("add", get("V"), i32("mul", get("t"), get("ciBytes"))), get("d"))));
  for (const r of R) {
    for (const c of R) {
      inner.push(`(v128.store ${get("p")} ${cols[r](c)})`);
      if (r * 4 + c < 15) inner.push(set("p", i32("add", get("p"), get("vXiBytes"))));
    }
  }
  body.push(...loop("d", c32(0), get("ciBytes"), c32(16), inner));
  return [
    `(func $inputTransform (param $x i32) (param $V i32) (param $zero i32) (param $imageRow i32) (param $iy0 i32)`,
    `  (param $tx0 i32) (param $nt i32) (param $ntEven i32) (param $T i32) (param $H i32) (param $W i32) (param $ci i32) (param $padLeft i32)`,
    `  (local $t i32) (local $d i32) (local $p i32) (local $ix0 i32) (local $pixBytes i32) (local $rowBytes i32) (local $ciBytes i32) (local $vXiBytes i32)`,
    `  ${R.map((r) => `(local $rv${r} i32) (local $ra${r} i32) (local $cv${r} i32)`).join(" ")}`,
    `  ${addrs.map((a) => `(local $${a} i32)`).join(" ")}`,
    `  ${[...ds, ...es].map((v) => `(local $${v} v128)`).join(" ")}`,
    `  ${set("ciBytes", i32("shl", get("ci"), c32(2)))}`,
    `  ${set("pixBytes", get("ciBytes"))}`,
    `  ${set("rowBytes", i32("mul", get("W"), get("ciBytes")))}`,
    `  ${set("vXiBytes", i32("mul", get("T"), get("ciBytes")))}`,
    ...loop("t", c32(0), get("ntEven"), c32(1), body).map((l) => "  " + l),
    `)`,
  ];
}

/**
 * product: M[ξ][t][co] = Σ_ci V[ξ][t][ci] U[ξ][ci][co], two tiles at a time (ntEven tiles), 16
 * output channels at a time (4 accumulators per tile), then 4 at a time for the rest of Co.
 */
function product(flavor: MaddFlavor): string[] {
  const accs = [0, 1].flatMap((s) => R.map((k) => `m${s}${k}`));
  const kernel = (width: number): string[] => {
    const ks = R.slice(0, width);
    const inner: string[] = [
      set("s0", `(v128.load32_splat ${get("vp")})`),
      set("s1", `(v128.load32_splat ${i32("add", get("vp"), get("ciBytes"))})`),
      ...ks.map((k) => set(`u${k}`, `(v128.load offset=${16 * k} ${get("up")})`)),
      ...ks.flatMap((k) => [0, 1].map((s) => set(`m${s}${k}`, madd(flavor, get(`s${s}`), get(`u${k}`), get(`m${s}${k}`))))),
      set("vp", i32("add", get("vp"), c32(4))),
      set("up", i32("add", get("up"), get("coBytes"))),
    ];
    return [
      ...ks.flatMap((k) => [0, 1].map((s) => set(`m${s}${k}`, "(v128.const i32x4 0 0 0 0)"))),
      set("vp", i32("add", get("vXi"), i32("mul", get("t"), get("ciBytes")))),
      set("up", i32("add", get("uXi"), get("cb"))),
      set("vEnd", i32("add", get("vp"), get("ciBytes"))),
      `(block $done_ci${width} (loop $next_ci${width}`,
      ...inner.map((l) => "  " + l),
      `  (br_if $next_ci${width} ${i32("lt_u", get("vp"), get("vEnd"))})))`,
      set("mp", i32("add", i32("add", get("mXi"), i32("mul", get("t"), get("coBytes"))), get("cb"))),
      ...ks.flatMap((k) => [
        `(v128.store offset=${16 * k} ${get("mp")} ${get(`m0${k}`)})`,
        `(v128.store offset=${16 * k} ${i32("add", get("mp"), get("coBytes"))} ${get(`m1${k}`)})`,
      ]),
    ];
  };
  const perPair = [
    ...loop("cb", c32(0), i32("and", get("coBytes"), c32(~63)), c32(64), kernel(4)),
    ...loop("cb", get("cb"), get("coBytes"), c32(16), kernel(1)),
  ];
  const perXi = [
    set("vXi", i32("add", get("V"), i32("mul", get("xi"), i32("mul", get("T"), get("ciBytes"))))),
    set("uXi", i32("add", get("U"), i32("mul", get("xi"), i32("mul", get("ci"), get("coBytes"))))),
    set("mXi", i32("add", get("M"), i32("mul", get("xi"), i32("mul", get("T"), get("coBytes"))))),
    ...loop("t", c32(0), get("ntEven"), c32(2), perPair),
  ];
  return [
    `(func $product (param $V i32) (param $U i32) (param $M i32) (param $ntEven i32) (param $T i32) (param $ci i32) (param $co i32)`,
    `  (local $xi i32) (local $t i32) (local $vXi i32) (local $uXi i32) (local $mXi i32) (local $vp i32) (local $up i32) (local $mp i32)`,
    `  (local $vEnd i32) (local $cb i32) (local $ciBytes i32) (local $coBytes i32)`,
    `  (local $s0 v128) (local $s1 v128) ${R.map((k) => `(local $u${k} v128)`).join(" ")} ${accs.map((a) => `(local $${a} v128)`).join(" ")}`,
    `  ${set("ciBytes", i32("shl", get("ci"), c32(2)))}`,
    `  ${set("coBytes", i32("shl", get("co"), c32(2)))}`,
    ...loop("xi", c32(0), c32(16), c32(1), perXi).map((l) => "  " + l),
    `)`,
  ];
}

/**
 * outputTransform: the 2x2 outputs Aᵀ m A of the block's nt tiles, plus bias, then ReLU when
 * `relu`; rows and columns past outH/outW (odd sizes) are not written.
 * Aᵀ = [[1,1,1,0],[0,1,-1,-1]].
 */
function outputTransform(): string[] {
  const ms = R.flatMap((r) => R.map((c) => `m${r}${c}`));
  const inner: string[] = [set("p", i32("add", i32("add", get("M"), i32("mul", get("t"), get("coBytes"))), get("d")))];
  for (const r of R) {
    for (const c of R) {
      inner.push(set(`m${r}${c}`, `(v128.load ${get("p")})`));
      if (r * 4 + c < 15) inner.push(set("p", i32("add", get("p"), get("mXiBytes"))));
    }
  }
  for (const c of R) {
    inner.push(set(`t0${c}`, add(add(get(`m0${c}`), get(`m1${c}`)), get(`m2${c}`))));
    inner.push(set(`t1${c}`, sub(sub(get(`m1${c}`), get(`m2${c}`)), get(`m3${c}`))));
  }
  inner.push(set("b", `(v128.load ${i32("add", get("bias"), get("d"))})`));
  for (const r of [0, 1]) {
    inner.push(set(`y${r}0`, add(add(add(get(`t${r}0`), get(`t${r}1`)), get(`t${r}2`)), get("b"))));
    inner.push(set(`y${r}1`, add(sub(sub(get(`t${r}1`), get(`t${r}2`)), get(`t${r}3`)), get("b"))));
  }
  const ys = ["y00", "y01", "y10", "y11"];
  inner.push(`(if ${get("relu")} (then ${ys.map((y) => set(y, `(f32x4.max ${get(y)} (v128.const i32x4 0 0 0 0))`)).join(" ")}))`);
  inner.push(set("q", i32("add", get("o"), get("d"))));
  inner.push(`(v128.store ${get("q")} ${get("y00")})`);
  inner.push(`(if ${get("col1")} (then (v128.store ${i32("add", get("q"), get("coBytes"))} ${get("y01")})))`);
  inner.push(`(if ${get("row1")} (then (v128.store ${i32("add", get("q"), get("outRowBytes"))} ${get("y10")})`);
  inner.push(`  (if ${get("col1")} (then (v128.store ${i32("add", i32("add", get("q"), get("outRowBytes")), get("coBytes"))} ${get("y11")})))))`);
  const perTile = [
    set("ox", i32("shl", i32("add", get("tx0"), get("t")), c32(1))),
    set("col1", i32("lt_u", i32("add", get("ox"), c32(1)), get("outW"))),
    set("o", i32("add", get("outRow"), i32("mul", get("ox"), get("coBytes")))),
    ...loop("d", c32(0), get("coBytes"), c32(16), inner),
  ];
  return [
    `(func $outputTransform (param $M i32) (param $out i32) (param $bias i32) (param $outRow i32) (param $row1 i32)`,
    `  (param $tx0 i32) (param $nt i32) (param $T i32) (param $outW i32) (param $co i32) (param $relu i32)`,
    `  (local $t i32) (local $d i32) (local $p i32) (local $q i32) (local $o i32) (local $ox i32) (local $col1 i32)`,
    `  (local $coBytes i32) (local $mXiBytes i32) (local $outRowBytes i32)`,
    `  ${ms.map((m) => `(local $${m} v128)`).join(" ")} ${[0, 1].flatMap((r) => R.map((c) => `(local $t${r}${c} v128)`)).join(" ")}`,
    `  (local $b v128) ${ys.map((y) => `(local $${y} v128)`).join(" ")}`,
    `  ${set("coBytes", i32("shl", get("co"), c32(2)))}`,
    `  ${set("mXiBytes", i32("mul", get("T"), get("coBytes")))}`,
    `  ${set("outRowBytes", i32("mul", get("outW"), get("coBytes")))}`,
    ...loop("t", c32(0), get("nt"), c32(1), perTile).map((l) => "  " + l),
    `)`,
  ];
}

/** The exported entry: every image, tile row and block of T tiles. */
function entry(): string[] {
  const perBlock = [
    set("nt", `(select ${get("T")} ${i32("sub", get("tilesW"), get("tx0"))} ${i32("lt_u", get("T"), i32("sub", get("tilesW"), get("tx0")))})`),
    set("ntEven", i32("and", i32("add", get("nt"), c32(1)), c32(~1))),
    `(call $inputTransform ${["x", "V", "zero", "imageRow", "iy0", "tx0", "nt", "ntEven", "T", "H", "W", "ci", "padLeft"].map(get).join(" ")})`,
    `(call $product ${["V", "U", "M", "ntEven", "T", "ci", "co"].map(get).join(" ")})`,
    `(call $outputTransform ${["M", "out", "bias", "outRow", "row1", "tx0", "nt", "T", "outW", "co", "relu"].map(get).join(" ")})`,
  ];
  const perTileRow = [
    set("iy0", i32("sub", i32("shl", get("ty"), c32(1)), get("padTop"))),
    set("imageRow", i32("add", i32("mul", get("b"), get("H")), get("iy0"))),
    set("row1", i32("lt_u", i32("add", i32("shl", get("ty"), c32(1)), c32(1)), get("outH"))),
    set("outRow", i32("add", get("out"), i32("mul", i32("add", i32("mul", get("b"), get("outH")), i32("shl", get("ty"), c32(1))),
      i32("mul", get("outW"), i32("shl", get("co"), c32(2)))))),
    ...loop("tx0", c32(0), get("tilesW"), get("T"), perBlock),
  ];
  return [
    `;; winograd3x3(x, U, bias, out, scratch, batch, H, W, ci, co, outH, outW, padTop, padLeft, relu, T)`,
    `;; out[b, oy, ox, :] = bias + Σ_ij x[b, oy + i - padTop, ox + j - padLeft, :] w[i, j] (ReLU'd when relu),`,
    `;; NHWC float32, ci and co multiples of 4, x zero outside; U = G w Gᵀ as [16][ci][co] (the caller's);`,
    `;; scratch: max(ci, co) * 4 zero bytes (written here), then V [16][T][ci], then M [16][T][co]; T even.`,
    `(func (export "winograd3x3") (param $x i32) (param $U i32) (param $bias i32) (param $out i32) (param $scratch i32)`,
    `  (param $batch i32) (param $H i32) (param $W i32) (param $ci i32) (param $co i32) (param $outH i32) (param $outW i32)`,
    `  (param $padTop i32) (param $padLeft i32) (param $relu i32) (param $T i32)`,
    `  (local $zero i32) (local $V i32) (local $M i32) (local $b i32) (local $ty i32) (local $tx0 i32) (local $nt i32) (local $ntEven i32)`,
    `  (local $tilesW i32) (local $tilesH i32) (local $iy0 i32) (local $imageRow i32) (local $row1 i32) (local $outRow i32) (local $z i32)`,
    `  ${set("zero", get("scratch"))}`,
    `  ${set("V", i32("add", get("scratch"), i32("shl", `(select ${get("ci")} ${get("co")} ${i32("gt_u", get("ci"), get("co"))})`, c32(2))))}`,
    `  ${set("M", i32("add", get("V"), i32("shl", i32("mul", c32(16), i32("mul", get("T"), get("ci"))), c32(2))))}`,
    ...loop("z", get("zero"), get("V"), c32(16), [`(v128.store ${get("z")} (v128.const i32x4 0 0 0 0))`]).map((l) => "  " + l),
    `  ${set("tilesW", i32("shr_u", i32("add", get("outW"), c32(1)), c32(1)))}`,
    `  ${set("tilesH", i32("shr_u", i32("add", get("outH"), c32(1)), c32(1)))}`,
    ...loop("b", c32(0), get("batch"), c32(1), loop("ty", c32(0), get("tilesH"), c32(1), perTileRow)).map((l) => "  " + l),
    `)`,
  ];
}


/**
 * dyTransform: D[ξ][t][co] = (A g Aᵀ)[ξ] for the block's tiles, g the 2x2 tile of dy at output row
 * 2*ty, column 2*(tx0 + t) (positions past outH/outW, and tiles t >= nt, read the zero area).
 * A = [[1,0],[1,1],[1,-1],[0,-1]]: the transpose of the forward pass's output transform.
 */
function dyTransform(): string[] {
  const body: string[] = [
    set("ox", i32("shl", i32("add", get("tx0"), get("t")), c32(1))),
    set("tv", i32("lt_u", get("t"), get("nt"))),
  ];
  for (const c of [0, 1]) body.push(set(`cv${c}`, i32("and", get("tv"), i32("lt_u", i32("add", get("ox"), c32(c)), get("outW")))));
  for (const r of [0, 1]) {
    for (const c of [0, 1]) {
      const real = i32("add", get("rowAddr"), i32("add", i32("mul", c32(r), get("rowBytes")), i32("mul", i32("add", get("ox"), c32(c)), get("coBytes"))));
      body.push(set(`a${r}${c}`, `(select ${real} ${get("zero")} ${i32("and", r === 0 ? c32(1) : get("row1"), get(`cv${c}`))})`));
    }
  }
  const inner: string[] = [];
  for (const r of [0, 1]) for (const c of [0, 1]) inner.push(set(`g${r}${c}`, `(v128.load ${i32("add", get(`a${r}${c}`), get("d"))})`));
  for (const c of [0, 1]) { // h = A g (4x2)
    inner.push(set(`h0${c}`, get(`g0${c}`)));
    inner.push(set(`h1${c}`, add(get(`g0${c}`), get(`g1${c}`))));
    inner.push(set(`h2${c}`, sub(get(`g0${c}`), get(`g1${c}`))));
    inner.push(set(`h3${c}`, `(f32x4.neg ${get(`g1${c}`)})`));
  }
  const cols: Array<(r: number) => string> = [ // h Aᵀ (4x4)
    (r) => get(`h${r}0`),
    (r) => add(get(`h${r}0`), get(`h${r}1`)),
    (r) => sub(get(`h${r}0`), get(`h${r}1`)),
    (r) => `(f32x4.neg ${get(`h${r}1`)})`,
  ];
  inner.push(set("p", i32("add", i32("add", get("D"), i32("mul", get("t"), get("coBytes"))), get("d"))));
  for (const r of R) {
    for (const c of R) {
      inner.push(`(v128.store ${get("p")} ${cols[c](r)})`);
      if (r * 4 + c < 15) inner.push(set("p", i32("add", get("p"), get("dXiBytes"))));
    }
  }
  body.push(...loop("d", c32(0), get("coBytes"), c32(16), inner));
  return [
    `(func $dyTransform (param $D i32) (param $zero i32) (param $rowAddr i32) (param $row1 i32)`,
    `  (param $tx0 i32) (param $nt i32) (param $ntEven i32) (param $T i32) (param $outW i32) (param $co i32)`,
    `  (local $t i32) (local $d i32) (local $p i32) (local $ox i32) (local $tv i32) (local $cv0 i32) (local $cv1 i32)`,
    `  (local $coBytes i32) (local $rowBytes i32) (local $dXiBytes i32) (local $a00 i32) (local $a01 i32) (local $a10 i32) (local $a11 i32)`,
    `  ${["g00", "g01", "g10", "g11", ...R.flatMap((r) => [0, 1].map((c) => `h${r}${c}`))].map((v) => `(local $${v} v128)`).join(" ")}`,
    `  ${set("coBytes", i32("shl", get("co"), c32(2)))}`,
    `  ${set("rowBytes", i32("mul", get("outW"), get("coBytes")))}`,
    `  ${set("dXiBytes", i32("mul", get("T"), get("coBytes")))}`,
    ...loop("t", c32(0), get("ntEven"), c32(1), body).map((l) => "  " + l),
    `)`,
  ];
}

/**
 * filterProduct: acc[ξ][ci][co] += Σ_t V[ξ][t][ci] D[ξ][t][co] over the block's nt tiles, two input
 * channels at a time, 16 output channels at a time (then 4).
 */
function filterProduct(flavor: MaddFlavor): string[] {
  const kernel = (width: number): string[] => {
    const ks = R.slice(0, width);
    const inner: string[] = [
      set("s0", `(v128.load32_splat ${get("vp")})`),
      set("s1", `(v128.load32_splat offset=4 ${get("vp")})`),
      ...ks.map((k) => set(`u${k}`, `(v128.load offset=${16 * k} ${get("dp")})`)),
      ...ks.flatMap((k) => [0, 1].map((s) => set(`m${s}${k}`, madd(flavor, get(`s${s}`), get(`u${k}`), get(`m${s}${k}`))))),
      set("vp", i32("add", get("vp"), get("ciBytes"))),
      set("dp", i32("add", get("dp"), get("coBytes"))),
      set("n", i32("sub", get("n"), c32(1))),
    ];
    return [
      set("ap", i32("add", i32("add", get("aXi"), i32("mul", get("c"), get("coBytes"))), get("cb"))),
      ...ks.flatMap((k) => [
        set(`m0${k}`, `(v128.load offset=${16 * k} ${get("ap")})`),
        set(`m1${k}`, `(v128.load offset=${16 * k} ${i32("add", get("ap"), get("coBytes"))})`),
      ]),
      set("vp", i32("add", get("vXi"), i32("shl", get("c"), c32(2)))),
      set("dp", i32("add", get("dXi"), get("cb"))),
      set("n", get("nt")),
      `(block $done_t${width} (loop $next_t${width}`,
      `  (br_if $done_t${width} (i32.eqz ${get("n")}))`,
      ...inner.map((l) => "  " + l),
      `  (br $next_t${width})))`,
      ...ks.flatMap((k) => [
        `(v128.store offset=${16 * k} ${get("ap")} ${get(`m0${k}`)})`,
        `(v128.store offset=${16 * k} ${i32("add", get("ap"), get("coBytes"))} ${get(`m1${k}`)})`,
      ]),
    ];
  };
  const perPair = [
    ...loop("cb", c32(0), i32("and", get("coBytes"), c32(~63)), c32(64), kernel(4)),
    ...loop("cb", get("cb"), get("coBytes"), c32(16), kernel(1)),
  ];
  const perXi = [
    set("vXi", i32("add", get("V"), i32("mul", get("xi"), i32("mul", get("T"), get("ciBytes"))))),
    set("dXi", i32("add", get("D"), i32("mul", get("xi"), i32("mul", get("T"), get("coBytes"))))),
    set("aXi", i32("add", get("acc"), i32("mul", get("xi"), i32("mul", get("ci"), get("coBytes"))))),
    ...loop("c", c32(0), get("ci"), c32(2), perPair),
  ];
  return [
    `(func $filterProduct (param $V i32) (param $D i32) (param $acc i32) (param $nt i32) (param $T i32) (param $ci i32) (param $co i32)`,
    `  (local $xi i32) (local $c i32) (local $cb i32) (local $n i32) (local $vXi i32) (local $dXi i32) (local $aXi i32) (local $vp i32) (local $dp i32) (local $ap i32)`,
    `  (local $ciBytes i32) (local $coBytes i32)`,
    `  (local $s0 v128) (local $s1 v128) ${R.map((k) => `(local $u${k} v128)`).join(" ")} ${[0, 1].flatMap((s) => R.map((k) => `(local $m${s}${k} v128)`)).join(" ")}`,
    `  ${set("ciBytes", i32("shl", get("ci"), c32(2)))}`,
    `  ${set("coBytes", i32("shl", get("co"), c32(2)))}`,
    ...loop("xi", c32(0), c32(16), c32(1), perXi).map((l) => "  " + l),
    `)`,
  ];
}

/** total[i] += row[i], row[i] = 0, for `bytes` bytes (a multiple of 16). */
function flushRow(): string[] {
  return [
    `(func $flushRow (param $total i32) (param $row i32) (param $bytes i32) (local $i i32)`,
    ...loop("i", c32(0), get("bytes"), c32(16), [
      `(v128.store ${i32("add", get("total"), get("i"))} ${add(`(v128.load ${i32("add", get("total"), get("i"))})`, `(v128.load ${i32("add", get("row"), get("i"))})`)})`,
      `(v128.store ${i32("add", get("row"), get("i"))} (v128.const i32x4 0 0 0 0))`,
    ]).map((l) => "  " + l),
    `)`,
  ];
}

/** The exported filter-gradient entry: Σ over images, tile rows (each row summed apart, then added) and blocks. */
function filterEntry(): string[] {
  const perBlock = [
    set("nt", `(select ${get("T")} ${i32("sub", get("tilesW"), get("tx0"))} ${i32("lt_u", get("T"), i32("sub", get("tilesW"), get("tx0")))})`),
    set("ntEven", i32("and", i32("add", get("nt"), c32(1)), c32(~1))),
    `(call $inputTransform ${["x", "V", "zero", "imageRow", "iy0", "tx0", "nt", "ntEven", "T", "H", "W", "ci", "padLeft"].map(get).join(" ")})`,
    `(call $dyTransform ${["D", "zero", "dyRow", "row1", "tx0", "nt", "ntEven", "T", "outW", "co"].map(get).join(" ")})`,
    `(call $filterProduct ${["V", "D", "rowAcc", "nt", "T", "ci", "co"].map(get).join(" ")})`,
  ];
  const perTileRow = [
    set("iy0", i32("sub", i32("shl", get("ty"), c32(1)), get("padTop"))),
    set("imageRow", i32("add", i32("mul", get("b"), get("H")), get("iy0"))),
    set("row1", i32("lt_u", i32("add", i32("shl", get("ty"), c32(1)), c32(1)), get("outH"))),
    set("dyRow", i32("add", get("dy"), i32("mul", i32("add", i32("mul", get("b"), get("outH")), i32("shl", get("ty"), c32(1))),
      i32("mul", get("outW"), i32("shl", get("co"), c32(2)))))),
    ...loop("tx0", c32(0), get("tilesW"), get("T"), perBlock),
    `(call $flushRow ${get("dU")} ${get("rowAcc")} ${get("accBytes")})`,
  ];
  return [
    `;; winogradFilterGrad3x3(x, dy, dU, scratch, batch, H, W, ci, co, outH, outW, padTop, padLeft, T)`,
    `;; dU[ξ][ci][co] = Σ_tiles (Bᵀ d B)[ξ][ci] (A g Aᵀ)[ξ][co], d x's 4x4 windows, g dy's 2x2 tiles, for the`,
    `;; convolution of winograd3x3 (the caller turns dU into dW = Gᵀ dU G). Each tile row is summed apart, then`,
    `;; added to dU. scratch: max(ci, co) * 4 zero bytes, V [16][T][ci], D [16][T][co], the row's sum [16][ci][co].`,
    `(func (export "winogradFilterGrad3x3") (param $x i32) (param $dy i32) (param $dU i32) (param $scratch i32)`,
    `  (param $batch i32) (param $H i32) (param $W i32) (param $ci i32) (param $co i32) (param $outH i32) (param $outW i32)`,
    `  (param $padTop i32) (param $padLeft i32) (param $T i32)`,
    `  (local $zero i32) (local $V i32) (local $D i32) (local $rowAcc i32) (local $accBytes i32) (local $b i32) (local $ty i32) (local $tx0 i32)`,
    `  (local $nt i32) (local $ntEven i32) (local $tilesW i32) (local $tilesH i32) (local $iy0 i32) (local $imageRow i32) (local $row1 i32)`,
    `  (local $dyRow i32) (local $z i32)`,
    `  ${set("zero", get("scratch"))}`,
    `  ${set("V", i32("add", get("scratch"), i32("shl", `(select ${get("ci")} ${get("co")} ${i32("gt_u", get("ci"), get("co"))})`, c32(2))))}`,
    `  ${set("D", i32("add", get("V"), i32("shl", i32("mul", c32(16), i32("mul", get("T"), get("ci"))), c32(2))))}`,
    `  ${set("rowAcc", i32("add", get("D"), i32("shl", i32("mul", c32(16), i32("mul", get("T"), get("co"))), c32(2))))}`,
    `  ${set("accBytes", i32("shl", i32("mul", c32(16), i32("mul", get("ci"), get("co"))), c32(2)))}`,
    ...loop("z", get("zero"), get("V"), c32(16), [`(v128.store ${get("z")} (v128.const i32x4 0 0 0 0))`]).map((l) => "  " + l),
    ...loop("z", c32(0), get("accBytes"), c32(16), [
      `(v128.store ${i32("add", get("rowAcc"), get("z"))} (v128.const i32x4 0 0 0 0))`,
      `(v128.store ${i32("add", get("dU"), get("z"))} (v128.const i32x4 0 0 0 0))`,
    ]).map((l) => "  " + l),
    `  ${set("tilesW", i32("shr_u", i32("add", get("outW"), c32(1)), c32(1)))}`,
    `  ${set("tilesH", i32("shr_u", i32("add", get("outH"), c32(1)), c32(1)))}`,
    ...loop("b", c32(0), get("batch"), c32(1), loop("ty", c32(0), get("tilesH"), c32(1), perTileRow)).map((l) => "  " + l),
    `)`,
  ];
}

/** The whole module's text. */
export function winogradWat(flavor: MaddFlavor): string {
  const indent = (lines: string[]) => lines.map((l) => "  " + l);
  return [
    `;; Generated by tools/build/winograd-wat.ts (npm run build:wasm): do not edit.`,
    `;; Winograd F(2x2,3x3) convolution, ${flavor === "relaxed" ? "relaxed SIMD (f32x4.relaxed_madd, fused where the CPU has FMA)" : "SIMD (f32x4.mul then f32x4.add)"},`,
    `;; on the tfjs wasm backend's memory (env.memory).`,
    `(module`,
    `  (import "env" "memory" (memory 1))`,
    ...indent(inputTransform()),
    ...indent(product(flavor)),
    ...indent(outputTransform()),
    ...indent(entry()),
    ...indent(dyTransform()),
    ...indent(filterProduct(flavor)),
    ...indent(flushRow()),
    ...indent(filterEntry()),
    `)`,
    ``,
  ].join("\n");
}

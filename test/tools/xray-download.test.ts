// `npm run download` against a server on 127.0.0.1 (never the internet) that serves TFRecord
// files this test writes from real X-rays of the shared folder: the happy path, a connection cut
// halfway (resumed with a Range request), a file changed between attempts, a truncated file and
// a corrupt record (refused, naming the file and the record, the data folder left untouched).
import { strict as assert } from "assert";
import { crc32c } from "@node-rs/crc32";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { downloadFile } from "../../tools/data/download";
import { loadImages } from "../../lib/pneumonia/data/load-images";
import { encodeRecord, maskedCrc32c, readTFRecords, TFRecordError, writeTFRecordFile } from "../../tools/data/tfrecord";
import { downloadXrayData } from "../../tools/data/xray-download";
import { listXrayFiles, XrayFile } from "../../lib/pneumonia/data/xray-files";
import { describeWithXrayData } from "../helpers/data";

interface Route { body: Buffer; etag: string; cutAt?: number }

/** A tiny static server with Range / If-Range support that can cut one response halfway. */
class TestServer {
  readonly routes = new Map<string, Route>();
  readonly requests: { url: string; range?: string }[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get baseUrl(): string { return `http://127.0.0.1:${this.port}/ChestXRay2017`; }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "";
    const range = req.headers.range;
    this.requests.push({ url, range });
    const route = this.routes.get(url);
    if (!route) { res.writeHead(404).end("not found"); return; }
    const total = route.body.length;
    const m = /^bytes=(\d+)-$/.exec(range ?? "");
    const honourRange = m !== null && (req.headers["if-range"] === undefined || req.headers["if-range"] === route.etag);
    const start = honourRange ? Number(m[1]) : 0;
    if (start >= total && honourRange) {
      res.writeHead(416, { "content-range": `bytes */${total}` }).end();
      return;
    }
    const body = route.body.subarray(start);
    res.writeHead(honourRange ? 206 : 200, {
      "content-length": String(body.length), etag: route.etag,
      ...(honourRange ? { "content-range": `bytes ${start}-${total - 1}/${total}` } : {}),
    });
    if (route.cutAt !== undefined && route.cutAt > start) {
      const cut = route.cutAt - start;
      route.cutAt = undefined; // only once
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  }
}

interface Fixture { split: "train" | "test"; file: XrayFile; bytes: Buffer; originalPath: string }

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cnn-course-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

describe("tfrecord framing", () => {
  after(() => { for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true }); });

  it("uses CRC-32C (check value of '123456789' is 0xE3069283) and TensorFlow's mask", () => {
    assert.equal(crc32c("123456789") >>> 0, 0xe3069283);
    const data = Buffer.from("123456789");
    const crc = 0xe3069283;
    assert.equal(maskedCrc32c(data), ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  it("frames a record as length, masked CRC of the length, data, masked CRC of the data", () => {
    const data = Buffer.from([1, 2, 3, 250]);
    const rec = encodeRecord(data);
    assert.equal(rec.length, 8 + 4 + 4 + 4);
    assert.equal(rec.readBigUInt64LE(0), 4n);
    assert.equal(rec.readUInt32LE(8), maskedCrc32c(rec.subarray(0, 8)));
    assert.deepEqual(rec.subarray(12, 16), data);
    assert.equal(rec.readUInt32LE(16), maskedCrc32c(data));
  });

  it("reads back what it wrote, empty records included", async () => {
    const file = path.join(tempDir("tfr"), "x.tfrec");
    const records = [Buffer.from("a"), Buffer.alloc(0), Buffer.alloc(70000, 7)];
    await writeTFRecordFile(file, records);
    const back: Buffer[] = [];
    for await (const r of readTFRecords(file)) back.push(r.data);
    assert.deepEqual(back, records);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["x.tfrec"], "no temporary file left");
  });
});

describeWithXrayData("npm run download (local server, real X-rays)", () => {
  const server = new TestServer();
  let fixtures: Fixture[];
  let files: Record<string, Buffer>;
  const quiet = { progress: false, retryDelayMs: 10, log: (): void => undefined };

  function tfrecords(items: Fixture[]): { images: Buffer; paths: Buffer } {
    return {
      images: Buffer.concat(items.map((f) => encodeRecord(f.bytes))),
      paths: Buffer.concat(items.map((f) => encodeRecord(Buffer.from(f.originalPath)))),
    };
  }

  function serve(overrides: Partial<Record<string, Buffer>> = {}): void {
    server.routes.clear();
    server.requests.length = 0;
    for (const [rel, body] of Object.entries({ ...files, ...overrides })) {
      server.routes.set(`/ChestXRay2017/${rel}`, { body: body as Buffer, etag: `"${crc32c(body as Buffer).toString(16)}"` });
    }
  }

  /** Byte offset of record `k` in a TFRecord file of these data lengths. */
  function recordOffset(items: Fixture[], k: number): number {
    return items.slice(0, k).reduce((sum, f) => sum + 16 + f.bytes.length, 0);
  }

  before(async () => {
    const all = listXrayFiles();
    const pick = (split: "train" | "test", label: 0 | 1, n: number): XrayFile[] =>
      all.filter((f) => f.split === split && f.label === label).filter((_, i) => i % 97 === 0).slice(0, n);
    // Mixed order, as in the real files.
    const chosen = [...pick("train", 1, 4), ...pick("train", 0, 3), ...pick("test", 0, 2), ...pick("test", 1, 2)];
    fixtures = chosen.map((file) => ({
      split: file.split as "train" | "test", file, bytes: fs.readFileSync(file.path),
      originalPath: `/content/chest_xray/${file.split}/${file.label === 0 ? "NORMAL" : "PNEUMONIA"}/${path.basename(file.path)}`,
    }));
    const train = tfrecords(fixtures.filter((f) => f.split === "train"));
    const test = tfrecords(fixtures.filter((f) => f.split === "test"));
    files = { "train/images.tfrec": train.images, "train/paths.tfrec": train.paths, "test/images.tfrec": test.images, "test/paths.tfrec": test.paths };
    await server.start();
  });
  after(async () => {
    await server.stop();
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("downloads the four TFRecords, verifies them and unpacks them into the Kaggle layout", async () => {
    serve();
    const root = tempDir("dl");
    const dataDir = path.join(root, "chest_xray");
    const result = await downloadXrayData({ ...quiet, dataDir, baseUrl: server.baseUrl });
    assert.equal(result.alreadyPresent, false);
    assert.deepEqual(result.counts.train, { total: 7, normal: 3, pneumonia: 4 });
    assert.deepEqual(result.counts.test, { total: 4, normal: 2, pneumonia: 2 });
    assert.deepEqual(server.requests.map((r) => r.url).sort(), Object.keys(files).map((k) => `/ChestXRay2017/${k}`).sort());
    const listed = listXrayFiles(dataDir);
    assert.equal(listed.length, fixtures.length);
    for (const f of fixtures) {
      const target = path.join(dataDir, f.split, f.file.label === 0 ? "NORMAL" : "PNEUMONIA", path.basename(f.file.path));
      assert.ok(fs.readFileSync(target).equals(f.bytes), `${target} is byte-identical to the original`);
      assert.ok(listed.some((l) => l.path === target && l.label === f.file.label && l.split === f.split));
    }
    assert.deepEqual(fs.readdirSync(root).sort(), ["chest_xray"], "no temporary folder and no .tfrec left behind");
    assert.match(fs.readFileSync(path.join(dataDir, "SOURCE.md"), "utf8"), /CC BY 4\.0/);
    const batch = await loadImages(listed, 20, { cache: false, workers: 0, progress: false });
    assert.equal(batch.count, fixtures.length);

    const again = await downloadXrayData({ ...quiet, dataDir, baseUrl: server.baseUrl });
    assert.equal(again.alreadyPresent, true);
    assert.equal(server.requests.length, 4, "nothing downloaded the second time");
  });

  it("resumes a download cut halfway with a Range request; the file ends byte-identical", async () => {
    serve();
    const body = files["train/images.tfrec"];
    const route = server.routes.get("/ChestXRay2017/train/images.tfrec") as Route;
    const half = Math.floor(body.length / 2);
    route.cutAt = half;
    const dest = path.join(tempDir("cut"), "images.tfrec");
    const url = `${server.baseUrl}/train/images.tfrec`;

    await assert.rejects(downloadFile(url, dest, { retries: 0, retryDelayMs: 10 }),
      (err: Error) => err.message.includes(url) && /continua de onde parou/.test(err.message) && err.message.includes(`${dest}.part`));
    assert.equal(fs.existsSync(dest), false, "no incomplete file under the final name");
    const partSize = fs.statSync(`${dest}.part`).size;
    assert.ok(partSize > 0 && partSize <= half, `the .part keeps what arrived (${partSize} of ${body.length} bytes)`);

    const resumed = await downloadFile(url, dest, { retries: 0 });
    assert.equal(resumed.reusedBytes, partSize);
    assert.equal(server.requests[server.requests.length - 1].range, `bytes=${partSize}-`);
    assert.ok(fs.readFileSync(dest).equals(body), "byte-identical after resuming");
    assert.equal(fs.existsSync(`${dest}.part`) || fs.existsSync(`${dest}.part.json`), false);
  });

  it("resumes by itself within one run of the whole download", async () => {
    serve();
    const body = files["train/images.tfrec"];
    (server.routes.get("/ChestXRay2017/train/images.tfrec") as Route).cutAt = Math.floor(body.length / 3);
    const dataDir = path.join(tempDir("cut2"), "data");
    const result = await downloadXrayData({ ...quiet, dataDir, baseUrl: server.baseUrl, keepTFRecords: true });
    const images = result.downloads.find((d) => d.file.endsWith(path.join("train", "images.tfrec")));
    assert.equal(images?.requests, 2);
    assert.equal(server.requests.filter((r) => r.range !== undefined).length, 1);
    assert.ok(fs.readFileSync(path.join(`${dataDir}-tfrecords`, "train", "images.tfrec")).equals(body));
    assert.equal(result.counts.train.total, 7);
  });

  it("starts over when the file changed on the server between two attempts (If-Range)", async () => {
    serve();
    const url = `${server.baseUrl}/test/images.tfrec`;
    const route = server.routes.get("/ChestXRay2017/test/images.tfrec") as Route;
    route.cutAt = 1000;
    const dest = path.join(tempDir("changed"), "images.tfrec");
    await assert.rejects(downloadFile(url, dest, { retries: 0 }), /interrompido/);
    const changed = Buffer.concat([files["test/images.tfrec"], encodeRecord(Buffer.from("new"))]);
    server.routes.set("/ChestXRay2017/test/images.tfrec", { body: changed, etag: '"v2"' });
    const result = await downloadFile(url, dest, { retries: 0 });
    assert.equal(result.reusedBytes, 0);
    assert.ok(fs.readFileSync(dest).equals(changed));
  });

  it("refuses a truncated TFRecord, naming the file and the record, and writes no data folder", async () => {
    const train = fixtures.filter((f) => f.split === "train");
    const cutInside = recordOffset(train, 3) + 500; // in the middle of record 3's JPEG
    serve({ "train/images.tfrec": files["train/images.tfrec"].subarray(0, cutInside) });
    const root = tempDir("trunc");
    const dataDir = path.join(root, "data");
    await assert.rejects(downloadXrayData({ ...quiet, dataDir, baseUrl: server.baseUrl }), (err: Error) =>
      err instanceof TFRecordError && err.recordIndex === 3 &&
      err.message.includes(path.join(`${dataDir}-tfrecords`, "train", "images.tfrec")) &&
      /registro 3/.test(err.message) && /truncado/.test(err.message) && /apague-o/.test(err.message));
    assert.deepEqual(fs.readdirSync(root), ["data-tfrecords"], "no data folder, no temporary folder");
  });

  it("refuses a record whose CRC does not match, naming the file and the record", async () => {
    const train = fixtures.filter((f) => f.split === "train");
    const corrupt = Buffer.from(files["train/images.tfrec"]);
    corrupt[recordOffset(train, 2) + 12 + 300] ^= 0x40; // one bit inside record 2's data
    serve({ "train/images.tfrec": corrupt });
    const root = tempDir("corrupt");
    const dataDir = path.join(root, "data");
    await assert.rejects(downloadXrayData({ ...quiet, dataDir, baseUrl: server.baseUrl }), (err: Error) =>
      err instanceof TFRecordError && err.recordIndex === 2 && err.message.includes("images.tfrec") &&
      /registro 2/.test(err.message) && /CRC dos dados não confere/.test(err.message));
    assert.equal(fs.existsSync(dataDir), false);
  });

  it("refuses paths and images files of different lengths, and a path without a class folder", async () => {
    const train = fixtures.filter((f) => f.split === "train");
    serve({ "train/paths.tfrec": Buffer.concat(train.slice(0, 5).map((f) => encodeRecord(Buffer.from(f.originalPath)))) });
    await assert.rejects(downloadXrayData({ ...quiet, dataDir: path.join(tempDir("len"), "d"), baseUrl: server.baseUrl }),
      /images\.tfrec tem mais registros que os 5 caminhos de .*paths\.tfrec/);
    serve({ "train/paths.tfrec": Buffer.concat(train.map((f, i) => encodeRecord(Buffer.from(i === 1 ? "/x/OTHER/a.jpeg" : f.originalPath)))) });
    await assert.rejects(downloadXrayData({ ...quiet, dataDir: path.join(tempDir("cls"), "d"), baseUrl: server.baseUrl }),
      /paths\.tfrec: registro 1: caminho "\/x\/OTHER\/a\.jpeg" não termina em NORMAL/);
  });

  it("says what to do with a missing file on the server and a non-empty foreign folder", async () => {
    serve();
    server.routes.delete("/ChestXRay2017/test/paths.tfrec");
    await assert.rejects(downloadXrayData({ ...quiet, dataDir: path.join(tempDir("404"), "d"), baseUrl: server.baseUrl }),
      /test\/paths\.tfrec: o servidor respondeu HTTP 404/);
    const foreign = tempDir("foreign");
    fs.writeFileSync(path.join(foreign, "notes.txt"), "mine");
    await assert.rejects(downloadXrayData({ ...quiet, dataDir: foreign, baseUrl: server.baseUrl }), /não está vazia.*--data-dir.*--force/);
    assert.deepEqual(fs.readdirSync(foreign), ["notes.txt"]);
  });
});

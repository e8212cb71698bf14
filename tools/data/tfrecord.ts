// TFRecord files, the format of the Keras example's data (ChestXRay2017/{train,test}/{images,paths}.tfrec).
// Each record: uint64 little-endian length, masked CRC-32C of those 8 bytes, the data, masked
// CRC-32C of the data. Reading checks both CRCs of every record, so a damaged download is caught
// here, with the file and record named, before anything is written to the data folder.
import { crc32c } from "@node-rs/crc32";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

const MASK_DELTA = 0xa282ead8;
const HEADER_BYTES = 12; // length (8) + its CRC (4)
const FOOTER_BYTES = 4;
/** Larger than any real record (the biggest X-ray JPEG is a few MB): a bigger length means garbage. */
const MAX_RECORD_BYTES = 1 << 30;

/** TensorFlow's masked CRC-32C (crc rotated right by 15 bits plus a constant). */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** One record, framed. */
export function encodeRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + data.length + FOOTER_BYTES);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES + data.length);
  return out;
}

/** Writes the records to `file` atomically (temporary file in the same folder, then rename). */
export async function writeTFRecordFile(file: string, records: Iterable<Uint8Array>): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await fs.promises.open(tmp, "w");
  try {
    for (const r of records) await handle.write(encodeRecord(r));
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
}

/** A damaged TFRecord file: which file, which record (0-based), at which byte, and what to do. */
export class TFRecordError extends Error {
  constructor(readonly file: string, readonly recordIndex: number, readonly offset: number, problem: string) {
    super(`${file}: registro ${recordIndex} (byte ${offset}): ${problem}. ` +
      "O arquivo está danificado: apague-o e rode `npm run download` de novo para baixá-lo outra vez.");
    this.name = "TFRecordError";
  }
}

export interface TFRecord {
  index: number;
  data: Buffer;
}

/**
 * The records of a TFRecord file, one at a time (the file can be a gigabyte), every CRC checked.
 * Throws TFRecordError for a truncated file or a record whose CRC does not match.
 */
export async function* readTFRecords(file: string): AsyncGenerator<TFRecord> {
  const handle = await fs.promises.open(file, "r");
  try {
    const fileSize = (await handle.stat()).size;
    const header = Buffer.alloc(HEADER_BYTES);
    let offset = 0;
    for (let index = 0; offset < fileSize; index++) {
      if (fileSize - offset < HEADER_BYTES) {
        throw new TFRecordError(file, index, offset, `arquivo truncado (restam ${fileSize - offset} bytes, o cabeçalho de um registro tem ${HEADER_BYTES})`);
      }
      await handle.read(header, 0, HEADER_BYTES, offset);
      if (header.readUInt32LE(8) !== maskedCrc32c(header.subarray(0, 8))) {
        throw new TFRecordError(file, index, offset, "o CRC do tamanho do registro não confere (dados corrompidos)");
      }
      const length = Number(header.readBigUInt64LE(0));
      if (length > MAX_RECORD_BYTES) throw new TFRecordError(file, index, offset, `tamanho de registro impossível (${length} bytes)`);
      const end = offset + HEADER_BYTES + length + FOOTER_BYTES;
      if (end > fileSize) {
        throw new TFRecordError(file, index, offset, `arquivo truncado (o registro tem ${length} bytes e termina no byte ${end}, mas o arquivo tem ${fileSize})`);
      }
      const body = Buffer.alloc(length + FOOTER_BYTES);
      await handle.read(body, 0, body.length, offset + HEADER_BYTES);
      const data = body.subarray(0, length);
      if (body.readUInt32LE(length) !== maskedCrc32c(data)) {
        throw new TFRecordError(file, index, offset, "o CRC dos dados não confere (dados corrompidos)");
      }
      yield { index, data };
      offset = end;
    }
  } finally {
    await handle.close();
  }
}

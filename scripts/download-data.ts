// npm run download [-- --data-dir DIR] [--force] [--keep-tfrecords] [--url BASE] [--retries N]
// Fetches the Keras example's chest X-ray TFRecords, verifies every record and unpacks them into
// the Kaggle folder layout that the course reads. Safe to interrupt: run it again to resume.
import * as path from "path";
import { parseArgs } from "util";
import { xrayDataDir } from "../lib/common/config";
import { downloadXrayData, KERAS_XRAY_BASE_URL } from "../tools/data/xray-download";

const USAGE = `Uso: npm run download -- [opções]

Baixa as radiografias do exemplo Keras (${KERAS_XRAY_BASE_URL}/{train,test}/{images,paths}.tfrec),
verifica o CRC de cada registro e as grava no layout do Kaggle: <pasta>/{train,test}/{NORMAL,PNEUMONIA}/*.jpeg.
Se o download for interrompido, rode o mesmo comando de novo: ele continua de onde parou.

  --data-dir DIR      pasta de destino (padrão: CNN_COURSE_DATA ou .cache/data/chest_xray; agora: ${xrayDataDir()})
  --download-dir DIR  onde ficam os .tfrec durante o download (padrão: <data-dir>-tfrecords)
  --keep-tfrecords    mantém os .tfrec depois de extrair (padrão: apaga, ocupam o mesmo espaço)
  --force             baixa de novo mesmo se a pasta já tem os dados
  --url BASE          outra origem com a mesma estrutura (padrão: ${KERAS_XRAY_BASE_URL})
  --retries N         retomadas automáticas se a conexão cair (padrão: 5)
  -h, --help          esta ajuda

Dados: Kermany et al., Cell 2018, doi:10.1016/j.cell.2018.02.010; licença CC BY 4.0.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        "data-dir": { type: "string" },
        "download-dir": { type: "string" },
        "keep-tfrecords": { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        url: { type: "string" },
        retries: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const retries = args.retries === undefined ? undefined : Number(args.retries);
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    console.error(`--retries deve ser um inteiro >= 0 (recebi ${args.retries})`);
    return 2;
  }
  const dataDir = path.resolve(args["data-dir"] ?? xrayDataDir());
  const started = Date.now();
  const result = await downloadXrayData({
    dataDir,
    downloadDir: args["download-dir"],
    keepTFRecords: args["keep-tfrecords"],
    force: args.force,
    baseUrl: args.url,
    retries,
  });
  const { train, test } = result.counts;
  console.log(`Pronto em ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.dataDir}`);
  console.log(`  train: ${train.total} (NORMAL ${train.normal}, PNEUMONIA ${train.pneumonia})`);
  console.log(`  test:  ${test.total} (NORMAL ${test.normal}, PNEUMONIA ${test.pneumonia})`);
  const defaultDir = path.resolve(xrayDataDir());
  if (result.dataDir !== defaultDir) {
    console.log(`Para o curso usar esta pasta: export CNN_COURSE_DATA=${result.dataDir}`);
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: Error) => {
  console.error(`Erro: ${err.message}`);
  process.exitCode = 1;
});

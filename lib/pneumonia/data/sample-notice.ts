// What the pneumonia notebook says on top when it runs on the repository's small X-ray sample
// (no full copy configured): that it is a sample, what results to expect, how to get the full set.
import { xrayReadDir } from "../../common/config";
import { displayBundle } from "../../view/display";
import { classroomSeedsSentence } from "../training/seed-table";

/**
 * Measured with `npm run train -- --preset sample --seeds 1-5` (docs/results/sample-seeds-<date>.json)
 * and `--seeds 42` (test split of the sample: 100 images, 63 PNEUMONIA). Keep in step with the sample preset.
 */
export const SAMPLE_RESULTS =
  "com a semente 42 do preset (a que este notebook usa), a acurácia no teste fica em 0,82 e a revocação em 0,97; " +
  "com as sementes 1 a 5, a acurácia vai de 0,63 a 0,86 (mediana 0,78) e a revocação de 0,92 a 1,00, e com a semente 4 " +
  "o modelo diz PNEUMONIA para tudo (acurácia 0,63, a fração de pneumonias no teste).";

/** The notice (Portuguese markdown) when the course reads the sample; null with the full data. */
export function xraySampleNotice(): string | null {
  if (!xrayReadDir().sample) return null;
  return [
    "**Atenção: você está usando a amostra de radiografias que vem com o curso**, não o conjunto completo.",
    "",
    "Sem os dados completos configurados (variável `CNN_COURSE_DATA` vazia e nada em `.cache/data/`), o notebook lê " +
    "`data/chest-xray-sample/`: 400 radiografias reais (300 de treino, 100 de teste) do mesmo conjunto de dados " +
    "(Kermany et al., 2018, licença CC BY 4.0), reduzidas a 96x96, com o preset `sample`. Tudo roda, mas com tão " +
    `poucas imagens os números são modestos e mudam muito com a semente: ${SAMPLE_RESULTS}` +
    (classroomSeedsSentence() ? ` ${classroomSeedsSentence()}` : ""),
    "",
    "Para o conjunto completo (mais de 5 mil radiografias, cerca de 1 GB), rode `npm run download` no terminal, na pasta " +
    "do curso, e depois execute este notebook de novo (Kernel → Restart Kernel and Run All Cells).",
  ].join("\n");
}

/** Shows the notice in the notebook (or prints it); does nothing with the full data. */
export function showXraySampleNotice(): void {
  const md = xraySampleNotice();
  if (!md) return;
  const text = md.replace(/\*\*|`/g, "");
  if (!displayBundle({ "text/markdown": md, "text/plain": text })) console.log(text);
}

// Empty Grad-CAM maps per layer for a classroom (40x40) checkpoint: how many test X-rays get no colour.
// npx tsx tools/results/gradcam-empty.ts <checkpoint dir> [image|patient] [seed]  (issue 25: which layer notebook 10 shows first)
import { initEngine } from "cnn-course-engine";
import { PRESETS, withOverrides } from "../../lib/pneumonia/training/presets";
import { loadXrayData, selectXrayFiles } from "../../lib/pneumonia/training/pipeline";
import { loadCheckpoint } from "../../lib/pneumonia/training/checkpoint";
import { gradCam, lastConvLayer } from "../../lib/pneumonia/explain";
(async () => {
  await initEngine();
  const dir = process.argv[2], split = process.argv[3] === "patient" ? "patient" as const : undefined;
  const preset = withOverrides(PRESETS.classroom, { split, seed: Number(process.argv[4] ?? 1) });
  const data = await loadXrayData(preset, selectXrayFiles(preset, process.env.CNN_COURSE_DATA ?? "data/chest-xray-sample"));
  const { model } = await loadCheckpoint(dir);
  const every = Array.from({ length: data.test.count }, (_, i) => i);
  for (const layer of [lastConvLayer(model).label, "bloco 3", "bloco 2"]) {
    const c = gradCam(model, data.test, every, { layer });
    const empty = (cls: number): string => {
      const mine = c.maps.filter((_, i) => c.classes[i] === cls);
      return `${mine.filter((m) => m.flat().every((v) => v === 0)).length} of ${mine.length}`;
    };
    console.log(`${layer} (${c.layer.shape[0]}x${c.layer.shape[1]}): empty maps, predicted NORMAL ${empty(0)}, predicted PNEUMONIA ${empty(1)}`);
  }
})();

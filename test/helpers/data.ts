// Tests that need the real chest X-rays read them from the configured data directory
// (CNN_COURSE_DATA; CI points it at ../shared/data/chest-xray). Without the data they are
// skipped with a message saying how to get it, except under CI, where a missing
// data directory fails the run.
import * as fs from "fs";
import * as path from "path";
import { isCI, xrayDataDir } from "../../lib/common/config";

export function xrayDataAvailable(dir = xrayDataDir()): boolean {
  return ["train", "test"].every((split) =>
    ["NORMAL", "PNEUMONIA"].every((cls) => fs.existsSync(path.join(dir, split, cls))));
}

export const HOW_TO_GET_DATA =
  "set CNN_COURSE_DATA to a chest X-ray folder in the Kaggle layout ({train,val,test}/{NORMAL,PNEUMONIA}), " +
  "or run `npm run download` to fetch it";

/** `describe` for suites that need the X-rays: skipped (with a message) or failing under CI when missing. */
export function describeWithXrayData(title: string, body: (this: Mocha.Suite) => void): void {
  const dir = xrayDataDir();
  if (xrayDataAvailable(dir)) {
    describe(title, body);
    return;
  }
  if (isCI()) {
    describe(title, () => {
      it("has the chest X-ray data directory", () => {
        throw new Error(`CI=true but the chest X-ray data is missing at ${dir}: ${HOW_TO_GET_DATA}.`);
      });
    });
    return;
  }
  describe(title, () => {
    before(function () {
      console.log(`    (skipped: no chest X-ray data at ${dir}; ${HOW_TO_GET_DATA})`);
      this.skip();
    });
    it("needs the chest X-ray data");
  });
}

// The pt-BR number formatters students read (issue 29), and the machine-facing one beside them.
import { strict as assert } from "assert";
import { formatBR, formatNumber, formatPercentBR } from "../../lib/common/format";
import { withSeparators } from "../../lib/view/chart/svg";

describe("pt-BR numbers (lib/common/format.ts)", () => {
  it("writes integers with a dot every three digits and decimals after a comma", () => {
    assert.equal(formatBR(3496801), "3.496.801");
    assert.equal(formatBR(2368), "2.368");
    assert.equal(formatBR(618), "618");
    assert.equal(formatBR(0.8234), "0,823");
    assert.equal(formatBR(0.7055836617946625, 4), "0,7056");
    assert.equal(formatBR(1234.5, 1), "1.234,5");
    assert.equal(formatBR(0.5, 3, true), "0,5");
  });

  it("never prints -0 and says — for NaN", () => {
    assert.equal(formatBR(-0.0004, 3), "0,000");
    assert.equal(formatBR(-0), "0");
    assert.equal(formatBR(-0.25, 2), "-0,25");
    assert.equal(formatBR(NaN), "—");
  });

  it("keeps the decimals of integers in a column of metrics", () => {
    assert.equal(formatBR(1, 3), "1,000");
    assert.equal(formatBR(1234.5, 2), "1.234,50");
  });

  it("writes fractions as percentages", () => {
    assert.equal(formatPercentBR(0.8), "80,0%");
    assert.equal(formatPercentBR(0.20622, 2), "20,62%");
    assert.equal(formatPercentBR(1, 0), "100%");
  });

  it("rejects a number of decimals that is not a small whole number", () => {
    assert.throws(() => formatBR(1.5, 1.5), /casas decimais devem ser um inteiro de 0 a 20 \(recebi 1.5\)/);
    assert.throws(() => formatPercentBR(0.5, -1), /recebi -1/);
  });

  it("keeps the machine-facing formatter as it was (SVG coordinates need a point)", () => {
    assert.equal(formatNumber(0.125, 2), "0.13");
    assert.equal(formatNumber(3, 2), "3");
  });

  it("writes static chart ticks with plotly's separators", () => {
    assert.equal(withSeparators("0.5", ",."), "0,5");
    assert.equal(withSeparators("-12345.25", ",."), "-12.345,25");
    assert.equal(withSeparators("1000", ",."), "1000"); // plotly groups from five digits
    assert.equal(withSeparators("12345.5"), "12345.5"); // no separators asked: unchanged
  });
});

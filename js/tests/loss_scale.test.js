import { describe, expect, it } from "vitest";
import {
  SHIFT, dynamicRange, resolveScale, lossTransform, lossScaleOf, decadeTicks, tickLabel, lossAxisScale,
  lossAxis, scaleToggle,
} from "../src/lib/loss_scale.js";
import { svg } from "../src/lib/dom.js";

describe("auto rule", () => {
  it("goes log for positive values spanning more than two decades", () => {
    expect(resolveScale("auto", 0.08, 1237)).toBe("log");
    expect(resolveScale("auto", 1, 99)).toBe("linear"); // max / min = 99 < 100
    expect(resolveScale("auto", 1, 101)).toBe("log");
    expect(dynamicRange(2, 20)).toBe(10);
  });

  it("uses the shifted log when some values are <= 0", () => {
    expect(resolveScale("auto", 0, 890)).toBe("shifted-log"); // dynamic range is infinite at 0
    expect(resolveScale("auto", -0.5, 1000)).toBe("shifted-log");
    expect(resolveScale("auto", -1, 0.5)).toBe("linear"); // 1 + 1.5 / 1 = 2.5
    expect(resolveScale("log", -1, 0.5)).toBe("shifted-log");
  });

  it("is linear when asked, for constant or non-finite ranges, and rejects unknown names", () => {
    expect(resolveScale("linear", 0.08, 1237)).toBe("linear");
    expect(resolveScale("log", 3, 3)).toBe("linear");
    expect(resolveScale("auto", NaN, 3)).toBe("linear");
    expect(() => resolveScale("logarithmic", 1, 2)).toThrow(/expected one of linear, log, auto; got "logarithmic"/);
  });
});

describe("transforms", () => {
  it("log: log10 and back", () => {
    const T = lossTransform("log", 0.08, 1237);
    expect(T.fwd(100)).toBeCloseTo(2);
    expect(T.inv(T.fwd(0.08))).toBeCloseTo(0.08);
    expect(T.label("loss")).toBe("loss (log)");
  });

  it("shifted log: L0 = min - SHIFT * range, labelled", () => {
    const T = lossTransform("shifted-log", -2, 998);
    expect(T.offset).toBeCloseTo(-2 - SHIFT * 1000);
    expect(T.fwd(-2)).toBeCloseTo(0); // the minimum sits SHIFT * range = 1 above L0
    expect(T.fwd(998)).toBeCloseTo(Math.log10(1001));
    expect(T.inv(T.fwd(17.5))).toBeCloseTo(17.5);
    expect(T.label("loss")).toBe("loss + 3 (log)");
    expect(lossTransform("shifted-log", 0, 1000).label("loss")).toBe("loss + 1 (log)");
    expect(lossTransform("shifted-log", 0, 1).label("loss")).toBe("loss + 0.001 (log)");
    expect(Number.isFinite(T.fwd(-1e9))).toBe(true); // clamped below L0, never NaN
  });

  it("linear is the identity", () => {
    const T = lossScaleOf("linear", 0, 10);
    expect(T.kind).toBe("linear");
    expect(T.fwd(3)).toBe(3);
    expect(T.label("loss")).toBe("loss");
  });
});

describe("ticks", () => {
  it("decades from 0.1 to 1000", () => {
    expect(decadeTicks(0.08, 1237)).toEqual([0.1, 1, 10, 100, 1000]);
    expect(decadeTicks(1e-6, 1e6, 5)).toEqual([1e-6, 1e-3, 1, 1e3, 1e6]);
  });

  it("1-2-5 steps inside a decade or two, linear ticks in a narrow range", () => {
    expect(decadeTicks(0.15, 8)).toEqual([0.2, 0.5, 1, 2, 5]);
    expect(decadeTicks(0.5, 30)).toEqual([1, 3, 10, 30]);
    expect(decadeTicks(3.1, 3.9, 4).map((v) => +v.toFixed(9))).toEqual([3.2, 3.4, 3.6, 3.8]);
    expect(decadeTicks(-1, 3)).toEqual([]);
  });

  it("labels are short", () => {
    expect([0.001, 0.005, 0.01, 0.1, 1, 10, 1000, 1e4, 2.5e-5, 0.35, 0].map((v) => tickLabel(v))).toEqual(
      ["1e-3", "5e-3", "0.01", "0.1", "1", "10", "1000", "1e4", "2.5e-5", "0.35", "0"]);
    // a decade's label is at most four characters (a left axis's name sits 36 px out)
    for (let k = -6; k <= 6; k++) expect(tickLabel(10 ** k).length).toBeLessThanOrEqual(4);
  });
});

describe("axis scales", () => {
  it("log axis: decades are evenly spaced and invert maps back", () => {
    const s = lossAxisScale(lossScaleOf("auto", 0.1, 1000), [0.1, 1000], [400, 0], 0);
    expect(s(0.1)).toBeCloseTo(400);
    expect(s(1000)).toBeCloseTo(0);
    expect(s(10)).toBeCloseTo(200);
    expect(s(1) - s(10)).toBeCloseTo(s(100) - s(1000));
    expect(s.invert(s(42))).toBeCloseTo(42);
    expect(s.ticks()).toEqual([0.1, 1, 10, 100, 1000]);
    expect(s.ticks().map(s.format)).toEqual(["0.1", "1", "10", "100", "1000"]);
  });

  it("shifted-log axis ticks count the excess over L0", () => {
    const T = lossScaleOf("log", 0, 1000); // L0 = -1
    const s = lossAxisScale(T, [0, 1000], [0, 300], 0);
    expect(s.ticks().map(s.format)).toEqual(["1", "10", "100", "1000"]);
    expect(s.ticks()[0]).toBeCloseTo(0); // excess 1 above L0 = -1 is a loss of 0
  });

  it("linear axis: padding and round ticks", () => {
    const s = lossAxisScale(lossScaleOf("linear", 0, 10), [0, 10], [100, 0], 0.1);
    expect(s.domain).toEqual([-1, 11]);
    expect(s(5)).toBeCloseTo(50);
    expect(s.ticks(5)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it("draws a labelled axis", () => {
    const g = svg("g");
    const s = lossAxisScale(lossScaleOf("auto", 0.08, 1237), [0.08, 1237], [300, 0]);
    lossAxis(g, s, "left");
    expect([...g.querySelectorAll("text")].map((t) => t.textContent)).toEqual(
      ["0.1", "1", "10", "100", "1000", "loss (log)"]);
    expect(g.firstChild.getAttribute("data-scale")).toBe("log");
  });
});

describe("scale toggle", () => {
  it("reports clicks and shows what auto resolved to", () => {
    const el = document.createElement("div");
    const picked = [];
    const update = scaleToggle(el, (s) => picked.push(s));
    update("auto", "log");
    const buttons = [...el.querySelectorAll("button")];
    expect(buttons.map((b) => b.textContent)).toEqual(["auto: log", "linear", "log"]);
    expect(buttons.map((b) => b.getAttribute("aria-pressed"))).toEqual(["true", "false", "false"]);
    buttons[1].click();
    expect(picked).toEqual(["linear"]);
    update("linear", "linear");
    expect(buttons[0].textContent).toBe("auto");
    expect(buttons[1].getAttribute("aria-pressed")).toBe("true");
  });
});

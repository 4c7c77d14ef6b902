// Pure helpers of ContourView's trajectory layer (the drawing and the click are tested in a real
// browser: tests/browser/test_trajectory_path.py).
import { describe, expect, it } from "vitest";
import { trajectoryPoints, checkpointText } from "../src/contour_view.js";

describe("ContourView trajectory helpers", () => {
  it("takes the slice axes' coordinates of every checkpoint", () => {
    const tr = { coords: Object.assign(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }) };
    expect(trajectoryPoints(tr, [2, 0])).toEqual([{ i: 0, x: 3, y: 1 }, { i: 1, x: 6, y: 4 }]);
  });

  it("writes label, epoch, loss and off-subspace distance, skipping unknowns", () => {
    const tr = { labels: ["a", "b"], epochs: [3, 4], losses: [0.5, NaN], residuals: [NaN, 0.25] };
    expect(checkpointText(tr, 0)).toBe("a · epoch 3 · loss 0.5");
    expect(checkpointText(tr, 1)).toBe("b · epoch 4 · off the subspace by 0.25");
    const same = { labels: ["epoch 7"], epochs: [7], losses: [0.125], residuals: [NaN] };
    expect(checkpointText(same, 0)).toBe("epoch 7 · loss 0.125"); // the label is not repeated
  });
});

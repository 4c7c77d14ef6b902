// A slider move to a ladder rung the profile has not laid out draws the coarse rung first (at
// most COARSE_BASINS basins, the rest counted in the aggregate label) and the exact rung a frame
// later, exactly as a view opened at that threshold draws it; a rung laid out before is drawn
// exact at once, and a newer move cancels a pending refinement.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../src/lib/profile_geometry.js", async (importOriginal) => {
  const mod = await importOriginal();
  return { ...mod, landscapeProfile: vi.fn(mod.landscapeProfile) };
});

import { landscapeProfile } from "../src/lib/profile_geometry.js";
import profile, { COARSE_BASINS } from "../src/profile_view.js";
import { ladderThreshold, shownCount } from "../src/lib/lod.js";
import { mountSetup as setup } from "./mount_setup.js";
import { ladderFixture, profileMarkup } from "./profile_ladder_fixture.js";
import { chainTopology } from "./chain_topology.js";

beforeEach(() => {
  document.body.replaceChildren();
  delete window.requestIdleCallback; // nothing prepared ahead: every rung is a first visit
  vi.useFakeTimers({ toFake: ["setTimeout", "requestAnimationFrame"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const markup = profileMarkup;
const view = (el) => el.querySelector('[data-view="profile"]');
const hidden = (el) => Number(el.querySelector("[data-aggregate]")?.getAttribute("data-aggregate") ?? 0);

describe("ProfileView coarse rung first, exact rung after", () => {
  const { data, topo, cap, rungs, below } = ladderFixture();
  // the rungs of more basins than the coarse one, the most first
  const large = rungs.filter((r) => shownCount(topo, r) > COARSE_BASINS);

  /** A view opened at threshold t (its first drawing is exact). */
  async function coldAt(t) {
    const cold = setup({ topology: chainTopology(1500, 3) });
    cold.sel.set("min_persistence", t);
    await profile.render({ model: cold.view, el: cold.el, host: cold.host });
    const html = markup(cold.el);
    vi.runAllTimers(); // its own work after its first frame, done here
    cold.el.remove();
    return html;
  }

  it("draws the coarse rung on the move, then exactly what a view opened there draws", async () => {
    expect(large.length).toBeGreaterThan(2);
    const { el, sel, view: model, host } = setup(data);
    landscapeProfile.mockClear();
    await profile.render({ model, el, host });
    expect(view(el).getAttribute("data-refining")).toBe("0"); // the first drawing is exact
    // with it, the coarse rung every first visit of a larger rung draws: laid out once, here
    const coarse = ladderThreshold(topo, 0, COARSE_BASINS);
    expect(landscapeProfile.mock.calls.map((c) => c[1])).toEqual([ladderThreshold(topo, 0, cap), coarse]);
    for (const r of large.slice(1)) {
      const t = below(r);
      expect(ladderThreshold(topo, t, cap)).toBe(r);
      landscapeProfile.mockClear();
      sel.set("min_persistence", t);
      // coarse: at most COARSE_BASINS basins drawn, the others counted; the same picture for
      // every threshold below it, laid out with the first drawing; the exact rung not yet
      expect(ladderThreshold(topo, t, COARSE_BASINS)).toBe(coarse);
      expect(shownCount(topo, coarse)).toBeLessThanOrEqual(COARSE_BASINS);
      expect(view(el).getAttribute("data-refining")).toBe("1");
      expect(hidden(el)).toBe(shownCount(topo, t) - shownCount(topo, coarse));
      expect(landscapeProfile).not.toHaveBeenCalled();
      landscapeProfile.mockClear();
      vi.runAllTimers();
      expect(view(el).getAttribute("data-refining")).toBe("0");
      expect(landscapeProfile).toHaveBeenCalledTimes(1); // the exact rung, once
      expect(hidden(el)).toBe(shownCount(topo, t) - shownCount(topo, r));
      expect(markup(el)).toBe(await coldAt(t));
    }
    // back to a rung laid out before: exact at once
    sel.set("min_persistence", below(large[1]));
    expect(view(el).getAttribute("data-refining")).toBe("0");
    expect(markup(el)).toBe(await coldAt(below(large[1])));
  }, 60_000);

  it("a newer move cancels the pending refinement; small rungs are drawn exact at once", async () => {
    const { el, sel, view: model, host } = setup(data);
    await profile.render({ model, el, host });
    sel.set("min_persistence", below(large[1]));
    sel.set("min_persistence", below(large[2]));
    landscapeProfile.mockClear();
    vi.runAllTimers();
    // only the last move's exact rung laid out and drawn (the first move's was cancelled: no
    // second redraw, which would find the same drawing and skip it)
    expect(landscapeProfile).toHaveBeenCalledTimes(1);
    expect(view(el).hasAttribute("data-render-skipped")).toBe(false);
    expect(landscapeProfile.mock.calls[0][1]).toBe(large[2]);
    expect(markup(el)).toBe(await coldAt(below(large[2])));
    // a rung of at most COARSE_BASINS basins: no coarser picture to draw first
    const small = rungs.find((r) => shownCount(topo, r) <= COARSE_BASINS);
    sel.set("min_persistence", below(small));
    expect(view(el).getAttribute("data-refining")).toBe("0");
  }, 60_000);
});

// The profile prepares the ladder rungs a slider reaches next while the page is idle: a first
// visit of a rung then lays nothing out again, and draws exactly what a cold view draws there.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../src/lib/profile_geometry.js", async (importOriginal) => {
  const mod = await importOriginal();
  return { ...mod, landscapeProfile: vi.fn(mod.landscapeProfile) };
});

vi.mock("../src/lib/profile_shapes.js", async (importOriginal) => {
  const mod = await importOriginal();
  return { ...mod, profileGeometry: vi.fn(mod.profileGeometry) };
});

import { landscapeProfile } from "../src/lib/profile_geometry.js";
import { profileGeometry } from "../src/lib/profile_shapes.js";
import profile, { PREFETCH_RUNGS } from "../src/profile_view.js";
import { ladderThreshold } from "../src/lib/lod.js";
import { mountSetup as setup } from "./mount_setup.js";
import { ladderFixture, profileMarkup } from "./profile_ladder_fixture.js";
import { chainTopology } from "./chain_topology.js";

let idle = [];
let clock = 0; // performance.now, moved on by the test (the queue waits a quiet second after a plan)

beforeEach(() => {
  document.body.replaceChildren();
  idle = [];
  window.requestIdleCallback = (fn) => idle.push(fn);
  vi.spyOn(performance, "now").mockImplementation(() => clock);
});

afterEach(() => {
  delete window.requestIdleCallback;
  vi.restoreAllMocks();
});

const markup = profileMarkup;

describe("ProfileView prefetch of ladder rungs", () => {
  const { data, topo, cap, rungs, below } = ladderFixture();

  it("lays out the rungs when idle, then draws them without laying out, as a cold view does", async () => {
    expect(rungs.length).toBeGreaterThan(2);
    expect(rungs.length).toBeLessThanOrEqual(PREFETCH_RUNGS + 1); // all of them get prepared
    const { el, sel, view, host } = setup(data);
    await profile.render({ model: view, el, host });
    expect(idle.length).toBe(1); // planned, not run: nothing happens before the page is idle
    let calls = 0;
    idle.shift()(); // before the quiet period is over: waits
    expect(idle.length).toBe(1);
    clock += 1000;
    while (idle.length) {
      idle.shift()(); // no deadline: one step per idle period
      calls++;
    }
    expect(calls).toBe(3 * (rungs.length - 1)); // profile, geometry, painted layer per rung
    for (const r of rungs) {
      landscapeProfile.mockClear();
      profileGeometry.mockClear();
      const t = below(r);
      expect(ladderThreshold(topo, t, cap)).toBe(r);
      sel.set("min_persistence", t);
      expect(landscapeProfile).not.toHaveBeenCalled();
      expect(profileGeometry).not.toHaveBeenCalled();
      // the same drawing as a view that never prepared anything
      delete window.requestIdleCallback;
      const cold = setup({ topology: chainTopology(1500, 3) });
      cold.sel.set("min_persistence", t);
      await profile.render({ model: cold.view, el: cold.el, host: cold.host });
      expect(markup(el)).toBe(markup(cold.el));
      cold.el.remove();
      window.requestIdleCallback = (fn) => idle.push(fn);
    }
  }, 60_000); // seven views of 1,500 basins mounted in jsdom

  it("plans nothing while focused, and a new drawing replaces the plan", async () => {
    const { el, sel, view, host } = setup(data);
    await profile.render({ model: view, el, host });
    sel.set("min_persistence", below(rungs[1]));
    sel.set("min_persistence", below(rungs[2]));
    // every drawing planned again; only the last plan's steps run
    clock += 1000;
    const last = idle.pop();
    for (const stale of idle) stale();
    landscapeProfile.mockClear();
    last();
    expect(landscapeProfile).toHaveBeenCalledTimes(1);
    // focus a basin: the focused view plans nothing
    const shape = el.querySelector("path.lw-basin[data-basin]");
    idle = [];
    shape.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    expect(el.querySelector('[data-crumb="1"]')).not.toBe(null);
    expect(idle).toEqual([]);
  });
});

// setOptions (lib/dom.js): a menu redrawn with the same options keeps its elements and value
// (a live Gallery redraws as entries arrive, with the menu perhaps open); new options replace
// them; the value follows.
import { describe, expect, it, vi } from "vitest";
import { html, setOptions } from "../src/lib/dom.js";

const pairs = (select) => [...select.options].map((o) => [o.value, o.textContent]);

describe("setOptions", () => {
  it("keeps the option elements when the options are the same, and sets the value only when it changes", () => {
    const select = html("select", {}, document.body);
    setOptions(select, ["smad", ["n_minima", "n minima"]], "n_minima", "(none)");
    const first = [...select.options];
    expect(pairs(select)).toEqual([["", "(none)"], ["smad", "smad"], ["n_minima", "n minima"]]);
    expect(select.value).toBe("n_minima");
    const writes = vi.spyOn(window.HTMLSelectElement.prototype, "value", "set");
    try {
      setOptions(select, ["smad", ["n_minima", "n minima"]], "n_minima", "(none)");
      expect([...select.options].every((o, i) => o === first[i])).toBe(true);
      expect(writes).not.toHaveBeenCalled();
      setOptions(select, ["smad", ["n_minima", "n minima"]], "smad", "(none)");
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }
    expect(select.value).toBe("smad");
    expect(select.options[1]).toBe(first[1]);
  });

  it("rebuilds when an option, a label or the blank one changes", () => {
    const select = html("select", {}, document.body);
    setOptions(select, ["a", "b"], "b");
    const before = select.options[0];
    setOptions(select, ["a", "b", "c"], "c");
    expect(pairs(select)).toEqual([["a", "a"], ["b", "b"], ["c", "c"]]);
    expect(select.options[0]).not.toBe(before);
    expect(select.value).toBe("c");
    setOptions(select, ["a", ["b", "B"], "c"], "c");
    expect(pairs(select)[1]).toEqual(["b", "B"]);
    setOptions(select, ["a", ["b", "B"], "c"], null, "(none)");
    expect(pairs(select)[0]).toEqual(["", "(none)"]);
    expect(select.value).toBe("");
    setOptions(select, [1, 2], 2); // numbers are shown and compared as their strings
    const kept = select.options[0];
    setOptions(select, ["1", "2"], "2");
    expect(select.options[0]).toBe(kept);
    expect(select.value).toBe("2");
  });
});

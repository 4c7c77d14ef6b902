// IdleQueue: steps run in order, one idle period at a time, replaced by a newer plan.
import { describe, expect, it } from "vitest";
import { IdleQueue, browserIdle } from "../src/lib/idle.js";

/** A scheduler the test drives: `tick(remaining)` runs the pending callback with a deadline. */
function manual() {
  const queue = [];
  const schedule = (fn) => queue.push(fn);
  const tick = (remaining = null) => {
    const fn = queue.shift();
    if (fn) fn(remaining == null ? undefined : { timeRemaining: () => remaining });
    return Boolean(fn);
  };
  return { schedule, tick, queue };
}

describe("IdleQueue", () => {
  it("runs one step per idle call without a deadline, in order", () => {
    const m = manual();
    const q = new IdleQueue(m.schedule);
    const done = [];
    q.run([1, 2, 3].map((k) => () => done.push(k)));
    expect(done).toEqual([]); // nothing runs before the page is idle
    expect(q.pending).toBe(3);
    m.tick();
    expect(done).toEqual([1]);
    m.tick();
    m.tick();
    expect(done).toEqual([1, 2, 3]);
    expect(q.pending).toBe(0);
    expect(m.tick()).toBe(false); // nothing left scheduled
  });

  it("runs as many steps as the deadline leaves room for", () => {
    const m = manual();
    const q = new IdleQueue(m.schedule);
    const done = [];
    q.run([1, 2, 3, 4].map((k) => () => done.push(k)));
    m.tick(40);
    expect(done).toEqual([1, 2, 3, 4]);
    q.run([5, 6].map((k) => () => done.push(k)));
    m.tick(2); // too little left after the first
    expect(done).toEqual([1, 2, 3, 4, 5]);
    m.tick(2);
    expect(done).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("a new plan replaces the pending steps; cancel drops them", () => {
    const m = manual();
    const q = new IdleQueue(m.schedule);
    const done = [];
    q.run(["a", "b"].map((k) => () => done.push(k)));
    m.tick();
    q.run(["c"].map((k) => () => done.push(k)));
    while (m.tick());
    expect(done).toEqual(["a", "c"]);
    q.run(["d"].map((k) => () => done.push(k)));
    q.cancel();
    while (m.tick());
    expect(done).toEqual(["a", "c"]);
    expect(q.pending).toBe(0);
  });

  it("does nothing without an idle scheduler (jsdom has none)", () => {
    expect(browserIdle()).toBeNull();
    const q = new IdleQueue();
    const done = [];
    q.run([() => done.push(1)]);
    expect(done).toEqual([]);
  });
});

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
    const q = new IdleQueue(m.schedule, { quietMs: 0, minIdleMs: 10 });
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
    const q = new IdleQueue(m.schedule, { quietMs: 0, minIdleMs: 10 });
    const done = [];
    q.run([1, 2, 3, 4].map((k) => () => done.push(k)));
    m.tick(40);
    expect(done).toEqual([1, 2, 3, 4]);
    q.run([5, 6, 7].map((k) => () => done.push(k)));
    m.tick(5); // too little idle time: nothing runs, the steps wait
    expect(done).toEqual([1, 2, 3, 4]);
    // a period that shrinks as steps run: 25 ms, then 15 after the first, then 5
    const left = [25, 15, 5];
    const fn = m.queue.shift();
    fn({ timeRemaining: () => left.shift() ?? 0 });
    expect(done).toEqual([1, 2, 3, 4, 5, 6]);
    m.tick(40);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("a new plan replaces the pending steps; cancel drops them", () => {
    const m = manual();
    const q = new IdleQueue(m.schedule, { quietMs: 0, minIdleMs: 10 });
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

  it("waits for the quiet period after a plan, and for idle periods long enough", () => {
    const m = manual();
    let clock = 1000;
    const q = new IdleQueue(m.schedule, { quietMs: 300, minIdleMs: 30, now: () => clock });
    const done = [];
    q.run([1, 2].map((k) => () => done.push(k)));
    m.tick(50);
    clock += 299; // a drag's next move may still come: nothing yet
    m.tick(50);
    expect(done).toEqual([]);
    clock += 1;
    m.tick(12); // between two frames: too short
    expect(done).toEqual([]);
    m.tick(45); // at rest: both steps
    expect(done).toEqual([1, 2]);
    // a new plan starts a new quiet period
    q.run([3].map((k) => () => done.push(k)));
    m.tick(50);
    expect(done).toEqual([1, 2]);
    clock += 300;
    m.tick(50);
    expect(done).toEqual([1, 2, 3]);
  });

  it("does nothing without an idle scheduler (jsdom has none)", () => {
    expect(browserIdle()).toBeNull();
    const q = new IdleQueue();
    const done = [];
    q.run([() => done.push(1)]);
    expect(done).toEqual([]);
  });
});

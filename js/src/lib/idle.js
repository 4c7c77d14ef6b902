// Work done while the page is idle: a view prepares what a slider can reach next (the profile's
// ladder rungs: laid out and painted, ~100 ms each) between the user's moves, one short step per
// idle period, so that a first visit finds it ready. A step never runs during input handling
// (the browser calls idle callbacks only when nothing else waits), and new work for the same
// queue replaces what was pending (a redraw re-plans from where the view now is).

/** The browser's idle scheduler, or null where there is none (jsdom, old browsers: the work
 *  is then not done ahead; a view computes what it draws when it draws it, as without it).
 *  No timeout: a step waits for idle time however long that takes. */
export function browserIdle() {
  if (typeof window === "undefined" || typeof window.requestIdleCallback !== "function") return null;
  return (fn) => window.requestIdleCallback(fn);
}

/** How long (ms) the queue waits after its plan is made before the first step: a slider being
 *  dragged replans on every move, and the work must not sit between the user's moves or clicks
 *  (a step's 10–40 ms would delay the next one; at 300 ms, brushing right after the page opened
 *  measured slower). */
const QUIET_MS = 1000;

/** Idle time (ms) a period must offer before a step runs: between two frames of an animation
 *  or a drag the browser offers a few ms; a page at rest offers 50. A step costs up to ~30 ms
 *  the first time (its code not yet compiled), a few ms after. */
const MIN_IDLE_MS = 30;

/** Steps run in order while the page is at rest: none before `quietMs` have passed since the
 *  plan was made, none in a period offering less than `minIdleMs`, then as many per period as
 *  its deadline leaves room for (at least one; a step that finds its work done returns at once).
 *  `run` replaces the pending ones. `schedule(fn)` calls fn(deadline) later (browserIdle by
 *  default; tests pass their own, with or without a deadline, and their own clock `now`). */
export class IdleQueue {
  constructor(schedule = browserIdle(), { quietMs = QUIET_MS, minIdleMs = MIN_IDLE_MS, now = () => performance.now() } = {}) {
    this.schedule = schedule;
    this.quietMs = quietMs;
    this.minIdleMs = minIdleMs;
    this.now = now;
    this.generation = 0;
    this.pending = 0;
  }

  /** Forget the pending steps and run `steps` (functions of no argument) when at rest. */
  run(steps) {
    const generation = ++this.generation;
    this.pending = steps.length;
    if (!this.schedule || !steps.length) return;
    const since = this.now();
    let k = 0;
    const next = (deadline) => {
      if (generation !== this.generation) return; // replaced or cancelled
      const busy = deadline && deadline.timeRemaining() < this.minIdleMs;
      if (this.now() - since < this.quietMs || busy) {
        this.schedule(next);
        return;
      }
      do {
        steps[k++]();
        this.pending = steps.length - k;
      } while (k < steps.length && deadline && deadline.timeRemaining() > this.minIdleMs);
      if (k < steps.length) this.schedule(next);
    };
    this.schedule(next);
  }

  /** Forget the pending steps. */
  cancel() {
    this.generation++;
    this.pending = 0;
  }
}

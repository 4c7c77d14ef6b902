// Work done while the page is idle: a view prepares what a slider can reach next (the profile's
// ladder rungs: laid out and painted, ~100 ms each) between the user's moves, one short step per
// idle period, so that a first visit finds it ready. A step never runs during input handling
// (the browser calls idle callbacks only when nothing else waits), and new work for the same
// queue replaces what was pending (a redraw re-plans from where the view now is).

/** The browser's idle scheduler, or null where there is none (jsdom, old browsers: the work
 *  is then not done ahead; a view computes what it draws when it draws it, as without it). */
export function browserIdle() {
  if (typeof window === "undefined" || typeof window.requestIdleCallback !== "function") return null;
  return (fn) => window.requestIdleCallback(fn, { timeout: 2000 });
}

/** Steps run in order while the page is idle: as many per idle period as its deadline leaves
 *  room for (at least one; a step that finds its work done returns at once), the rest in the
 *  next. `run` replaces the pending ones. `schedule(fn)` calls fn(deadline) later (browserIdle
 *  by default; tests pass their own, with or without a deadline). */
export class IdleQueue {
  constructor(schedule = browserIdle()) {
    this.schedule = schedule;
    this.generation = 0;
    this.pending = 0;
  }

  /** Forget the pending steps and run `steps` (functions of no argument) when idle. */
  run(steps) {
    const generation = ++this.generation;
    this.pending = steps.length;
    if (!this.schedule || !steps.length) return;
    let k = 0;
    const next = (deadline) => {
      if (generation !== this.generation) return; // replaced or cancelled
      do {
        steps[k++]();
        this.pending = steps.length - k;
      } while (k < steps.length && deadline && deadline.timeRemaining() > IDLE_MARGIN_MS);
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

/** Idle time (ms) a period must still have for another step: a step costs up to ~35 ms, but
 *  most find their work done; the browser ends a period early when input arrives. */
const IDLE_MARGIN_MS = 10;

// Which ladder rung the profile draws and when: the exact level of detail, or on a slider move
// to a rung not laid out yet the coarse rung first and the exact one a frame later; and the
// view's geometries of the profiles it drew, kept per profile (see ProfileView).
import { LADDER_FLOOR, itemBudget, ladderThreshold, shownCount, subtreeThreshold } from "./lod.js";
import { profileGeometry } from "./profile_shapes.js";

/** SVG elements per drawn basin: its shape, its minimum and its merge saddle. */
export const PER_BASIN = 3;

/** The topology's profile edges for a loss axis: "linear", or "log" for a log axis. */
export function profileKind(loss) {
  return loss.kind === "linear" ? "linear" : "log";
}

/** The threshold the profile's exact level of detail draws at (inside a focused subtree's). */
export function exactThreshold(ctx) {
  const { topo, t, state } = ctx;
  const cap = itemBudget(PER_BASIN);
  // on a ladder of counts: a profile of hundreds of basins costs ~100 ms to lay out and paint,
  // so a slider dragged through them redraws it once per rung (see ladderThreshold)
  let tDraw = ladderThreshold(topo, t, cap);
  const f0 = state.focus[state.focus.length - 1];
  if (f0 && tDraw > t && topo.index.has(f0.basin)) tDraw = subtreeThreshold(topo, t, tDraw, f0.basin, cap);
  return tDraw;
}

/**
 * Most basins the profile lays out within a slider move when the move reaches a ladder rung it
 * has not laid out yet: the ladder's lowest rung. The first layout of hundreds of basins takes
 * 30–50 ms while the page's code is still young (not yet compiled by the engine; 2–6 ms once it
 * is), and a drag would wait for it at every rung. So, as interactive renderers draw a lighter
 * level of detail while the user moves and the full one when the move is over, the move draws
 * the profile at the rung of at most this many basins (the merged ones counted, as always;
 * laid out once, it is the same picture for every threshold below it), and the exact rung
 * follows a frame later (data-refining on the view until it is out). The coarse rung is the
 * same for every threshold that shows more basins, so ProfileView lays it out and paints it
 * with its first drawing (coarseRung): its first layout and painting, 15–25 ms while the code
 * is young, would otherwise fall on the slider's first move to a rung not laid out yet.
 */
export const COARSE_BASINS = LADDER_FLOOR;

/** The coarse rung a move at the view's threshold draws first (see COARSE_BASINS): the same for
 *  every threshold that shows more than COARSE_BASINS basins, t itself at fewer. */
export function coarseRung(ctx) {
  return ladderThreshold(ctx.topo, ctx.t, COARSE_BASINS);
}

/** The threshold the profile is drawn at: the exact one, or on a move to a rung not yet laid
 *  out, first the coarser rung of COARSE_BASINS (see scheduleRefine). */
export function drawnThreshold(ctx) {
  const exact = exactThreshold(ctx);
  const coarse = coarseThreshold(ctx, exact);
  return coarse ?? exact;
}

/** The coarser rung a move draws first, or null where the exact one is drawn at once: the
 *  first drawing, a focus, a rung already laid out (prepared in idle time, visited before or
 *  just refined) or one of at most COARSE_BASINS basins. */
function coarseThreshold(ctx, exact) {
  const { topo, state } = ctx;
  if (!state.drawn || state.focus.length) return null;
  if (shownCount(topo, exact) <= COARSE_BASINS || laidOut(ctx, exact)) return null;
  const coarse = coarseRung(ctx);
  return coarse > exact ? coarse : null;
}

/** The threshold a drawing of the view is at now (drawnThreshold), with what follows from it:
 *  a coarse drawing schedules the exact one; an exact one cancels a pending refinement. */
export function rungToDraw(ctx) {
  const { state, root } = ctx;
  const exact = exactThreshold(ctx);
  const tDraw = coarseThreshold(ctx, exact) ?? exact;
  state.drawn = true;
  if (tDraw !== exact) scheduleRefine(ctx);
  else {
    state.refineGeneration++;
    if (root.getAttribute("data-refining") !== "0") root.setAttribute("data-refining", "0");
  }
  return tDraw;
}

/** Has this view laid out the whole profile at threshold tDraw (in its size and axis)? */
function laidOut(ctx, tDraw) {
  const { topo, state, loss } = ctx;
  const kind = profileKind(loss);
  if (!topo.hasProfile(tDraw, kind) || !state.geometries) return false;
  const geo = state.geometries.get(topo.profile(tDraw, kind));
  return Boolean(geo && geo.key === geometryKey(ctx, null));
}

/** A frame out (the coarse drawing on screen), then fn; a page that draws no frames (a
 *  background tab) runs it after 100 ms. */
function afterFrame(fn) {
  let done = false;
  const once = () => { if (!done) { done = true; fn(); } };
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

/**
 * After a coarse drawing: lay out the exact rung in steps (profile, then geometry, each its own
 * task, so that input waits for one of them at most) and draw it. A newer drawing cancels what
 * is pending (a coarse one schedules its own); the work done stays cached for the next visit.
 */
function scheduleRefine(ctx) {
  const { state } = ctx;
  const generation = ++state.refineGeneration;
  ctx.root.setAttribute("data-refining", "1");
  const step = (fn) => setTimeout(() => { if (generation === state.refineGeneration) fn(); }, 0);
  const kind = () => profileKind(ctx.loss);
  afterFrame(() => step(() => {
    ctx.topo.profile(exactThreshold(ctx), kind());
    step(() => {
      geometryAt(ctx, ctx.topo.profile(exactThreshold(ctx), kind()), null);
      step(() => ctx.redraw()); // laid out now: drawn exact
    });
  }));
}

/** The geometry (shapes, stubs, placed markers) of `profile` in the view's size and axis,
 *  focused on `focus` (or whole): one per profile the topology keeps (it keeps the recent
 *  thresholds' profiles), so a slider move inside the level of detail (or back) reuses it. */
export function geometryAt(view, profile, focus) {
  const { topo, w, h, loss, state } = view;
  const geoKey = geometryKey(view, focus);
  if (!state.geometries) state.geometries = new WeakMap();
  let geo = state.geometries.get(profile);
  if (!geo || geo.key !== geoKey) {
    geo = profileGeometry(topo, profile, focus, loss, w, h);
    geo.key = geoKey;
    state.geometries.set(profile, geo);
  }
  return geo;
}

/** What a geometry depends on besides its profile: the view's size, axis and focus. */
function geometryKey({ w, h, loss }, focus) {
  return `${w}|${h}|${loss.kind}|${focus ? `${focus.basin}:${focus.yTop}` : ""}`;
}

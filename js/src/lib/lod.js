// Level of detail shared by the tree views: each view draws at most ELEMENT_BUDGET SVG elements;
// what is beyond it is aggregated (one labelled row or layer that counts what it hides), and a
// selected basin that is aggregated is drawn on top (an overlay) so that brushing stays exact.

/** Most SVG elements one view draws for its basins (the single place to tune it). */
export const ELEMENT_BUDGET = 3000;

/** Room (px) above a plot for the label of an aggregate ("+ 18,000 smaller basins"), which is
 *  drawn at y = AGGREGATE_LABEL_Y in plot coordinates, clear of the drawing's top. */
export const AGGREGATE_ROOM = 24;
export const AGGREGATE_LABEL_Y = -8;

/** How many items a view may draw when each costs `perItem` elements (and `reserve` are kept
 *  for axes, labels and the aggregate). */
export function itemBudget(perItem = 1, reserve = 50) {
  return Math.max(1, Math.floor((ELEMENT_BUDGET - reserve) / perItem));
}

/** Split `items` (already in priority order, most important first) at `cap`. */
export function splitAtBudget(items, cap) {
  if (items.length <= cap) return { shown: items, hidden: [] };
  return { shown: items.slice(0, cap), hidden: items.slice(cap) };
}

/** "+ 18,000 smaller bars": the text of an aggregate that hides `n` items. */
export function aggregateLabel(n, noun) {
  return `+ ${n.toLocaleString("en-US")} smaller ${noun}`;
}

/**
 * Overlay of selected basins that the view aggregated: `draw(basin, parent)` draws one of them
 * (returns its node or null); `update(selected)` replaces the previous overlay and registers
 * the nodes with the view's Highlighter (so they carry data-basin and aria-selected).
 */
export function selectionOverlay(hl, parent, hiddenIds, draw) {
  let nodes = [];
  return {
    update(selected) {
      for (const [b, n] of nodes) {
        n.remove();
        const list = hl.byBasin.get(b);
        if (list) hl.byBasin.set(b, list.filter((m) => m !== n));
      }
      nodes = [];
      for (const b of selected) {
        if (!hiddenIds.has(b)) continue;
        const n = draw(b, parent);
        if (n) {
          hl.add(n, b);
          nodes.push([b, n]);
        }
      }
    },
  };
}

const sortedCache = new WeakMap();

/** The minima's persistences, largest (Infinity) first, once per topology. */
function sortedPersistence(topo) {
  let sorted = sortedCache.get(topo);
  if (!sorted) {
    sorted = Float64Array.from(topo.persistence).sort().reverse();
    sortedCache.set(topo, sorted);
  }
  return sorted;
}

/**
 * The threshold at which at most `cap` minima of `topo` stay shown, and never below t: the
 * tree simplified there merges every smaller branch into its parent's (children are always
 * less persistent than their parent), so a view drawn at it aggregates exactly the least
 * persistent basins. Ties are hidden together.
 */
export function lodThreshold(topo, t, cap) {
  const sorted = sortedPersistence(topo);
  if (sorted.length <= cap) return t;
  const edge = sorted[cap]; // the first one over the cap
  let j = cap - 1;
  while (j >= 0 && !(sorted[j] > edge)) j--;
  const tCap = j >= 0 ? sorted[j] : Infinity;
  return Math.max(t, Number.isFinite(tCap) ? tCap : t);
}

/** How many leading values of `decreasing` (persistences, largest first) are >= t: the items
 *  shown at threshold t (hidden iff persistence < t), by bisection. */
export function countAtLeast(decreasing, t) {
  let lo = 0;
  let hi = decreasing.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decreasing[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fewest shown basins at which ladderThreshold starts merging, and the ratio between rungs. */
export const LADDER_FLOOR = 128;
const LADDER_STEP = Math.SQRT2;

/**
 * lodThreshold on a ladder: with more than LADDER_FLOOR basins shown at t, the view is drawn at
 * the threshold that keeps the largest rung of counts (LADDER_FLOOR × √2^k, at most `cap`) not
 * above them, so that every threshold whose count falls between two rungs draws the same
 * (cached) picture: dragging the slider through hundreds of basins recomputes a view once per
 * rung, not once per step. At most 1 − 1/√2 of the shown basins are merged (and counted).
 */
export function ladderThreshold(topo, t, cap) {
  const tCap = lodThreshold(topo, t, cap);
  if (tCap > t) return tCap; // past the budget: already one picture for every such t
  // shown at t: the minima of persistence >= t
  const n = countAtLeast(sortedPersistence(topo), t);
  if (n <= LADDER_FLOOR) return t;
  let rung = LADDER_FLOOR;
  while (Math.round(rung * LADDER_STEP) <= Math.min(n, cap)) rung = Math.round(rung * LADDER_STEP);
  return rung >= n ? t : lodThreshold(topo, t, rung);
}

/**
 * Every threshold above t's own that ladderThreshold can draw at (at most `cap` basins, more
 * than LADDER_FLOOR), increasing (fewest basins last): the pictures a slider can reach, which
 * the views prepare in idle time so that a first visit finds them ready.
 */
export function ladderRungs(topo, cap) {
  // once per topology and budget: the profile asks on every drawing (for its idle plan)
  let known = rungsCache.get(topo);
  if (!known) rungsCache.set(topo, (known = new Map()));
  if (!known.has(cap)) known.set(cap, Object.freeze(computeRungs(topo, cap)));
  return known.get(cap);
}

const rungsCache = new WeakMap(); // topo -> Map(cap -> rungs)

function computeRungs(topo, cap) {
  const n = sortedPersistence(topo).length;
  const out = new Set();
  if (n > cap) out.add(lodThreshold(topo, 0, cap)); // past the budget: one picture
  for (let rung = LADDER_FLOOR; rung <= cap && rung < n; rung = Math.round(rung * LADDER_STEP)) {
    out.add(lodThreshold(topo, 0, rung));
  }
  return [...out].sort((a, b) => a - b);
}

/** Number of minima shown at threshold t (hidden iff persistence < t). */
export function shownCount(topo, t) {
  let n = 0;
  for (let i = 0; i < topo.minima.length; i++) if (topo.visible(i, t)) n++;
  return n;
}

/** lodThreshold inside one basin: among the minima that `basin` holds at threshold tFrom. */
export function subtreeThreshold(topo, t, tFrom, basin, cap) {
  const { rep } = topo.simplified(tFrom);
  const pers = [];
  for (let i = 0; i < topo.minima.length; i++) if (rep[i] === basin && topo.visible(i, t)) pers.push(topo.persistence[i]);
  if (pers.length <= cap) return t;
  pers.sort((a, b) => b - a);
  let j = cap - 1;
  while (j >= 0 && !(pers[j] > pers[cap])) j--;
  return j >= 0 && Number.isFinite(pers[j]) ? Math.max(t, pers[j]) : t;
}

const masks = new WeakMap(); // topo -> {t, mask}: the last threshold's

/** Which minima of `topo` are shown at threshold t (1 = shown), as a Uint8Array: a draw key
 *  of the views whose drawing depends only on that set (barcode, diagram). */
export function visibleMask(topo, t) {
  const last = masks.get(topo);
  if (last && last.t === t) return last.mask;
  const mask = new Uint8Array(topo.minima.length);
  for (let i = 0; i < mask.length; i++) mask[i] = topo.visible(i, t) ? 1 : 0;
  masks.set(topo, { t, mask });
  return mask;
}

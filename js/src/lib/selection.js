// Bridge to the one shared Selection model, and bookkeeping of highlighted SVG elements.

/** Resolve the view's `selection` reference ("IPY_MODEL_<id>") to the shared model. */
export async function connectSelection(model, host) {
  const ref = model.get("selection");
  if (typeof ref !== "string") throw new Error("landscape_widgets: view has no selection model");
  const id = ref.replace(/^IPY_MODEL_/, "").replace(/^anywidget:/, "");
  if (host && typeof host.getModel === "function") return host.getModel(`anywidget:${id}`);
  return model.widget_manager.get_model(id);
}

/** New selection after clicking/boxing `ids` (shift: toggle them into the current one). */
export function nextSelection(current, ids, shift) {
  if (!shift) return [...new Set(ids)];
  const out = new Set(current);
  if (ids.length === 1 && out.has(ids[0])) out.delete(ids[0]);
  else for (const id of ids) out.add(id);
  return [...out];
}

/** Selected basins as displayed at threshold t (relabelled to their representatives). */
export function displayedSelection(sel, topo) {
  const t = sel.get("min_persistence") || 0;
  return new Set((sel.get("basins") || []).map((b) => (topo ? topo.rep(b, t) : b)));
}

/** Write a selection: basins (and optionally the point) in one message. */
export function writeSelection(sel, basins, point) {
  sel.set("basins", basins);
  if (point !== undefined) sel.set("point", point);
  sel.save_changes();
}

/** Keeps track of which elements show which basin; flips aria-selected in O(changes). Writes
 *  only what differs from what the element shows (a redraw keeps most elements: lib/dom.js
 *  beginReuse), so re-registering an unchanged element costs no DOM write. */
export class Highlighter {
  constructor() {
    this.byBasin = new Map();
    this.selected = new Set();
    this.generation = 0;
  }

  clear() {
    this.byBasin.clear();
    this.selected = new Set();
    this.generation++;
  }

  add(node, basin) {
    if (node.__lwBasin !== basin) {
      node.setAttribute("data-basin", String(basin));
      node.__lwBasin = basin;
    }
    node.__lwGeneration = this.generation;
    let list = this.byBasin.get(basin);
    if (!list) this.byBasin.set(basin, (list = []));
    list.push(node);
    mark(node, this.selected.has(basin));
    return node;
  }

  /** Forget elements of an earlier drawing that were kept but not registered again. */
  release(nodes) {
    for (const node of nodes) {
      if (node.__lwBasin === undefined || node.__lwGeneration === this.generation) continue;
      node.removeAttribute("data-basin");
      node.removeAttribute("tabindex");
      node.removeAttribute("role");
      mark(node, false);
      node.__lwBasin = undefined;
      node.__lwFocusable = false;
    }
  }

  apply(selected) {
    for (const b of this.selected) {
      if (!selected.has(b)) for (const n of this.byBasin.get(b) || []) mark(n, false);
    }
    for (const b of selected) {
      if (!this.selected.has(b)) for (const n of this.byBasin.get(b) || []) mark(n, true);
    }
    this.selected = new Set(selected);
  }
}

function mark(node, on) {
  if (Boolean(node.__lwSelected) === on) return;
  if (on) node.setAttribute("aria-selected", "true");
  else node.removeAttribute("aria-selected");
  node.__lwSelected = on;
}

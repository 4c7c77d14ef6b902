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

/** Keeps track of which elements show which basin; flips aria-selected in O(changes). */
export class Highlighter {
  constructor() {
    this.byBasin = new Map();
    this.selected = new Set();
  }

  clear() {
    this.byBasin.clear();
    this.selected = new Set();
  }

  add(node, basin) {
    node.setAttribute("data-basin", String(basin));
    let list = this.byBasin.get(basin);
    if (!list) this.byBasin.set(basin, (list = []));
    list.push(node);
    if (this.selected.has(basin)) node.setAttribute("aria-selected", "true");
    return node;
  }

  apply(selected) {
    for (const b of this.selected) {
      if (!selected.has(b)) for (const n of this.byBasin.get(b) || []) n.removeAttribute("aria-selected");
    }
    for (const b of selected) {
      if (!this.selected.has(b)) for (const n of this.byBasin.get(b) || []) n.setAttribute("aria-selected", "true");
    }
    this.selected = new Set(selected);
  }
}

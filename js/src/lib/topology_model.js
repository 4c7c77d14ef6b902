// Bridge to a landscape's one shared TopologyModel (widgets/topology_model.py): every view of
// the landscape references it; the browser decodes it ONCE per model object and hands the same
// Topology to every view (the pattern of connectSelection). It also owns relabelling: when the
// threshold changes (slider or Python), the selected basins become their survivors, once.
import { Topology } from "./topology.js";

const decoded = new WeakMap(); // shared widget model -> Topology of its current data
const relabelled = new WeakMap(); // Selection model -> Set of shared models relabelling it

/** Resolve a view's `topology` reference ("IPY_MODEL_<id>") to the shared model; null if none. */
export async function connectTopologyModel(model, host) {
  const ref = model.get("topology");
  if (typeof ref !== "string") return null;
  const id = ref.replace(/^IPY_MODEL_/, "").replace(/^anywidget:/, "");
  if (host && typeof host.getModel === "function") return host.getModel(`anywidget:${id}`);
  return model.widget_manager.get_model(id);
}

/** The decoded Topology of a shared model (decoded once per model and data). */
export function topologyOf(shared) {
  const data = shared.get("data");
  let topo = decoded.get(shared);
  if (!topo || topo.raw !== data) {
    topo = Object.assign(new Topology(data), { raw: data });
    decoded.set(shared, topo);
  }
  return topo;
}

/** Basins of `basins` relabelled to their representatives at threshold t (deduplicated). */
export function relabel(topo, basins, t) {
  return [...new Set((basins || []).map((b) => topo.rep(b, t)))];
}

/**
 * Keep `sel`'s basins relabelled to the survivors of its min_persistence, whoever changes it
 * (the slider, Python): one listener per (selection, shared model), however many views mount.
 */
export function followThreshold(sel, shared) {
  let set = relabelled.get(sel);
  if (!set) relabelled.set(sel, (set = new WeakSet()));
  if (set.has(shared)) return;
  set.add(shared);
  sel.on("change:min_persistence", () => {
    const topo = topologyOf(shared);
    const before = sel.get("basins") || [];
    const after = relabel(topo, before, sel.get("min_persistence") || 0);
    if (after.length === before.length && after.every((b, i) => b === before[i])) return;
    sel.set("basins", after);
    sel.save_changes();
  });
}

// A view mounted on static models (a selection and the view's own), as the tests of the
// views' level of detail and painted tiers need it.
import { StaticModel, makeHost } from "../src/runtime.js";

/** The models, the element and the host of a view of `data` (400 px wide, `height` tall). */
export function mountSetup(data, height = 300) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
  const view = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 400, height, _data: data }, manager);
  models.set("sel", sel);
  models.set("view", view);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, view, el, host: makeHost(models) };
}

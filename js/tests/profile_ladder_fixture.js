// The ladder fixture the profile's prefetch and refinement tests share: a chain of 1,500
// basins, its rungs at the profile's budget, and a threshold for each rung.
import { Topology } from "../src/lib/topology.js";
import { itemBudget, ladderRungs } from "../src/lib/lod.js";
import { PER_BASIN } from "../src/lib/profile_rungs.js";
import { chainTopology } from "./chain_topology.js";

/** {data, topo, cap, rungs, below}: below(r) is a threshold whose ladder picture is rung r
 *  (the largest persistence below it). */
export function ladderFixture() {
  const data = { topology: chainTopology(1500, 3) };
  const topo = new Topology(data.topology);
  const cap = itemBudget(PER_BASIN);
  const rungs = ladderRungs(topo, cap);
  const pers = [...topo.persistence];
  const below = (r) => pers.filter((p) => p < r).reduce((a, b) => Math.max(a, b), 0);
  return { data, topo, cap, rungs, below };
}

/** A profile view's markup with its per-view ids (clip paths, gradients) made comparable. */
export function profileMarkup(el) {
  return el.querySelector("svg").outerHTML.replace(/(lw-profile-[a-z]+)-[a-z0-9]+-\d+/g, "$1");
}

// The styles of every view (one sheet, one injector), injected once per document or shadow root.
import { MINIMUM, SADDLE, SELECTED } from "./colors.js";

const CSS = `
.lw-view { --lw-bg: var(--jp-layout-color0, #fff); --lw-fg: var(--jp-ui-font-color1, #222);
  --lw-muted: var(--jp-ui-font-color2, #555); --lw-line: var(--jp-border-color1, #888);
  position: relative; display: block; max-width: 100%; box-sizing: border-box;
  font: 12px system-ui, sans-serif; color: var(--lw-fg); background: var(--lw-bg);
  vertical-align: top; user-select: none; }
.lw-view:focus { outline: none; } .lw-view:focus-visible { outline: 2px solid ${SELECTED}; }
.lw-view svg [tabindex]:focus { outline: none; }
.lw-view svg [tabindex]:focus-visible { stroke: var(--lw-fg); stroke-width: 2.5; }
.lw-head { display: flex; align-items: center; gap: 8px; margin: 2px 4px; min-height: 20px; }
.lw-title { font-weight: 600; font-size: 13px; flex: 1 1 auto; min-width: 0;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lw-export { display: inline-flex; gap: 2px; flex: none; }
.lw-export button { font: 12px system-ui, sans-serif; padding: 0 5px; line-height: 16px;
  border: 1px solid var(--lw-line); border-radius: 3px; background: var(--lw-bg);
  color: var(--lw-muted); cursor: pointer; opacity: .75; }
.lw-export button:hover, .lw-export button:focus-visible { opacity: 1; color: var(--lw-fg); }
.lw-view svg { display: block; overflow: visible; }
.lw-axis line { stroke: var(--lw-line); } .lw-axis text { fill: var(--lw-muted); font-size: 12px; }
.lw-label { font-size: 12px; fill: var(--lw-fg); }
.lw-aggregate-label { paint-order: stroke; stroke: var(--lw-bg); stroke-width: 3px; stroke-linejoin: round; }
.lw-tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95);
  border: 1px solid #999; border-radius: 3px; padding: 3px 6px; font-size: 12px; color: #222;
  white-space: nowrap; display: none; z-index: 10; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.lw-brush { fill: rgba(30,100,200,.12); stroke: #1e64c8; stroke-dasharray: 3 2; }
.lw-hit { cursor: pointer; }
.lw-min { fill: ${MINIMUM}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${SADDLE}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; stroke: var(--lw-line); stroke-width: .5; }
.lw-edge { fill: none; stroke: var(--jp-ui-font-color2, #556); stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: rgba(15,25,45,.5); stroke-width: .8; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${SELECTED}; }
[aria-selected="true"].lw-edge { stroke: ${SELECTED}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${SELECTED}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${SELECTED}; stroke-width: 2.5; }
.lw-point { fill: #4a6fa5; stroke: #fff; stroke-width: .8; }
.lw-joint-rings { fill: none; stroke: ${SELECTED}; stroke-width: 2.5; } .lw-joint-fills { fill: ${SADDLE}; }
.lw-controls { display: flex; gap: 8px; align-items: center; margin: 2px 4px; flex-wrap: wrap; }
.lw-controls label { display: flex; gap: 4px; align-items: center; }
.lw-controls:empty { display: none; }
.lw-scale { display: inline-flex; align-items: center; gap: 0; }
.lw-scale-title { margin-right: 5px; }
.lw-scale button { font: inherit; padding: 1px 8px; border: 1px solid #aab; background: #fff;
  color: #333; cursor: pointer; margin-left: -1px; }
.lw-scale button:first-of-type { border-radius: 3px 0 0 3px; }
.lw-scale button:last-of-type { border-radius: 0 3px 3px 0; }
.lw-scale button[aria-pressed="true"] { background: #23395d; border-color: #23395d; color: #fff; }
.lw-tick { font-size: 12px; fill: var(--lw-muted); }
.lw-explorer { display: grid; gap: 10px 16px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr)); }
.lw-cell { min-width: 0; }
/* each panel's drawing on its own compositing layer: a slider move that changes one panel
   (an outline of thousands of segments, a band) re-rasterises that panel alone, not the tiles
   the panels share (software raster: ~120 ms a move at 4,500 basins, ~25 ms so) */
.lw-cell > .lw-view > svg { will-change: transform; }
.lw-explorer-title { font-size: 13px; color: var(--lw-muted); margin: 2px 4px; }
.lw-crumbs { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 2px; }
.lw-crumb { font: inherit; border: none; background: none; padding: 0 2px; cursor: pointer;
  color: var(--jp-content-link-color, #1f5fa8); text-decoration: underline; }
.lw-crumb[aria-current="true"] { color: var(--lw-fg); text-decoration: none; font-weight: 600; }
.lw-hint { color: var(--lw-muted); font-style: italic; }
.lw-controls select { font: inherit; }
.lw-merged { stroke: var(--lw-fg); stroke-width: 1.6; }
.lw-stub { stroke-width: .5; }
/* a dense profile is painted once into a bitmap (profile_view.js profileBitmap); its shapes stay
   as invisible hit areas that show their outline when selected or focused, so that brushing
   repaints one outline instead of every shape */
.lw-profile .lw-basin.lw-rastered { visibility: hidden; pointer-events: all; }
.lw-profile .lw-basin.lw-rastered[aria-selected="true"], .lw-profile .lw-basin.lw-rastered:focus-visible { visibility: visible; fill: none; }
.lw-model { fill: #111; stroke: #fff; stroke-width: 1.5; cursor: pointer; }
.lw-model.lw-model-off { fill: rgba(255, 255, 255, 0.55); stroke: #111; stroke-dasharray: 2 1.5; }
.lw-outline { fill: none; stroke: ${SELECTED}; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; pointer-events: none; }
.lw-outline-halo { fill: none; stroke: #fff; stroke-width: 5; stroke-linejoin: round;
  pointer-events: none; }
/* a long outline painted (lib/outline_paint.js): clicks go through to the map */
.lw-outline-raster { pointer-events: none; }
.lw-outline-raster canvas { image-rendering: pixelated; }
.lw-key-min { fill: ${MINIMUM}; stroke: #fff; stroke-width: .8; }
.lw-key-saddle { fill: ${SADDLE}; stroke: #fff; stroke-width: .8; }
.lw-key-outline { fill: none; stroke: ${SELECTED}; stroke-width: 2.5; stroke-linejoin: round; }
.lw-key-model { fill: #111; stroke: #fff; stroke-width: 1.5; }
.lw-legend-row { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; margin: 2px 4px; }
.lw-legend-row > span { display: inline-flex; align-items: center; }
.lw-legend-row svg { display: inline-block; margin-right: 4px; overflow: visible; }
.lw-curve-line { fill: none; stroke: var(--lw-fg); stroke-width: 1.6; stroke-linejoin: round; pointer-events: none; }
.lw-curve-band { fill: none; stroke: transparent; stroke-width: 7; stroke-linecap: round; stroke-linejoin: round; }
[aria-selected="true"].lw-curve-band { stroke: ${SELECTED}; stroke-opacity: .8; }
.lw-static-note { color: #777; font-style: italic; }
/* collection views: Gallery heat map, thumbnails, scatter, map */
.lw-gallery-top { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
.lw-heat-cell { stroke: #fff; stroke-width: 1; }
.lw-heat-cell.lw-empty { fill: #f2f2f2; }
[aria-selected="true"].lw-heat-cell { stroke: ${SELECTED}; stroke-width: 3; }
.lw-heat-value { font-size: 12px; pointer-events: none; }
.lw-entry { stroke: #fff; stroke-width: .8; }
.lw-dim .lw-entry:not([aria-selected="true"]) { opacity: .3; }
[aria-selected="true"].lw-entry { stroke: ${SELECTED}; stroke-width: 2.5; }
.lw-entry.lw-active { stroke: #111; stroke-width: 2.5; }
.lw-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0 4px 2px 48px; font-size: 12px; }
.lw-legend span.lw-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.lw-caption { color: var(--lw-muted); margin: 0 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 0 4px; }
.lw-caption .lw-ramp { display: inline-block; width: 90px; height: 10px; border-radius: 2px; }
.lw-profiles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; min-height: 24px; }
.lw-thumb { border: 1px solid #ddd; border-radius: 3px; padding: 2px; cursor: pointer; background: #fff; }
.lw-thumb:hover { border-color: #888; }
.lw-thumb[aria-current="true"] { border-color: ${SELECTED}; box-shadow: 0 0 0 2px ${SELECTED}; }
.lw-thumb-title { font-size: 12px; text-align: center; white-space: nowrap; }
.lw-thumb .lw-basin { stroke: #fff; stroke-width: .3; }
.lw-thumb .lw-merged { stroke-width: .9; } /* joined markers: a thin ring at thumbnail size */
.lw-explorer-area { border-top: 1px solid #ddd; margin-top: 6px; padding-top: 4px; }
.lw-note { color: #777; font-style: italic; margin: 4px; }
/* live Gallery progress */
.lw-progress { display: inline-flex; align-items: center; gap: 4px; color: var(--lw-muted); }
.lw-progress:empty { display: none; }
.lw-progress progress { width: 90px; height: 10px; }
/* the shared diagram renderer: essential classes summarised on the ∞ line */
.lw-essential-bin { fill: #23395d; }
.lw-essential-strip.lw-d1 .lw-essential-bin { fill: #c25f00; }
.lw-essential-bin[aria-selected="true"] { fill: ${SELECTED}; fill-opacity: 1; stroke: #222; stroke-width: 1; }
.lw-essential-count { font-size: 12px; fill: var(--lw-muted); }
/* TrajectoryView */
.lw-trajectory .lw-panels { display: flex; gap: 6px; }
.lw-trajectory .lw-sample { stroke: #fff; stroke-width: .6; cursor: pointer; }
.lw-trajectory .lw-jump { stroke: #222; stroke-width: 1; }
.lw-trajectory .lw-sample[aria-selected="true"] { stroke: ${SELECTED}; stroke-width: 2; }
.lw-trajectory .lw-traj { fill: none; stroke-width: 1.1; stroke-opacity: .55; }
.lw-trajectory .lw-pair { cursor: pointer; stroke: #fff; stroke-width: .7; }
.lw-trajectory .lw-d0 { fill: #1f77b4; } .lw-trajectory .lw-d1 { fill: #ff7f0e; }
.lw-trajectory .lw-pair[aria-selected="true"] { fill: ${SELECTED}; stroke: #222; stroke-width: 1.2; }
.lw-trajectory .lw-ring { fill: none; pointer-events: none; stroke-width: 2.2; }
.lw-trajectory .lw-birth { stroke: ${SELECTED}; } .lw-trajectory .lw-death { stroke: #111; stroke-dasharray: 3 2; }
.lw-trajectory .lw-picked { stroke: ${SELECTED}; }
.lw-trajectory .lw-link { stroke: ${SELECTED}; stroke-dasharray: 4 3; pointer-events: none; }
.lw-trajectory .lw-legend { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-diagram-key { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-key-item { display: inline-flex; align-items: center; gap: 3px; }
.lw-trajectory .lw-key-item svg { display: inline-block; }
.lw-trajectory .lw-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 2px; }
.lw-trajectory .lw-ramp { display: inline-block; width: 90px; height: 10px; }
.lw-trajectory .lw-status { color: #444; }
`;

export function injectStyle(el) {
  const root = el.getRootNode ? el.getRootNode() : document;
  const target = root.head || root; // document.head, or a shadow root
  const holder = root === document ? document : root;
  if (holder.querySelector && holder.querySelector("style[data-lw-style]")) return;
  const style = document.createElement("style");
  style.setAttribute("data-lw-style", "1");
  style.textContent = CSS;
  (target.appendChild ? target : document.head).appendChild(style);
}

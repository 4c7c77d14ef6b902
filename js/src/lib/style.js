// Styles shared by every view, injected once per document (or shadow root).
import { MINIMUM, SADDLE, SELECTED } from "./colors.js";

const CSS = `
.lw-view { position: relative; display: inline-block; font: 11px system-ui, sans-serif;
  color: #222; background: #fff; vertical-align: top; user-select: none; }
.lw-title { font-weight: 600; font-size: 12px; margin: 2px 4px; }
.lw-view svg { display: block; overflow: visible; }
.lw-axis line { stroke: #888; } .lw-axis text { fill: #444; font-size: 10px; }
.lw-label { font-size: 11px; fill: #222; }
.lw-tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95);
  border: 1px solid #999; border-radius: 3px; padding: 3px 6px; font-size: 11px;
  white-space: nowrap; display: none; z-index: 10; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.lw-brush { fill: rgba(30,100,200,.12); stroke: #1e64c8; stroke-dasharray: 3 2; }
.lw-hit { cursor: pointer; }
.lw-min { fill: ${MINIMUM}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${SADDLE}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; }
.lw-edge { fill: none; stroke: #556; stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: var(--lw-edge, #fff); stroke-width: 1; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${SELECTED}; }
[aria-selected="true"].lw-edge { stroke: ${SELECTED}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${SELECTED}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${SELECTED}; stroke-width: 2.5; }
.lw-point { fill: #4a6fa5; stroke: #fff; stroke-width: .8; }
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
.lw-tick { font-size: 10px; fill: #444; }
.lw-explorer { display: grid; grid-template-columns: repeat(3, max-content); gap: 10px 22px; }
.lw-static-note { color: #777; font-style: italic; }
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

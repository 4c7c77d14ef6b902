var wt="http://www.w3.org/2000/svg",mt=/^on/i,Rt=new Set(["href","xlink:href","src","action","formaction"]),zt=/^(data:image\/(png|jpeg|gif|webp);|#|$)/i;function q(t,e){for(let[n,o]of Object.entries(e))if(n==="text")t.textContent=o==null?"":String(o);else{if(o==null)continue;if(mt.test(n))throw new Error(`landscape_widgets: attribute ${JSON.stringify(n)}: event handlers are attached with addEventListener, never as attributes`);if(n==="style"&&typeof o=="object")for(let[r,i]of Object.entries(o))i!=null&&t.style.setProperty(r,String(i));else Y(t,n,o)}return t}function Y(t,e,n){if(mt.test(e))throw new Error(`landscape_widgets: attribute ${JSON.stringify(e)}: event handlers are attached with addEventListener, never as attributes`);let o=String(n);if(Rt.has(e.toLowerCase())&&!zt.test(o.trim()))throw new Error(`landscape_widgets: attribute ${e}: expected a data:image URL drawn by the view, got ${JSON.stringify(o.slice(0,40))}`);return t.setAttribute(e,o),t}function m(t,e={},n=null){if($&&n)return Tt(t,e,n);let o=q(document.createElementNS(wt,t),e);return n&&n.appendChild(o),o}var $=null;function Ot(t,e){let n=t;for(let o in e){let r=e[o];r!=null&&(n+=""+o+""+(typeof r=="object"?JSON.stringify(r):r))}return n}function Pt(t,e){let n=$.kids.get(t);n||$.kids.set(t,n=[]),n.push(e),e.__lwPass=$.pass,e.__lwParent=t}function Tt(t,e,n){let o=Ot(t,e),r=$.pool.get(o),i=null;return r&&r.next<r.length?(i=r[r.next++],$.kept.push(i)):(i=q(document.createElementNS(wt,t),e),$.made++),i.__lwKey=o,Pt(n,i),i}function h(t,e={},n=null){let o=q(document.createElement(t),e);return n&&n.appendChild(o),o}function gt(t,e){return t.appendChild(document.createTextNode(e==null?"":String(e)))}var H=t=>({bold:t});function Ut(t,e){t.replaceChildren();let n=!0;for(let o of e)if(o!=null){n||t.appendChild(document.createElement("br")),n=!1;for(let r of Array.isArray(o)?o:[o])r!=null&&typeof r=="object"&&"bold"in r?h("b",{text:r.bold},t):gt(t,r)}return t}function J(t,e,n,o){Ut(t,o),t.style.display="block";let r=e.getBoundingClientRect();t.style.left=`${n.clientX-r.left+12}px`,t.style.top=`${n.clientY-r.top+12}px`}function O(t){t.style.display="none"}function P(t,e,n,o=null){t.replaceChildren(),o!=null&&h("option",{value:"",text:o},t);for(let r of e){let[i,s]=Array.isArray(r)?r:[r,r];h("option",{value:i,text:s},t)}t.value=n==null?"":String(n)}function yt(t,e,n,o="lw-swatch"){let r=h("span",{},t);return h("span",{class:o,style:{background:e}},r),gt(r,n),r}function X(t,e){let[n,o]=t,[r,i]=e,s=o-n||1,l=a=>r+(a-n)/s*(i-r);return l.invert=a=>n+(a-r)/(i-r||1)*s,l.domain=[n,o],l.range=[r,i],l}function Z(t,e,n=5){if(!Number.isFinite(t)||!Number.isFinite(e))return[];if(e<t&&([t,e]=[e,t]),e===t)return[t];let o=(e-t)/Math.max(1,n),r=10**Math.floor(Math.log10(o)),i=o/r,s=r*(i>=7.5?10:i>=3.5?5:i>=1.5?2:1),l=[];for(let a=Math.ceil(t/s)*s;a<=e+s*1e-9;a+=s)l.push(Math.abs(a)<s*1e-9?0:a);return l}function N(t){if(t==null||Number.isNaN(t))return"\u2013";if(!Number.isFinite(t))return t>0?"\u221E":"-\u221E";let e=Math.abs(t);return e!==0&&(e>=1e5||e<.001)?t.toExponential(2):String(Number(t.toPrecision(4)))}function Q(t,e=.05){let n=1/0,o=-1/0;for(let i of t)Number.isFinite(i)&&(i<n&&(n=i),i>o&&(o=i));if(n===1/0)return[0,1];if(o===n)return[n-.5,o+.5];let r=(o-n)*e;return[n-r,o+r]}function tt(t,e,n,{count:o=5,label:r="",format:i=String}={}){let s=m("g",{class:"lw-axis"},t),[l,a]=e.range,c=Math.min(...e.domain),f=Math.max(...e.domain),d=Z(c,f,o);if(n==="bottom"){m("line",{x1:l,x2:a,y1:0,y2:0},s);for(let u of d){let p=e(u);m("line",{x1:p,x2:p,y1:0,y2:4},s),m("text",{x:p,y:14,"text-anchor":"middle"},s).textContent=i(u)}r&&(m("text",{x:(l+a)/2,y:28,"text-anchor":"middle",class:"lw-label"},s).textContent=r)}else{m("line",{x1:0,x2:0,y1:l,y2:a},s);for(let u of d){let p=e(u);m("line",{x1:-4,x2:0,y1:p,y2:p},s),m("text",{x:-6,y:p+3,"text-anchor":"end"},s).textContent=i(u)}if(r){let u=m("text",{x:0,y:0,"text-anchor":"middle",class:"lw-label",transform:`translate(-38,${(l+a)/2}) rotate(-90)`},s);u.textContent=r}}return s}var et="#d62728",nt="#ff7f0e",y="#e6007e";var Vt=["#440154","#482878","#3e4989","#31688e","#26828e","#1f9e89","#35b779","#6ece58","#b5de2b","#fde725"];function xt(t){let e=parseInt(t.slice(1),16);return[e>>16&255,e>>8&255,e&255]}function Wt(t,e){Number.isFinite(e)||(e=0),e=Math.min(1,Math.max(0,e));let n=e*(t.length-1),o=Math.min(t.length-2,Math.floor(n)),r=n-o,i=xt(t[o]),s=xt(t[o+1]),l=i.map((a,c)=>Math.round(a+(s[c]-a)*r));return`rgb(${l[0]},${l[1]},${l[2]})`}var C=t=>Wt(Vt,t);var T=["#4e79a7","#f28e2b","#59a14f","#e15759","#76b7b2","#edc948","#b07aa1","#ff9da7","#9c755f","#bab0ac"],Dt=t=>typeof t=="boolean"||typeof t=="number"&&Number.isInteger(t);function bt(t,e=(n,o)=>n<o?-1:n>o?1:0){let n=[...new Set(t)].sort(e),o=new Map,r=n.map(i=>Dt(i)?(Number(i)%10+10)%10:-1);return n.length&&r.every(i=>i>=0)&&new Set(r).size===n.length?n.forEach((i,s)=>o.set(i,T[r[s]])):n.length<=T.length?n.forEach((i,s)=>o.set(i,T[s])):n.forEach((i,s)=>o.set(i,C(s/(n.length-1)))),o}var Gt=`
.lw-view { --lw-bg: var(--jp-layout-color0, #fff); --lw-fg: var(--jp-ui-font-color1, #222);
  --lw-muted: var(--jp-ui-font-color2, #555); --lw-line: var(--jp-border-color1, #888);
  position: relative; display: block; max-width: 100%; box-sizing: border-box;
  font: 12px system-ui, sans-serif; color: var(--lw-fg); background: var(--lw-bg);
  vertical-align: top; user-select: none; }
.lw-view:focus { outline: none; } .lw-view:focus-visible { outline: 2px solid ${y}; }
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
.lw-min { fill: ${et}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${nt}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; stroke: var(--lw-line); stroke-width: .5; }
.lw-edge { fill: none; stroke: var(--jp-ui-font-color2, #556); stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: rgba(15,25,45,.5); stroke-width: .8; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${y}; }
[aria-selected="true"].lw-edge { stroke: ${y}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${y}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${y}; stroke-width: 2.5; }
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
.lw-outline { fill: none; stroke: ${y}; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; pointer-events: none; }
.lw-outline-halo { fill: none; stroke: #fff; stroke-width: 5; stroke-linejoin: round;
  pointer-events: none; }
.lw-key-min { fill: ${et}; stroke: #fff; stroke-width: .8; }
.lw-key-saddle { fill: ${nt}; stroke: #fff; stroke-width: .8; }
.lw-key-outline { fill: none; stroke: ${y}; stroke-width: 2.5; stroke-linejoin: round; }
.lw-key-model { fill: #111; stroke: #fff; stroke-width: 1.5; }
.lw-legend-row { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; margin: 2px 4px; }
.lw-legend-row > span { display: inline-flex; align-items: center; }
.lw-legend-row svg { display: inline-block; margin-right: 4px; overflow: visible; }
.lw-curve-line { fill: none; stroke: var(--lw-fg); stroke-width: 1.6; stroke-linejoin: round; pointer-events: none; }
.lw-curve-band { fill: none; stroke: transparent; stroke-width: 7; stroke-linecap: round; stroke-linejoin: round; }
[aria-selected="true"].lw-curve-band { stroke: ${y}; stroke-opacity: .8; }
.lw-static-note { color: #777; font-style: italic; }
/* collection views: Gallery heat map, thumbnails, scatter, map */
.lw-gallery-top { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
.lw-heat-cell { stroke: #fff; stroke-width: 1; }
.lw-heat-cell.lw-empty { fill: #f2f2f2; }
[aria-selected="true"].lw-heat-cell { stroke: ${y}; stroke-width: 3; }
.lw-heat-value { font-size: 12px; pointer-events: none; }
.lw-entry { stroke: #fff; stroke-width: .8; }
.lw-dim .lw-entry:not([aria-selected="true"]) { opacity: .3; }
[aria-selected="true"].lw-entry { stroke: ${y}; stroke-width: 2.5; }
.lw-entry.lw-active { stroke: #111; stroke-width: 2.5; }
.lw-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0 4px 2px 48px; font-size: 12px; }
.lw-legend span.lw-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.lw-caption { color: var(--lw-muted); margin: 0 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 0 4px; }
.lw-caption .lw-ramp { display: inline-block; width: 90px; height: 10px; border-radius: 2px; }
.lw-profiles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; min-height: 24px; }
.lw-thumb { border: 1px solid #ddd; border-radius: 3px; padding: 2px; cursor: pointer; background: #fff; }
.lw-thumb:hover { border-color: #888; }
.lw-thumb[aria-current="true"] { border-color: ${y}; box-shadow: 0 0 0 2px ${y}; }
.lw-thumb-title { font-size: 12px; text-align: center; white-space: nowrap; }
.lw-thumb .lw-basin { stroke: #fff; stroke-width: .3; }
.lw-thumb .lw-merged { stroke-width: .9; } /* joined markers: a thin ring at thumbnail size */
.lw-explorer-area { border-top: 1px solid #ddd; margin-top: 6px; padding-top: 4px; }
.lw-note { color: #777; font-style: italic; margin: 4px; }
/* live Gallery progress */
.lw-progress { display: inline-flex; align-items: center; gap: 4px; color: var(--lw-muted); }
.lw-progress:empty { display: none; }
.lw-progress progress { width: 90px; height: 10px; }
/* the shared diagram renderer: essential classes summarised on the \u221E line */
.lw-essential-bin { fill: #23395d; }
.lw-essential-strip.lw-d1 .lw-essential-bin { fill: #c25f00; }
.lw-essential-bin[aria-selected="true"] { fill: ${y}; fill-opacity: 1; stroke: #222; stroke-width: 1; }
.lw-essential-count { font-size: 12px; fill: var(--lw-muted); }
/* TrajectoryView */
.lw-trajectory .lw-panels { display: flex; gap: 6px; }
.lw-trajectory .lw-sample { stroke: #fff; stroke-width: .6; cursor: pointer; }
.lw-trajectory .lw-jump { stroke: #222; stroke-width: 1; }
.lw-trajectory .lw-sample[aria-selected="true"] { stroke: ${y}; stroke-width: 2; }
.lw-trajectory .lw-traj { fill: none; stroke-width: 1.1; stroke-opacity: .55; }
.lw-trajectory .lw-pair { cursor: pointer; stroke: #fff; stroke-width: .7; }
.lw-trajectory .lw-d0 { fill: #1f77b4; } .lw-trajectory .lw-d1 { fill: #ff7f0e; }
.lw-trajectory .lw-pair[aria-selected="true"] { fill: ${y}; stroke: #222; stroke-width: 1.2; }
.lw-trajectory .lw-ring { fill: none; pointer-events: none; stroke-width: 2.2; }
.lw-trajectory .lw-birth { stroke: ${y}; } .lw-trajectory .lw-death { stroke: #111; stroke-dasharray: 3 2; }
.lw-trajectory .lw-picked { stroke: ${y}; }
.lw-trajectory .lw-link { stroke: ${y}; stroke-dasharray: 4 3; pointer-events: none; }
.lw-trajectory .lw-legend { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-diagram-key { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-key-item { display: inline-flex; align-items: center; gap: 3px; }
.lw-trajectory .lw-key-item svg { display: inline-block; }
.lw-trajectory .lw-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 2px; }
.lw-trajectory .lw-ramp { display: inline-block; width: 90px; height: 10px; }
.lw-trajectory .lw-status { color: #444; }
`;function kt(t){let e=t.getRootNode?t.getRootNode():document,n=e.head||e,o=e===document?document:e;if(o.querySelector&&o.querySelector("style[data-lw-style]"))return;let r=document.createElement("style");r.setAttribute("data-lw-style","1"),r.textContent=Gt,(n.appendChild?n:document.head).appendChild(r)}var Kt={float32:Float32Array,float64:Float64Array,int32:Int32Array,uint8:Uint8Array};function qt(t){let e=atob(t),n=new Uint8Array(e.length);for(let o=0;o<e.length;o++)n[o]=e.charCodeAt(o);return n}function Yt(t){if(typeof t=="string")return qt(t);if(t instanceof ArrayBuffer)return new Uint8Array(t);if(ArrayBuffer.isView(t))return new Uint8Array(t.buffer,t.byteOffset,t.byteLength);throw new TypeError(`wire: unsupported buffer ${Object.prototype.toString.call(t)}`)}function vt(t){if(t==null)return t;let e=Kt[t.dtype];if(!e)throw new TypeError(`wire: unknown dtype ${JSON.stringify(t.dtype)}`);let n=Yt(t.buffer),o=t.shape.reduce((s,l)=>s*l,1);if(n.byteLength!==o*e.BYTES_PER_ELEMENT)throw new RangeError(`wire: ${n.byteLength} bytes do not hold ${o} ${t.dtype} values (shape ${t.shape})`);let i=n.byteOffset%e.BYTES_PER_ELEMENT===0?new e(n.buffer,n.byteOffset,o):new e(n.slice().buffer,0,o);return i.shape=t.shape,i}async function _t(t,e){let n=t.get("selection");if(typeof n!="string")throw new Error("landscape_widgets: view has no selection model");let o=n.replace(/^IPY_MODEL_/,"").replace(/^anywidget:/,"");return e&&typeof e.getModel=="function"?e.getModel(`anywidget:${o}`):t.widget_manager.get_model(o)}var ot=2,Zt=["fill","fill-opacity","stroke","stroke-width","stroke-opacity","stroke-dasharray","stroke-linejoin","opacity","font-size","font-family","font-weight","font-style","text-anchor","dominant-baseline","visibility","display"];function Mt(t,e="#fff"){let n=t.cloneNode(!0),o=[t,...t.querySelectorAll("*")],r=[n,...n.querySelectorAll("*")],i=t.ownerDocument.defaultView;for(let c=0;c<o.length&&c<r.length;c++){let f=i&&i.getComputedStyle?i.getComputedStyle(o[c]):null;if(f)for(let d of Zt){let u=f.getPropertyValue(d);u&&r[c].style.setProperty(d,u)}}for(let c=0;c<o.length&&c<r.length;c++)o[c].localName==="foreignObject"&&Qt(o[c],r[c]);n.setAttribute("xmlns","http://www.w3.org/2000/svg"),n.setAttribute("xmlns:xlink","http://www.w3.org/1999/xlink");let s=Number(t.getAttribute("width")),l=Number(t.getAttribute("height"));n.setAttribute("viewBox",`0 0 ${s} ${l}`),n.style.setProperty("overflow","hidden");let a=t.ownerDocument.createElementNS("http://www.w3.org/2000/svg","rect");a.setAttribute("width",String(s)),a.setAttribute("height",String(l)),a.setAttribute("fill",e),n.insertBefore(a,n.firstChild);for(let c of n.querySelectorAll(".lw-brush"))c.remove();return n}function Qt(t,e){let n=t.querySelector("canvas"),o=null;try{o=n?n.toDataURL("image/png"):null}catch{o=null}if(!o||!o.startsWith("data:image/png")){e.remove();return}let r=m("image",{preserveAspectRatio:"none",href:o});for(let i of e.attributes)r.hasAttribute(i.name)||Y(r,i.name,i.value);e.replaceWith(r)}function St(t,e){return`<?xml version="1.0" encoding="UTF-8"?>
${new XMLSerializer().serializeToString(Mt(t,e))}`}function te(t,e=ot,n){let o=Number(t.getAttribute("width")),r=Number(t.getAttribute("height")),i=URL.createObjectURL(new Blob([St(t,n)],{type:"image/svg+xml"}));return new Promise((s,l)=>{let a=new Image;a.onload=()=>{let c=document.createElement("canvas");c.width=Math.round(o*e),c.height=Math.round(r*e);let f=c.getContext("2d");f.scale(e,e),f.drawImage(a,0,0,o,r),URL.revokeObjectURL(i),c.toBlob(d=>d?s(d):l(new Error("landscape_widgets: PNG export failed")),"image/png")},a.onerror=()=>{URL.revokeObjectURL(i),l(new Error("landscape_widgets: PNG export: the SVG did not load"))},a.src=i})}function At(t,e){let n=URL.createObjectURL(t),o=h("a",{download:e},document.body);o.href=n,o.click(),o.remove(),setTimeout(()=>URL.revokeObjectURL(n),1e3)}function Nt(t,e,n){let o=h("span",{class:"lw-export",role:"group","aria-label":"export figure"},t),r=()=>getComputedStyle(t.closest(".lw-view")||t).getPropertyValue("--lw-bg").trim()||"#fff";return h("button",{type:"button","data-export":"svg",text:"SVG",title:"download this figure as SVG"},o).addEventListener("click",()=>{At(new Blob([St(e(),r())],{type:"image/svg+xml"}),`${n}.svg`)}),h("button",{type:"button","data-export":"png",text:"PNG",title:`download this figure as PNG (${ot}x)`},o).addEventListener("click",async()=>{At(await te(e(),ot,r()),`${n}.png`)}),o}var an=Math.random().toString(36).slice(2,8);function ee(t,e,n){return e>0?n?Math.max(200,Math.floor(e)):Math.max(200,Math.min(t,Math.floor(e))):t}function $t(){let t=[];return{on(e,n,o){return typeof e.addEventListener=="function"&&typeof e.on!="function"?(e.addEventListener(n,o),t.push(()=>e.removeEventListener(n,o))):(e.on(n,o),t.push(()=>e.off(n,o))),o},add(e){return typeof e=="function"&&t.push(e),e},dispose(){for(;t.length;)t.pop()()}}}function rt(t,e,{onBox:n,onClick:o,onMove:r,onLeave:i,layer:s=null,canBox:l=()=>!0}){let a=$t(),c=null,f=null,d=u=>{let p=t.getBoundingClientRect(),b=e();return[u.clientX-p.left-b.left,u.clientY-p.top-b.top]};return a.on(t,"pointerdown",u=>{u.button===0&&(c=d(u))}),a.on(t,"pointermove",u=>{let[p,b]=d(u);c&&n&&l()&&Math.hypot(p-c[0],b-c[1])>4&&(f||(f=s?m("rect",{class:"lw-brush"},s()):m("rect",{class:"lw-brush",transform:`translate(${e().left},${e().top})`},t)),f.setAttribute("x",Math.min(p,c[0])),f.setAttribute("y",Math.min(b,c[1])),f.setAttribute("width",Math.abs(p-c[0])),f.setAttribute("height",Math.abs(b-c[1]))),r&&r(u,p,b)}),a.on(t,"pointerup",u=>{if(!c)return;let[p,b]=d(u);f?(f.remove(),f=null,n(Math.min(p,c[0]),Math.min(b,c[1]),Math.max(p,c[0]),Math.max(b,c[1]),u)):o&&o(u,p,b),c=null}),a.on(t,"pointerleave",()=>{i&&i()}),()=>a.dispose()}async function It({model:t,el:e,host:n},{name:o,view:r,title:i="",exportSvg:s=null,className:l=""}){let a=performance.now();kt(e);let c=await _t(t,n),f=h("div",{class:`lw-view lw-${o}${l?` ${l}`:""}`,"data-view":r||o},e),d=h("div",{class:"lw-head"},f),u=h("div",{class:"lw-title",text:i},d);s&&Nt(d,s,r||o);let p=$t();return{sel:c,root:f,head:d,title:u,bag:p,tip:h("div",{class:"lw-tooltip"},f),ready(){return f.setAttribute("data-ready","true"),f.setAttribute("data-mount-ms",(performance.now()-a).toFixed(1)),()=>{p.dispose(),f.remove()}},fitWidth(x){return ee(x,e.clientWidth||e.parentElement&&e.parentElement.clientWidth||0,!!(e.closest&&e.closest(".lw-cell")))},onResize(x){if(typeof ResizeObserver!="function")return;let _=e.clientWidth,S=new ResizeObserver(()=>{Math.abs(e.clientWidth-_)>=1&&(_=e.clientWidth,x())});S.observe(e),p.add(()=>S.disconnect())},timed(x,_=f){return(...S)=>{let j=performance.now(),L=x(...S);return _.setAttribute("data-render-ms",(performance.now()-j).toFixed(1)),L}}}}var F=t=>{let e=String(t);return/^\w+$/.test(e)&&e.replace(/_+/g," ").trim()||e};function it(t){let e=t||{},n=e.ids||[],o={};for(let[r,i]of Object.entries(e.metrics||{}))o[r]=vt(i);return{ids:n,labels:e.labels||n,keyNames:e.key_names||[],keys:e.keys||{},metricNames:e.metric_names||[],metrics:o,index:new Map(n.map((r,i)=>[r,i])),column(r){return r in this.metrics?Array.from(this.metrics[r]):r in this.keys?this.keys[r]:null},isKey(r){return this.keyNames.includes(r)}}}function V(t,e){let n=typeof t=="string";return n!==(typeof e=="string")?n?1:-1:n?t<e?-1:t>e?1:0:Number(t)-Number(e)}function jt(t){return[...new Set(t)].sort(V)}function ne(t,e,n){if(!n)return[...new Set(e)];let o=new Set(t);if(e.length&&e.every(r=>o.has(r)))for(let r of e)o.delete(r);else for(let r of e)o.add(r);return[...o]}function Ft(t,e){t.set("entries",e),t.save_changes()}function oe(t,e,n,o,r){return t.filter(i=>i.px>=e&&i.px<=o&&i.py>=n&&i.py<=r).map(i=>i.id)}function Et(t,e,n,o=8){let r=null,i=o;for(let s of t){let l=Math.hypot(s.px-e,s.py-n);l<=i&&([r,i]=[s,l])}return r}function Ct(t,e,n){let o=(r,i)=>Ft(t,ne(t.get("entries")||[],r,i.shiftKey));return{onBox:(r,i,s,l,a)=>o(oe(e(),r,i,s,l),a),onClick:(r,i,s)=>{let l=n(i,s);l?o([l.id],r):r.shiftKey||Ft(t,[])}}}var U=class{constructor(){this.items=[]}clear(){this.items=[]}add(e,n){return e.setAttribute("data-entries",n.join(" ")),this.items.push({node:e,ids:n}),e}apply(e,n=null){for(let{node:o,ids:r}of this.items)r.some(i=>e.has(i))?o.setAttribute("aria-selected","true"):o.removeAttribute("aria-selected"),o.classList.toggle("lw-active",n!=null&&r.includes(n))}};var I={left:52,right:12,top:10,bottom:36},st=t=>typeof t=="number"?t:typeof t=="boolean"?Number(t):NaN;function re(t,e,n,o=!1,r=!1){let i=(t.column(e)||[]).map(st),s=(t.column(n)||[]).map(st),l=[];return t.ids.forEach((a,c)=>{let f=i[c],d=s[c];!Number.isFinite(f)||!Number.isFinite(d)||o&&f<=0||r&&d<=0||(o&&(f=Math.log10(f)),r&&(d=Math.log10(d)),l.push({i:c,id:a,x:f,y:d}))}),l}function ie(t,e){let n=e?t.column(e):null;if(!n)return{colorOf:()=>"#4a6fa5",legend:[]};if(t.isKey(e)||n.some(l=>typeof l=="string")){let l=bt(n,V);return{colorOf:a=>l.get(n[a]),legend:jt(n).map(a=>({label:`${e}=${a}`,color:l.get(a)}))}}let o=n.map(st),r=o.filter(Number.isFinite),i=Math.min(...r),s=Math.max(...r)-i||1;return{colorOf:l=>Number.isFinite(o[l])?C((o[l]-i)/s):"#bbb",legend:r.length?[{label:`${e} ${N(i)}`,color:C(0)},{label:N(i+s),color:C(1)}]:[]}}function se(t,e,n){let o=[[H(t.labels[e])]];for(let r of n)r&&!t.isKey(r)&&o.push(`${r} ${N((t.column(r)||[])[e])}`);return o}async function le({model:t,el:e,host:n}){let o=null,r=await It({model:t,el:e,host:n},{name:"scatter",title:"Metrics of every entry",exportSvg:()=>o}),{sel:i,root:s,tip:l,bag:a}=r,c=h("div",{class:"lw-controls"},s),f={};for(let[w,k]of[["x","x"],["y","y"],["color","colour"]]){let v=h("label",{text:k},c);f[w]=h("select",{"data-axis":w},v),a.on(f[w],"change",()=>{t.set(w,f[w].value),t.save_changes()})}let d={};for(let[w,k]of[["log_x","log x"],["log_y","log y"]]){let v=h("label",{text:k},c);d[w]=h("input",{type:"checkbox","data-log":w},v),a.on(d[w],"change",()=>{t.set(w,d[w].checked),t.save_changes()})}o=m("svg",{role:"img","aria-label":"metric scatter"},s);let u=h("div",{class:"lw-legend"},s),p=h("div",{class:"lw-caption"},s),b=new U,x=it(t.get("_data")),_=[],S=()=>{let w=new Set(i.get("entries")||[]);b.apply(w,i.get("active")),o.classList.toggle("lw-dim",[...w].some(k=>x.index.has(k)))},j=r.timed(()=>{x=it(t.get("_data"));let w=[...x.metricNames,...x.keyNames],k=t.get("x"),v=t.get("y"),A=t.get("color")||"",W=g=>g.map(M=>[M,F(M)]);P(f.x,W(w),k),P(f.y,W(w),v),P(f.color,W([...x.keyNames,...x.metricNames]),A,"(none)");let B=!!t.get("log_x"),R=!!t.get("log_y");d.log_x.checked=B,d.log_y.checked=R;let D=r.fitWidth(t.get("width")),lt=t.get("height");o.setAttribute("width",D),o.setAttribute("height",lt),s.style.maxWidth=`${D}px`,o.replaceChildren(),b.clear();let at=D-I.left-I.right,G=lt-I.top-I.bottom,z=m("g",{transform:`translate(${I.left},${I.top})`},o);m("rect",{x:0,y:0,width:at,height:G,fill:"transparent",class:"lw-bg"},z);let E=re(x,k,v,B,R),ct=X(Q(E.map(g=>g.x)),[0,at]),ft=X(Q(E.map(g=>g.y)),[G,0]),dt=g=>g?M=>N(10**M):N;tt(m("g",{transform:`translate(0,${G})`},z),ct,"bottom",{label:B?`${F(k)} (log)`:F(k),format:dt(B)}),tt(z,ft,"left",{label:R?`${F(v)} (log)`:F(v),format:dt(R)});let ut=ie(x,A),K=A?x.column(A):null,Lt=K?[...E].sort((g,M)=>V(K[g.i],K[M.i])):E;_=[];for(let g of Lt){let M=ct(g.x),ht=ft(g.y),Bt=m("circle",{class:"lw-entry lw-hit",cx:M.toFixed(1),cy:ht.toFixed(1),r:5,fill:ut.colorOf(g.i),"data-entry":g.id},z);b.add(Bt,[g.id]),_.push({id:g.id,i:g.i,px:M,py:ht})}u.replaceChildren();for(let g of ut.legend)yt(u,g.color,g.label);let pt=x.ids.length-E.length;p.textContent=pt?`${pt} of ${x.ids.length} entries have no value to plot`:"",S()}),L=(w,k)=>Et(_,w,k);a.add(rt(o,()=>I,{...Ct(i,()=>_,L),onMove:(w,k,v)=>{let A=L(k,v);if(!A){O(l);return}J(l,s,w,se(x,A.i,[t.get("x"),t.get("y"),t.get("color")])),i.get("hover")!==A.id&&(i.set("hover",A.id),i.save_changes())},onLeave:()=>{O(l),i.get("hover")!=null&&(i.set("hover",null),i.save_changes())}})),j();for(let w of["change:_data","change:x","change:y","change:color","change:log_x","change:log_y","change:width","change:height"])a.on(t,w,j);return a.on(i,"change:entries",S),a.on(i,"change:active",S),r.onResize(j),r.ready()}var bn={render:le};export{I as MARGIN,ie as colorScale,bn as default,se as entryTooltip,re as scatterPoints};

var Ct="http://www.w3.org/2000/svg",ut=/^on/i,Lt=new Set(["href","xlink:href","src","action","formaction"]),zt=/^(data:image\/(png|jpeg|gif|webp);|#|$)/i;function pt(t,e){for(let[n,o]of Object.entries(e))if(n==="text")t.textContent=o==null?"":String(o);else{if(o==null)continue;if(ut.test(n))throw new Error(`landscape_widgets: attribute ${JSON.stringify(n)}: event handlers are attached with addEventListener, never as attributes`);if(n==="style"&&typeof o=="object")for(let[r,i]of Object.entries(o))i!=null&&t.style.setProperty(r,String(i));else Rt(t,n,o)}return t}function Rt(t,e,n){if(ut.test(e))throw new Error(`landscape_widgets: attribute ${JSON.stringify(e)}: event handlers are attached with addEventListener, never as attributes`);let o=String(n);if(Lt.has(e.toLowerCase())&&!zt.test(o.trim()))throw new Error(`landscape_widgets: attribute ${e}: expected a data:image URL drawn by the view, got ${JSON.stringify(o.slice(0,40))}`);return t.setAttribute(e,o),t}function g(t,e={},n=null){let o=pt(document.createElementNS(Ct,t),e);return n&&n.appendChild(o),o}function h(t,e={},n=null){let o=pt(document.createElement(t),e);return n&&n.appendChild(o),o}function ht(t,e){return t.appendChild(document.createTextNode(e==null?"":String(e)))}var q=t=>({bold:t});function Bt(t,e){t.replaceChildren();let n=!0;for(let o of e)if(o!=null){n||t.appendChild(document.createElement("br")),n=!1;for(let r of Array.isArray(o)?o:[o])r!=null&&typeof r=="object"&&"bold"in r?h("b",{text:r.bold},t):ht(t,r)}return t}function K(t,e,n,o){Bt(t,o),t.style.display="block";let r=e.getBoundingClientRect();t.style.left=`${n.clientX-r.left+12}px`,t.style.top=`${n.clientY-r.top+12}px`}function B(t){t.style.display="none"}function O(t,e,n,o=null){t.replaceChildren(),o!=null&&h("option",{value:"",text:o},t);for(let r of e){let[i,s]=Array.isArray(r)?r:[r,r];h("option",{value:i,text:s},t)}t.value=n==null?"":String(n)}function wt(t,e,n,o="lw-swatch"){let r=h("span",{},t);return h("span",{class:o,style:{background:e}},r),ht(r,n),r}function Y(t,e){let[n,o]=t,[r,i]=e,s=o-n||1,a=l=>r+(l-n)/s*(i-r);return a.invert=l=>n+(l-r)/(i-r||1)*s,a.domain=[n,o],a.range=[r,i],a}function J(t,e,n=5){if(!Number.isFinite(t)||!Number.isFinite(e))return[];if(e<t&&([t,e]=[e,t]),e===t)return[t];let o=(e-t)/Math.max(1,n),r=10**Math.floor(Math.log10(o)),i=o/r,s=r*(i>=7.5?10:i>=3.5?5:i>=1.5?2:1),a=[];for(let l=Math.ceil(t/s)*s;l<=e+s*1e-9;l+=s)a.push(Math.abs(l)<s*1e-9?0:l);return a}function $(t){if(t==null||Number.isNaN(t))return"\u2013";if(!Number.isFinite(t))return t>0?"\u221E":"-\u221E";let e=Math.abs(t);return e!==0&&(e>=1e5||e<.001)?t.toExponential(2):String(Number(t.toPrecision(4)))}function H(t,e=.05){let n=1/0,o=-1/0;for(let i of t)Number.isFinite(i)&&(i<n&&(n=i),i>o&&(o=i));if(n===1/0)return[0,1];if(o===n)return[n-.5,o+.5];let r=(o-n)*e;return[n-r,o+r]}function X(t,e,n,{count:o=5,label:r="",format:i=String}={}){let s=g("g",{class:"lw-axis"},t),[a,l]=e.range,c=Math.min(...e.domain),f=Math.max(...e.domain),d=J(c,f,o);if(n==="bottom"){g("line",{x1:a,x2:l,y1:0,y2:0},s);for(let u of d){let p=e(u);g("line",{x1:p,x2:p,y1:0,y2:4},s),g("text",{x:p,y:14,"text-anchor":"middle"},s).textContent=i(u)}r&&(g("text",{x:(a+l)/2,y:28,"text-anchor":"middle",class:"lw-label"},s).textContent=r)}else{g("line",{x1:0,x2:0,y1:a,y2:l},s);for(let u of d){let p=e(u);g("line",{x1:-4,x2:0,y1:p,y2:p},s),g("text",{x:-6,y:p+3,"text-anchor":"end"},s).textContent=i(u)}if(r){let u=g("text",{x:0,y:0,"text-anchor":"middle",class:"lw-label",transform:`translate(-38,${(a+l)/2}) rotate(-90)`},s);u.textContent=r}}return s}var Z="#d62728",Q="#ff7f0e",x="#e6007e",Ot=["#440154","#482878","#3e4989","#31688e","#26828e","#1f9e89","#35b779","#6ece58","#b5de2b","#fde725"];function mt(t){let e=parseInt(t.slice(1),16);return[e>>16&255,e>>8&255,e&255]}function Tt(t,e){Number.isFinite(e)||(e=0),e=Math.min(1,Math.max(0,e));let n=e*(t.length-1),o=Math.min(t.length-2,Math.floor(n)),r=n-o,i=mt(t[o]),s=mt(t[o+1]),a=i.map((l,c)=>Math.round(l+(s[c]-l)*r));return`rgb(${a[0]},${a[1]},${a[2]})`}var E=t=>Tt(Ot,t);var T=["#4e79a7","#f28e2b","#59a14f","#e15759","#76b7b2","#edc948","#b07aa1","#ff9da7","#9c755f","#bab0ac"],Pt=t=>typeof t=="boolean"||typeof t=="number"&&Number.isInteger(t);function gt(t,e=(n,o)=>n<o?-1:n>o?1:0){let n=[...new Set(t)].sort(e),o=new Map,r=n.map(i=>Pt(i)?(Number(i)%10+10)%10:-1);return n.length&&r.every(i=>i>=0)&&new Set(r).size===n.length?n.forEach((i,s)=>o.set(i,T[r[s]])):n.length<=T.length?n.forEach((i,s)=>o.set(i,T[s])):n.forEach((i,s)=>o.set(i,E(s/(n.length-1)))),o}var Ut=`
.lw-view { --lw-bg: var(--jp-layout-color0, #fff); --lw-fg: var(--jp-ui-font-color1, #222);
  --lw-muted: var(--jp-ui-font-color2, #555); --lw-line: var(--jp-border-color1, #888);
  position: relative; display: block; max-width: 100%; box-sizing: border-box;
  font: 12px system-ui, sans-serif; color: var(--lw-fg); background: var(--lw-bg);
  vertical-align: top; user-select: none; }
.lw-view:focus { outline: none; } .lw-view:focus-visible { outline: 2px solid ${x}; }
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
.lw-tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95);
  border: 1px solid #999; border-radius: 3px; padding: 3px 6px; font-size: 12px; color: #222;
  white-space: nowrap; display: none; z-index: 10; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.lw-brush { fill: rgba(30,100,200,.12); stroke: #1e64c8; stroke-dasharray: 3 2; }
.lw-hit { cursor: pointer; }
.lw-min { fill: ${Z}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${Q}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; stroke: var(--lw-line); stroke-width: .5; }
.lw-edge { fill: none; stroke: var(--jp-ui-font-color2, #556); stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: rgba(15,25,45,.5); stroke-width: .8; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${x}; }
[aria-selected="true"].lw-edge { stroke: ${x}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${x}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${x}; stroke-width: 2.5; }
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
.lw-explorer-title { font-size: 13px; color: var(--lw-muted); margin: 2px 4px; }
.lw-crumbs { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 2px; }
.lw-crumb { font: inherit; border: none; background: none; padding: 0 2px; cursor: pointer;
  color: var(--jp-content-link-color, #1f5fa8); text-decoration: underline; }
.lw-crumb[aria-current="true"] { color: var(--lw-fg); text-decoration: none; font-weight: 600; }
.lw-hint { color: var(--lw-muted); font-style: italic; }
.lw-controls select { font: inherit; }
.lw-merged { stroke: var(--lw-fg); stroke-width: 1.6; }
.lw-stub { stroke-width: .5; }
.lw-model { fill: #111; stroke: #fff; stroke-width: 1.5; cursor: pointer; }
.lw-model.lw-model-off { fill: rgba(255, 255, 255, 0.55); stroke: #111; stroke-dasharray: 2 1.5; }
.lw-outline { fill: none; stroke: ${x}; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; pointer-events: none; }
.lw-outline-halo { fill: none; stroke: #fff; stroke-width: 5; stroke-linejoin: round;
  pointer-events: none; }
.lw-key-min { fill: ${Z}; stroke: #fff; stroke-width: .8; }
.lw-key-saddle { fill: ${Q}; stroke: #fff; stroke-width: .8; }
.lw-key-outline { fill: none; stroke: ${x}; stroke-width: 2.5; stroke-linejoin: round; }
.lw-key-model { fill: #111; stroke: #fff; stroke-width: 1.5; }
.lw-legend-row { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; margin: 2px 4px; }
.lw-legend-row > span { display: inline-flex; align-items: center; }
.lw-legend-row svg { display: inline-block; margin-right: 4px; overflow: visible; }
.lw-curve-line { fill: none; stroke: var(--lw-fg); stroke-width: 1.6; stroke-linejoin: round; pointer-events: none; }
.lw-curve-band { fill: none; stroke: transparent; stroke-width: 7; stroke-linecap: round; stroke-linejoin: round; }
[aria-selected="true"].lw-curve-band { stroke: ${x}; stroke-opacity: .8; }
.lw-static-note { color: #777; font-style: italic; }
/* collection views: Gallery heat map, thumbnails, scatter, map */
.lw-gallery-top { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
.lw-heat-cell { stroke: #fff; stroke-width: 1; }
.lw-heat-cell.lw-empty { fill: #f2f2f2; }
[aria-selected="true"].lw-heat-cell { stroke: ${x}; stroke-width: 3; }
.lw-heat-value { font-size: 12px; pointer-events: none; }
.lw-entry { stroke: #fff; stroke-width: .8; }
.lw-dim .lw-entry:not([aria-selected="true"]) { opacity: .3; }
[aria-selected="true"].lw-entry { stroke: ${x}; stroke-width: 2.5; }
.lw-entry.lw-active { stroke: #111; stroke-width: 2.5; }
.lw-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0 4px 2px 48px; font-size: 12px; }
.lw-legend span.lw-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.lw-caption { color: var(--lw-muted); margin: 0 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 0 4px; }
.lw-caption .lw-ramp { display: inline-block; width: 90px; height: 10px; border-radius: 2px; }
.lw-profiles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; min-height: 24px; }
.lw-thumb { border: 1px solid #ddd; border-radius: 3px; padding: 2px; cursor: pointer; background: #fff; }
.lw-thumb:hover { border-color: #888; }
.lw-thumb[aria-current="true"] { border-color: ${x}; box-shadow: 0 0 0 2px ${x}; }
.lw-thumb-title { font-size: 12px; text-align: center; white-space: nowrap; }
.lw-thumb .lw-basin { stroke: #fff; stroke-width: .3; }
.lw-explorer-area { border-top: 1px solid #ddd; margin-top: 6px; padding-top: 4px; }
.lw-note { color: #777; font-style: italic; margin: 4px; }
/* live Gallery progress */
.lw-progress { display: inline-flex; align-items: center; gap: 4px; color: var(--lw-muted); }
.lw-progress:empty { display: none; }
.lw-progress progress { width: 90px; height: 10px; }
/* the shared diagram renderer: essential classes summarised on the \u221E line */
.lw-essential-bin { fill: #23395d; }
.lw-essential-strip.lw-d1 .lw-essential-bin { fill: #c25f00; }
.lw-essential-bin[aria-selected="true"] { fill: ${x}; fill-opacity: 1; stroke: #222; stroke-width: 1; }
.lw-essential-count { font-size: 12px; fill: var(--lw-muted); }
/* TrajectoryView */
.lw-trajectory .lw-panels { display: flex; gap: 6px; }
.lw-trajectory .lw-sample { stroke: #fff; stroke-width: .6; cursor: pointer; }
.lw-trajectory .lw-jump { stroke: #222; stroke-width: 1; }
.lw-trajectory .lw-sample[aria-selected="true"] { stroke: ${x}; stroke-width: 2; }
.lw-trajectory .lw-traj { fill: none; stroke-width: 1.1; stroke-opacity: .55; }
.lw-trajectory .lw-pair { cursor: pointer; stroke: #fff; stroke-width: .7; }
.lw-trajectory .lw-d0 { fill: #1f77b4; } .lw-trajectory .lw-d1 { fill: #ff7f0e; }
.lw-trajectory .lw-pair[aria-selected="true"] { fill: ${x}; stroke: #222; stroke-width: 1.2; }
.lw-trajectory .lw-ring { fill: none; pointer-events: none; stroke-width: 2.2; }
.lw-trajectory .lw-birth { stroke: ${x}; } .lw-trajectory .lw-death { stroke: #111; stroke-dasharray: 3 2; }
.lw-trajectory .lw-picked { stroke: ${x}; }
.lw-trajectory .lw-link { stroke: ${x}; stroke-dasharray: 4 3; pointer-events: none; }
.lw-trajectory .lw-legend { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-diagram-key { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-key-item { display: inline-flex; align-items: center; gap: 3px; }
.lw-trajectory .lw-key-item svg { display: inline-block; }
.lw-trajectory .lw-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 2px; }
.lw-trajectory .lw-ramp { display: inline-block; width: 90px; height: 10px; }
.lw-trajectory .lw-status { color: #444; }
`;function xt(t){let e=t.getRootNode?t.getRootNode():document,n=e.head||e,o=e===document?document:e;if(o.querySelector&&o.querySelector("style[data-lw-style]"))return;let r=document.createElement("style");r.setAttribute("data-lw-style","1"),r.textContent=Ut,(n.appendChild?n:document.head).appendChild(r)}var Vt={float32:Float32Array,float64:Float64Array,int32:Int32Array,uint8:Uint8Array};function Wt(t){let e=atob(t),n=new Uint8Array(e.length);for(let o=0;o<e.length;o++)n[o]=e.charCodeAt(o);return n}function Dt(t){if(typeof t=="string")return Wt(t);if(t instanceof ArrayBuffer)return new Uint8Array(t);if(ArrayBuffer.isView(t))return new Uint8Array(t.buffer,t.byteOffset,t.byteLength);throw new TypeError(`wire: unsupported buffer ${Object.prototype.toString.call(t)}`)}function yt(t){if(t==null)return t;let e=Vt[t.dtype];if(!e)throw new TypeError(`wire: unknown dtype ${JSON.stringify(t.dtype)}`);let n=Dt(t.buffer),o=t.shape.reduce((s,a)=>s*a,1);if(n.byteLength!==o*e.BYTES_PER_ELEMENT)throw new RangeError(`wire: ${n.byteLength} bytes do not hold ${o} ${t.dtype} values (shape ${t.shape})`);let i=n.byteOffset%e.BYTES_PER_ELEMENT===0?new e(n.buffer,n.byteOffset,o):new e(n.slice().buffer,0,o);return i.shape=t.shape,i}async function bt(t,e){let n=t.get("selection");if(typeof n!="string")throw new Error("landscape_widgets: view has no selection model");let o=n.replace(/^IPY_MODEL_/,"").replace(/^anywidget:/,"");return e&&typeof e.getModel=="function"?e.getModel(`anywidget:${o}`):t.widget_manager.get_model(o)}var tt=2,Yt=["fill","fill-opacity","stroke","stroke-width","stroke-opacity","stroke-dasharray","stroke-linejoin","opacity","font-size","font-family","font-weight","font-style","text-anchor","dominant-baseline","visibility","display"];function At(t,e="#fff"){let n=t.cloneNode(!0),o=[t,...t.querySelectorAll("*")],r=[n,...n.querySelectorAll("*")],i=t.ownerDocument.defaultView;for(let c=0;c<o.length&&c<r.length;c++){let f=i&&i.getComputedStyle?i.getComputedStyle(o[c]):null;if(f)for(let d of Yt){let u=f.getPropertyValue(d);u&&r[c].style.setProperty(d,u)}}n.setAttribute("xmlns","http://www.w3.org/2000/svg"),n.setAttribute("xmlns:xlink","http://www.w3.org/1999/xlink");let s=Number(t.getAttribute("width")),a=Number(t.getAttribute("height"));n.setAttribute("viewBox",`0 0 ${s} ${a}`),n.style.setProperty("overflow","hidden");let l=t.ownerDocument.createElementNS("http://www.w3.org/2000/svg","rect");l.setAttribute("width",String(s)),l.setAttribute("height",String(a)),l.setAttribute("fill",e),n.insertBefore(l,n.firstChild);for(let c of n.querySelectorAll(".lw-brush"))c.remove();return n}function vt(t,e){return`<?xml version="1.0" encoding="UTF-8"?>
${new XMLSerializer().serializeToString(At(t,e))}`}function Jt(t,e=tt,n){let o=Number(t.getAttribute("width")),r=Number(t.getAttribute("height")),i=URL.createObjectURL(new Blob([vt(t,n)],{type:"image/svg+xml"}));return new Promise((s,a)=>{let l=new Image;l.onload=()=>{let c=document.createElement("canvas");c.width=Math.round(o*e),c.height=Math.round(r*e);let f=c.getContext("2d");f.scale(e,e),f.drawImage(l,0,0,o,r),URL.revokeObjectURL(i),c.toBlob(d=>d?s(d):a(new Error("landscape_widgets: PNG export failed")),"image/png")},l.onerror=()=>{URL.revokeObjectURL(i),a(new Error("landscape_widgets: PNG export: the SVG did not load"))},l.src=i})}function kt(t,e){let n=URL.createObjectURL(t),o=h("a",{download:e},document.body);o.href=n,o.click(),o.remove(),setTimeout(()=>URL.revokeObjectURL(n),1e3)}function Mt(t,e,n){let o=h("span",{class:"lw-export",role:"group","aria-label":"export figure"},t),r=()=>getComputedStyle(t.closest(".lw-view")||t).getPropertyValue("--lw-bg").trim()||"#fff";return h("button",{type:"button","data-export":"svg",text:"SVG",title:"download this figure as SVG"},o).addEventListener("click",()=>{kt(new Blob([vt(e(),r())],{type:"image/svg+xml"}),`${n}.svg`)}),h("button",{type:"button","data-export":"png",text:"PNG",title:`download this figure as PNG (${tt}x)`},o).addEventListener("click",async()=>{kt(await Jt(e(),tt,r()),`${n}.png`)}),o}function Ht(t,e,n){return e>0?n?Math.max(200,Math.floor(e)):Math.max(200,Math.min(t,Math.floor(e))):t}function _t(){let t=[];return{on(e,n,o){return typeof e.addEventListener=="function"&&typeof e.on!="function"?(e.addEventListener(n,o),t.push(()=>e.removeEventListener(n,o))):(e.on(n,o),t.push(()=>e.off(n,o))),o},add(e){return typeof e=="function"&&t.push(e),e},dispose(){for(;t.length;)t.pop()()}}}function et(t,e,{onBox:n,onClick:o,onMove:r,onLeave:i,layer:s=null,canBox:a=()=>!0}){let l=_t(),c=null,f=null,d=u=>{let p=t.getBoundingClientRect(),b=e();return[u.clientX-p.left-b.left,u.clientY-p.top-b.top]};return l.on(t,"pointerdown",u=>{u.button===0&&(c=d(u))}),l.on(t,"pointermove",u=>{let[p,b]=d(u);c&&n&&a()&&Math.hypot(p-c[0],b-c[1])>4&&(f||(f=s?g("rect",{class:"lw-brush"},s()):g("rect",{class:"lw-brush",transform:`translate(${e().left},${e().top})`},t)),f.setAttribute("x",Math.min(p,c[0])),f.setAttribute("y",Math.min(b,c[1])),f.setAttribute("width",Math.abs(p-c[0])),f.setAttribute("height",Math.abs(b-c[1]))),r&&r(u,p,b)}),l.on(t,"pointerup",u=>{if(!c)return;let[p,b]=d(u);f?(f.remove(),f=null,n(Math.min(p,c[0]),Math.min(b,c[1]),Math.max(p,c[0]),Math.max(b,c[1]),u)):o&&o(u,p,b),c=null}),l.on(t,"pointerleave",()=>{i&&i()}),()=>l.dispose()}async function St({model:t,el:e,host:n},{name:o,view:r,title:i="",exportSvg:s=null,className:a=""}){let l=performance.now();xt(e);let c=await bt(t,n),f=h("div",{class:`lw-view lw-${o}${a?` ${a}`:""}`,"data-view":r||o},e),d=h("div",{class:"lw-head"},f),u=h("div",{class:"lw-title",text:i},d);s&&Mt(d,s,r||o);let p=_t();return{sel:c,root:f,head:d,title:u,bag:p,tip:h("div",{class:"lw-tooltip"},f),ready(){return f.setAttribute("data-ready","true"),f.setAttribute("data-mount-ms",(performance.now()-l).toFixed(1)),()=>{p.dispose(),f.remove()}},fitWidth(y){return Ht(y,e.clientWidth||e.parentElement&&e.parentElement.clientWidth||0,!!(e.closest&&e.closest(".lw-cell")))},onResize(y){if(typeof ResizeObserver!="function")return;let v=e.clientWidth,S=new ResizeObserver(()=>{Math.abs(e.clientWidth-v)>=1&&(v=e.clientWidth,y())});S.observe(e),p.add(()=>S.disconnect())},timed(y,v=f){return(...S)=>{let I=performance.now(),C=y(...S);return v.setAttribute("data-render-ms",(performance.now()-I).toFixed(1)),C}}}}var F=t=>{let e=String(t);return/^\w+$/.test(e)&&e.replace(/_+/g," ").trim()||e};function nt(t){let e=t||{},n=e.ids||[],o={};for(let[r,i]of Object.entries(e.metrics||{}))o[r]=yt(i);return{ids:n,labels:e.labels||n,keyNames:e.key_names||[],keys:e.keys||{},metricNames:e.metric_names||[],metrics:o,index:new Map(n.map((r,i)=>[r,i])),column(r){return r in this.metrics?Array.from(this.metrics[r]):r in this.keys?this.keys[r]:null},isKey(r){return this.keyNames.includes(r)}}}function U(t,e){let n=typeof t=="string";return n!==(typeof e=="string")?n?1:-1:n?t<e?-1:t>e?1:0:Number(t)-Number(e)}function Nt(t){return[...new Set(t)].sort(U)}function Xt(t,e,n){if(!n)return[...new Set(e)];let o=new Set(t);if(e.length&&e.every(r=>o.has(r)))for(let r of e)o.delete(r);else for(let r of e)o.add(r);return[...o]}function $t(t,e){t.set("entries",e),t.save_changes()}function Zt(t,e,n,o,r){return t.filter(i=>i.px>=e&&i.px<=o&&i.py>=n&&i.py<=r).map(i=>i.id)}function Ft(t,e,n,o=8){let r=null,i=o;for(let s of t){let a=Math.hypot(s.px-e,s.py-n);a<=i&&([r,i]=[s,a])}return r}function It(t,e,n){let o=(r,i)=>$t(t,Xt(t.get("entries")||[],r,i.shiftKey));return{onBox:(r,i,s,a,l)=>o(Zt(e(),r,i,s,a),l),onClick:(r,i,s)=>{let a=n(i,s);a?o([a.id],r):r.shiftKey||$t(t,[])}}}var P=class{constructor(){this.items=[]}clear(){this.items=[]}add(e,n){return e.setAttribute("data-entries",n.join(" ")),this.items.push({node:e,ids:n}),e}apply(e,n=null){for(let{node:o,ids:r}of this.items)r.some(i=>e.has(i))?o.setAttribute("aria-selected","true"):o.removeAttribute("aria-selected"),o.classList.toggle("lw-active",n!=null&&r.includes(n))}};var N={left:52,right:12,top:10,bottom:36},ot=t=>typeof t=="number"?t:typeof t=="boolean"?Number(t):NaN;function Qt(t,e,n,o=!1,r=!1){let i=(t.column(e)||[]).map(ot),s=(t.column(n)||[]).map(ot),a=[];return t.ids.forEach((l,c)=>{let f=i[c],d=s[c];!Number.isFinite(f)||!Number.isFinite(d)||o&&f<=0||r&&d<=0||(o&&(f=Math.log10(f)),r&&(d=Math.log10(d)),a.push({i:c,id:l,x:f,y:d}))}),a}function te(t,e){let n=e?t.column(e):null;if(!n)return{colorOf:()=>"#4a6fa5",legend:[]};if(t.isKey(e)||n.some(a=>typeof a=="string")){let a=gt(n,U);return{colorOf:l=>a.get(n[l]),legend:Nt(n).map(l=>({label:`${e}=${l}`,color:a.get(l)}))}}let o=n.map(ot),r=o.filter(Number.isFinite),i=Math.min(...r),s=Math.max(...r)-i||1;return{colorOf:a=>Number.isFinite(o[a])?E((o[a]-i)/s):"#bbb",legend:r.length?[{label:`${e} ${$(i)}`,color:E(0)},{label:$(i+s),color:E(1)}]:[]}}function ee(t,e,n){let o=[[q(t.labels[e])]];for(let r of n)r&&!t.isKey(r)&&o.push(`${r} ${$((t.column(r)||[])[e])}`);return o}async function ne({model:t,el:e,host:n}){let o=null,r=await St({model:t,el:e,host:n},{name:"scatter",title:"Metrics of every entry",exportSvg:()=>o}),{sel:i,root:s,tip:a,bag:l}=r,c=h("div",{class:"lw-controls"},s),f={};for(let[w,k]of[["x","x"],["y","y"],["color","colour"]]){let A=h("label",{text:k},c);f[w]=h("select",{"data-axis":w},A),l.on(f[w],"change",()=>{t.set(w,f[w].value),t.save_changes()})}let d={};for(let[w,k]of[["log_x","log x"],["log_y","log y"]]){let A=h("label",{text:k},c);d[w]=h("input",{type:"checkbox","data-log":w},A),l.on(d[w],"change",()=>{t.set(w,d[w].checked),t.save_changes()})}o=g("svg",{role:"img","aria-label":"metric scatter"},s);let u=h("div",{class:"lw-legend"},s),p=h("div",{class:"lw-caption"},s),b=new P,y=nt(t.get("_data")),v=[],S=()=>{let w=new Set(i.get("entries")||[]);b.apply(w,i.get("active")),o.classList.toggle("lw-dim",[...w].some(k=>y.index.has(k)))},I=r.timed(()=>{y=nt(t.get("_data"));let w=[...y.metricNames,...y.keyNames],k=t.get("x"),A=t.get("y"),M=t.get("color")||"",V=m=>m.map(_=>[_,F(_)]);O(f.x,V(w),k),O(f.y,V(w),A),O(f.color,V([...y.keyNames,...y.metricNames]),M,"(none)");let L=!!t.get("log_x"),z=!!t.get("log_y");d.log_x.checked=L,d.log_y.checked=z;let W=r.fitWidth(t.get("width")),rt=t.get("height");o.setAttribute("width",W),o.setAttribute("height",rt),s.style.maxWidth=`${W}px`,o.replaceChildren(),b.clear();let it=W-N.left-N.right,D=rt-N.top-N.bottom,R=g("g",{transform:`translate(${N.left},${N.top})`},o);g("rect",{x:0,y:0,width:it,height:D,fill:"transparent",class:"lw-bg"},R);let j=Qt(y,k,A,L,z),st=Y(H(j.map(m=>m.x)),[0,it]),at=Y(H(j.map(m=>m.y)),[D,0]),lt=m=>m?_=>$(10**_):$;X(g("g",{transform:`translate(0,${D})`},R),st,"bottom",{label:L?`${F(k)} (log)`:F(k),format:lt(L)}),X(R,at,"left",{label:z?`${F(A)} (log)`:F(A),format:lt(z)});let ct=te(y,M),G=M?y.column(M):null,jt=G?[...j].sort((m,_)=>U(G[m.i],G[_.i])):j;v=[];for(let m of jt){let _=st(m.x),dt=at(m.y),Et=g("circle",{class:"lw-entry lw-hit",cx:_.toFixed(1),cy:dt.toFixed(1),r:5,fill:ct.colorOf(m.i),"data-entry":m.id},R);b.add(Et,[m.id]),v.push({id:m.id,i:m.i,px:_,py:dt})}u.replaceChildren();for(let m of ct.legend)wt(u,m.color,m.label);let ft=y.ids.length-j.length;p.textContent=ft?`${ft} of ${y.ids.length} entries have no value to plot`:"",S()}),C=(w,k)=>Ft(v,w,k);l.add(et(o,()=>N,{...It(i,()=>v,C),onMove:(w,k,A)=>{let M=C(k,A);if(!M){B(a);return}K(a,s,w,ee(y,M.i,[t.get("x"),t.get("y"),t.get("color")])),i.get("hover")!==M.id&&(i.set("hover",M.id),i.save_changes())},onLeave:()=>{B(a),i.get("hover")!=null&&(i.set("hover",null),i.save_changes())}})),I();for(let w of["change:_data","change:x","change:y","change:color","change:log_x","change:log_y","change:width","change:height"])l.on(t,w,I);return l.on(i,"change:entries",S),l.on(i,"change:active",S),r.onResize(I),r.ready()}var dn={render:ne};export{N as MARGIN,te as colorScale,dn as default,ee as entryTooltip,Qt as scatterPoints};

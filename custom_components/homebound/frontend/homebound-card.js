/* homebound-card sources sha256:a6858db64267367f9f9da455a69d887f0e8994328e5d2be50f577bb951fd0a9d */
/* Homebound's dashboard cards, built by frontend/build.mjs from frontend/src: do not edit. */
var G=globalThis,Y=G.ShadowRoot&&(G.ShadyCSS===void 0||G.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ae=Symbol(),Re=new WeakMap,B=class{constructor(e,t,n){if(this._$cssResult$=!0,n!==ae)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(Y&&e===void 0){let n=t!==void 0&&t.length===1;n&&(e=Re.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),n&&Re.set(t,e))}return e}toString(){return this.cssText}},He=s=>new B(typeof s=="string"?s:s+"",void 0,ae),S=(s,...e)=>{let t=s.length===1?s[0]:e.reduce((n,i,o)=>n+(r=>{if(r._$cssResult$===!0)return r.cssText;if(typeof r=="number")return r;throw Error("Value passed to 'css' function must be a 'css' function result: "+r+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(i)+s[o+1],s[0]);return new B(t,s,ae)},Oe=(s,e)=>{if(Y)s.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let n=document.createElement("style"),i=G.litNonce;i!==void 0&&n.setAttribute("nonce",i),n.textContent=t.cssText,s.appendChild(n)}},le=Y?s=>s:s=>s instanceof CSSStyleSheet?(e=>{let t="";for(let n of e.cssRules)t+=n.cssText;return He(t)})(s):s;var{is:vt,defineProperty:yt,getOwnPropertyDescriptor:$t,getOwnPropertyNames:kt,getOwnPropertySymbols:wt,getPrototypeOf:xt}=Object,J=globalThis,Ne=J.trustedTypes,At=Ne?Ne.emptyScript:"",St=J.reactiveElementPolyfillSupport,K=(s,e)=>s,ce={toAttribute(s,e){switch(e){case Boolean:s=s?At:null;break;case Object:case Array:s=s==null?s:JSON.stringify(s)}return s},fromAttribute(s,e){let t=s;switch(e){case Boolean:t=s!==null;break;case Number:t=s===null?null:Number(s);break;case Object:case Array:try{t=JSON.parse(s)}catch{t=null}}return t}},De=(s,e)=>!vt(s,e),Ie={attribute:!0,type:String,converter:ce,reflect:!1,useDefault:!1,hasChanged:De};Symbol.metadata??=Symbol("metadata"),J.litPropertyMetadata??=new WeakMap;var k=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=Ie){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let n=Symbol(),i=this.getPropertyDescriptor(e,n,t);i!==void 0&&yt(this.prototype,e,i)}}static getPropertyDescriptor(e,t,n){let{get:i,set:o}=$t(this.prototype,e)??{get(){return this[t]},set(r){this[t]=r}};return{get:i,set(r){let a=i?.call(this);o?.call(this,r),this.requestUpdate(e,a,n)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??Ie}static _$Ei(){if(this.hasOwnProperty(K("elementProperties")))return;let e=xt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(K("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(K("properties"))){let t=this.properties,n=[...kt(t),...wt(t)];for(let i of n)this.createProperty(i,t[i])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[n,i]of t)this.elementProperties.set(n,i)}this._$Eh=new Map;for(let[t,n]of this.elementProperties){let i=this._$Eu(t,n);i!==void 0&&this._$Eh.set(i,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let n=new Set(e.flat(1/0).reverse());for(let i of n)t.unshift(le(i))}else e!==void 0&&t.push(le(e));return t}static _$Eu(e,t){let n=t.attribute;return n===!1?void 0:typeof n=="string"?n:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let n of t.keys())this.hasOwnProperty(n)&&(e.set(n,this[n]),delete this[n]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return Oe(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,n){this._$AK(e,n)}_$ET(e,t){let n=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,n);if(i!==void 0&&n.reflect===!0){let o=(n.converter?.toAttribute!==void 0?n.converter:ce).toAttribute(t,n.type);this._$Em=e,o==null?this.removeAttribute(i):this.setAttribute(i,o),this._$Em=null}}_$AK(e,t){let n=this.constructor,i=n._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let o=n.getPropertyOptions(i),r=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:ce;this._$Em=i;let a=r.fromAttribute(t,o.type);this[i]=a??this._$Ej?.get(i)??a,this._$Em=null}}requestUpdate(e,t,n,i=!1,o){if(e!==void 0){let r=this.constructor;if(i===!1&&(o=this[e]),n??=r.getPropertyOptions(e),!((n.hasChanged??De)(o,t)||n.useDefault&&n.reflect&&o===this._$Ej?.get(e)&&!this.hasAttribute(r._$Eu(e,n))))return;this.C(e,t,n)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:n,reflect:i,wrapped:o},r){n&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,r??t??this[e]),o!==!0||r!==void 0)||(this._$AL.has(e)||(this.hasUpdated||n||(t=void 0),this._$AL.set(e,t)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,o]of this._$Ep)this[i]=o;this._$Ep=void 0}let n=this.constructor.elementProperties;if(n.size>0)for(let[i,o]of n){let{wrapped:r}=o,a=this[i];r!==!0||this._$AL.has(i)||a===void 0||this.C(i,void 0,o,a)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(n=>n.hostUpdate?.()),this.update(t)):this._$EM()}catch(n){throw e=!1,this._$EM(),n}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};k.elementStyles=[],k.shadowRootOptions={mode:"open"},k[K("elementProperties")]=new Map,k[K("finalized")]=new Map,St?.({ReactiveElement:k}),(J.reactiveElementVersions??=[]).push("2.1.2");var ge=globalThis,Me=s=>s,Q=ge.trustedTypes,Pe=Q?Q.createPolicy("lit-html",{createHTML:s=>s}):void 0,Ve="$lit$",w=`lit$${Math.random().toFixed(9).slice(2)}$`,ze="?"+w,Et=`<${ze}>`,T=document,V=()=>T.createComment(""),z=s=>s===null||typeof s!="object"&&typeof s!="function",_e=Array.isArray,Ct=s=>_e(s)||typeof s?.[Symbol.iterator]=="function",de=`[ 	
\f\r]`,j=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Ue=/-->/g,Le=/>/g,E=RegExp(`>|${de}(?:([^\\s"'>=/]+)(${de}*=${de}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Be=/'/g,Ke=/"/g,We=/^(?:script|style|textarea|title)$/i,be=s=>(e,...t)=>({_$litType$:s,strings:e,values:t}),u=be(1),rn=be(2),an=be(3),R=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),je=new WeakMap,C=T.createTreeWalker(T,129);function qe(s,e){if(!_e(s)||!s.hasOwnProperty("raw"))throw Error("invalid template strings array");return Pe!==void 0?Pe.createHTML(e):e}var Tt=(s,e)=>{let t=s.length-1,n=[],i,o=e===2?"<svg>":e===3?"<math>":"",r=j;for(let a=0;a<t;a++){let l=s[a],c,p,h=-1,m=0;for(;m<l.length&&(r.lastIndex=m,p=r.exec(l),p!==null);)m=r.lastIndex,r===j?p[1]==="!--"?r=Ue:p[1]!==void 0?r=Le:p[2]!==void 0?(We.test(p[2])&&(i=RegExp("</"+p[2],"g")),r=E):p[3]!==void 0&&(r=E):r===E?p[0]===">"?(r=i??j,h=-1):p[1]===void 0?h=-2:(h=r.lastIndex-p[2].length,c=p[1],r=p[3]===void 0?E:p[3]==='"'?Ke:Be):r===Ke||r===Be?r=E:r===Ue||r===Le?r=j:(r=E,i=void 0);let _=r===E&&s[a+1].startsWith("/>")?" ":"";o+=r===j?l+Et:h>=0?(n.push(c),l.slice(0,h)+Ve+l.slice(h)+w+_):l+w+(h===-2?a:_)}return[qe(s,o+(s[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),n]},W=class s{constructor({strings:e,_$litType$:t},n){let i;this.parts=[];let o=0,r=0,a=e.length-1,l=this.parts,[c,p]=Tt(e,t);if(this.el=s.createElement(c,n),C.currentNode=this.el.content,t===2||t===3){let h=this.el.content.firstChild;h.replaceWith(...h.childNodes)}for(;(i=C.nextNode())!==null&&l.length<a;){if(i.nodeType===1){if(i.hasAttributes())for(let h of i.getAttributeNames())if(h.endsWith(Ve)){let m=p[r++],_=i.getAttribute(h).split(w),L=/([.?@])?(.*)/.exec(m);l.push({type:1,index:o,name:L[2],strings:_,ctor:L[1]==="."?he:L[1]==="?"?pe:L[1]==="@"?me:O}),i.removeAttribute(h)}else h.startsWith(w)&&(l.push({type:6,index:o}),i.removeAttribute(h));if(We.test(i.tagName)){let h=i.textContent.split(w),m=h.length-1;if(m>0){i.textContent=Q?Q.emptyScript:"";for(let _=0;_<m;_++)i.append(h[_],V()),C.nextNode(),l.push({type:2,index:++o});i.append(h[m],V())}}}else if(i.nodeType===8)if(i.data===ze)l.push({type:2,index:o});else{let h=-1;for(;(h=i.data.indexOf(w,h+1))!==-1;)l.push({type:7,index:o}),h+=w.length-1}o++}}static createElement(e,t){let n=T.createElement("template");return n.innerHTML=e,n}};function H(s,e,t=s,n){if(e===R)return e;let i=n!==void 0?t._$Co?.[n]:t._$Cl,o=z(e)?void 0:e._$litDirective$;return i?.constructor!==o&&(i?._$AO?.(!1),o===void 0?i=void 0:(i=new o(s),i._$AT(s,t,n)),n!==void 0?(t._$Co??=[])[n]=i:t._$Cl=i),i!==void 0&&(e=H(s,i._$AS(s,e.values),i,n)),e}var ue=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:n}=this._$AD,i=(e?.creationScope??T).importNode(t,!0);C.currentNode=i;let o=C.nextNode(),r=0,a=0,l=n[0];for(;l!==void 0;){if(r===l.index){let c;l.type===2?c=new q(o,o.nextSibling,this,e):l.type===1?c=new l.ctor(o,l.name,l.strings,this,e):l.type===6&&(c=new fe(o,this,e)),this._$AV.push(c),l=n[++a]}r!==l?.index&&(o=C.nextNode(),r++)}return C.currentNode=T,i}p(e){let t=0;for(let n of this._$AV)n!==void 0&&(n.strings!==void 0?(n._$AI(e,n,t),t+=n.strings.length-2):n._$AI(e[t])),t++}},q=class s{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,n,i){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=n,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=H(this,e,t),z(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==R&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Ct(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&z(this._$AH)?this._$AA.nextSibling.data=e:this.T(T.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:n}=e,i=typeof n=="number"?this._$AC(e):(n.el===void 0&&(n.el=W.createElement(qe(n.h,n.h[0]),this.options)),n);if(this._$AH?._$AD===i)this._$AH.p(t);else{let o=new ue(i,this),r=o.u(this.options);o.p(t),this.T(r),this._$AH=o}}_$AC(e){let t=je.get(e.strings);return t===void 0&&je.set(e.strings,t=new W(e)),t}k(e){_e(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,n,i=0;for(let o of e)i===t.length?t.push(n=new s(this.O(V()),this.O(V()),this,this.options)):n=t[i],n._$AI(o),i++;i<t.length&&(this._$AR(n&&n._$AB.nextSibling,i),t.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let n=Me(e).nextSibling;Me(e).remove(),e=n}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},O=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,n,i,o){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=i,this.options=o,n.length>2||n[0]!==""||n[1]!==""?(this._$AH=Array(n.length-1).fill(new String),this.strings=n):this._$AH=d}_$AI(e,t=this,n,i){let o=this.strings,r=!1;if(o===void 0)e=H(this,e,t,0),r=!z(e)||e!==this._$AH&&e!==R,r&&(this._$AH=e);else{let a=e,l,c;for(e=o[0],l=0;l<o.length-1;l++)c=H(this,a[n+l],t,l),c===R&&(c=this._$AH[l]),r||=!z(c)||c!==this._$AH[l],c===d?e=d:e!==d&&(e+=(c??"")+o[l+1]),this._$AH[l]=c}r&&!i&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},he=class extends O{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},pe=class extends O{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},me=class extends O{constructor(e,t,n,i,o){super(e,t,n,i,o),this.type=5}_$AI(e,t=this){if((e=H(this,e,t,0)??d)===R)return;let n=this._$AH,i=e===d&&n!==d||e.capture!==n.capture||e.once!==n.once||e.passive!==n.passive,o=e!==d&&(n===d||i);i&&this.element.removeEventListener(this.name,this,n),o&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},fe=class{constructor(e,t,n){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=n}get _$AU(){return this._$AM._$AU}_$AI(e){H(this,e)}};var Rt=ge.litHtmlPolyfillSupport;Rt?.(W,q),(ge.litHtmlVersions??=[]).push("3.3.3");var Fe=(s,e,t)=>{let n=t?.renderBefore??e,i=n._$litPart$;if(i===void 0){let o=t?.renderBefore??null;n._$litPart$=i=new q(e.insertBefore(V(),o),o,void 0,t??{})}return i._$AI(s),i};var ve=globalThis,f=class extends k{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Fe(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return R}};f._$litElement$=!0,f.finalized=!0,ve.litElementHydrateSupport?.({LitElement:f});var Ht=ve.litElementPolyfillSupport;Ht?.({LitElement:f});(ve.litElementVersions??=[]).push("4.2.2");function x(s,e){s.dispatchEvent(new CustomEvent("hass-more-info",{detail:{entityId:e},bubbles:!0,composed:!0}))}function ye(s){history.pushState(null,"",s),window.dispatchEvent(new CustomEvent("location-changed",{detail:{replace:!1}}))}function $e(s,e){s.dispatchEvent(new CustomEvent("config-changed",{detail:{config:e},bubbles:!0,composed:!0}))}var X="ha-camera-stream",Ot=2,Nt=1e4,Ge;function Ye(s){return customElements.get(X)?Promise.resolve(!0):(Ge??=(async()=>{try{(await window.loadCardHelpers?.())?.createCardElement({type:"picture-entity",entity:s,camera_view:"live"})}catch{}let e=new Promise(t=>setTimeout(()=>t(!1),Nt));return Promise.race([customElements.whenDefined(X).then(()=>!0),e])})(),Ge)}function Je(s){return(Number(s.supported_features??0)&Ot)!==0}function Z(s,e,t){let n=e.entity_picture;if(typeof n!="string"||!n)return;let i=`${n}${n.includes("?")?"&":"?"}t=${t}`;return s.hassUrl?s.hassUrl(i):i}var Qe={camera_card_name:"Homebound-Kamera",camera_card_description:"Eine Kamera: Live-Bild, Erkennungen, Cloud-Sperre und wer sie gebaut hat.",overview_card_name:"Homebound-Kameras",overview_card_description:"Alle Homebound-Kameras in einem Raster: Sperre und heute blockierte Versuche, mit Summen.",suggestion_label:"Kamera, Erkennungen und Sperre",pick_camera:"Wähle in den Einstellungen der Karte eine Homebound-Kamera.",no_cameras:"Noch keine Homebound-Kamera eingerichtet.",device_missing:"Diese Kamera gibt es in Home Assistant nicht mehr.",camera_unavailable:"Die Kamera antwortet nicht.",live_view:"Live-Bild von {name}",snapshot:"Neuestes Bild von {name}",detections:"Erkennungen",detection_on:"{label}: erkannt",detection_off:"{label}: nichts",detection_unavailable:"{label}: nicht verfügbar",last_detection:"Letzte Erkennung",no_detection:"Noch keine Erkennung",open_history:"Verlauf der Erkennungen öffnen",isolation:"Cloud-Sperre",cloud_blocking:"Cloud-Sperre",blocking_on:"An",blocking_off:"Aus",blocking_unknown:"Unbekannt",isolation_lost:"Sperre verloren",isolation_lost_detail:"Die Kamera sollte von ihrer Cloud getrennt sein und ist es nicht.",no_firewall:"Keine Firewall eingerichtet: füge eine hinzu, um die Cloud dieser Kamera zu sperren.",blocked_today:"{count} heute blockiert",blocked_total:"{count} insgesamt blockiert",last_blocked:"Zuletzt: {destination}",nothing_blocked:"Noch nichts blockiert",confirm_block_title:"Cloud von {name} sperren?",confirm_block_text:"Die Kamera erreicht dann nur noch Home Assistant und die lokalen Dienste, die du erlaubt hast.",confirm_unblock_title:"{name} die Cloud erreichen lassen?",confirm_unblock_text:"Die Kamera darf sich dann überallhin im Internet verbinden, auch mit der Cloud ihres Herstellers.",confirm_block:"Sperren",confirm_unblock:"Erlauben",cancel:"Abbrechen",toggle_failed:"Die Cloud-Sperre ließ sich nicht ändern: {error}",sold_as:"verkauft als {brand}",maker:"Hersteller",repairs:"{count} Reparaturen",repairs_one:"1 Reparatur",open_repairs:"Reparaturen öffnen",cameras_total:"{count} Kameras",isolated_total:"{count} gesperrt",lost_total:"{count} nicht gesperrt, obwohl sie es sein sollten",blocked_today_total:"{count} heute blockiert",blocked_total_all:"{count} insgesamt blockiert",status_blocking:"Cloud gesperrt",status_open:"Cloud nicht gesperrt",status_lost:"Sperre verloren",status_none:"Keine Firewall",status_unknown:"Unbekannt",editor_camera:"Kamera",editor_camera_choose:"Kamera wählen",editor_stream:"Stream",editor_name:"Name (optional)",editor_live:"Live-Bild (aus: das neueste Bild, alle 10 Sekunden)",editor_show_detections:"Erkennungen zeigen",editor_show_isolation:"Cloud-Sperre zeigen",editor_show_maker:"Hersteller und Reparaturen zeigen",editor_title:"Titel (optional)",just_now:"gerade eben",cameras_total_one:"1 Kamera",event_source:"Ereignisse über {source}",event_source_none:"Keine Ereignisquelle: Erkennungen können fehlen ({source})",gaps_30d:"{count} Lücken der Sperre in 30 Tagen",gaps_30d_one:"1 Lücke der Sperre in 30 Tagen",no_gaps_30d:"Keine Lücke der Sperre in 30 Tagen"};var ke={camera_card_name:"Homebound camera",camera_card_description:"One camera: live view, detections, cloud isolation and who made it.",overview_card_name:"Homebound cameras",overview_card_description:"Every Homebound camera in one grid: isolation and blocked attempts today, with totals.",suggestion_label:"Camera, detections and isolation",pick_camera:"Pick a Homebound camera in the card's settings.",no_cameras:"No Homebound camera is set up yet.",device_missing:"This camera is no longer in Home Assistant.",camera_unavailable:"The camera does not answer.",live_view:"Live view of {name}",snapshot:"Latest picture of {name}",detections:"Detections",detection_on:"{label}: detected",detection_off:"{label}: nothing",detection_unavailable:"{label}: unavailable",last_detection:"Last detection",no_detection:"No detection yet",open_history:"Open the detection history",isolation:"Cloud isolation",cloud_blocking:"Cloud blocking",blocking_on:"On",blocking_off:"Off",blocking_unknown:"Unknown",isolation_lost:"Isolation lost",isolation_lost_detail:"The camera should be cut off from its cloud, and is not.",no_firewall:"No firewall is set up: add one to block this camera's cloud.",blocked_today:"{count} blocked today",blocked_total:"{count} blocked in all",last_blocked:"Last: {destination}",nothing_blocked:"Nothing blocked yet",confirm_block_title:"Block the cloud of {name}?",confirm_block_text:"The camera may then reach only Home Assistant and the local services you allowed.",confirm_unblock_title:"Let {name} reach its cloud?",confirm_unblock_text:"The camera may then connect anywhere on the internet, its vendor's cloud included.",confirm_block:"Block",confirm_unblock:"Allow",cancel:"Cancel",toggle_failed:"Cloud blocking could not be changed: {error}",sold_as:"sold as {brand}",maker:"Maker",repairs:"{count} repairs",repairs_one:"1 repair",open_repairs:"Open the repairs",cameras_total:"{count} cameras",isolated_total:"{count} isolated",lost_total:"{count} not isolated although they should be",blocked_today_total:"{count} blocked today",blocked_total_all:"{count} blocked in all",status_blocking:"Cloud blocked",status_open:"Cloud not blocked",status_lost:"Isolation lost",status_none:"No firewall",status_unknown:"Unknown",editor_camera:"Camera",editor_camera_choose:"Choose a camera",editor_stream:"Stream",editor_name:"Name (optional)",editor_live:"Live view (off: the latest picture, every 10 seconds)",editor_show_detections:"Show detections",editor_show_isolation:"Show cloud isolation",editor_show_maker:"Show the maker and repairs",editor_title:"Title (optional)",just_now:"just now",cameras_total_one:"1 camera",event_source:"Events via {source}",event_source_none:"No event source: detections may be missed ({source})",gaps_30d:"{count} isolation gaps in 30 days",gaps_30d_one:"1 isolation gap in 30 days",no_gaps_30d:"No isolation gap in 30 days"};var Xe={en:ke,de:Qe};function b(s){return s?.locale?.language||s?.language||"en"}function Mt(s){let e=[],t=Xe[s];t&&e.push(t);let n=Xe[s.split("-")[0]];return n&&n!==t&&e.push(n),e.push(ke),e}function v(s){let e=Mt(s),t=new Intl.NumberFormat(s),n;try{n=new Intl.PluralRules(s)}catch{n=new Intl.PluralRules("en")}let i=o=>{for(let r of e){let a=r[o];if(a!==void 0)return a}};return(o,r={})=>{let a=r.count,l;return typeof a=="number"&&n.select(a)==="one"&&(l=i(`${o}_one`)),l??=i(o)??o,l.replace(/\{(\w+)\}/g,(c,p)=>{let h=r[p];return h===void 0?c:typeof h=="number"?t.format(h):h})}}function Ze(s,e,t,n){let i=Math.round((e.getTime()-t.getTime())/1e3);if(Math.abs(i)<45)return n("just_now");let o=new Intl.RelativeTimeFormat(s,{numeric:"auto"}),r=[["day",86400],["hour",3600],["minute",60]];for(let[a,l]of r)if(Math.abs(i)>=l)return o.format(Math.round(i/l),a);return o.format(i,"second")}function et(s,e){return new Intl.DateTimeFormat(s,{dateStyle:"medium",timeStyle:"medium"}).format(e)}var ee="homebound",we=["motion","person","vehicle","animal","face","line_crossing","intrusion","loitering","tamper","audio","digital_input"],tt={motion:["mdi:motion-sensor-off","mdi:motion-sensor"],person:["mdi:account-outline","mdi:account"],vehicle:["mdi:car-off","mdi:car"],animal:["mdi:paw-off","mdi:paw"],face:["mdi:face-recognition","mdi:face-recognition"],line_crossing:["mdi:vector-line","mdi:vector-polyline-edit"],intrusion:["mdi:shield-outline","mdi:shield-alert"],loitering:["mdi:account-clock-outline","mdi:account-clock"],tamper:["mdi:cctv","mdi:cctv-off"],audio:["mdi:volume-off","mdi:volume-high"],digital_input:["mdi:electric-switch","mdi:electric-switch-closed"]},g={detections:"detections",detectionsWhere:"detections_where",cloudBlocking:"cloud_blocking",blockedAttempts:"blocked_attempts",blockedDestinations:"blocked_destinations",lastBlocked:"last_blocked",cloudIsolation:"cloud_isolation",makerStatus:"maker_status",isolationGaps:"isolation_gaps",eventSource:"event_source"},F={maker:["maker"],brand:["sold_as"],regulations:["badges","summary"],covered:["covered"]},$=new Set(["unavailable","unknown"]);function xe(s){return Object.values(s.entities??{}).filter(e=>e!==void 0&&e.platform===ee)}var Ae=s=>s.slice(0,s.indexOf("."));function N(s){let e=new Set;for(let t of xe(s))t.device_id&&Ae(t.entity_id)==="camera"&&e.add(t.device_id);return[...e].sort((t,n)=>{let i=y(s,t).localeCompare(y(s,n));return i!==0?i:t.localeCompare(n)})}function y(s,e){let t=s.devices?.[e];return t?.name_by_user||t?.name||e}function Pt(s){if(!s)return;let e=s.endsWith("_where"),t=e?s.slice(0,-6):s;return we.includes(t)?{kind:t,where:e}:void 0}function A(s,e){let t={deviceId:e,cameras:[],detections:[],events:[]},n=[];for(let o of xe(s)){if(o.device_id!==e)continue;let r=o.entity_id,a=o.translation_key??null;switch(Ae(r)){case"camera":n.push([a?1:0,r]);break;case"binary_sensor":{let l=Pt(a);l?t.detections.push({entityId:r,...l}):a===g.cloudIsolation&&(t.cloudIsolation=r);break}case"event":(a===g.detections||a===g.detectionsWhere)&&t.events.push(r);break;case"switch":a===g.cloudBlocking&&(t.cloudBlocking=r);break;case"sensor":a===g.blockedAttempts?t.blockedAttempts=r:a===g.blockedDestinations?t.blockedDestinations=r:a===g.lastBlocked?t.lastBlocked=r:a===g.makerStatus?t.makerStatus=r:a===g.isolationGaps?t.isolationGaps=r:a===g.eventSource&&(t.eventSource=r);break;default:break}}t.cameras=n.sort((o,r)=>o[0]-r[0]||o[1].localeCompare(r[1])).map(([,o])=>o),t.detections.sort((o,r)=>Number(o.where)-Number(r.where)||we.indexOf(o.kind)-we.indexOf(r.kind)||o.entityId.localeCompare(r.entityId));let i=new Map(xe(s).map(o=>[o.entity_id,o.translation_key]));return t.events.sort((o,r)=>+(i.get(o)===g.detectionsWhere)-+(i.get(r)===g.detectionsWhere)||o.localeCompare(r)),t}var Ut={type:"string",device_id:"string",camera_entity:"string",name:"string",live:"boolean",show_detections:"boolean",show_isolation:"boolean",show_maker:"boolean"},Lt={type:"string",title:"string"};function nt(s,e){if(typeof s!="object"||s===null||Array.isArray(s))throw new Error("The card's configuration must be a mapping");let t=s;for(let[n,i]of Object.entries(t))if(n in e&&i!=null&&typeof i!==e[n])throw new Error(`Option "${n}" must be a ${e[n]}`);return t}function te(s){let e=nt(s,Ut),t=e.camera_entity;if(typeof t=="string"&&t!==""&&!t.startsWith("camera."))throw new Error('Option "camera_entity" must be a camera entity');return{...e,type:String(e.type??"custom:homebound-camera")}}function ne(s){let e=nt(s,Lt);return{...e,type:String(e.type??"custom:homebound-overview")}}function it(s){let e=s?N(s)[0]:void 0;return e?{device_id:e}:{}}function Se(s,e){return e.camera_entity&&s.cameras.includes(e.camera_entity)?e.camera_entity:s.cameras[0]}function st(s,e){let t=s.entities?.[e];if(!t||t.platform!==ee||!t.device_id||!N(s).includes(t.device_id))return null;let n={type:"custom:homebound-camera",device_id:t.device_id};if(Ae(e)==="camera"){let i=A(s,t.device_id).cameras[0];e!==i&&(n.camera_entity=e)}return n}function Ee(s,e,t){let n=s.states[e],o=s.entities?.[e]?.name||String(n?.attributes.friendly_name??e);return o.startsWith(`${t} `)?o.slice(t.length+1):o}function rt(s,e,t){return e.detections.map(({entityId:n,kind:i})=>{let o=s.states[n]?.state,r=o==="on";return{entityId:n,kind:i,label:Ee(s,n,t),on:r,available:o!==void 0&&!$.has(o),icon:tt[i][r?1:0]}})}var Bt={motion_start:"motion",person_detected:"person",vehicle_detected:"vehicle",animal_detected:"animal",face_detected:"face",line_crossed:"line_crossing",intrusion_detected:"intrusion",loitering_detected:"loitering",tamper_detected:"tamper",sound_detected:"audio",digital_input_on:"digital_input"};function Ce(s){return Bt[s]}function ot(s){if(!s)return;let e=new Date(s);return Number.isNaN(e.getTime())?void 0:e}function at(s,e){let t;for(let n of e.events){let i=s.states[n],o=ot(i?.state),r=i?.attributes.event_type;!o||typeof r!="string"||!Ce(r)||(!t||o>t.at)&&(t={what:r,entityId:n,at:o})}if(t)return t;for(let{entityId:n,kind:i}of e.detections){let o=s.states[n];if(o?.state!=="on")continue;let r=ot(o.last_changed);r&&(!t||r>t.at)&&(t={what:i,entityId:n,at:r})}return t}function lt(s){if(!s||$.has(s.state))return null;let e=Number(s.state);return Number.isFinite(e)?e:null}function se(s,e){let t=e.cloudBlocking?s.states[e.cloudBlocking]:void 0,n=e.cloudIsolation?s.states[e.cloudIsolation]:void 0,i=e.lastBlocked?s.states[e.lastBlocked]:void 0,o=lt(e.blockedAttempts?s.states[e.blockedAttempts]:void 0),r=t===void 0||$.has(t.state)?null:t.state==="on",a=n?.attributes.problems,l=Array.isArray(a)?a.map(String):[],c;return!e.cloudBlocking&&!e.cloudIsolation?c="none":n?.state==="on"?c="lost":r===null?c="unknown":c=r?"blocking":"open",{status:c,blocking:r,total:o,lastBlocked:i&&!$.has(i.state)?i.state:null,problems:l}}function ie(s,e){for(let t of e){let n=s.attributes[t];if(n!=null&&n!=="")return n}}function ct(s,e){let t=e.makerStatus?s.states[e.makerStatus]:void 0;if(!t||$.has(t.state))return;let n=ie(t,F.maker);if(typeof n!="string")return;let i=ie(t,F.brand),o=ie(t,F.regulations),r;return Array.isArray(o)&&o.length?r=String(o[0]):typeof o=="string"&&(r=o.split(" · ")[0]),{maker:n,brand:typeof i=="string"&&i.toLowerCase()!==n.toLowerCase()?i:void 0,regulation:r||void 0,covered:ie(t,F.covered)===!0}}function dt(s,e,t){let n=s.devices?.[e]?.config_entries??[];return n.length?t.filter(i=>i.domain===ee&&!i.ignored&&n.some(o=>i.issue_id===o||i.issue_id.endsWith(`_${o}`))).length:0}function ut(s,e){let t=[...s.events,...s.detections.map(i=>i.entityId)],n=new URLSearchParams({entity_id:t.join(",")});return e&&n.set("start_date",e.toISOString()),`/history?${n.toString()}`}function ht(s,e){return lt(e.isolationGaps?s.states[e.isolationGaps]:void 0)}function pt(s,e){let t=e.eventSource?s.states[e.eventSource]:void 0;if(!t||t.state==="unavailable")return;let n=t.state==="none"||t.state==="unknown";return{text:s.formatEntityState?s.formatEntityState(t):t.state,none:n}}var oe=S`
  :host {
    display: block;
    container-type: inline-size;
    --hb-gap: 8px;
    --hb-radius: var(--ha-card-border-radius, 12px);
    --hb-chip-radius: 16px;
    --hb-text: var(--primary-text-color, #141414);
    --hb-muted: var(--secondary-text-color, #5e5e5e);
    --hb-divider: var(--divider-color, rgba(0, 0, 0, 0.12));
    --hb-accent: var(--state-active-color, var(--primary-color, #03a9f4));
    --hb-error: var(--error-color, #db4437);
    --hb-ok: var(--success-color, #43a047);
    --hb-warning: var(--warning-color, #ffa600);
    --hb-surface: var(--secondary-background-color, #f2f2f2);
  }
  ha-card {
    overflow: hidden;
    color: var(--hb-text);
    height: 100%;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--primary-color, #03a9f4);
    outline-offset: 2px;
  }
  .message {
    padding: 16px;
    color: var(--hb-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  ha-icon {
    --mdc-icon-size: 18px;
    flex: none;
  }
`,Te=S`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 16px;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 12px;
  }
  label {
    color: var(--primary-text-color, #141414);
  }
  select,
  input[type="text"] {
    font: inherit;
    padding: 8px;
    border-radius: 4px;
    border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.2));
    background: var(--card-background-color, #fff);
    color: var(--primary-text-color, #141414);
  }
  input[type="checkbox"] {
    width: 18px;
    height: 18px;
    accent-color: var(--primary-color, #03a9f4);
  }
  .hint {
    color: var(--secondary-text-color, #5e5e5e);
  }
`,mt=S`
  /* The picture keeps the camera's own shape (nothing cropped); the placeholder is 16:9. */
  .media {
    position: relative;
    background: #000;
    overflow: hidden;
  }
  .media .live,
  .media .still {
    display: block;
    width: 100%;
    height: auto;
  }
  .placeholder {
    aspect-ratio: 16 / 9;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    height: 100%;
    color: #ddd;
  }
  /* Bottom left: camera overlays (their clock, their name) are mostly at the top. */
  .title {
    position: absolute;
    left: 0;
    bottom: 0;
    margin: 8px;
    padding: 2px 10px;
    border: none;
    border-radius: var(--hb-chip-radius);
    background: rgba(0, 0, 0, 0.55);
    color: #fff;
    font-weight: 500;
  }
  section {
    padding: 10px 16px;
    border-top: 1px solid var(--hb-divider);
  }
  .muted {
    color: var(--hb-muted);
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 4px 10px;
    border-radius: var(--hb-chip-radius);
    border: 1px solid var(--hb-divider);
    background: transparent;
    color: var(--hb-muted);
    transition: background-color 0.15s, color 0.15s;
  }
  .chip.on {
    background: var(--hb-accent);
    border-color: var(--hb-accent);
    color: var(--text-primary-color, #fff);
    font-weight: 500;
  }
  .chip.unavailable {
    opacity: 0.5;
  }
  .last {
    display: flex;
    align-items: center;
    gap: 6px;
    width: 100%;
    margin-top: 8px;
    padding: 4px 0;
    border: none;
    background: none;
    text-align: start;
  }
  .last .when {
    flex: 1;
  }
  .source,
  .gaps {
    padding: 2px 0;
    border: none;
    background: none;
    text-align: start;
  }
  .warn {
    color: var(--hb-warning);
    font-weight: 500;
  }
  .isolation.lost .warn {
    color: inherit;
  }
  .isolation.none {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .strip {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
  }
  .isolation.lost {
    background: var(--hb-error);
    color: var(--text-primary-color, #fff);
  }
  .isolation.lost .muted {
    color: inherit;
    opacity: 0.9;
  }
  .lost-detail {
    margin-top: 4px;
  }
  .toggle {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    padding: 2px 4px 2px 0;
    border: none;
    background: none;
  }
  .toggle[disabled] {
    cursor: default;
    opacity: 0.6;
  }
  .knob {
    min-width: 3em;
    padding: 2px 10px;
    border-radius: var(--hb-chip-radius);
    background: var(--hb-surface);
    color: var(--hb-muted);
    text-align: center;
  }
  .knob.on {
    background: var(--hb-ok);
    color: var(--text-primary-color, #fff);
  }
  .count {
    font-weight: 500;
  }
  .destination {
    flex: 1 1 12em;
    overflow-wrap: anywhere;
  }
  .confirm {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin-top: 10px;
    padding: 12px;
    border-radius: 8px;
    background: var(--hb-surface);
    color: var(--hb-text);
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  .buttons button {
    padding: 6px 14px;
    border-radius: 18px;
    border: 1px solid var(--hb-divider);
    background: transparent;
  }
  .buttons .primary {
    background: var(--primary-color, #03a9f4);
    border-color: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
  }
  .error {
    margin-top: 6px;
    font-weight: 500;
  }
  .maker {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .badge,
  .repairs {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 10px;
    border-radius: var(--hb-chip-radius);
    border: 1px solid var(--hb-divider);
    background: var(--hb-surface);
  }
  .repairs,
  .badge.covered {
    border-color: var(--hb-warning);
  }
  @container (max-width: 360px) {
    section {
      padding: 8px 10px;
    }
    .strip {
      flex-direction: column;
      align-items: flex-start;
    }
  }
`;function gt(s,e){let t=new Intl.DateTimeFormat("en-US",{timeZone:e,hourCycle:"h23",year:"numeric",month:"2-digit",day:"2-digit",hour:"2-digit",minute:"2-digit",second:"2-digit"}).formatToParts(s),n={};for(let i of t)i.type!=="literal"&&(n[i.type]=Number(i.value));return n}function ft(s,e){let t=gt(s,e);return Date.UTC(t.year,t.month-1,t.day,t.hour,t.minute,t.second)-Math.floor(s.getTime()/1e3)*1e3}function Kt(s,e){if(!e){let o=new Date(s);return o.setHours(0,0,0,0),o}let t=gt(s,e),n=Date.UTC(t.year,t.month-1,t.day),i=n-ft(s,e);return i=n-ft(new Date(i),e),new Date(i)}function jt(s){return s.locale?.time_zone==="server"?s.config?.time_zone:void 0}function Vt(s,e){if(!s?.length)return null;let t=e.getTime()/1e3;if(s[0].lu>t+1)return 0;for(let n of s){let i=Number(n.s);if(n.s!==""&&Number.isFinite(i))return i}return null}function zt(s,e){return s===null||e===null?null:s>=e?s-e:s}var I=class{constructor(e){this.onChange=e;this.day="";this.key="";this.starts=new Map;this.available=!0}refresh(e,t,n=new Date){let i=Kt(n,jt(e)),o=i.toISOString(),r=[...t].sort().join(",");!t.length||!this.available||this.pending||o===this.day&&r===this.key||(this.pending=this.fetch(e,t,i,n).then(a=>{this.starts=new Map(t.map(l=>[l,Vt(a[l],i)])),this.day=o,this.key=r}).catch(()=>{this.available=!1}).finally(()=>{this.pending=void 0,this.onChange()}))}today(e,t){return!e||!this.starts.has(e)?null:zt(t,this.starts.get(e)??null)}async fetch(e,t,n,i){return e.callWS({type:"history/history_during_period",start_time:n.toISOString(),end_time:i.toISOString(),entity_ids:t,minimal_response:!0,no_attributes:!0,significant_changes_only:!1})}};var Wt=1e4,qt=3e4,Ft=6e4,D=class extends f{constructor(){super();this.timers=[];this.baseline=new I(()=>this.requestUpdate());this.watched=[];this._streamReady=!!customElements.get(X),this._tick=0,this._issues=[]}static getStubConfig(t){return it(t)}static async getConfigElement(){return document.createElement("homebound-camera-card-editor")}setConfig(t){this._config=te(t)}getCardSize(){return 7}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){super.connectedCallback(),this.timers.push(window.setInterval(()=>{this._tick+=1},Wt),window.setInterval(()=>this.requestUpdate(),qt),window.setInterval(()=>{this.loadRepairs()},Ft)),this.loadRepairs()}disconnectedCallback(){super.disconnectedCallback(),this.timers.forEach(t=>window.clearInterval(t)),this.timers=[]}get entities(){let t=this._config?.device_id;return this.hass&&t?A(this.hass,t):void 0}shouldUpdate(t){if(t.size!==1||!t.has("hass")||!this.hass)return!0;let n=this.watch(this.hass),i=n.length===this.watched.length&&n.every((o,r)=>o===this.watched[r]);return this.watched=n,!i}watch(t){let n=this.entities,i=n?[...n.cameras,...n.detections.map(o=>o.entityId),...n.events,n.cloudBlocking,n.blockedAttempts,n.lastBlocked,n.cloudIsolation,n.makerStatus,n.isolationGaps,n.eventSource]:[];return[t.entities,t.devices,t.locale,t.language,...i.map(o=>o&&t.states[o])]}willUpdate(){let t=this.entities;this.hass&&t?.blockedAttempts&&this.baseline.refresh(this.hass,[t.blockedAttempts]);let n=t&&this._config?Se(t,this._config):void 0;!this._streamReady&&n&&this._config?.live!==!1&&Ye(n).then(i=>{this._streamReady=i})}updated(){this._confirming&&this.renderRoot.querySelector(".confirm .primary")?.focus()}async loadRepairs(){if(!(!this.hass||!this._config?.device_id||this._config.show_maker===!1))try{let t=await this.hass.callWS({type:"repairs/list_issues"});this._issues=t.issues??[]}catch{this._issues=[]}}render(){if(!this.hass||!this._config)return d;let t=v(b(this.hass)),n=this._config.device_id;if(!n)return u`<ha-card><div class="message">${t("pick_camera")}</div></ha-card>`;if(!this.hass.devices?.[n])return u`<ha-card><div class="message">${t("device_missing")}</div></ha-card>`;let i=A(this.hass,n),o=this._config.name||y(this.hass,n);return u`
      <ha-card aria-label=${o}>
        ${this.renderMedia(i,o,t)}
        ${this._config.show_detections===!1?d:this.renderDetections(i,o,t)}
        ${this._config.show_isolation===!1?d:this.renderIsolation(i,o,t)}
        ${this._config.show_maker===!1?d:this.renderMaker(i,n,t)}
      </ha-card>
    `}renderMedia(t,n,i){let o=this.hass,r=Se(t,this._config),a=r?o.states[r]:void 0,l;if(!a||$.has(a.state))l=u`<div class="placeholder" role="img" aria-label=${i("camera_unavailable")}>
        <ha-icon icon="mdi:cctv-off"></ha-icon><span>${i("camera_unavailable")}</span>
      </div>`;else if(this._config.live!==!1&&this._streamReady&&Je(a.attributes))l=u`<ha-camera-stream
        class="live"
        role="img"
        aria-label=${i("live_view",{name:n})}
        .hass=${o}
        .stateObj=${a}
        muted
      ></ha-camera-stream>`;else{let c=Z(o,a.attributes,this._tick);l=c?u`<img class="still" src=${c} alt=${i("snapshot",{name:n})} />`:u`<div class="placeholder"><ha-icon icon="mdi:cctv"></ha-icon></div>`}return u`<div class="media">
      ${l}
      <button class="title" @click=${()=>r&&x(this,r)}>${n}</button>
    </div>`}renderDetections(t,n,i){let o=this.hass,r=y(o,t.deviceId),a=rt(o,t,r);if(!a.length&&!t.events.length)return d;let l=b(o),c=at(o,t),p=pt(o,t),h=i("no_detection");if(c){let m=o.states[c.entityId],_=Ce(c.what);h=`${m&&_&&o.formatEntityAttributeValue?o.formatEntityAttributeValue(m,"event_type",c.what):a.find(bt=>bt.kind===(_??c.what))?.label??c.what} · ${Ze(l,c.at,new Date,i)}`}return u`<section class="detections" aria-label=${i("detections")}>
      <ul class="chips">
        ${a.map(m=>u`<li>
            <button
              class="chip ${m.on?"on":""} ${m.available?"":"unavailable"}"
              data-kind=${m.kind}
              data-entity=${m.entityId}
              aria-label=${i(m.available?m.on?"detection_on":"detection_off":"detection_unavailable",{label:m.label})}
              @click=${()=>x(this,m.entityId)}
            >
              <ha-icon icon=${m.icon}></ha-icon><span>${m.label}</span>
            </button>
          </li>`)}
      </ul>
      <button
        class="last"
        title=${c?et(l,c.at):""}
        aria-label=${`${i("last_detection")}: ${h}. ${i("open_history")}`}
        @click=${()=>ye(ut(t,new Date(Date.now()-864e5)))}
      >
        <span class="muted">${i("last_detection")}</span> <span class="when">${h}</span>
        <ha-icon icon="mdi:history"></ha-icon>
      </button>
      ${p?u`<button class="source ${p.none?"warn":"muted"}" @click=${()=>x(this,t.eventSource)}>
            ${i(p.none?"event_source_none":"event_source",{source:p.text})}
          </button>`:d}
      <span class="visually-hidden">${n}</span>
    </section>`}renderIsolation(t,n,i){let o=se(this.hass,t);if(o.status==="none")return u`<section class="isolation none" aria-label=${i("isolation")}>
        <ha-icon icon="mdi:cloud-question"></ha-icon><span class="muted">${i("no_firewall")}</span>
      </section>`;let r=this.baseline.today(t.blockedAttempts,o.total),a=ht(this.hass,t),l=r!==null?i("blocked_today",{count:r}):o.total!==null?i("blocked_total",{count:o.total}):"",c=o.status==="lost",p=o.blocking===null?i("blocking_unknown"):i(o.blocking?"blocking_on":"blocking_off");return u`<section class="isolation ${o.status}" aria-label=${i("isolation")}>
      <div class="strip" role=${c?"alert":"status"}>
        <ha-icon icon=${c?"mdi:shield-alert":o.blocking?"mdi:cloud-lock":"mdi:cloud-outline"}></ha-icon>
        ${c?u`<strong class="lost-text" title=${o.problems.join(", ")}>${i("isolation_lost")}</strong>`:d}
        ${t.cloudBlocking?u`<button
              class="toggle"
              role="switch"
              aria-checked=${o.blocking?"true":"false"}
              aria-label=${i("cloud_blocking")}
              ?disabled=${o.blocking===null||!!this._confirming}
              @click=${()=>this.askToggle(t.cloudBlocking,!o.blocking)}
            >
              <span>${i("cloud_blocking")}</span><span class="knob ${o.blocking?"on":""}">${p}</span>
            </button>`:d}
        ${l?u`<span class="count">${l}</span>`:d}
        <span class="destination muted">${o.lastBlocked?i("last_blocked",{destination:o.lastBlocked}):i("nothing_blocked")}</span>
        ${a===null?d:u`<button class="gaps ${a?"warn":"muted"}" @click=${()=>x(this,t.isolationGaps)}>
              ${a?i("gaps_30d",{count:a}):i("no_gaps_30d")}
            </button>`}
      </div>
      ${c?u`<div class="lost-detail">${i("isolation_lost_detail")}</div>`:d}
      ${this._error?u`<div class="error" role="alert">${this._error}</div>`:d}
      ${this._confirming?this.renderConfirm(n,i):d}
    </section>`}renderConfirm(t,n){let i=this._confirming.turnOn;return u`<div
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      @keydown=${o=>o.key==="Escape"&&this.cancel()}
    >
      <strong id="confirm-title">${n(i?"confirm_block_title":"confirm_unblock_title",{name:t})}</strong>
      <span id="confirm-text">${n(i?"confirm_block_text":"confirm_unblock_text")}</span>
      <div class="buttons">
        <button class="secondary" @click=${()=>this.cancel()}>${n("cancel")}</button>
        <button class="primary" @click=${()=>this.confirmToggle(n)}>${n(i?"confirm_block":"confirm_unblock")}</button>
      </div>
    </div>`}renderMaker(t,n,i){let o=this.hass,r=ct(o,t),a=dt(o,n,this._issues);if(!r&&!a)return d;let l=r?[r.maker,r.brand&&i("sold_as",{brand:r.brand}),r.regulation]:[];return u`<section class="maker">
      ${r?u`<button class="badge ${r.covered?"covered":""}" aria-label=${`${i("maker")}: ${l.filter(Boolean).join(", ")}`}
            @click=${()=>t.makerStatus&&x(this,t.makerStatus)}>
            <ha-icon icon="mdi:factory"></ha-icon>${l.filter(Boolean).join(" · ")}
          </button>`:d}
      ${a?u`<button class="repairs" aria-label=${`${i("repairs",{count:a})}. ${i("open_repairs")}`}
            @click=${()=>ye("/config/repairs")}>
            <ha-icon icon="mdi:wrench"></ha-icon>${i("repairs",{count:a})}
          </button>`:d}
    </section>`}askToggle(t,n){this._error=void 0,this._confirming={switchId:t,turnOn:n}}cancel(){this._confirming=void 0,this.updateComplete.then(()=>this.renderRoot.querySelector(".toggle")?.focus())}async confirmToggle(t){let n=this._confirming;if(this._confirming=void 0,!(!n||!this.hass)){try{await this.hass.callService("switch",n.turnOn?"turn_on":"turn_off",{entity_id:n.switchId})}catch(i){this._error=t("toggle_failed",{error:i instanceof Error?i.message:String(i?.message??i)})}await this.updateComplete,this.renderRoot.querySelector(".toggle")?.focus()}}};D.properties={hass:{attribute:!1},_config:{state:!0},_confirming:{state:!0},_error:{state:!0},_streamReady:{state:!0},_tick:{state:!0},_issues:{state:!0}},D.styles=[oe,mt];var _t=[["live","editor_live"],["show_detections","editor_show_detections"],["show_isolation","editor_show_isolation"],["show_maker","editor_show_maker"]];function Gt(s){let e={};for(let[t,n]of Object.entries(s))n===""||n===void 0||n===null||_t.some(([i])=>i===t)&&n===!0||(e[t]=n);return e}var M=class extends f{setConfig(e){this._config=te(e)}update_(e){let t=Gt({...this._config,...e});e.device_id!==void 0&&delete t.camera_entity,this._config=t,$e(this,t)}render(){if(!this.hass||!this._config)return d;let e=this.hass,t=v(b(e)),n=N(e),i=this._config.device_id??"",o=i?A(e,i).cameras:[],r=i?y(e,i):"";return u`
      <div class="row">
        <label for="device">${t("editor_camera")}</label>
        <select id="device" @change=${a=>this.update_({device_id:a.target.value})}>
          ${i?d:u`<option value="" selected disabled>${t("editor_camera_choose")}</option>`}
          ${n.map(a=>u`<option value=${a} ?selected=${a===i}>${y(e,a)}</option>`)}
          ${i&&!n.includes(i)?u`<option value=${i} selected>${i}</option>`:d}
        </select>
        ${n.length?d:u`<span class="hint">${t("no_cameras")}</span>`}
      </div>
      ${o.length>1?u`<div class="row">
            <label for="stream">${t("editor_stream")}</label>
            <select id="stream" @change=${a=>this.update_({camera_entity:a.target.value})}>
              ${o.map((a,l)=>u`<option value=${l===0?"":a} ?selected=${(this._config.camera_entity??o[0])===a}>
                  ${Ee(e,a,r)}
                </option>`)}
            </select>
          </div>`:d}
      <div class="row">
        <label for="name">${t("editor_name")}</label>
        <input id="name" type="text" .value=${this._config.name??""} placeholder=${r}
          @change=${a=>this.update_({name:a.target.value})} />
      </div>
      ${_t.map(([a,l])=>u`<div class="check">
          <input id=${a} type="checkbox" .checked=${this._config[a]!==!1}
            @change=${c=>this.update_({[a]:c.target.checked})} />
          <label for=${a}>${t(l)}</label>
        </div>`)}
    `}};M.properties={hass:{attribute:!1},_config:{state:!0}},M.styles=Te;var P=class extends f{setConfig(e){this._config=ne(e)}render(){if(!this._config)return d;let e=v(b(this.hass));return u`<div class="row">
      <label for="title">${e("editor_title")}</label>
      <input id="title" type="text" .value=${this._config.title??""}
        @change=${t=>{let n=t.target.value,i={...this._config};n?i.title=n:delete i.title,this._config=i,$e(this,i)}} />
    </div>`}};P.properties={hass:{attribute:!1},_config:{state:!0}},P.styles=Te;var Yt=3e4;function Jt(s){let e=t=>t.some(n=>n!==null)?t.reduce((n,i)=>n+(i??0),0):null;return{cameras:s.length,isolated:s.filter(t=>t.status==="blocking").length,lost:s.filter(t=>t.status==="lost").length,today:e(s.map(t=>t.today)),total:e(s.map(t=>t.total))}}var Qt={blocking:["status_blocking","mdi:cloud-lock"],open:["status_open","mdi:cloud-outline"],lost:["status_lost","mdi:shield-alert"],none:["status_none","mdi:cloud-question"],unknown:["status_unknown","mdi:cloud-question"]},U=class extends f{constructor(){super();this.baseline=new I(()=>this.requestUpdate());this._tick=0}static getStubConfig(){return{}}static async getConfigElement(){return document.createElement("homebound-overview-card-editor")}setConfig(t){this._config=ne(t)}getCardSize(){return 4}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){super.connectedCallback(),this.timer=window.setInterval(()=>{this._tick+=1},Yt)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this.timer)}rows(){let t=this.hass,n=[],i=N(t).map(o=>{let r=A(t,o),a=se(t,r);return r.blockedAttempts&&n.push(r.blockedAttempts),{deviceId:o,name:y(t,o),camera:r.cameras[0],status:a.status,today:this.baseline.today(r.blockedAttempts,a.total),total:a.total}});return this.baseline.refresh(t,n),i}render(){if(!this.hass||!this._config)return d;let t=v(b(this.hass)),n=this.rows(),i=Jt(n);return u`<ha-card .header=${this._config.title}>
      ${n.length?u`<div class="totals" role="status">
              <span>${t("cameras_total",{count:i.cameras})}</span>
              <span>${t("isolated_total",{count:i.isolated})}</span>
              ${i.lost?u`<span class="lost">${t("lost_total",{count:i.lost})}</span>`:d}
              ${i.today!==null?u`<span class="count">${t("blocked_today_total",{count:i.today})}</span>`:i.total!==null?u`<span class="count">${t("blocked_total_all",{count:i.total})}</span>`:d}
            </div>
            <ul class="grid">
              ${n.map(o=>this.renderTile(o,t))}
            </ul>`:u`<div class="message">${t("no_cameras")}</div>`}
    </ha-card>`}renderTile(t,n){let i=this.hass,o=t.camera?i.states[t.camera]:void 0,r=o&&!$.has(o.state)?Z(i,o.attributes,this._tick):void 0,[a,l]=Qt[t.status],c=t.today!==null?n("blocked_today",{count:t.today}):t.total!==null?n("blocked_total",{count:t.total}):"";return u`<li class="tile ${t.status}" data-device=${t.deviceId}>
      <button
        aria-label=${[t.name,n(a),c].filter(Boolean).join(", ")}
        @click=${()=>t.camera&&x(this,t.camera)}
      >
        <div class="thumb">${r?u`<img src=${r} alt="" loading="lazy" />`:u`<ha-icon icon="mdi:cctv-off"></ha-icon>`}</div>
        <span class="name">${t.name}</span>
        <span class="status"><ha-icon icon=${l}></ha-icon>${n(a)}</span>
        ${c?u`<span class="count">${c}</span>`:d}
      </button>
    </li>`}};U.properties={hass:{attribute:!1},_config:{state:!0},_tick:{state:!0}},U.styles=[oe,S`
      .totals {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        padding: 12px 16px 0;
        color: var(--hb-muted);
      }
      .totals .lost {
        color: var(--hb-error);
        font-weight: 500;
      }
      .count {
        font-weight: 500;
        color: var(--hb-text);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: var(--hb-gap);
        list-style: none;
        margin: 0;
        padding: 12px 16px 16px;
      }
      .tile button {
        display: flex;
        flex-direction: column;
        gap: 4px;
        width: 100%;
        height: 100%;
        padding: 0 0 8px;
        overflow: hidden;
        text-align: start;
        border-radius: 8px;
        border: 1px solid var(--hb-divider);
        background: var(--card-background-color, transparent);
      }
      .tile.lost button {
        border: 2px solid var(--hb-error);
      }
      .thumb {
        display: flex;
        align-items: center;
        justify-content: center;
        aspect-ratio: 16 / 9;
        background: #000;
        color: #ccc;
      }
      .thumb img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .name,
      .status,
      .tile .count {
        padding: 0 8px;
      }
      .name {
        font-weight: 500;
      }
      .status {
        display: flex;
        align-items: center;
        gap: 4px;
        color: var(--hb-muted);
      }
      .tile.lost .status {
        color: var(--hb-error);
        font-weight: 500;
      }
      .tile.blocking .status ha-icon {
        color: var(--hb-ok);
      }
    `];var Xt=[["homebound-camera",D],["homebound-overview",U],["homebound-camera-card-editor",M],["homebound-overview-card-editor",P]];for(let[s,e]of Xt)customElements.get(s)||customElements.define(s,e);var re=s=>v(document.documentElement.lang||navigator.language||"en")(s);function Zt(s,e){let t=st(s,e);return t?{label:v(b(s))("suggestion_label"),config:t}:null}var en=[{type:"homebound-camera",get name(){return re("camera_card_name")},get description(){return re("camera_card_description")},preview:!0,getEntitySuggestion:Zt},{type:"homebound-overview",get name(){return re("overview_card_name")},get description(){return re("overview_card_description")},preview:!0}];window.customCards??=[];for(let s of en)window.customCards.some(e=>e.type===s.type)||window.customCards.push(s);console.info("Homebound cards 0.1.0");export{Zt as suggestCameraCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/

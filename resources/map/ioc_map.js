/*
 * HueIOC map glue: the page side of widgets/map_view.py.
 *
 * Python talks to this file only through `window.ioc` (runJavaScript) and hears back
 * through the QWebChannel object `bridge` (pageReady, markerClicked, frameDrawn,
 * fieldsWanted).
 *
 * Every string inside a feature comes from an external feed and is untrusted: it is
 * only ever put into the page with textContent, never as HTML.
 *
 * Two kinds of data layer content share one Leaflet pane per layer:
 * - points (the hot path: reports, vessels, cameras, stations) live in typed arrays,
 *   keyed by a small integer id that Python assigns; positions arrive as base64
 *   Int32Arrays of 1e-7 degrees, styles and labels only when they change
 *   (ioc.points); a popup's fields are asked for when it opens (ioc.pointFields).  One canvas per layer draws them by blitting pre-rendered sprites
 *   into an ImageData (canvas 2D paths cost ~5 µs a marker in software rendering, a
 *   sprite blit well under 1 µs), aggregating markers that would overlap into counted
 *   circles on a screen-space grid below CLUSTER_MAX_ZOOM.  Clicks and hovers are
 *   hit-tested on a grid of what was drawn.
 * - areas, circles and tracks (few) stay Leaflet vector objects on a canvas renderer
 *   (ioc.applyDiff).
 */
(function () {
    'use strict';

    var DEFAULT_COLOR = '#3388ff';
    var SELECT_COLOR = '#00e5ff';
    var CLUSTER_RING = '#ffffff';
    var LABEL_HALO = '#0b0e11';
    var COLOR_RE = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
    var KINDS = {point: true, circle: true, polygon: true, polyline: true};
    var CLUSTER_MAX_ZOOM = 15;     // markers aggregate while the map's zoom is at most this
    var HIT_CELL = 32;             // css px: cell of the hit-test grid
    var MAX_RADIUS = 60;
    var MAX_WEIGHT = 12;
    var MAX_POINT_ID = 1 << 24;
    // A frame drawing more sprites than (canvas pixels / this) blits them into one
    // ImageData (put once, ~4 ns a pixel here) instead of a drawImage each (~3 µs).
    var BLIT_PX_PER_SPRITE = 600;
    var MAX_LAT = 85.0511287798;   // Web Mercator's limit, as Leaflet's

    var map = null;
    var bridge = null;
    var layersControl = null;
    var layers = {};        // layerId -> {id, title, z, seq, pane, renderer, group, features: Map, pts, view, cluster}
    var layerSeq = 0;
    var current = null;     // {layerId, key} chosen with ioc.select
    var basemapCount = 0;
    var texts = {clusterTip: '{0}'};
    // Not-current state (ioc.setStale): a label over the map, greyed layers.
    var stale = {text: '', layers: {}, all: false};
    var staleBox = null;
    // The one tooltip (hover) and popup (click) of points and clusters.
    var hoverTip = null, hoverRef = null;
    var pointPopup = null, popupRef = null;
    // Frames: point layers draw in requestAnimationFrame; ioc.frame(seq) asks for
    // bridge.frameDrawn(seq) once everything sent before it is drawn.
    var frameReq = 0, ackSeq = -1;

    function num(v) { return typeof v === 'number' && isFinite(v); }
    function clamp01(v) { return Math.max(0, Math.min(1, v)); }
    function validLatLon(lat, lon) {
        return num(lat) && num(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    }
    function color(v, fallback) { return (typeof v === 'string' && COLOR_RE.test(v)) ? v : fallback; }
    function text(v) { return v === null || v === undefined ? '' : String(v); }
    function escapeHtml(s) {
        // Only for Leaflet APIs that insist on an HTML string (layers control labels).
        var d = document.createElement('div');
        d.textContent = text(s);
        return d.innerHTML;
    }
    function el(tag, className, content) {
        var e = document.createElement(tag);
        if (className) { e.className = className; }
        if (content !== undefined) { e.textContent = text(content); }
        return e;
    }

    // ---- validation: returns [lat, lon] pairs / a LatLng, or null when unusable ----
    function latLngOf(f) {
        return validLatLon(f.lat, f.lon) ? L.latLng(f.lat, f.lon) : null;
    }
    function coordsOf(f, minPoints) {
        if (!Array.isArray(f.coords) || f.coords.length < minPoints) { return null; }
        var out = new Array(f.coords.length);
        for (var i = 0; i < f.coords.length; i++) {
            var c = f.coords[i];
            if (!Array.isArray(c) || c.length < 2 || !validLatLon(c[0], c[1])) { return null; }
            out[i] = [c[0], c[1]];
        }
        return out;
    }
    // Geometry for a feature, or null when the feature must be skipped.
    function geometryOf(f) {
        if (!f || typeof f !== 'object' || !KINDS[f.kind]) { return null; }
        if (typeof f.key !== 'string' || f.key === '') { return null; }
        if (f.kind === 'point') { return latLngOf(f); }
        if (f.kind === 'circle') { return num(f.radius_m) && f.radius_m > 0 ? latLngOf(f) : null; }
        return coordsOf(f, f.kind === 'polygon' ? 3 : 2);
    }

    // ---- style ----
    function isSelected(layerId, f) {
        return !!f.selected || (current !== null && current.layerId === layerId && current.key === f.key);
    }
    function styleOf(layerId, f) {
        var stroke = color(f.color, DEFAULT_COLOR);
        var area = f.kind !== 'polyline';
        var s = {
            color: stroke,
            weight: num(f.weight) && f.weight >= 0 ? f.weight : (f.kind === 'point' ? 1.5 : 2),
            opacity: num(f.opacity) ? f.opacity : 1,
            fill: area,
            fillColor: color(f.fill, stroke),
            fillOpacity: num(f.fill_opacity) ? f.fill_opacity : (f.kind === 'point' ? 0.85 : 0.25)
        };
        if (isSelected(layerId, f)) {
            s.color = SELECT_COLOR;
            s.weight = s.weight + 3;
            s.opacity = 1;
        }
        return s;
    }
    function pointRadius(f) { return num(f.radius) && f.radius > 0 ? f.radius : 6; }

    // ---- tooltip / popup content: DOM nodes with textContent only ----
    function tooltipNode(f) {
        return el('div', 'ioc-tooltip', f.title !== undefined && f.title !== null ? f.title : f.key);
    }
    function popupNode(f) {
        var root = el('div', 'ioc-popup');
        root.appendChild(el('div', 'ioc-popup-title', f.title !== undefined && f.title !== null ? f.title : f.key));
        if (Array.isArray(f.fields) && f.fields.length) {
            var table = el('table', 'ioc-popup-fields');
            for (var i = 0; i < f.fields.length; i++) {
                var row = f.fields[i];
                if (!Array.isArray(row)) { continue; }
                var tr = el('tr');
                tr.appendChild(el('th', null, row[0]));
                tr.appendChild(el('td', null, row[1]));
                table.appendChild(tr);
            }
            root.appendChild(table);
        }
        return root;
    }

    // ---- vector feature objects (areas, circles, tracks) ----
    // Tooltips and popups are bound lazily, on first hover/click/query: binding them up
    // front for thousands of features costs about half the time of creating them.
    // Their content is built when shown, from the feature the object holds at that
    // moment, so an update never has to rebind anything.
    function ensureTooltip(obj) {
        if (!obj.getTooltip()) {
            obj.bindTooltip(function (o) { return tooltipNode(o._ioc.feature); },
                            {sticky: obj._ioc.feature.kind !== 'point'});
        }
        return obj.getTooltip();
    }
    function ensurePopup(obj) {
        if (!obj.getPopup()) {
            obj.bindPopup(function (o) { return popupNode(o._ioc.feature); }, {maxWidth: 360});
        }
        return obj.getPopup();
    }
    function onGroupMouseOver(e) {
        var obj = e.propagatedFrom || e.sourceTarget;
        if (!obj || !obj._ioc || obj.getTooltip()) { return; }
        ensureTooltip(obj);
        // The tooltip's own mouseover listener missed this event: replay it to open now.
        obj.fire('mouseover', {latlng: e.latlng, originalEvent: e.originalEvent});
    }
    function onFeatureClick(e) {
        var info = this._ioc;
        if (!info) { return; }
        if (!this.getPopup()) {
            ensurePopup(this);
            this.openPopup(e && e.latlng);
        }
        if (bridge) { bridge.markerClicked(info.layerId, info.feature.key); }
    }
    function createFeature(layer, f, geom) {
        var opts = styleOf(layer.id, f);
        opts.renderer = layer.renderer;
        opts.pane = layer.pane;
        // The event router below dispatches DOM events; stop them at the feature so the
        // map does not see the same click twice.
        opts.bubblingMouseEvents = false;
        var obj;
        if (f.kind === 'point') {
            opts.radius = pointRadius(f);
            obj = L.circleMarker(geom, opts);
        } else if (f.kind === 'circle') {
            opts.radius = f.radius_m;
            obj = L.circle(geom, opts);
        } else if (f.kind === 'polygon') {
            obj = L.polygon(geom, opts);
        } else {
            obj = L.polyline(geom, opts);
        }
        obj._ioc = {layerId: layer.id, feature: f};
        obj.on('click', onFeatureClick);
        return obj;
    }
    function updateFeature(layer, obj, f, geom) {
        obj._ioc.feature = f;
        if (f.kind === 'point') {
            obj.setLatLng(geom);
            obj.setRadius(pointRadius(f));
        } else if (f.kind === 'circle') {
            obj.setLatLng(geom);
            obj.setRadius(f.radius_m);
        } else {
            obj.setLatLngs(geom);
        }
        obj.setStyle(styleOf(layer.id, f));
        // Open overlays re-run their content function to show the new text.
        if (obj.getTooltip() && obj.isTooltipOpen()) { obj.getTooltip().update(); }
        if (obj.getPopup() && obj.isPopupOpen()) { obj.getPopup().update(); }
    }
    function upsert(layer, f) {
        var geom = geometryOf(f);
        if (geom === null) { ioc.skipped += 1; return; }
        var old = layer.features.get(f.key);
        if (old && old._ioc.feature.kind === f.kind) {
            updateFeature(layer, old, f, geom);
            return;
        }
        if (old) { layer.group.removeLayer(old); }
        var obj = createFeature(layer, f, geom);
        layer.features.set(f.key, obj);
        layer.group.addLayer(obj);
    }
    function remove(layer, key) {
        var obj = layer.features.get(key);
        if (!obj) { return; }
        layer.group.removeLayer(obj);
        layer.features.delete(key);
        if (current && current.layerId === layer.id && current.key === key) { current = null; }
    }
    function clearLayer(layer) {
        layer.group.clearLayers();
        layer.features.clear();
        if (current && current.layerId === layer.id) { current = null; }
    }

    // ---- points: typed arrays ----
    function b64bytes(s) {
        if (typeof s !== 'string' || !s) { return new Uint8Array(0); }
        if (typeof Uint8Array.fromBase64 === 'function') { return Uint8Array.fromBase64(s); }
        var bin = atob(s), n = bin.length, out = new Uint8Array(n);
        for (var i = 0; i < n; i++) { out[i] = bin.charCodeAt(i); }
        return out;
    }
    function u32s(s) { var b = b64bytes(s); return new Uint32Array(b.buffer, b.byteOffset, b.byteLength >> 2); }
    function i32s(s) { var b = b64bytes(s); return new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2); }
    // Web Mercator, as Leaflet's EPSG:3857 (a layer point is these times 256·2^zoom).
    function mercX(lon) { return lon / 360 + 0.5; }
    function mercY(lat) {
        var s = Math.sin(Math.max(Math.min(MAX_LAT, lat), -MAX_LAT) * Math.PI / 180);
        return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    // v: [stroke colour, fill colour, radius, weight, opacity, fill opacity, selected]
    function makeStyle(v) {
        var stroke = color(v[0], DEFAULT_COLOR);
        return {
            color: stroke,
            fill: color(v[1], stroke),
            radius: num(v[2]) && v[2] > 0 ? Math.min(v[2], MAX_RADIUS) : 6,
            weight: num(v[3]) && v[3] >= 0 ? Math.min(v[3], MAX_WEIGHT) : 1.5,
            opacity: num(v[4]) ? clamp01(v[4]) : 1,
            fillOpacity: num(v[5]) ? clamp01(v[5]) : 0.85,
            selected: v[6] === true,
            sprites: {}          // dpr -> sprite; 's' + dpr -> the selected look
        };
    }
    var DEFAULT_STYLE = makeStyle([]);

    function PointStore() {
        this.cap = 0;
        this.n = 0;              // ids in use are below n
        this.count = 0;
        this.keys = [];
        this.ids = new Map();
        this.meta = [];          // id -> {title, fields (undefined: not asked for yet)} | null
        this.styles = [];        // index (Python's) -> style
        this.styleR = new Float32Array(64).fill(DEFAULT_STYLE.radius);   // index -> radius
        this.maxR = 8;           // largest radius + stroke of any style, css px
        this.proxies = new Map();
        this.dirty = false;
        this._alloc(64);
    }
    PointStore.prototype._alloc = function (cap) {
        var self = this;
        function grow(Type, old) {
            var a = new Type(cap);
            if (old) { a.set(old.subarray(0, Math.min(old.length, cap))); }
            return a;
        }
        this.alive = grow(Uint8Array, this.alive);
        this.lat = grow(Float64Array, this.lat);
        this.lon = grow(Float64Array, this.lon);
        this.mx = grow(Float64Array, this.mx);
        this.my = grow(Float64Array, this.my);
        this.sidx = grow(Uint32Array, this.sidx);
        // per draw
        this.px = new Float32Array(cap);
        this.py = new Float32Array(cap);
        this.order = new Int32Array(cap);
        this.cellOf = new Int32Array(cap);
        self.cap = cap;
    };
    PointStore.prototype.ensure = function (need) {
        if (need > this.cap) { this._alloc(Math.max(need, this.cap * 2)); }
    };
    PointStore.prototype.styleAt = function (id) { return this.styles[this.sidx[id]] || DEFAULT_STYLE; };
    PointStore.prototype.setStyle = function (index, style) {
        this.styles[index] = style;
        if (index >= this.styleR.length) {
            var r = new Float32Array(Math.max(index + 1, this.styleR.length * 2)).fill(DEFAULT_STYLE.radius);
            r.set(this.styleR);
            this.styleR = r;
        }
        this.styleR[index] = style.radius;
        this.maxR = Math.max(this.maxR, style.radius + style.weight / 2 + 4);
    };
    PointStore.prototype.clear = function () {
        this.alive.fill(0, 0, this.n);
        this.n = 0;
        this.count = 0;
        this.keys = [];
        this.ids.clear();
        this.meta = [];
        this.proxies.clear();
        this.dirty = true;
    };
    PointStore.prototype.add = function (id, key) {
        if (!num(id) || id < 0 || id >= MAX_POINT_ID || id !== Math.floor(id)) { ioc.skipped += 1; return; }
        this.ensure(id + 1);
        if (id < this.n && this.alive[id]) { this.removeId(id); }
        var prev = this.ids.get(key);
        if (prev !== undefined) { this.removeId(prev); }
        this.alive[id] = 1;
        this.keys[id] = key;
        this.ids.set(key, id);
        this.lat[id] = this.lon[id] = this.mx[id] = this.my[id] = NaN;
        this.sidx[id] = 0;
        this.meta[id] = null;
        if (id >= this.n) { this.n = id + 1; }
        this.count += 1;
    };
    PointStore.prototype.removeId = function (id) {
        if (id >= this.n || !this.alive[id]) { return null; }
        var key = this.keys[id];
        this.alive[id] = 0;
        this.ids.delete(key);
        this.proxies.delete(key);
        this.keys[id] = undefined;
        this.meta[id] = null;
        this.count -= 1;
        return key;
    };
    PointStore.prototype.setPos = function (id, lat, lon) {
        this.lat[id] = lat;
        this.lon[id] = lon;
        this.mx[id] = mercX(lon);
        this.my[id] = mercY(lat);
    };
    PointStore.prototype.has = function (id) { return id < this.n && this.alive[id] === 1; };
    PointStore.prototype.feature = function (id) {
        var m = this.meta[id] || {};
        return {key: this.keys[id], title: m.title, fields: m.fields};
    };
    // A point's feature for its popup: the fields stay in Python until a popup shows
    // them (thousands of reports' texts in every reset otherwise); the first time,
    // the popup shows the title and asks, and ioc.pointFields fills it in.
    function popupFeature(layer, id) {
        var st = layer.pts;
        if (!st.meta[id]) { st.meta[id] = {title: undefined}; }
        var m = st.meta[id];
        if (m.fields === undefined && !m.asked && bridge && bridge.fieldsWanted) {
            m.asked = true;
            bridge.fieldsWanted(layer.id, st.keys[id]);
        }
        return st.feature(id);
    }
    PointStore.prototype.bounds = function () {
        var b = null;
        for (var i = 0; i < this.n; i++) {
            if (!this.alive[i] || !(this.lat[i] === this.lat[i])) { continue; }
            var ll = L.latLng(this.lat[i], this.lon[i]);
            if (b) { b.extend(ll); } else { b = L.latLngBounds(ll, ll); }
        }
        return b;
    };

    // ---- sprites: a shape rendered once, then copied: drawImage of its canvas when a
    // frame draws few, or its pixels blitted into one ImageData when it draws many ----
    function spriteCtx(w, h) {
        var c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        return c.getContext('2d', {willReadFrequently: true});
    }
    // A sprite: a region (sx, sy, w, h) of a canvas, anchored at (cx, cy) in it.
    function spriteOf(canvas, sx, sy, w, h, cx, cy) {
        return {canvas: canvas, sx: sx, sy: sy, w: w, h: h, n: -1, px: null, dx: null, dy: null,
                left: -cx, top: -cy, right: w - 1 - cx, bottom: h - 1 - cy};
    }
    // Its non-transparent pixels as offsets from the anchor (for blits), made once.
    function pixelsOf(sp) {
        if (sp.n >= 0) { return sp; }
        var img = sp.canvas.getContext('2d').getImageData(sp.sx, sp.sy, sp.w, sp.h);
        var w = img.width, h = img.height, cx = -sp.left, cy = -sp.top;
        var src = new Uint32Array(img.data.buffer, img.data.byteOffset, w * h);
        var n = 0, i, x, y;
        for (i = 0; i < src.length; i++) { if (src[i] >>> 24) { n++; } }
        var px = new Uint32Array(n), dx = new Int16Array(n), dy = new Int16Array(n), k = 0;
        for (y = 0; y < h; y++) {
            for (x = 0; x < w; x++) {
                var s = src[y * w + x];
                if (s >>> 24) { px[k] = s; dx[k] = x - cx; dy[k] = y - cy; k++; }
            }
        }
        sp.n = n;
        sp.px = px;
        sp.dx = dx;
        sp.dy = dy;
        return sp;
    }
    function circleSprite(r, fill, fillOpacity, rings, dpr) {
        // rings: [[colour, width, opacity, extra radius]...], drawn in order
        var outer = r, i;
        for (i = 0; i < rings.length; i++) { outer = Math.max(outer, r + rings[i][3] + rings[i][1] / 2); }
        var half = Math.ceil(outer * dpr) + 1, size = 2 * half + 1;
        var g = spriteCtx(size, size);
        g.beginPath();
        g.arc(half + 0.5, half + 0.5, r * dpr, 0, 2 * Math.PI);
        if (fillOpacity > 0) { g.globalAlpha = fillOpacity; g.fillStyle = fill; g.fill(); }
        for (i = 0; i < rings.length; i++) {
            var ring = rings[i];
            if (!(ring[1] > 0 && ring[2] > 0)) { continue; }
            g.beginPath();
            g.arc(half + 0.5, half + 0.5, (r + ring[3]) * dpr, 0, 2 * Math.PI);
            g.globalAlpha = ring[2];
            g.strokeStyle = ring[0];
            g.lineWidth = ring[1] * dpr;
            g.stroke();
        }
        return spriteOf(g.canvas, 0, 0, size, size, half, half);
    }
    function pointSprite(s, selected, dpr) {
        var key = (selected ? 's' : '') + dpr, sp = s.sprites[key];
        if (!sp) {
            sp = selected
                ? circleSprite(s.radius, s.fill, s.fillOpacity, [[SELECT_COLOR, s.weight + 3, 1, 0]], dpr)
                : circleSprite(s.radius, s.fill, s.fillOpacity, [[s.color, s.weight, s.opacity, 0]], dpr);
            s.sprites[key] = sp;
        }
        return sp;
    }
    var clusterSprites = new Map(), labelSprites = new Map();
    function clusterSprite(fill, r, dpr) {
        var key = fill + '|' + r + '|' + dpr, sp = clusterSprites.get(key);
        if (!sp) {
            if (clusterSprites.size > 400) { clusterSprites.clear(); }
            sp = circleSprite(r, fill, 0.92, [[CLUSTER_RING, 2.5, 1, 0], [LABEL_HALO, 1, 0.55, 1.75]], dpr);
            clusterSprites.set(key, sp);
        }
        return sp;
    }
    function countLabel(n) {
        if (n < 1000) { return String(n); }
        if (n < 10000) { return (Math.floor(n / 100) / 10) + 'k'; }
        return Math.floor(n / 1000) + 'k';
    }
    // A count drawn white on a dark halo: readable on any cluster colour.  Counts change
    // with every move, so their sprites share small atlas canvases (pages): a new one
    // costs a fillText, not a canvas; and only a page written to since the last frame is
    // copied again when drawn from (a page is small for that).
    var labelPage = null, labelPages = 0;
    var PAGE_W = 512, MAX_PAGES = 64;
    function labelSprite(label, fontPx, dpr) {
        var key = label + '|' + fontPx + '|' + dpr, sp = labelSprites.get(key);
        if (sp) { return sp; }
        var px = Math.round(fontPx * dpr);
        var h = Math.ceil(px * 1.5) + 2;
        var a = labelPage;
        if (!a || a.px !== px) { a = null; }
        var w = Math.min(PAGE_W, Math.ceil(textWidth(label, px) + 6 * dpr) + 2);
        if (a && a.x + w > PAGE_W) {
            a.x = 0;
            a.y += h;
        }
        if (!a || a.y + h > a.canvas.height) {           // a new page
            if (labelPages >= MAX_PAGES || (labelPage && labelPage.px !== px)) {
                labelSprites.clear();
                labelPages = 0;
            }
            var c = document.createElement('canvas');
            c.width = PAGE_W;
            c.height = Math.max(128, 4 * h);
            a = labelPage = {canvas: c, g: c.getContext('2d'), px: px, x: 0, y: 0};
            a.g.font = labelFont(px);
            a.g.textAlign = 'center';
            a.g.textBaseline = 'middle';
            a.g.lineJoin = 'round';
            a.g.lineWidth = Math.max(2, 3 * dpr);
            a.g.strokeStyle = LABEL_HALO;
            a.g.fillStyle = '#ffffff';
            labelPages += 1;
        }
        a.g.strokeText(label, a.x + w / 2, a.y + h / 2);
        a.g.fillText(label, a.x + w / 2, a.y + h / 2);
        sp = spriteOf(a.canvas, a.x, a.y, w, h, Math.floor(w / 2), Math.floor(h / 2));
        sp.cssWidth = w / dpr;
        a.x += w;
        labelSprites.set(key, sp);
        return sp;
    }
    function labelFont(px) { return 'bold ' + px + 'px "DejaVu Sans", "Noto Sans", Arial, sans-serif'; }
    var measureCtx = null;
    function textWidth(label, px) {
        if (!measureCtx) { measureCtx = document.createElement('canvas').getContext('2d'); }
        var font = labelFont(px);
        if (measureCtx.font !== font) { measureCtx.font = font; }
        return measureCtx.measureText(label).width;
    }
    // Source-over of a sprite into RGBA pixels (not premultiplied, as ImageData); pixels
    // at least 3/4 opaque replace what is under them (overlapping bodies need no blend).
    // box: [minX, minY, maxX, maxY] of what was written, grown here.
    function blit(d32, W, H, sp, X, Y, box) {
        var l = X + sp.left, t = Y + sp.top, r = X + sp.right, b = Y + sp.bottom;
        if (r < 0 || b < 0 || l >= W || t >= H) { return; }
        var inside = l >= 0 && t >= 0 && r < W && b < H;
        pixelsOf(sp);
        var n = sp.n, px = sp.px, dx = sp.dx, dy = sp.dy;
        for (var k = 0; k < n; k++) {
            var x = X + dx[k], y = Y + dy[k];
            if (!inside && (x < 0 || y < 0 || x >= W || y >= H)) { continue; }
            var di = y * W + x, s = px[k], sa = s >>> 24;
            if (sa < 0xC0) {             // edges blend; a marker's body covers what is under it
                var d = d32[di], da = d >>> 24;
                if (da !== 0) {
                    var ws = sa * 255, wd = da * (255 - sa), wt = ws + wd, inv = 1 / wt;
                    s = (((wt / 255 + 0.5) | 0) << 24) |
                        ((((s >>> 16) & 255) * ws + ((d >>> 16) & 255) * wd) * inv + 0.5) << 16 |
                        ((((s >>> 8) & 255) * ws + ((d >>> 8) & 255) * wd) * inv + 0.5) << 8 |
                        (((s & 255) * ws + (d & 255) * wd) * inv + 0.5);
                }
            }
            d32[di] = s;
        }
        if (l < box[0]) { box[0] = Math.max(0, l); }
        if (t < box[1]) { box[1] = Math.max(0, t); }
        if (r > box[2]) { box[2] = Math.min(W - 1, r); }
        if (b > box[3]) { box[3] = Math.min(H - 1, b); }
    }
    function labelPx() {
        var v = parseFloat(getComputedStyle(map.getContainer()).fontSize);
        return num(v) && v > 0 ? Math.min(v, 80) : 12;
    }

    // One canvas per layer for its points.  L.Renderer gives it Leaflet's placement:
    // padded bounds, moved on moveend, scaled during zoom animations.
    var PointCanvas = L.Renderer.extend({
        initialize: function (layer, options) {
            L.Renderer.prototype.initialize.call(this, options);
            this._ioc = layer;
            this.hit = null;
            this.stats = {points: 0, clusters: []};
            this._items = null;
        },
        _initContainer: function () {
            var c = this._container = document.createElement('canvas');
            c.className = 'ioc-points';
            this._ctx = c.getContext('2d');
            this._img = null;
        },
        _destroyContainer: function () {
            L.DomUtil.remove(this._container);
            delete this._ctx;
            delete this._container;
            this._img = null;
            this.hit = null;
        },
        _updatePaths: function () {},
        _update: function () {
            if (this._map._animatingZoom && this._bounds) { return; }
            L.Renderer.prototype._update.call(this);
            var b = this._bounds, size = b.getSize(), c = this._container;
            var dpr = window.devicePixelRatio || 1;
            var w = Math.max(1, Math.round(size.x * dpr)), h = Math.max(1, Math.round(size.y * dpr));
            L.DomUtil.setPosition(c, b.min);
            if (c.width !== w || c.height !== h) {
                c.width = w;
                c.height = h;
                this._img = null;
            }
            c.style.width = size.x + 'px';
            c.style.height = size.y + 'px';
            this._dpr = dpr;
            this.draw();
        },
        _growItems: function (need) {
            var it = this._items;
            if (it && it.cap >= need) { return it; }
            var cap = Math.max(256, need, it ? it.cap * 2 : 0);
            it = this._items = {cap: cap, x: new Float32Array(cap), y: new Float32Array(cap),
                                r: new Float32Array(cap), ref: new Int32Array(cap), next: new Int32Array(cap)};
            return it;
        },
        draw: function () {
            var map_ = this._map, layer = this._ioc, st = layer.pts;
            if (!map_ || !this._container || !this._bounds) { return; }
            st.dirty = false;
            var t0 = performance.now();
            var c = this._container, W = c.width, H = c.height, dpr = this._dpr || 1;
            var b = this._bounds, cw = b.max.x - b.min.x, ch = b.max.y - b.min.y;
            var zoom = this._zoom, scale = 256 * Math.pow(2, zoom), po = map_.getPixelOrigin();
            var ox = po.x + b.min.x, oy = po.y + b.min.y;      // projected px of the canvas' (0, 0)
            var n = st.n, alive = st.alive, mx = st.mx, my = st.my, px = st.px, py = st.py;
            var order = st.order, cellOf = st.cellOf, margin = st.maxR + 2;
            var selId = current && current.layerId === layer.id ? st.ids.get(current.key) : undefined;
            var sel = selId === undefined ? -1 : selId, selShown = false;
            var i, k, x, y, nv = 0;
            for (i = 0; i < n; i++) {
                if (!alive[i]) { continue; }
                x = Math.round(mx[i] * scale) - ox;
                y = Math.round(my[i] * scale) - oy;
                if (x > -margin && x < cw + margin && y > -margin && y < ch + margin) {
                    px[i] = x;
                    py[i] = y;
                    if (i === sel) { selShown = true; } else { order[nv++] = i; }
                }
            }
            var fontPx = labelPx();
            var clustering = layer.cluster && zoom <= CLUSTER_MAX_ZOOM && nv > 1;
            var cells = this._cells, nc = 0, cols = 0, cs = 0;
            if (clustering) {
                // Screen-space grid, anchored to the projection (cells do not move with a
                // pan): a cell with 3+ markers, or 2 that overlap, becomes a counted circle.
                cs = Math.max(40, Math.round(fontPx * 3.4));
                var gx0 = Math.floor((ox - margin) / cs), gy0 = Math.floor((oy - margin) / cs);
                cols = Math.floor((ox + cw + margin) / cs) - gx0 + 1;
                var rows = Math.floor((oy + ch + margin) / cs) - gy0 + 1;
                nc = cols * rows;
                if (!cells || cells.cap < nc) {
                    var cap = Math.max(nc, cells ? cells.cap * 2 : 256);
                    cells = this._cells = {cap: cap, count: new Int32Array(cap), first: new Int32Array(cap),
                                           flag: new Uint8Array(cap), sx: new Float64Array(cap),
                                           sy: new Float64Array(cap), best: new Int32Array(cap)};
                }
                var cnt = cells.count, first = cells.first, flag = cells.flag;
                var sx = cells.sx, sy = cells.sy, best = cells.best, sr = st.styleR, sidx = st.sidx;
                var ics = 1 / cs;
                cnt.fill(0, 0, nc);
                for (k = 0; k < nv; k++) {
                    i = order[k];
                    var cell = (Math.floor((py[i] + oy) * ics) - gy0) * cols + (Math.floor((px[i] + ox) * ics) - gx0);
                    cellOf[i] = cell;
                    var m = ++cnt[cell];
                    if (m === 1) {
                        first[cell] = i;
                        flag[cell] = 0;
                    } else if (m === 2) {
                        var j = first[cell];
                        var rr = sr[sidx[i]] + sr[sidx[j]];
                        var ddx = px[i] - px[j], ddy = py[i] - py[j];
                        flag[cell] = ddx * ddx + ddy * ddy < rr * rr ? 1 : 0;
                    } else {
                        flag[cell] = 1;
                    }
                }
                for (k = 0; k < nv; k++) {
                    i = order[k];
                    cell = cellOf[i];
                    if (!flag[cell]) { continue; }
                    if (first[cell] === i) {
                        sx[cell] = 0;
                        sy[cell] = 0;
                        best[cell] = i;
                    }
                    sx[cell] += px[i];
                    sy[cell] += py[i];
                    if (sr[sidx[i]] > sr[sidx[best[cell]]]) {
                        best[cell] = i;
                    }
                }
            }
            var t1 = performance.now();
            var it = this._growItems(nv + nc + 1), ni = 0;
            var list = this._list || (this._list = {sp: [], x: new Int32Array(0), y: new Int32Array(0)});
            var need = nv + 2 * nc + 1, nd = 0, sp, s, clusters = [];
            if (list.x.length < need) {
                list.x = new Int32Array(Math.max(need, list.x.length * 2));
                list.y = new Int32Array(list.x.length);
            }
            // counted circles under the markers left single
            for (var cell2 = 0; cell2 < nc; cell2++) {
                if (!cells.flag[cell2] || cells.count[cell2] < 2) { continue; }
                var count = cells.count[cell2];
                x = cells.sx[cell2] / count;
                y = cells.sy[cell2] / count;
                var label = labelSprite(countLabel(count), fontPx, dpr);
                var rc = Math.round(Math.max(fontPx * 0.95 + 2.5 * Math.log(count) / Math.LN10, label.cssWidth / 2 + 3));
                list.sp[nd] = clusterSprite(st.styleAt(cells.best[cell2]).fill, rc, dpr);
                list.x[nd] = Math.floor(x * dpr); list.y[nd] = Math.floor(y * dpr); nd++;
                list.sp[nd] = label;
                list.x[nd] = Math.floor(x * dpr); list.y[nd] = Math.floor(y * dpr); nd++;
                it.x[ni] = x; it.y[ni] = y; it.r[ni] = rc + 3; it.ref[ni] = -(clusters.length + 1); ni++;
                clusters.push({cell: cell2, x: x, y: y, count: count});
            }
            var singles = 0;
            for (k = 0; k < nv; k++) {
                i = order[k];
                if (clustering && cells.flag[cellOf[i]]) { continue; }
                s = st.styleAt(i);
                list.sp[nd] = pointSprite(s, s.selected, dpr);
                list.x[nd] = Math.floor(px[i] * dpr); list.y[nd] = Math.floor(py[i] * dpr); nd++;
                it.x[ni] = px[i]; it.y[ni] = py[i]; it.r[ni] = s.radius + s.weight / 2 + 1; it.ref[ni] = i; ni++;
                singles++;
            }
            if (selShown) {            // the chosen one on top, never aggregated
                s = st.styleAt(sel);
                list.sp[nd] = pointSprite(s, true, dpr);
                list.x[nd] = Math.floor(px[sel] * dpr); list.y[nd] = Math.floor(py[sel] * dpr); nd++;
                it.x[ni] = px[sel]; it.y[ni] = py[sel]; it.r[ni] = s.radius + s.weight / 2 + 3; it.ref[ni] = sel; ni++;
                singles++;
            }
            var t2 = performance.now();
            var box = [W, H, -1, -1], prev = this._box, ctx = this._ctx;
            if (nd * BLIT_PX_PER_SPRITE > W * H) {
                // Many: blit every sprite into one ImageData, put it once.
                if (!this._img) {
                    this._img = ctx.createImageData(W, H);
                    this._d32 = new Uint32Array(this._img.data.buffer);
                    this._imgBox = null;
                }
                var d32 = this._d32, ib = this._imgBox;
                if (ib) { d32.fill(0, ib[1] * W, (ib[3] + 1) * W); }
                for (k = 0; k < nd; k++) { blit(d32, W, H, list.sp[k], list.x[k], list.y[k], box); }
                var x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
                if (prev) {                  // what was drawn before goes too
                    x0 = Math.min(x0, prev[0]); y0 = Math.min(y0, prev[1]);
                    x1 = Math.max(x1, prev[2]); y1 = Math.max(y1, prev[3]);
                }
                if (x1 >= x0 && y1 >= y0) { ctx.putImageData(this._img, 0, 0, x0, y0, x1 - x0 + 1, y1 - y0 + 1); }
                this._imgBox = box[2] >= box[0] ? box.slice() : null;
            } else {
                // Few (the usual: aggregated): drawImage of each sprite's canvas.
                ctx.setTransform(1, 0, 0, 1, 0, 0);
                if (prev) { ctx.clearRect(prev[0], prev[1], prev[2] - prev[0] + 1, prev[3] - prev[1] + 1); }
                for (k = 0; k < nd; k++) {
                    sp = list.sp[k];
                    var l = list.x[k] + sp.left, t = list.y[k] + sp.top, r = list.x[k] + sp.right, bt = list.y[k] + sp.bottom;
                    if (r < 0 || bt < 0 || l >= W || t >= H) { continue; }
                    ctx.drawImage(sp.canvas, sp.sx, sp.sy, sp.w, sp.h, l, t, sp.w, sp.h);
                    if (l < box[0]) { box[0] = Math.max(0, l); }
                    if (t < box[1]) { box[1] = Math.max(0, t); }
                    if (r > box[2]) { box[2] = Math.min(W - 1, r); }
                    if (bt > box[3]) { box[3] = Math.min(H - 1, bt); }
                }
            }
            var t3 = performance.now();
            for (k = 0; k < nd; k++) { list.sp[k] = null; }
            this._box = box[2] >= box[0] ? box : null;
            this._buildHitGrid(ni, cw, ch);
            this._clusterList = clusters;
            this._nv = clustering ? nv : 0;
            this._drawnOrigin = b.min;
            this.stats = {points: singles, clusters: clusters, cellPx: cs,
                          ms: [t1 - t0, t2 - t1, t3 - t2, performance.now() - t3]};   // grid, sprites, render, hit grid
        },
        // Items (drawn markers and circles, in drawing order) bucketed by grid cell.
        _buildHitGrid: function (ni, cw, ch) {
            var it = this._items, cols = Math.ceil(cw / HIT_CELL) + 1, rows = Math.ceil(ch / HIT_CELL) + 1;
            var head = new Int32Array(cols * rows).fill(-1), maxR = 0;
            for (var k = 0; k < ni; k++) {       // lists run from the last drawn (the top) down
                var cx = Math.min(cols - 1, Math.max(0, Math.floor(it.x[k] / HIT_CELL)));
                var cy = Math.min(rows - 1, Math.max(0, Math.floor(it.y[k] / HIT_CELL)));
                var cell = cy * cols + cx;
                it.next[k] = head[cell];
                head[cell] = k;
                if (it.r[k] > maxR) { maxR = it.r[k]; }
            }
            this.hit = {n: ni, cols: cols, rows: rows, head: head, maxR: maxR};
        },
        // The topmost item drawn under a layer point: {ref, x, y} or null.
        hitTest: function (layerPoint) {
            var h = this.hit, it = this._items;
            if (!h || !h.n || !this._drawnOrigin) { return null; }
            var x = layerPoint.x - this._drawnOrigin.x, y = layerPoint.y - this._drawnOrigin.y, r = h.maxR;
            var cx0 = Math.max(0, Math.floor((x - r) / HIT_CELL)), cx1 = Math.min(h.cols - 1, Math.floor((x + r) / HIT_CELL));
            var cy0 = Math.max(0, Math.floor((y - r) / HIT_CELL)), cy1 = Math.min(h.rows - 1, Math.floor((y + r) / HIT_CELL));
            var found = -1;
            for (var cy = cy0; cy <= cy1; cy++) {
                for (var cx = cx0; cx <= cx1; cx++) {
                    for (var k = h.head[cy * h.cols + cx]; k > found; k = it.next[k]) {
                        var dx = it.x[k] - x, dy = it.y[k] - y;
                        if (dx * dx + dy * dy <= it.r[k] * it.r[k]) { found = k; break; }
                    }
                }
            }
            if (found < 0) { return null; }
            var ref = it.ref[found];
            return {ref: ref, x: it.x[found], y: it.y[found], r: it.r[found],
                    cluster: ref < 0 ? this._clusterList[-ref - 1] : null};
        },
        // Ids of the markers a drawn counted circle stands for.
        members: function (cluster) {
            var st = this._ioc.pts, out = [];
            if (!cluster || !this._cells) { return out; }
            for (var k = 0; k < this._nv; k++) {       // the markers drawn last time
                var i = st.order[k];
                if (st.alive[i] && st.cellOf[i] === cluster.cell) { out.push(i); }
            }
            return out;
        },
        layerPointOf: function (x, y) { return L.point(x + this._drawnOrigin.x, y + this._drawnOrigin.y); }
    });

    var frameAsked = 0;
    function drawFrame() {
        frameReq = 0;
        var started = performance.now();
        ioc.lastFrameWaitMs = started - frameAsked;      // diagnostics: the wait for the frame
        for (var id in layers) {
            var layer = layers[id], r = layer.renderer;
            if (layer.pts.dirty && layer.view._map) { layer.view.draw(); }
            if (r._redrawRequest) {          // vectors changed in the same diff: draw them now too
                L.Util.cancelAnimFrame(r._redrawRequest);
                r._redraw();
            }
        }
        ioc.lastDrawMs = performance.now() - started;
        sendAck();
    }
    function requestFrame() {
        if (!frameReq) {
            frameAsked = performance.now();
            frameReq = requestAnimationFrame(drawFrame);
        }
    }
    function sendAck() {
        if (ackSeq < 0) { return; }
        var seq = ackSeq;
        ackSeq = -1;
        if (bridge && bridge.frameDrawn) { bridge.frameDrawn(seq); }
    }

    function isPointSelected(layer, key) {
        return current !== null && current.layerId === layer.id && current.key === key;
    }
    function pointProxy(layer, key) {
        var st = layer.pts;
        if (!st.ids.has(key)) { return null; }
        var p = st.proxies.get(key);
        if (p) { return p; }
        function id() { return st.ids.get(key); }
        p = {
            _ioc: {layerId: layer.id, point: true},
            fire: function (type) {
                if (type === 'click' && id() !== undefined) { onPointClick(layer, id()); }
                return p;
            },
            getLatLng: function () { var i = id(); return i === undefined ? null : L.latLng(st.lat[i], st.lon[i]); },
            openPopup: function () { if (id() !== undefined) { openPointPopup(layer, id()); } return p; }
        };
        Object.defineProperty(p, 'options', {get: function () {
            var i = id();
            if (i === undefined) { return {}; }
            var s = st.styleAt(i), sel = s.selected || isPointSelected(layer, key);
            return {color: sel ? SELECT_COLOR : s.color, fillColor: s.fill, radius: s.radius,
                    weight: sel ? s.weight + 3 : s.weight, opacity: sel ? 1 : s.opacity, fillOpacity: s.fillOpacity};
        }});
        Object.defineProperty(p, 'feature', {get: function () { var i = id(); return i === undefined ? null : st.feature(i); }});
        st.proxies.set(key, p);
        return p;
    }
    function openPointPopup(layer, id) {
        var st = layer.pts;
        if (!pointPopup) {
            pointPopup = L.popup({maxWidth: 360});
            pointPopup.on('remove', function () { popupRef = null; });
        }
        var feature = popupFeature(layer, id);
        popupRef = {layerId: layer.id, key: st.keys[id], meta: st.meta[id]};
        pointPopup.setLatLng([st.lat[id], st.lon[id]]).setContent(popupNode(feature));
        if (!map.hasLayer(pointPopup)) { pointPopup.openOn(map); }
    }
    function onPointClick(layer, id) {
        var key = layer.pts.keys[id];
        openPointPopup(layer, id);
        if (bridge) { bridge.markerClicked(layer.id, key); }
    }
    function onClusterClick(layer, hit) {
        var st = layer.pts, ids = layer.view.members(hit.cluster), b = null;
        for (var k = 0; k < ids.length; k++) {
            var ll = L.latLng(st.lat[ids[k]], st.lon[ids[k]]);
            if (b) { b.extend(ll); } else { b = L.latLngBounds(ll, ll); }
        }
        var target = Math.min(CLUSTER_MAX_ZOOM + 1, map.getMaxZoom());
        if (!b || b.getNorthEast().equals(b.getSouthWest(), 1e-9)) {
            map.setView(b ? b.getCenter() : map.layerPointToLatLng(layer.view.layerPointOf(hit.x, hit.y)),
                        Math.max(map.getZoom() + 2, target));
        } else {
            map.fitBounds(b, {padding: [48, 48], maxZoom: target});
        }
    }
    function showHoverTip(layer, hit) {
        var st = layer.pts, ref, latlng, node, offset = -Math.round(hit.r);
        if (hit.ref >= 0) {
            ref = layer.id + '\u0000' + st.keys[hit.ref] + '\u0000' + hit.ref;
            if (hoverRef === ref) { return; }
            latlng = L.latLng(st.lat[hit.ref], st.lon[hit.ref]);
            node = tooltipNode(st.feature(hit.ref));
        } else {
            ref = layer.id + '\u0000#' + hit.cluster.cell + '\u0000' + hit.cluster.count;
            if (hoverRef === ref) { return; }
            latlng = map.layerPointToLatLng(layer.view.layerPointOf(hit.x, hit.y));
            node = el('div', 'ioc-tooltip', texts.clusterTip.replace('{0}', String(hit.cluster.count)));
        }
        if (!hoverTip) { hoverTip = L.tooltip({direction: 'top', opacity: 0.95}); }
        hoverTip.options.offset = L.point(0, offset);
        hoverTip.setLatLng(latlng).setContent(node);
        if (!map.hasLayer(hoverTip)) { map.openTooltip(hoverTip); }
        hoverRef = ref;
    }
    function hideHoverTip() {
        if (hoverTip && map.hasLayer(hoverTip)) { map.closeTooltip(hoverTip); }
        hoverRef = null;
    }
    // After a diff: the open popup follows its point (closes when it is gone).
    function refreshPopup(layer) {
        if (!popupRef || popupRef.layerId !== layer.id || !pointPopup) { return; }
        var st = layer.pts, id = st.ids.get(popupRef.key);
        if (id === undefined) { map.closePopup(pointPopup); return; }
        pointPopup.setLatLng([st.lat[id], st.lon[id]]);
        if (st.meta[id] !== popupRef.meta) {
            var feature = popupFeature(layer, id);
            popupRef.meta = st.meta[id];
            pointPopup.setContent(popupNode(feature));
        }
    }

    // ---- event routing across stacked canvases ----
    // Each data layer has its own canvases; a canvas swallows the mouse events over its
    // whole area, so only the top one would ever get a click or hover.  Data canvases
    // therefore ignore pointer events (CSS) and this router hit-tests the visible
    // layers from the top down: a layer's points (drawn above its areas) first, then
    // its vector renderer, which gets the event as if it had been its own.
    function visibleLayersTopDown() {
        var list = [];
        for (var id in layers) {
            if (map.hasLayer(layers[id].group)) { list.push(layers[id]); }
        }
        list.sort(function (a, b) { return (b.z - a.z) || (b.seq - a.seq); });
        return list;
    }
    function rendererHit(renderer, point) {
        for (var order = renderer._drawFirst; order; order = order.next) {
            var l = order.layer;
            if (l.options.interactive && l._containsPoint(point)) { return true; }
        }
        return false;
    }
    function routedTarget(e) {
        // Only events that reach the bare map (not a popup, control, tooltip or marker icon).
        var t = e.target;
        if (t !== map.getContainer() && !(t && t.tagName === 'CANVAS')) { return null; }
        if (map.dragging && map.dragging.moving()) { return null; }
        var point = map.mouseEventToLayerPoint(e);
        var list = visibleLayersTopDown();
        for (var i = 0; i < list.length; i++) {
            var l = list[i];
            if (l.view._map) {
                var h = l.view.hitTest(point);
                if (h) { return {layer: l, point: point, pt: h}; }
            }
            if (rendererHit(l.renderer, point)) { return {layer: l, point: point}; }
        }
        return null;
    }
    function routeClick(e) {
        var hit = routedTarget(e);
        if (!hit) { return; }
        if (hit.pt) {
            if (e.type === 'click') {
                if (hit.pt.ref >= 0) { onPointClick(hit.layer, hit.pt.ref); } else { onClusterClick(hit.layer, hit.pt); }
            }
            return;
        }
        hit.layer.renderer._onClick(e);
    }
    function routeMove(e) {
        var hit = routedTarget(e);
        var list = visibleLayersTopDown();
        for (var i = 0; i < list.length; i++) {
            if (!hit || hit.pt || list[i] !== hit.layer) { list[i].renderer._handleMouseOut(e); }
        }
        if (hit && hit.pt) { showHoverTip(hit.layer, hit.pt); } else { hideHoverTip(); }
        if (hit && !hit.pt) { hit.layer.renderer._handleMouseHover(e, hit.point); }
        L.DomUtil[hit ? 'addClass' : 'removeClass'](map.getContainer(), 'ioc-hover');
    }
    function routeOut(e) {
        var list = visibleLayersTopDown();
        for (var i = 0; i < list.length; i++) { list[i].renderer._handleMouseOut(e); }
        hideHoverTip();
        L.DomUtil.removeClass(map.getContainer(), 'ioc-hover');
    }

    // ---- not current: label over the map, greyed layers ----
    function applyStaleClass(layer) {
        var greyed = stale.all || !!stale.layers[layer.id];
        L.DomUtil[greyed ? 'addClass' : 'removeClass'](map.getPane(layer.pane), 'ioc-stale-pane');
    }
    function setStale(info) {
        info = info || {};
        stale.text = text(info.text);
        stale.all = !!info.all;
        stale.layers = {};
        var ids = Array.isArray(info.layers) ? info.layers : [];
        for (var i = 0; i < ids.length; i++) { stale.layers[text(ids[i])] = true; }
        var c = map.getContainer();
        if (!staleBox) {
            staleBox = el('div', 'ioc-stale-label');
            c.appendChild(staleBox);
        }
        staleBox.textContent = stale.text;          // text only, never HTML
        staleBox.style.display = stale.text ? '' : 'none';
        L.DomUtil[stale.all ? 'addClass' : 'removeClass'](c, 'ioc-stale');
        for (var id in layers) { applyStaleClass(layers[id]); }
        return true;
    }

    // ---- basemap ----
    var BASEMAP_STYLE = {
        land: function (p) {
            return p.role === 'neighbour'
                ? {stroke: false, fillColor: '#e6e2d9', fillOpacity: 1}
                : {color: '#9a8fb5', weight: 1.5, dashArray: '6 4', fillColor: '#f4f1e8', fillOpacity: 1};
        },
        lagoon: function () { return {color: '#8fbfd4', weight: 1, fillColor: '#a7cfe0', fillOpacity: 1}; },
        river: function () { return {color: '#8fbfd4', weight: 3, opacity: 1, fill: false}; }
    };
    function addBasemap(geojson, title) {
        var pane = map.createPane('iocBasemap');
        pane.style.zIndex = 150;            // under tiles (200): local tiles, when present, win
        var labels = map.createPane('iocBasemapLabels');
        // Place names above every data layer (panes 310-590), below tooltips and
        // popups: markers never hide a ward's name, least of all on a wall read from
        // metres away.  They take no mouse events: clicks reach the markers under them.
        labels.style.zIndex = 595;
        labels.style.pointerEvents = 'none';
        var renderer = L.canvas({pane: 'iocBasemap'});
        var group = L.geoJSON(geojson, {
            pane: 'iocBasemap',
            interactive: false,
            style: function (feat) {
                var p = feat.properties || {};
                var s = (BASEMAP_STYLE[p.kind] || BASEMAP_STYLE.land)(p);
                s.renderer = renderer;
                s.interactive = false;
                return s;
            },
            pointToLayer: function (feat, latlng) {
                var p = feat.properties || {};
                var port = p.kind === 'port';
                var m = L.circleMarker(latlng, {
                    renderer: renderer, pane: 'iocBasemap', interactive: false, radius: port ? 4 : 3,
                    color: port ? '#2b6c8f' : '#5b5560', weight: 1, fillColor: port ? '#ffffff' : '#5b5560',
                    fillOpacity: 1
                });
                m.bindTooltip(el('span', null, p.name), {
                    permanent: true, direction: 'right', offset: [4, 0], pane: 'iocBasemapLabels',
                    className: port ? 'ioc-label ioc-label-port' : 'ioc-label'
                });
                return m;
            }
        }).addTo(map);
        basemapCount = group.getLayers().length;
        layersControl.addOverlay(group, escapeHtml(title));
    }

    var ioc = window.ioc = {
        skipped: 0,
        lastApplyMs: 0,
        lastDrawMs: 0,
        lastFrameWaitMs: 0,
        ready: false,

        init: function (leafletMap, options) {
            map = leafletMap;
            options = options || {};
            if (typeof options.clusterTip === 'string' && options.clusterTip) { texts.clusterTip = options.clusterTip; }
            map.attributionControl.setPrefix('Leaflet');   // no link that could navigate the page away
            if (options.attribution) { map.attributionControl.addAttribution(escapeHtml(options.attribution)); }
            layersControl = L.control.layers(null, null, {collapsed: true, position: 'topright'}).addTo(map);
            if (options.basemap) { addBasemap(options.basemap, options.basemapTitle || 'Basemap'); }
            var c = map.getContainer();
            L.DomEvent.on(c, 'click dblclick mousedown mouseup contextmenu', routeClick);
            L.DomEvent.on(c, 'mousemove', routeMove);
            L.DomEvent.on(c, 'mouseout', routeOut);
            // What is under the mouse changes with the view: the next move tells.
            map.on('movestart zoomstart viewreset', hideHoverTip);
            // A hidden page gets no animation frames: answer at once, draw when shown.
            document.addEventListener('visibilitychange', function () { if (!document.hidden) { requestFrame(); } });
            connectBridge();
        },

        // opts: {cluster: false} to draw every marker of the layer, even where they overlap
        addLayer: function (layerId, title, z, opts) {
            var layer = layers[layerId];
            z = num(z) ? Math.max(-90, Math.min(190, z)) : 0;
            var cluster = !(opts && opts.cluster === false);
            if (layer) {
                layer.z = z;
                layer.title = text(title);
                map.getPane(layer.pane).style.zIndex = 400 + z;
                layersControl.removeLayer(layer.group);
                layersControl.addOverlay(layer.group, escapeHtml(layer.title));
                if (layer.cluster !== cluster) {
                    layer.cluster = cluster;
                    layer.pts.dirty = true;
                    requestFrame();
                }
                return;
            }
            var seq = layerSeq++;
            var pane = 'iocLayer' + seq;
            map.createPane(pane).style.zIndex = 400 + z;   // above tiles/basemap, below place names, markers and tooltips
            L.DomUtil.addClass(map.getPane(pane), 'ioc-data-pane');
            layer = layers[layerId] = {
                id: layerId, title: text(title), z: z, seq: seq, pane: pane,
                renderer: L.canvas({pane: pane}),
                group: L.featureGroup(),
                features: new Map(),
                pts: new PointStore(),
                view: null,
                cluster: cluster
            };
            layer.view = new PointCanvas(layer, {pane: pane});
            layer.group.on('mouseover', onGroupMouseOver);
            // The points canvas comes and goes with the layer's group (ioc.setVisible,
            // the layers control); events of the group's children propagate here too.
            layer.group.on('add', function (e) { if (!e.propagatedFrom) { map.addLayer(layer.view); } });
            layer.group.on('remove', function (e) {
                if (e.propagatedFrom) { return; }
                map.removeLayer(layer.view);
                hideHoverTip();
                if (popupRef && popupRef.layerId === layer.id && pointPopup) { map.closePopup(pointPopup); }
            });
            layer.group.addTo(map);
            applyStaleClass(layer);
            layersControl.addOverlay(layer.group, escapeHtml(layer.title));
        },

        // diffs = {layerId: {upserts: [feature...], removes: [key...], clear: bool}}
        // (areas, circles, tracks; points go through ioc.points)
        applyDiff: function (diffs) {
            var started = performance.now();
            for (var layerId in diffs) {
                if (!Object.prototype.hasOwnProperty.call(diffs, layerId)) { continue; }
                var d = diffs[layerId] || {};
                if (!layers[layerId]) { ioc.addLayer(layerId, layerId, 0); }
                var layer = layers[layerId];
                if (d.clear) { clearLayer(layer); }
                var removes = Array.isArray(d.removes) ? d.removes : [];
                for (var i = 0; i < removes.length; i++) { remove(layer, removes[i]); }
                var ups = Array.isArray(d.upserts) ? d.upserts : [];
                for (var j = 0; j < ups.length; j++) {
                    try {
                        upsert(layer, ups[j]);
                    } catch (err) {      // one bad feature must not stop the rest
                        ioc.skipped += 1;
                        console.error('ioc: feature skipped: ' + err);
                    }
                }
            }
            ioc.lastApplyMs = performance.now() - started;   // for diagnostics and tests
            return ioc.skipped;
        },

        // The points of one layer, by small integer id (widgets/map_view.py _PointDiff):
        // {c: clear, st: [[style index, colour, fill, radius, weight, opacity,
        //  fill opacity, selected]...], rm: ids, add: [[id, key]...], sid/sv: ids and
        //  their style index, meta: [[id, title, fields]...], pid/plat/plon: ids and
        //  positions in 1e-7 degrees (no pid: ids 0, 1, 2... in order), sk: features
        //  Python skipped}.  ids, sv: base64 Uint32Array; plat, plon: base64 Int32Array.
        points: function (layerId, p) {
            var started = performance.now();
            if (!layers[layerId]) { ioc.addLayer(layerId, layerId, 0); }
            var layer = layers[layerId], st = layer.pts, i, ids, row;
            p = p || {};
            try {
                if (p.c) {
                    st.clear();
                    if (current && current.layerId === layerId && !layer.features.has(current.key)) { current = null; }
                }
                if (Array.isArray(p.st)) {
                    for (i = 0; i < p.st.length; i++) {
                        row = p.st[i];
                        if (Array.isArray(row) && num(row[0]) && row[0] >= 0 && row[0] < 65536) {
                            st.setStyle(row[0], makeStyle(row.slice(1)));
                        }
                    }
                }
                if (p.rm) {
                    ids = u32s(p.rm);
                    for (i = 0; i < ids.length; i++) {
                        var gone = st.removeId(ids[i]);
                        if (gone !== null && current && current.layerId === layerId && current.key === gone) { current = null; }
                    }
                }
                if (Array.isArray(p.add)) {
                    for (i = 0; i < p.add.length; i++) {
                        row = p.add[i];
                        if (Array.isArray(row)) { st.add(row[0], text(row[1])); }
                    }
                }
                if (p.sid) {
                    ids = u32s(p.sid);
                    var sv = u32s(p.sv), ns = Math.min(ids.length, sv.length);
                    for (i = 0; i < ns; i++) { if (st.has(ids[i])) { st.sidx[ids[i]] = sv[i]; } }
                }
                if (Array.isArray(p.meta)) {
                    for (i = 0; i < p.meta.length; i++) {
                        row = p.meta[i];
                        if (Array.isArray(row) && st.has(row[0])) { st.meta[row[0]] = {title: row[1]}; }
                    }
                }
                if (p.plat) {             // without pid: every id from 0, in order
                    ids = p.pid ? u32s(p.pid) : null;
                    var la = i32s(p.plat), lo = i32s(p.plon), np = Math.min(la.length, lo.length);
                    if (ids) { np = Math.min(np, ids.length); }
                    for (i = 0; i < np; i++) {
                        var id = ids ? ids[i] : i;
                        if (!st.has(id)) { continue; }
                        var a = la[i] / 1e7, o = lo[i] / 1e7;
                        if (a >= -90 && a <= 90 && o >= -180 && o <= 180) { st.setPos(id, a, o); } else { ioc.skipped += 1; }
                    }
                }
                if (num(p.sk)) { ioc.skipped += p.sk; }
            } catch (err) {
                ioc.skipped += 1;
                console.error('ioc: points of ' + layerId + ' skipped: ' + err);
            }
            st.dirty = true;
            requestFrame();
            refreshPopup(layer);
            ioc.lastApplyMs = performance.now() - started;
            return st.count;
        },

        // Python waits for this before it sends the next diff (one in flight per frame).
        frame: function (seq) {
            if (num(seq) && seq > ackSeq) { ackSeq = seq; }
            if (document.hidden) {
                setTimeout(sendAck, 0);
            }
            requestFrame();
            return true;
        },

        count: function (layerId) {
            var l = layers[layerId];
            return l ? l.features.size + l.pts.count : 0;
        },
        keys: function (layerId) {
            var l = layers[layerId];
            return l ? Array.from(l.features.keys()).concat(Array.from(l.pts.ids.keys())) : [];
        },
        layerIds: function () { return Object.keys(layers); },
        basemapCount: function () { return basemapCount; },
        // The Leaflet object of an area/track, or a stand-in for a point (fire('click'),
        // options, getLatLng, openPopup), the same object for as long as the point lives.
        feature: function (layerId, key) {
            var l = layers[layerId];
            if (!l) { return null; }
            return l.features.get(key) || pointProxy(l, key);
        },
        pointId: function (layerId, key) {
            var l = layers[layerId], id = l ? l.pts.ids.get(key) : undefined;
            return id === undefined ? null : id;
        },
        latLng: function (layerId, key) {
            var l = layers[layerId];
            if (!l) { return null; }
            var id = l.pts.ids.get(key);
            if (id !== undefined) { return [l.pts.lat[id], l.pts.lon[id]]; }
            var obj = l.features.get(key);
            if (!obj) { return null; }
            var ll = obj.getLatLng ? obj.getLatLng() : obj.getBounds().getCenter();
            return [ll.lat, ll.lng];
        },

        // Where the feature is drawn, in map-container (= widget) pixels.
        containerPoint: function (layerId, key) {
            var ll = ioc.latLng(layerId, key);
            if (!ll) { return null; }
            var p = map.latLngToContainerPoint(ll);
            return [p.x, p.y];
        },
        // What a layer's points canvas drew last: markers drawn one by one, and counted
        // circles [x, y, count] in container pixels.
        drawStats: function (layerId) {
            var l = layers[layerId];
            if (!l || !l.view._map || !l.view._drawnOrigin) { return null; }
            var v = l.view, out = [];
            for (var i = 0; i < v.stats.clusters.length; i++) {
                var c = v.stats.clusters[i];
                var p = map.layerPointToContainerPoint(v.layerPointOf(c.x, c.y));
                out.push([p.x, p.y, c.count]);
            }
            return {points: v.stats.points, clusters: out, cellPx: v.stats.cellPx};
        },

        tooltipText: function (layerId, key) {
            var l = layers[layerId];
            if (!l) { return null; }
            var id = l.pts.ids.get(key);
            if (id !== undefined) { return tooltipNode(l.pts.feature(id)).textContent; }
            var obj = l.features.get(key);
            if (!obj) { return null; }
            if (!obj._map) { return tooltipNode(obj._ioc.feature).textContent; }
            var tip = ensureTooltip(obj);
            var wasOpen = obj.isTooltipOpen();
            obj.openTooltip();
            var s = tip.getElement().textContent;
            if (!wasOpen) { obj.closeTooltip(); }
            return s;
        },
        // Python's answer to bridge.fieldsWanted: a point's popup fields ([[name, value]...]).
        pointFields: function (layerId, key, fields) {
            var layer = layers[layerId];
            if (!layer) { return false; }
            var st = layer.pts, id = st.ids.get(key);
            if (id === undefined) { return false; }
            var m = st.meta[id] || {};
            st.meta[id] = {title: m.title, fields: Array.isArray(fields) ? fields : []};
            refreshPopup(layer);
            return true;
        },
        popupHtml: function (layerId, key) {
            var l = layers[layerId];
            if (!l) { return null; }
            var id = l.pts.ids.get(key);
            // a point's fields: once Python has answered (the first call asks)
            if (id !== undefined) { return popupNode(popupFeature(l, id)).outerHTML; }
            var obj = l.features.get(key);
            if (!obj) { return null; }
            if (!obj._map) { return popupNode(obj._ioc.feature).outerHTML; }
            var popup = ensurePopup(obj);
            var wasOpen = obj.isPopupOpen();
            obj.openPopup();
            var content = popup.getElement().querySelector('.leaflet-popup-content');
            var s = content ? content.innerHTML : null;
            if (!wasOpen) { obj.closePopup(); }
            return s;
        },

        setVisible: function (layerId, visible) {
            var layer = layers[layerId];
            if (!layer) { return false; }
            if (visible) { layer.group.addTo(map); } else { map.removeLayer(layer.group); }
            return true;
        },
        isVisible: function (layerId) { return !!layers[layerId] && map.hasLayer(layers[layerId].group); },

        fit: function (layerId) {
            var layer = layers[layerId];
            if (!layer || ioc.count(layerId) === 0) { return false; }
            var b = layer.features.size ? layer.group.getBounds() : null;
            var pb = layer.pts.bounds();
            if (pb) { b = b && b.isValid() ? b.extend(pb) : pb; }
            if (!b || !b.isValid()) { return false; }
            map.fitBounds(b, {padding: [24, 24], maxZoom: 15});
            return true;
        },

        select: function (layerId, key) {
            var prev = current;
            current = null;
            if (prev && layers[prev.layerId]) {
                var pl = layers[prev.layerId], prevObj = pl.features.get(prev.key);
                if (prevObj) { prevObj.setStyle(styleOf(prev.layerId, prevObj._ioc.feature)); }
                if (pl.pts.ids.has(prev.key)) { pl.pts.dirty = true; requestFrame(); }
            }
            var layer = layers[layerId];
            if (!layer) { return false; }
            var obj = layer.features.get(key);
            if (obj) {
                current = {layerId: layerId, key: key};
                obj.setStyle(styleOf(layerId, obj._ioc.feature));
                obj.bringToFront();
                map.panTo(obj.getLatLng ? obj.getLatLng() : obj.getBounds().getCenter());
                return true;
            }
            var id = layer.pts.ids.get(key);
            if (id === undefined) { return false; }
            current = {layerId: layerId, key: key};
            layer.pts.dirty = true;
            requestFrame();
            if (layer.pts.lat[id] === layer.pts.lat[id]) { map.panTo([layer.pts.lat[id], layer.pts.lon[id]]); }
            return true;
        },
        selected: function () { return current ? [current.layerId, current.key] : null; },

        // info = {text: label over the map ('' = none), layers: [layerId...] greyed,
        //         all: grey every data layer (the link is down)}
        setStale: setStale,
        staleState: function () {
            var greyed = [];
            for (var id in layers) {
                if (L.DomUtil.hasClass(map.getPane(layers[id].pane), 'ioc-stale-pane')) { greyed.push(id); }
            }
            greyed.sort();
            return {
                text: staleBox ? staleBox.textContent : '',
                shown: !!staleBox && staleBox.style.display !== 'none' && staleBox.offsetWidth > 0,
                all: L.DomUtil.hasClass(map.getContainer(), 'ioc-stale'),
                greyed: greyed
            };
        },
        view: function () {
            var c = map.getCenter();
            return {center: [c.lat, c.lng], zoom: map.getZoom()};
        },
        debugLayer: function (layerId) { return layers[layerId] || null; },
        setView: function (lat, lon, zoom) {
            map.setView([lat, lon], zoom, {animate: false});
            return true;
        }
    };

    function connectBridge() {
        if (typeof QWebChannel === 'undefined' || typeof qt === 'undefined' || !qt.webChannelTransport) {
            console.error('ioc: no QWebChannel transport; clicks will not reach the app');
            return;
        }
        new QWebChannel(qt.webChannelTransport, function (channel) {
            bridge = channel.objects.bridge;
            ioc.ready = true;
            if (bridge) { bridge.pageReady(); }
        });
    }
}());

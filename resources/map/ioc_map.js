/*
 * HueIOC map glue: the page side of widgets/map_view.py.
 *
 * Python talks to this file only through `window.ioc` (runJavaScript) and hears back
 * through the QWebChannel object `bridge` (pageReady, markerClicked).
 *
 * Every string inside a feature comes from an external feed and is untrusted: it is
 * only ever put into the page with textContent, never as HTML.
 */
(function () {
    'use strict';

    var DEFAULT_COLOR = '#3388ff';
    var SELECT_COLOR = '#00e5ff';
    var COLOR_RE = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
    var KINDS = {point: true, circle: true, polygon: true, polyline: true};

    var map = null;
    var bridge = null;
    var layersControl = null;
    var layers = {};        // layerId -> {id, title, z, seq, pane, renderer, group, features: Map}
    var layerSeq = 0;
    var current = null;     // {layerId, key} chosen with ioc.select
    var basemapCount = 0;
    // Not-current state (ioc.setStale): a label over the map, greyed layers.
    var stale = {text: '', layers: {}, all: false};
    var staleBox = null;

    function num(v) { return typeof v === 'number' && isFinite(v); }
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

    // ---- feature objects ----
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

    // ---- event routing across stacked canvases ----
    // Each data layer has its own <canvas>; a canvas swallows the mouse events over its
    // whole area, so only the top one would ever get a click or hover.  Data canvases
    // therefore ignore pointer events (CSS) and this router hit-tests the visible
    // layers from the top down and hands the event to the canvas renderer that owns
    // the feature under the mouse.
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
            if (rendererHit(list[i].renderer, point)) { return {layer: list[i], point: point}; }
        }
        return null;
    }
    function routeClick(e) {
        var hit = routedTarget(e);
        if (hit) { hit.layer.renderer._onClick(e); }
    }
    function routeMove(e) {
        var hit = routedTarget(e);
        var list = visibleLayersTopDown();
        for (var i = 0; i < list.length; i++) {
            if (!hit || list[i] !== hit.layer) { list[i].renderer._handleMouseOut(e); }
        }
        if (hit) { hit.layer.renderer._handleMouseHover(e, hit.point); }
        L.DomUtil[hit ? 'addClass' : 'removeClass'](map.getContainer(), 'ioc-hover');
    }
    function routeOut(e) {
        var list = visibleLayersTopDown();
        for (var i = 0; i < list.length; i++) { list[i].renderer._handleMouseOut(e); }
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
        labels.style.zIndex = 250;
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
        ready: false,

        init: function (leafletMap, options) {
            map = leafletMap;
            options = options || {};
            map.attributionControl.setPrefix('Leaflet');   // no link that could navigate the page away
            if (options.attribution) { map.attributionControl.addAttribution(escapeHtml(options.attribution)); }
            layersControl = L.control.layers(null, null, {collapsed: true, position: 'topright'}).addTo(map);
            if (options.basemap) { addBasemap(options.basemap, options.basemapTitle || 'Basemap'); }
            var c = map.getContainer();
            L.DomEvent.on(c, 'click dblclick mousedown mouseup contextmenu', routeClick);
            L.DomEvent.on(c, 'mousemove', routeMove);
            L.DomEvent.on(c, 'mouseout', routeOut);
            connectBridge();
        },

        addLayer: function (layerId, title, z) {
            var layer = layers[layerId];
            z = num(z) ? Math.max(-90, Math.min(190, z)) : 0;
            if (layer) {
                layer.z = z;
                layer.title = text(title);
                map.getPane(layer.pane).style.zIndex = 400 + z;
                layersControl.removeLayer(layer.group);
                layersControl.addOverlay(layer.group, escapeHtml(layer.title));
                return;
            }
            var seq = layerSeq++;
            var pane = 'iocLayer' + seq;
            map.createPane(pane).style.zIndex = 400 + z;   // above tiles/basemap, below markers and tooltips
            L.DomUtil.addClass(map.getPane(pane), 'ioc-data-pane');
            layer = layers[layerId] = {
                id: layerId, title: text(title), z: z, seq: seq, pane: pane,
                renderer: L.canvas({pane: pane}),
                group: L.featureGroup(),
                features: new Map()
            };
            layer.group.on('mouseover', onGroupMouseOver);
            layer.group.addTo(map);
            applyStaleClass(layer);
            layersControl.addOverlay(layer.group, escapeHtml(layer.title));
        },

        // diffs = {layerId: {upserts: [feature...], removes: [key...], clear: bool}}
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

        count: function (layerId) { return layers[layerId] ? layers[layerId].features.size : 0; },
        keys: function (layerId) { return layers[layerId] ? Array.from(layers[layerId].features.keys()) : []; },
        layerIds: function () { return Object.keys(layers); },
        basemapCount: function () { return basemapCount; },
        feature: function (layerId, key) {
            var obj = layers[layerId] && layers[layerId].features.get(key);
            return obj ? obj : null;
        },
        latLng: function (layerId, key) {
            var obj = ioc.feature(layerId, key);
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

        tooltipText: function (layerId, key) {
            var obj = ioc.feature(layerId, key);
            if (!obj) { return null; }
            if (!obj._map) { return tooltipNode(obj._ioc.feature).textContent; }
            var tip = ensureTooltip(obj);
            var wasOpen = obj.isTooltipOpen();
            obj.openTooltip();
            var s = tip.getElement().textContent;
            if (!wasOpen) { obj.closeTooltip(); }
            return s;
        },
        popupHtml: function (layerId, key) {
            var obj = ioc.feature(layerId, key);
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
            if (!layer || layer.features.size === 0) { return false; }
            var b = layer.group.getBounds();
            if (!b.isValid()) { return false; }
            map.fitBounds(b, {padding: [24, 24], maxZoom: 15});
            return true;
        },

        select: function (layerId, key) {
            var prev = current && ioc.feature(current.layerId, current.key);
            var prevLayerId = current && current.layerId;
            current = null;
            if (prev) { prev.setStyle(styleOf(prevLayerId, prev._ioc.feature)); }
            var obj = ioc.feature(layerId, key);
            if (!obj) { return false; }
            current = {layerId: layerId, key: key};
            obj.setStyle(styleOf(layerId, obj._ioc.feature));
            obj.bringToFront();
            map.panTo(obj.getLatLng ? obj.getLatLng() : obj.getBounds().getCenter());
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

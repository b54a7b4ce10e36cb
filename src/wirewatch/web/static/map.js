// Map of located events on an offline basemap (Natural Earth via world-atlas; no tiles).
// Precision is drawn honestly: points for sites and cities, wide dashed circles for
// regions, and shaded countries (no point) for country-level events.
(function () {
  "use strict";
  const box = document.getElementById("map");
  if (!box || !window.L) return;
  const title = document.getElementById("detail-title");
  const fields = document.getElementById("detail-fields");
  const link = document.getElementById("detail-link");

  // Leaflet puts string tooltips in as HTML; hand it a text node's element instead.
  function textEl(s) {
    const span = document.createElement("span");
    span.textContent = s;
    return span;
  }

  function detail(features) {
    fields.replaceChildren();
    const first = features[0].properties;
    title.textContent = features.length > 1 ? features.length + " events · " + (first.place || "")
      : first.type + " · " + (first.date || "undated").slice(0, 10);
    features.slice(0, 12).forEach(function (f) {
      const p = f.properties;
      [["event", p.type + " " + (p.date || "").slice(0, 10)], ["place", p.place + " (" + p.precision + ")"],
       ["who", (p.actors || []).join(", ") + " → " + (p.recipients || []).join(", ")],
       ["evidence", p.sentence]].forEach(function (r) {
        const dt = document.createElement("dt");
        dt.textContent = r[0];
        const dd = document.createElement("dd");
        dd.textContent = r[1] || "";
        fields.append(dt, dd);
      });
    });
    link.href = "/articles/" + encodeURIComponent(first.article_id) + "#" + encodeURIComponent(first.id);
    link.hidden = false;
  }

  const map = L.map(box, { worldCopyJump: true, attributionControl: true, minZoom: 2 });
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([20, 0], 2);
  window.wirewatchMap = map;
  const params = new URLSearchParams(window.location.search);
  const qs = params.toString() ? "?" + params.toString() : "";
  Promise.all([
    fetch(box.dataset.basemap).then(function (r) { return r.json(); }),
    fetch(box.dataset.src + qs).then(function (r) { return r.json(); }),
  ]).then(function (res) {
    const topo = res[0], events = res[1];
    const countries = topojson.feature(topo, topo.objects.countries);
    const byCountry = {};
    events.features.forEach(function (f) {
      if (f.properties.precision === "country" && f.properties.country_numeric) {
        (byCountry[f.properties.country_numeric] = byCountry[f.properties.country_numeric] || []).push(f);
      }
    });
    const bounds = L.latLngBounds([]);
    const most = Math.max.apply(null, [1].concat(Object.keys(byCountry).map(function (k) { return byCountry[k].length; })));
    L.geoJSON(countries, {
      style: function (f) {
        const hit = byCountry[f.id];
        // Shade by how many country-level events: more events, darker.
        return { color: "#8c9aa6", weight: 0.6, fillColor: hit ? "#b4452f" : "#eef0ec",
                 fillOpacity: hit ? 0.2 + 0.45 * hit.length / most : 1 };
      },
      onEachFeature: function (f, layer) {
        const hit = byCountry[f.id];
        if (hit) {
          layer.on("click", function () { detail(hit); });
          layer.bindTooltip(textEl((f.properties.name || "") + ": " + hit.length + " country-level event(s)"));
          layer.options.className = "country-level";
          const b = layer.getBounds();
          // A country's far-flung islands would zoom the map out to the whole globe;
          // its bounds count only when they are not wider than half the world.
          if (b.getEast() - b.getWest() < 180) bounds.extend(b);
        }
      },
    }).addTo(map);
    // Events at one place and precision are one site; regions are dashed circles.
    const groups = {};
    events.features.forEach(function (f) {
      if (f.properties.precision === "country") return;
      const key = f.geometry.coordinates.join(",") + "|" + f.properties.precision;
      (groups[key] = groups[key] || []).push(f);
    });
    const sites = [];
    Object.keys(groups).forEach(function (key) {
      const fs = groups[key];
      const c = fs[0].geometry.coordinates;
      const ll = L.latLng(c[1], c[0]);
      bounds.extend(ll);
      const precise = fs[0].properties.precision === "city" || fs[0].properties.precision === "site";
      if (precise) { sites.push({ ll: ll, fs: fs }); return; }
      const mark = L.circle(ll, { radius: 90000, color: "#b4452f", weight: 1.5, dashArray: "6 5",
                                  fillOpacity: 0.08, className: "event-region" });
      mark.bindTooltip(textEl((fs[0].properties.place || "") + " · " + fs.length + " event(s) · " + fs[0].properties.precision));
      mark.on("click", function () { detail(fs); });
      mark.addTo(map);
    });

    // Grid clustering: sites whose points fall in the same CELL-pixel square at this zoom
    // are drawn as one numbered cluster; a click zooms in on them.
    const CELL = 56;
    const layer = L.layerGroup().addTo(map);
    function cluster() {
      layer.clearLayers();
      const zoom = map.getZoom();
      const cells = {};
      sites.forEach(function (s) {
        const p = map.project(s.ll, zoom);
        const key = Math.floor(p.x / CELL) + ":" + Math.floor(p.y / CELL);
        (cells[key] = cells[key] || []).push(s);
      });
      let n = 0;
      Object.keys(cells).forEach(function (key) {
        const members = cells[key];
        const fs = [].concat.apply([], members.map(function (s) { return s.fs; }));
        n += 1;
        if (members.length === 1) {
          const s = members[0];
          const mark = L.circleMarker(s.ll, { radius: 5 + Math.min(fs.length, 8), color: "#7a2414", weight: 1,
                                              fillColor: "#b4452f", fillOpacity: 0.85, className: "event-point" });
          mark.bindTooltip(textEl((fs[0].properties.place || "") + " · " + fs.length + " event(s) · " + fs[0].properties.precision));
          mark.on("click", function () { detail(fs); });
          layer.addLayer(mark);
          return;
        }
        const b = L.latLngBounds(members.map(function (s) { return s.ll; }));
        const label = document.createElement("span");
        label.textContent = String(fs.length);
        const size = 26 + Math.min(20, 4 * Math.log2(fs.length));
        const mark = L.marker(b.getCenter(), { icon: L.divIcon({ html: label, className: "event-cluster",
                                                                 iconSize: [size, size] }) });
        mark.bindTooltip(textEl(members.length + " places · " + fs.length + " events: click to zoom in"));
        mark.on("click", function () {
          if (map.getZoom() >= map.getMaxZoom()) detail(fs);
          else map.fitBounds(b.pad(0.5), { maxZoom: map.getZoom() + 3 });
        });
        layer.addLayer(mark);
      });
      box.dataset.clusters = String(n);
    }
    // Fit the map to the data: every located event, and the shaded countries.
    map.invalidateSize();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7, animate: false });
    cluster();
    map.on("zoomend", cluster);
    box.dataset.rendered = String(events.features.length);
  }).catch(function () {
    const p = document.createElement("p");
    p.textContent = "Could not load the map data (run `make setup` to build the front-end assets).";
    box.replaceChildren(p);
  });
})();

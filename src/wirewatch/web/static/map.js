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
  map.setView([33.3, 44.4], 5);
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
    L.geoJSON(countries, {
      style: function (f) {
        const hit = byCountry[f.id];
        return { color: "#8c9aa6", weight: 0.6, fillColor: hit ? "#b4452f" : "#eef0ec",
                 fillOpacity: hit ? 0.35 : 1 };
      },
      onEachFeature: function (f, layer) {
        const hit = byCountry[f.id];
        if (hit) {
          layer.on("click", function () { detail(hit); });
          layer.bindTooltip(textEl((f.properties.name || "") + ": " + hit.length + " country-level event(s)"));
          layer.options.className = "country-level";
        }
      },
    }).addTo(map);
    const groups = {};
    events.features.forEach(function (f) {
      if (f.properties.precision === "country") return;
      const key = f.geometry.coordinates.join(",") + "|" + f.properties.precision;
      (groups[key] = groups[key] || []).push(f);
    });
    const bounds = [];
    Object.keys(groups).forEach(function (key) {
      const fs = groups[key];
      const c = fs[0].geometry.coordinates;
      const ll = [c[1], c[0]];
      const precise = fs[0].properties.precision === "city" || fs[0].properties.precision === "site";
      const mark = precise
        ? L.circleMarker(ll, { radius: 5 + Math.min(fs.length, 8), color: "#7a2414", weight: 1,
                               fillColor: "#b4452f", fillOpacity: 0.85, className: "event-point" })
        : L.circle(ll, { radius: 90000, color: "#b4452f", weight: 1.5, dashArray: "6 5",
                         fillOpacity: 0.08, className: "event-region" });
      mark.bindTooltip(textEl((fs[0].properties.place || "") + " · " + fs.length + " event(s) · " + fs[0].properties.precision));
      mark.on("click", function () { detail(fs); });
      mark.addTo(map);
      bounds.push(ll);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7 });
    box.dataset.rendered = String(events.features.length);
  }).catch(function () {
    const p = document.createElement("p");
    p.textContent = "Could not load the map data (run `make setup` to build the front-end assets).";
    box.replaceChildren(p);
  });
})();

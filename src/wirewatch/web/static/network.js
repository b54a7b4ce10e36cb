// Actor network (cytoscape.js): events and affiliations as typed, dated, directed edges.
(function () {
  "use strict";
  const box = document.getElementById("cy");
  if (!box) return;
  const title = document.getElementById("detail-title");
  const fields = document.getElementById("detail-fields");
  const link = document.getElementById("detail-link");

  function detail(head, rows, href) {
    title.textContent = head;
    fields.replaceChildren();
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      const dt = document.createElement("dt");
      dt.textContent = r[0];
      const dd = document.createElement("dd");
      dd.textContent = String(r[1]);
      fields.append(dt, dd);
    });
    if (href) { link.href = href; link.hidden = false; } else { link.hidden = true; }
  }

  const params = new URLSearchParams(window.location.search);
  const more = document.getElementById("net-more");
  const count = document.getElementById("net-count");
  const step = parseInt(box.dataset.top || "0", 10);
  let top = parseInt(params.get("top") || box.dataset.top || "0", 10);
  params.delete("top");
  let cy = null;
  if (more) more.addEventListener("click", function () { top += step; load(); });

  function load() {
  const url = new URL(box.dataset.src, window.location.href);
  if (box.dataset.src.indexOf("?") < 0) params.forEach(function (v, k) { url.searchParams.append(k, v); });
  if (top) url.searchParams.set("top", String(top));
  const src = url.pathname + url.search;
  box.dataset.loading = "1";
  fetch(src, { headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); }).then(function (net) {
    delete box.dataset.loading;
    if (count && net.pairs !== undefined) {
      count.textContent = "showing the " + net.pairs_shown + " strongest of " + net.pairs +
        " connections (" + net.facts_shown + " of " + net.edges_total + " facts; parallel facts of one type drawn as one edge)";
      if (more) more.hidden = net.pairs_shown >= net.pairs;
    }
    if (cy) { cy.destroy(); cy = null; }
    if (!net.nodes || net.nodes.length === 0) {
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = "No edges in this selection.";
      box.replaceChildren(p);
      box.dataset.rendered = "empty";
      return;
    }
    const degree = {};
    net.edges.forEach(function (e) {
      degree[e.source] = (degree[e.source] || 0) + 1;
      degree[e.target] = (degree[e.target] || 0) + 1;
    });
    const elements = net.nodes.map(function (n) {
      return { group: "nodes", data: Object.assign({}, n, { degree: degree[n.id] || 1 }) };
    }).concat(net.edges.map(function (e) { return { group: "edges", data: Object.assign({ weight: 1 }, e) }; }));
    cy = window.cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 120,
          "width": "mapData(degree, 1, 20, 12, 40)", "height": "mapData(degree, 1, 20, 12, 40)",
          "background-color": "#5b6b7b", "color": "#1d232a", "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: "node[type = 'PERSON']", style: { "background-color": "#d98c1f" } },
        { selector: "node[type = 'GPE']", style: { "background-color": "#3c8d5a", "shape": "round-rectangle" } },
        { selector: "node[id = '" + (box.dataset.focus || "").replace(/'/g, "") + "']", style: { "border-width": 3, "border-color": "#0b5cad" } },
        { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.8,
          "width": "mapData(weight, 1, 10, 1.5, 6)",
          "line-color": "#b4452f", "target-arrow-color": "#b4452f", "opacity": 0.75 } },
        { selector: "edge[kind = 'relation']", style: { "line-color": "#2f6fb4", "target-arrow-color": "#2f6fb4", "line-style": "dashed" } },
        { selector: ":selected", style: { "line-color": "#f0b400", "target-arrow-color": "#f0b400", "background-color": "#f0b400", "width": 3 } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 90, padding: 20 },
    });
    cy.on("tap", "edge", function (evt) {
      const d = evt.target.data();
      detail(d.type + " · " + (d.date || "undated"), [
        ["kind", d.kind], ["from", cy.getElementById(d.source).data("label")],
        ["facts", d.facts && d.facts > 1 ? d.facts + " (" + d.date + " – " + d.last_date + "); evidence of the first" : null],
        ["to", cy.getElementById(d.target).data("label")], ["modality", d.modality],
        ["confidence", d.confidence], ["evidence", d.sentence]],
        "/articles/" + encodeURIComponent(d.article_id) + "#" + encodeURIComponent(d.fact_id));
    });
    cy.on("tap", "node", function (evt) {
      const d = evt.target.data();
      detail(d.label, [["type", d.type], ["kind", d.kind], ["country", d.country],
        ["mentions", d.mention_count], ["edges here", d.degree]], "/actors/" + encodeURIComponent(d.id));
      link.textContent = "actor page";
    });
    cy.on("tap", "edge", function () { link.textContent = "evidence in article"; });
    box.dataset.rendered = String(net.edges.length);
    window.wirewatchNetwork = cy;
  }).catch(function () {
    box.textContent = "Could not load the network.";
  });
  }
  load();
})();

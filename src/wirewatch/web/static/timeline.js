// Timeline brush: drag across the stacked chart to select days; the page reloads with
// since and until set (every other filter kept).
(function () {
  "use strict";
  const svg = document.getElementById("brush-area");
  if (!svg) return;
  const brush = document.getElementById("brush");
  const days = svg.dataset.days.split(" ");
  let from = null;
  function dayAt(clientX) {
    const box = svg.getBoundingClientRect();
    const f = Math.max(0, Math.min(0.999999, (clientX - box.left) / box.width));
    return Math.floor(f * days.length);
  }
  function draw(a, b) {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    brush.setAttribute("x", String(lo * 10));
    brush.setAttribute("width", String((hi - lo + 1) * 10));
  }
  svg.addEventListener("mousedown", function (ev) {
    ev.preventDefault();
    from = dayAt(ev.clientX);
    draw(from, from);
  });
  svg.addEventListener("mousemove", function (ev) {
    if (from !== null) draw(from, dayAt(ev.clientX));
  });
  window.addEventListener("mouseup", function (ev) {
    if (from === null) return;
    const to = dayAt(ev.clientX);
    const lo = Math.min(from, to), hi = Math.max(from, to);
    from = null;
    const url = new URL(svg.dataset.href, window.location.href);
    url.searchParams.set("since", days[lo]);
    url.searchParams.set("until", days[hi]);
    svg.dataset.selected = days[lo] + " " + days[hi];
    window.location.assign(url.pathname + url.search);
  });
})();

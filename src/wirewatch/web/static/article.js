// Article page: click or focus a highlight to see the records behind it.
(function () {
  "use strict";
  const facts = JSON.parse(document.getElementById("facts").textContent);
  const title = document.getElementById("detail-title");
  const fields = document.getElementById("detail-fields");
  const link = document.getElementById("detail-link");

  function show(refs, el) {
    document.querySelectorAll(".hl.active").forEach(function (x) { x.classList.remove("active"); });
    if (el) el.classList.add("active");
    fields.replaceChildren();
    title.textContent = "";
    link.hidden = true;
    refs.forEach(function (ref, i) {
      const f = facts[ref];
      if (!f) return;
      if (i === 0) {
        title.textContent = f.title + (f.review ? " [" + f.review + "ed]" : "");
        if (f.link) { link.href = f.link; link.textContent = "actor page"; link.hidden = false; }
        else if (document.getElementById(ref)) { link.href = "#" + ref; link.textContent = "card below"; link.hidden = false; }
      } else {
        const dt = document.createElement("dt");
        dt.textContent = "—";
        const dd = document.createElement("dd");
        dd.textContent = f.title;
        fields.append(dt, dd);
      }
      Object.keys(f.fields).forEach(function (k) {
        const v = f.fields[k];
        if (v === null || v === undefined || v === "") return;
        const dt = document.createElement("dt");
        dt.textContent = k;
        const dd = document.createElement("dd");
        dd.textContent = typeof v === "number" ? String(Math.round(v * 100) / 100) : String(v);
        fields.append(dt, dd);
      });
    });
  }
  const text = document.getElementById("article-text");
  function pick(ev) {
    const el = ev.target.closest(".hl");
    if (el) show(el.dataset.refs.split(" "), el);
  }
  text.addEventListener("click", pick);
  text.addEventListener("focusin", pick);
  // Arriving from a card link (#fact-id): light up that fact in the text.
  const target = decodeURIComponent(window.location.hash.slice(1));
  if (target && facts[target]) {
    const first = Array.from(text.querySelectorAll(".hl")).find(function (x) {
      return x.dataset.refs.split(" ").indexOf(target) >= 0;
    });
    if (first) {
      show([target], first);
      text.querySelectorAll(".hl").forEach(function (x) {
        if (x.dataset.refs.split(" ").indexOf(target) >= 0) x.classList.add("active");
      });
      first.scrollIntoView({ block: "center" });
    }
  }
})();

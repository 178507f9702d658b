// CloudViz interactive viewer: pan, zoom, search, page navigation and a
// details panel. It reads the diagram's data from #cv-data and only ever
// writes text with textContent, so no name in the data can become markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cv-data").textContent);
  var pages = {};
  data.pages.forEach(function (p) { pages[p.page] = p; });
  var viewport = document.getElementById("cv-viewport");
  var canvas = document.getElementById("cv-canvas");
  var sections = Array.prototype.slice.call(document.querySelectorAll(".cv-page"));
  var details = document.getElementById("cv-details");
  var current = sections.length ? Number(sections[0].dataset.page) : 1;
  var view = { x: 0, y: 0, k: 1 };
  var hits = [];
  var hitIndex = -1;
  var selected = null;

  function apply() {
    canvas.style.transform =
      "translate(" + view.x + "px," + view.y + "px) scale(" + view.k + ")";
  }
  function svgOf(page) {
    var section = document.querySelector('.cv-page[data-page="' + page + '"]');
    return section ? section.querySelector("svg") : null;
  }
  function fit() {
    var svg = svgOf(current);
    if (!svg) { return; }
    var w = svg.width.baseVal.value, h = svg.height.baseVal.value;
    var k = Math.min(viewport.clientWidth / w, viewport.clientHeight / h, 1);
    view = { k: k, x: (viewport.clientWidth - w * k) / 2, y: 8 };
    apply();
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.max(0.02, Math.min(8, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function showPage(page) {
    if (!pages[page]) { return; }
    current = page;
    sections.forEach(function (s) { s.hidden = Number(s.dataset.page) !== page; });
    var select = document.querySelector("#cv-pages select");
    if (select) { select.value = String(page); }
    fit();
  }
  function centreOn(element) {
    var box = element.getBBox();
    view.k = Math.max(view.k, 0.8);
    view.x = viewport.clientWidth / 2 - (box.x + box.width / 2) * view.k;
    view.y = viewport.clientHeight / 2 - (box.y + box.height / 2) * view.k;
    apply();
  }
  function split(elementId) {
    var dash = elementId.indexOf("-");
    return { page: Number(elementId.slice(1, dash)), id: elementId.slice(dash + 1) };
  }
  function showDetails(element) {
    var ref = split(element.id);
    var item = pages[ref.page] && pages[ref.page].items[ref.id];
    if (!item) { return; }
    if (selected) { selected.classList.remove("sel"); }
    selected = element;
    element.classList.add("sel");
    document.getElementById("cv-details-title").textContent = item.label;
    var list = document.getElementById("cv-details-list");
    list.textContent = "";
    var rows = Object.keys(item.details).map(function (k) { return [k, item.details[k]]; });
    if (item.status) { rows.unshift(["change", item.status]); }
    if (item.page_ref) { rows.push(["page", "on page " + item.page_ref + " (click again to go)"]); }
    rows.forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    details.hidden = false;
  }
  function search(text) {
    hits.forEach(function (e) { e.classList.remove("hit"); });
    hits = [];
    hitIndex = -1;
    var query = text.trim().toLowerCase();
    if (query) {
      data.pages.forEach(function (p) {
        Object.keys(p.items).forEach(function (id) {
          var item = p.items[id];
          var haystack = (item.label + " " + item.kind + " " +
            Object.values(item.details).join(" ")).toLowerCase();
          if (haystack.indexOf(query) >= 0) {
            var element = document.getElementById("p" + p.page + "-" + id);
            if (element) { element.classList.add("hit"); hits.push(element); }
          }
        });
      });
    }
    document.getElementById("cv-hits").textContent =
      query ? hits.length + (hits.length === 1 ? " match" : " matches") : "";
  }
  function nextHit() {
    if (!hits.length) { return; }
    hitIndex = (hitIndex + 1) % hits.length;
    var element = hits[hitIndex];
    var page = split(element.id).page;
    if (page !== current) { showPage(page); }
    centreOn(element);
    showDetails(element);
  }

  if (sections.length > 1) {
    var select = document.createElement("select");
    select.setAttribute("aria-label", "Page");
    data.pages.forEach(function (p) {
      var option = document.createElement("option");
      option.value = String(p.page);
      option.textContent = "Page " + p.page + (p.page === 1 ? " (index)" : "");
      select.appendChild(option);
    });
    select.addEventListener("change", function () { showPage(Number(select.value)); });
    document.getElementById("cv-pages").appendChild(select);
  }

  var drag = null;
  viewport.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
    viewport.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    apply();
  });
  window.addEventListener("pointerup", function () {
    viewport.classList.remove("dragging");
    setTimeout(function () { drag = null; }, 0);
  });
  viewport.addEventListener("wheel", function (event) {
    event.preventDefault();
    var rect = viewport.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15,
      event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  viewport.addEventListener("click", function (event) {
    if (drag && drag.moved) { return; }
    var element = event.target.closest ? event.target.closest("g.n, g.g") : null;
    if (!element) { return; }
    event.preventDefault();
    var ref = split(element.id);
    var item = pages[ref.page] && pages[ref.page].items[ref.id];
    if (item && item.page_ref && selected === element) { showPage(item.page_ref); return; }
    showDetails(element);
  });
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "fit") { fit(); return; }
      zoomAt(how === "in" ? 1.25 : 0.8, viewport.clientWidth / 2, viewport.clientHeight / 2);
    });
  });
  var input = document.getElementById("cv-search");
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); nextHit(); }
  });
  document.getElementById("cv-close").addEventListener("click", function () {
    details.hidden = true;
    if (selected) { selected.classList.remove("sel"); selected = null; }
  });
  window.addEventListener("resize", fit);
  showPage(current);
})();

// The network graph page (templates/network/graph.html): draws the graph API's nodes and ties
// with Cytoscape.js, coloured by city or kind, sized by degree or betweenness, the ties
// filtered by type and by the quarter they held in; search an organisation, pick one for its
// profile link and ties. Every word comes from the page (#network-words), in its language.
(function () {
  "use strict";
  const box = document.getElementById("network-graph");
  if (!box || typeof window.cytoscape === "undefined") {
    return;
  }
  const words = JSON.parse(document.getElementById("network-words").dataset.words);
  const LIMIT = 3000; // organisations drawn at most: the best-connected
  const BETWEENNESS_LIMIT = 1500; // computed in the browser up to this many
  const PALETTE = ["#8b1f1f", "#1f5f8b", "#2e7d32", "#b26a00", "#6a1b9a", "#00796b", "#5d4037", "#455a64"];
  const status = document.getElementById("network-status");
  const details = document.getElementById("network-details");
  const period = document.getElementById("network-period");
  const periodLabel = document.getElementById("network-period-label");
  const names = document.getElementById("network-names");
  const legend = document.getElementById("network-legend");
  let cy = null;
  let betweenness = null;

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key]));
  }

  // Quarters from the letter of intent's (2018 Q1) to today's.
  const today = new Date(words.today + "T00:00:00Z");
  const quarters = [];
  for (let year = words.first_year; year <= today.getUTCFullYear(); year += 1) {
    for (let q = 0; q < 4; q += 1) {
      const start = new Date(Date.UTC(year, q * 3, 1));
      if (start > today) {
        break;
      }
      const end = new Date(Date.UTC(year, q * 3 + 3, 0));
      quarters.push({ label: year + " Q" + (q + 1), start: iso(start), end: iso(end) });
    }
  }
  period.max = String(quarters.length - 1);
  period.value = period.max;

  function iso(day) {
    return day.toISOString().slice(0, 10);
  }

  function groupOf(node, by) {
    return by === "city" ? node.data("city") || "outside" : node.data("kind");
  }

  function groupName(group, by) {
    if (by === "city") {
      return group === "outside" ? words.text.outside : words.cities[group] || group;
    }
    return words.kinds[group] || group;
  }

  function colour() {
    const by = document.getElementById("network-colour").value;
    const groups = [...new Set(cy.nodes().map((n) => groupOf(n, by)))].sort();
    const colours = new Map(groups.map((g, i) => [g, PALETTE[i % PALETTE.length]]));
    cy.batch(() => cy.nodes().forEach((n) => n.data("colour", colours.get(groupOf(n, by)))));
    legend.replaceChildren(
      ...groups.map((g) => {
        const item = document.createElement("span");
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.backgroundColor = colours.get(g);
        item.append(swatch, groupName(g, by));
        return item;
      }),
    );
  }

  function size() {
    const select = document.getElementById("network-size");
    let values;
    if (select.value === "betweenness" && cy.nodes().length <= BETWEENNESS_LIMIT) {
      if (!betweenness) {
        const found = cy.elements().betweennessCentrality({ directed: false });
        betweenness = new Map(cy.nodes().map((n) => [n.id(), found.betweenness(n)]));
      }
      values = betweenness;
    } else {
      if (select.value === "betweenness") {
        status.textContent = words.text.slow;
        select.value = "degree";
      }
      values = new Map(cy.nodes().map((n) => [n.id(), n.data("degree")]));
    }
    const top = Math.max(1, ...values.values());
    cy.batch(() => cy.nodes().forEach((n) => n.data("size", 12 + 36 * Math.sqrt(values.get(n.id()) / top))));
  }

  // Ties of the checked types that held on at least one day of the chosen quarter.
  function filter() {
    const quarter = quarters[Number(period.value)];
    periodLabel.textContent = quarter.label;
    const types = new Set(
      [...document.querySelectorAll("#network-types input:checked")].map((box) => box.value),
    );
    const held = cy.edges().filter(
      (e) =>
        types.has(e.data("type")) &&
        (!e.data("start") || e.data("start") <= quarter.end) &&
        (!e.data("end") || e.data("end") >= quarter.start),
    );
    const ends = held.connectedNodes();
    cy.batch(() => {
      cy.elements().addClass("hidden");
      held.removeClass("hidden");
      ends.removeClass("hidden");
    });
    status.textContent = say(words.text.shown, { nodes: ends.length, edges: held.length });
    if (box.dataset.sampled) {
      status.textContent += " " + box.dataset.sampled;
    }
  }

  function show(node) {
    cy.elements().unselect();
    node.select();
    const heading = document.createElement("h2");
    heading.textContent = node.data("name");
    const link = document.createElement(node.data("named") ? "a" : "span");
    if (node.data("named")) link.href = "/organisations/" + node.id();
    link.textContent = node.data("named") ? say(words.text.profile, { name: node.data("name") }) : "";
    const list = document.createElement("ul");
    node.connectedEdges().not(".hidden").forEach((e) => {
      const partner = e.source().id() === node.id() ? e.target() : e.source();
      const item = document.createElement("li");
      const to = document.createElement(partner.data("named") ? "a" : "span");
      if (partner.data("named")) to.href = "/organisations/" + partner.id();
      to.textContent = partner.data("name");
      const since = e.data("start") ? ", " + say(words.text.since, { day: e.data("start") }) : "";
      item.append(to, " — " + (words.types[e.data("type")] || e.data("type")) + since);
      list.append(item);
    });
    const title = document.createElement("p");
    title.textContent = list.children.length ? words.text.ties : words.text.none;
    details.replaceChildren(heading, link, title, list);
  }

  function find(event) {
    event.preventDefault();
    const query = document.getElementById("network-search").value.trim().toLowerCase();
    if (!query) {
      return;
    }
    const found = cy
      .nodes()
      .filter((n) => n.data("name").toLowerCase().includes(query))
      .sort((a, b) => (a.data("name").toLowerCase() === query ? -1 : 0) - (b.data("name").toLowerCase() === query ? -1 : 0));
    if (!found.length) {
      status.textContent = say(words.text.not_found, { q: query });
      return;
    }
    const node = found[0];
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    show(node);
  }

  function draw(data) {
    const degree = new Map();
    for (const e of data.edges) {
      degree.set(e.source, (degree.get(e.source) || 0) + 1);
      degree.set(e.target, (degree.get(e.target) || 0) + 1);
    }
    let nodes = data.nodes;
    if (nodes.length > LIMIT) {
      nodes = [...nodes].sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0)).slice(0, LIMIT);
      box.dataset.sampled = say(words.text.sampled, { all: data.nodes.length, shown: LIMIT });
    }
    const kept = new Set(nodes.map((n) => n.id));
    const elements = nodes.map((n) => ({
      data: { id: String(n.id), name: n.name || words.text.unnamed, named: Boolean(n.name), city: n.city, kind: n.kind, degree: degree.get(n.id) || 0 },
    }));
    data.edges.forEach((e, i) => {
      if (kept.has(e.source) && kept.has(e.target)) {
        elements.push({
          data: {
            id: "t" + i,
            source: String(e.source),
            target: String(e.target),
            type: e.type,
            directed: e.directed,
            start: e.start,
            end: e.end,
          },
        });
      }
    });
    cy = window.cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      layout: nodes.length <= 800 ? { name: "cose", animate: false, randomize: false } : { name: "concentric", concentric: (n) => n.data("degree") },
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            width: "data(size)",
            height: "data(size)",
            label: "data(name)",
            "font-size": 9,
            "min-zoomed-font-size": 7,
            "text-valign": "bottom",
          },
        },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#111" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#9aa5b1", "curve-style": "straight" } },
        { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle", "target-arrow-color": "#9aa5b1" } },
        { selector: ".hidden", style: { display: "none" } },
      ],
    });
    names.replaceChildren(
      ...nodes.filter((n) => n.name).map((n) => {
        const option = document.createElement("option");
        option.value = n.name;
        return option;
      }),
    );
    colour();
    size();
    filter();
    cy.on("tap", "node", (event) => show(event.target));
    document.getElementById("network-colour").addEventListener("change", colour);
    document.getElementById("network-size").addEventListener("change", size);
    period.addEventListener("input", filter);
    document.getElementById("network-types").addEventListener("change", filter);
    document.getElementById("network-controls").addEventListener("submit", find);
    box.dataset.ready = "true";
  }

  fetch("/api/v1/network/graph", { headers: { accept: "application/json" }, credentials: "same-origin" })
    .then((response) => response.json())
    .then(draw);
})();

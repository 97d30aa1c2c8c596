// reprint's web UI: one query form, results drawn with DOM calls
// (textContent only, never innerHTML with data), the same-origin API only.
"use strict";

const $ = (id) => document.getElementById(id);
let lastResult = { passages: [] }; // the result on screen, for highlighting an opened document

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) {
    if (k == null) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function status(msg, isError) {
  const s = $("status");
  s.textContent = msg || "";
  s.classList.toggle("error", !!isError);
}

// A server started with --token-for-reads answers 401: the page asks for
// the token once and keeps it for the tab's session only.
async function api(method, path, body, retried) {
  const opt = { method, headers: {} };
  if (body !== undefined) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify(body);
  }
  const tok = sessionStorage.getItem("reprint-token");
  if (tok) opt.headers["Authorization"] = "Bearer " + tok;
  const r = await fetch(path, opt);
  if (r.status === 401 && !retried) {
    const t = window.prompt("This server needs its access token:");
    if (t) {
      sessionStorage.setItem("reprint-token", t.trim());
      return api(method, path, body, true);
    }
  }
  let data = null;
  try { data = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) throw new Error((data && data.error) || r.status + " " + r.statusText);
  return data;
}

// cutText says what a result's limits left out, or "" when nothing was.
function cutText(c) {
  if (!c) return "";
  const parts = [];
  if (c.near_duplicates) parts.push(c.near_duplicates + " more near-duplicates beyond the limit");
  if (c.documents) parts.push("passages of " + c.documents + " more documents beyond the limit");
  if (c.candidates) parts.push(c.candidates + " candidate documents not compared");
  if (c.common_anchors) parts.push(c.common_anchors + " common phrases not looked up (passages of only common text can be missed)");
  if (c.band_lists) parts.push(c.band_lists + " long candidate lists read in part (near-duplicates can be missed)");
  return parts.length ? "Not everything is shown: " + parts.join("; ") + "." : "";
}

async function loadStats() {
  try {
    const s = await api("GET", "v1/stats");
    $("stats").textContent = s.documents.toLocaleString() + " documents indexed";
  } catch (e) { $("stats").textContent = ""; }
}

function docLink(id) {
  return el("a", { class: "doclink", href: "#doc=" + encodeURIComponent(id), onclick: (ev) => { ev.preventDefault(); openDoc(id); } }, id);
}

function pieces(list) {
  const frag = document.createDocumentFragment();
  for (const p of list || []) {
    frag.append(p.changed ? el("mark", { class: "chg" }, p.text) : document.createTextNode(p.text));
  }
  return frag;
}

function dateSource(date, source) {
  return [date, source].filter(Boolean).join(", ");
}

function render(res, text) {
  lastResult = res;
  $("results").hidden = false;
  const tb = $("near").querySelector("tbody");
  tb.replaceChildren();
  for (const n of res.near_duplicates) {
    tb.append(el("tr", {},
      el("td", {}, docLink(n.id)),
      el("td", { class: "num" }, n.jaccard.toFixed(3)),
      el("td", { class: "num" }, n.containment.toFixed(3)),
      el("td", {}, n.date || "—"),
      el("td", {}, n.source || "—")));
  }
  $("nd-count").textContent = "(" + res.near_duplicates.length + ")";
  $("near").hidden = res.near_duplicates.length === 0;
  $("near-none").hidden = res.near_duplicates.length !== 0;

  const box = $("passages");
  box.replaceChildren();
  res.passages.forEach((p, i) => {
    const ex = (res.excerpts || [])[i];
    const e = p.earliest || {};
    const earliest = e.id ? "earliest: " + e.id + (dateSource(e.date, e.source) ? " (" + dateSource(e.date, e.source) + ")" : "") : "earliest: " + e.status;
    const left = ex ? pieces(ex.a) : text.slice(p.a_start, p.a_end);
    const right = ex ? pieces(ex.b) : "";
    box.append(el("div", { class: "passage", "data-doc": p.b },
      el("div", { class: "head" },
        docLink(p.b),
        el("span", {}, dateSource(p.date, p.source) || "undated"),
        el("span", {}, p.words + " words, " + Math.round(p.identity * 100) + "% identical" + (p.kind ? ", " + p.kind : "")),
        el("span", { class: "src" }, earliest),
        el("span", { class: "badge" }, p.direction === "a->b" ? "your text came first" : p.direction === "b->a" ? "stored document came first" : "direction unknown"),
        p.boilerplate ? el("span", { class: "badge bp" }, "boilerplate") : null),
      el("div", { class: "sides" },
        el("div", { class: "side" }, el("span", { class: "label" }, "your text, bytes " + p.a_start + "–" + p.a_end), left),
        el("div", { class: "side" }, el("span", { class: "label" }, p.b + ", bytes " + p.b_start + "–" + p.b_end), right))));
  });
  $("p-count").textContent = "(" + res.passages.length + ")";
  $("passages-none").hidden = res.passages.length !== 0;

  const gbox = $("groups");
  gbox.replaceChildren();
  for (const g of res.groups) {
    const tl = el("div", { class: "timeline" });
    for (const o of g.occurrences) {
      const isQuery = o.id === res.query;
      tl.append(el("div", { class: "occ" + (o.earliest ? " first" : "") + (isQuery ? " query" : "") },
        el("div", { class: "d" }, o.date || "undated"),
        el("div", {}, isQuery ? "your text" : docLink(o.id)),
        el("div", { class: "meta" }, o.source || ""),
        o.earliest ? el("div", { class: "src" }, "earliest known source") : null));
    }
    gbox.append(el("div", { class: "group" },
      el("strong", {}, g.id), " ", el("span", { class: "badge" }, g.source_status),
      g.boilerplate ? el("span", { class: "badge bp" }, "boilerplate") : null, tl));
  }
  if (!res.groups.length) gbox.append(el("p", { class: "none" }, "No passage groups."));
}

// renderStory shows the story the text would join (or, for a stored
// document, is in) as a timeline of its documents in date order, with the
// text itself placed at its date when it has one.
function renderStory(st, queryDate, isStored) {
  const panel = $("story-panel");
  panel.hidden = !st;
  if (!st) return;
  const tl = $("story-timeline");
  tl.replaceChildren();
  $("story-more").replaceChildren();
  $("story-id").textContent = st.story ? "(" + st.story + ")" : "";
  const span = st.first ? (st.first === st.last ? st.first : st.first + " to " + st.last) : "undated";
  const sources = (st.sources || []).join(", ");
  const score = st.score ? " (similarity " + st.score.toFixed(2) + ", joins at " + st.threshold.toFixed(2) + ")" : "";
  let summary;
  if (st.joined) {
    summary = (isStored ? "This document is in story " : "This text belongs to story ") + st.story + score + ": " +
      st.size + " document" + (st.size === 1 ? "" : "s") + ", " + span + (sources ? ", from " + sources : "") + ".";
  } else if (st.story) {
    summary = "This text would start a new story. The closest is " + st.story + score + ", " + span + ".";
  } else {
    summary = "This text would start a new story: no story within reach of its date shares its words and names.";
  }
  $("story-summary").textContent = summary;
  $("story-terms").textContent = (st.terms || []).length ? "Defined by: " + st.terms.join(", ") : "";
  if (!st.story) { tl.hidden = true; return; }
  tl.hidden = false;
  const docs = st.docs || [];
  let placed = isStored || !st.joined;
  const queryCard = () => el("div", { class: "occ query" },
    el("div", { class: "d" }, queryDate || "undated"), el("div", {}, "your text"), el("div", { class: "meta" }, "not added"));
  for (const d of docs) {
    if (!placed && queryDate && d.date && queryDate < d.date) { tl.append(queryCard()); placed = true; }
    tl.append(el("div", { class: "occ story-doc" },
      el("div", { class: "d" }, d.date || "undated"),
      el("div", {}, docLink(d.id)),
      el("div", { class: "meta" }, d.source || "")));
  }
  if (!placed) tl.append(queryCard());
  if (st.docs_cut) {
    $("story-more").append(st.docs_cut + " more documents. ",
      el("a", { href: "#", onclick: async (ev) => {
        ev.preventDefault();
        try {
          const full = await api("GET", "v1/stories/" + encodeURIComponent(st.story) + "?limit=10000");
          renderStory(Object.assign({}, full, { joined: st.joined, score: st.score, threshold: st.threshold }), queryDate, isStored);
        } catch (e) { status(e.message, true); }
      } }, "Show them all"));
  }
}

async function runQuery(body, text) {
  $("go").disabled = true;
  status("Searching…");
  const t0 = performance.now();
  try {
    const res = await api("POST", "v1/query", Object.assign({ excerpts: true }, body));
    render(res, text || "");
    renderStory(res.story, body.date || "", !!body.id);
    const ms = Math.round(performance.now() - t0);
    status(res.words + " words · " + res.near_duplicates.length + " near-duplicates · " + res.passages.length + " passages · " + ms + " ms");
    $("cut").textContent = cutText(res.cut);
  } catch (e) {
    status(e.message, true);
  } finally {
    $("go").disabled = false;
  }
}

async function openDoc(id) {
  try {
    const d = await api("GET", "v1/documents/" + encodeURIComponent(id));
    $("doc").hidden = false;
    $("doc-title").textContent = d.id;
    $("doc-meta").textContent = [dateSource(d.date, d.source), d.words + " words", d.url].filter(Boolean).join(" · ");
    const pre = $("doc-text");
    pre.replaceChildren();
    const text = d.text || "(this index keeps no text)";
    // Highlight the spans the current result shares with this document.
    const spans = [...document.querySelectorAll(".passage")]
      .map((n, i) => n.dataset.doc === id ? lastResult.passages[i] : null).filter(Boolean)
      .map((p) => [p.b_start, p.b_end]).sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [s, e] of spans) {
      if (s < at) continue;
      pre.append(text.slice(at, s), el("mark", { class: "hl" }, text.slice(s, e)));
      at = e;
    }
    pre.append(text.slice(at));
    $("doc").scrollIntoView({ behavior: "smooth" });
  } catch (e) {
    status(e.message, true);
  }
}

$("query-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("text").value;
  if (!text.trim()) { status("Paste a text first.", true); return; }
  const body = { text };
  if ($("date").value) body.date = $("date").value;
  if ($("source").value) body.source = $("source").value;
  runQuery(body, text);
});

$("file").addEventListener("change", () => {
  const f = $("file").files[0];
  if (!f) return;
  const r = new FileReader();
  r.onload = () => {
    let t = String(r.result);
    if (/\.x?html?$/i.test(f.name)) {
      // A saved page: the server extracts its main text and queries that.
      $("text").value = "";
      runQuery({ html: t }, "");
      return;
    }
    const m = t.match(/^\s*date (\d{4}-\d{2}-\d{2})\s+/);
    if (m) { $("date").value = m[1]; t = t.slice(m[0].length); }
    $("text").value = t;
  };
  r.readAsText(f);
});

$("open-btn").addEventListener("click", () => { const id = $("open-id").value.trim(); if (id) openDoc(id); });
$("query-id-btn").addEventListener("click", async () => {
  const id = $("open-id").value.trim();
  if (!id) return;
  try {
    const d = await api("GET", "v1/documents/" + encodeURIComponent(id));
    $("text").value = d.text ? d.text.slice(d.start || 0) : "";
    runQuery({ id }, d.text ? d.text : "");
  } catch (e) { status(e.message, true); }
});
$("doc-close").addEventListener("click", () => { $("doc").hidden = true; });

loadStats();
if (location.hash.startsWith("#doc=")) openDoc(decodeURIComponent(location.hash.slice(5)));

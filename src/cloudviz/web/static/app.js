// CloudViz browser UI: a thin client of the REST API. Every value that comes
// from an inventory is shown with textContent, never parsed as HTML.
"use strict";

const state = { token: sessionStorage.getItem("cloudviz.token"), snapshots: [],
                selected: null, jobsTimer: null };
const $ = (selector) => document.querySelector(selector);

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.cvCode = body && body.cv_code;
  }
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.token) headers.set("Authorization", `Bearer ${state.token}`);
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401 && state.token) {
    signOut();
    throw new ApiError(401, { error: "Your session ended; sign in again." });
  }
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, body);
  }
  return response;
}

const getJson = async (path, options) => (await api(path, options)).json();

function say(message, isError = false) {
  const status = $("#status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

function describe(error) {
  return error.cvCode ? `${error.message} [${error.cvCode}]` : error.message;
}

// -- sign in -----------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  $("#login-error").textContent = "";
  try {
    const tokens = await getJson("/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: form.get("username"),
                             password: form.get("password") }),
    });
    state.token = tokens.access_token;
    sessionStorage.setItem("cloudviz.token", state.token);
    await start();
  } catch (error) {
    $("#login-error").textContent = describe(error);
  }
}

function signOut() {
  if (state.token) {
    fetch("/auth/logout", { method: "POST",
                            headers: { Authorization: `Bearer ${state.token}` } });
  }
  state.token = null;
  sessionStorage.removeItem("cloudviz.token");
  clearInterval(state.jobsTimer);
  $("#app-view").hidden = true;
  $("#logout").hidden = true;
  $("#who").textContent = "";
  $("#login-view").hidden = false;
}

// -- snapshots ---------------------------------------------------------------

async function loadSnapshots() {
  const page = await getJson("/api/v1/snapshots?limit=200");
  state.snapshots = page.items;
  const list = $("#snapshots");
  list.replaceChildren();
  for (const snapshot of page.items) {
    const item = document.createElement("li");
    item.dataset.id = snapshot.id;
    item.tabIndex = 0;
    item.textContent = snapshot.name;
    const meta = document.createElement("small");
    meta.textContent = `${snapshot.resource_count} resources · ${snapshot.source.kind}` +
      ` · ${snapshot.stored_at.slice(0, 16).replace("T", " ")}`;
    item.append(meta);
    item.addEventListener("click", () => select(snapshot.id));
    item.addEventListener("keydown", (e) => { if (e.key === "Enter") select(snapshot.id); });
    list.append(item);
  }
  for (const choice of document.querySelectorAll(".snapshot-choice")) {
    const keep = choice.value;
    const options = [...choice.options].filter((o) => o.value === "");
    choice.replaceChildren(...options);
    for (const snapshot of page.items) {
      choice.append(new Option(snapshot.name, snapshot.id));
    }
    choice.value = keep;
  }
  if (!state.selected && page.items.length) await select(page.items[0].id);
  if (!page.items.length) say("No snapshots yet: upload an inventory or export.");
}

async function select(id) {
  state.selected = id;
  for (const item of document.querySelectorAll("#snapshots li")) {
    item.classList.toggle("selected", item.dataset.id === id);
  }
  await Promise.all([showDiagram(), showResources()]);
}

async function upload(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  say("Uploading…");
  try {
    const created = await getJson("/api/v1/snapshots", { method: "POST", body: form });
    say(`Stored ${created.name} with ${created.resource_count} resources.`);
    event.target.reset();
    state.selected = null;
    await loadSnapshots();
    await select(created.id);
  } catch (error) {
    say(describe(error), true);
  }
}

// -- diagram -----------------------------------------------------------------

function diagramQuery(format) {
  const form = new FormData($("#diagram-form"));
  const query = new URLSearchParams({ format });
  for (const [key, value] of form.entries()) if (value) query.set(key, value);
  return `/api/v1/snapshots/${encodeURIComponent(state.selected)}/diagram?${query}`;
}

async function showDiagram() {
  if (!state.selected) return;
  const earlier = $("#status").textContent;
  say("Drawing…");
  try {
    const page = await (await api(diagramQuery("html"))).text();
    // A sandboxed frame without allow-same-origin: the page's own script runs
    // (pan, zoom, search) but cannot reach this page or its token.
    $("#diagram").srcdoc = page;
    // Put back what was said before drawing (an upload's result, say).
    if ($("#status").textContent === "Drawing…") say(earlier);
  } catch (error) {
    say(describe(error), true);
  }
}

async function download() {
  if (!state.selected) return;
  const format = $("#download-format").value;
  try {
    const response = await api(diagramQuery(format));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    const snapshot = state.snapshots.find((s) => s.id === state.selected);
    const extension = { mermaid: "mmd", dot: "dot", drawio: "drawio" }[format] || format;
    link.href = url;
    link.download = `${snapshot ? snapshot.name : "diagram"}.${extension}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    say(describe(error), true);
  }
}

// -- resources and changes ---------------------------------------------------

async function showResources(event) {
  if (event) event.preventDefault();
  if (!state.selected) return;
  const form = new FormData($("#resource-form"));
  const query = new URLSearchParams({ limit: "200" });
  if (form.get("q")) query.set("q", form.get("q"));
  if (form.get("kind")) query.set("kind", form.get("kind"));
  try {
    const page = await getJson(
      `/api/v1/snapshots/${encodeURIComponent(state.selected)}/resources?${query}`);
    const rows = page.items.map((resource) => {
      const row = document.createElement("tr");
      for (const value of [resource.name, resource.kind, resource.provider,
                           resource.account, resource.region, resource.id]) {
        const cell = document.createElement("td");
        cell.textContent = value ?? "";
        cell.title = value ?? "";
        row.append(cell);
      }
      return row;
    });
    $("#resources").replaceChildren(...rows);
    $("#resource-count").textContent = `${page.total} match`;
  } catch (error) {
    say(describe(error), true);
  }
}

async function showChanges(event) {
  event.preventDefault();
  const against = new FormData(event.target).get("against");
  if (!state.selected || !against) return;
  try {
    const diff = await getJson(`/api/v1/snapshots/${encodeURIComponent(state.selected)}` +
                               `/diff?against=${encodeURIComponent(against)}`);
    const lines = [Object.entries(diff.summary).map(([k, v]) => `${v} ${k}`).join(", ")];
    for (const r of diff.added) lines.push(`+ ${r.kind}  ${r.name}`);
    for (const r of diff.removed) lines.push(`- ${r.kind}  ${r.name}`);
    for (const c of diff.changed) lines.push(`~ ${c.kind}  ${c.name}`);
    $("#changes").textContent = lines.join("\n");
  } catch (error) {
    say(describe(error), true);
  }
}

// -- jobs --------------------------------------------------------------------

async function extract(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const provider = form.get("provider");
  const scope = (form.get("scope") || "").split(",").map((s) => s.trim()).filter(Boolean);
  const body = provider === "aws" ? { regions: scope }
    : provider === "azure" ? { subscriptions: scope } : { projects: scope };
  try {
    const job = await getJson(`/api/v1/extract/${provider}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    say(`Discovery started as job ${job.id}.`);
    showTab("jobs");
  } catch (error) {
    say(describe(error), true);
  }
}

async function showJobs() {
  try {
    const page = await getJson("/api/v1/jobs?limit=50");
    const rows = page.items.map((job) => {
      const row = document.createElement("tr");
      const progress = `${Math.round(job.progress * 100)}%`;
      const result = job.snapshot_id ||
        (job.error ? `${job.error.message || ""} [${job.error.cv_code || ""}]` : "");
      for (const value of [job.id, job.kind, job.status, progress, result]) {
        const cell = document.createElement("td");
        cell.textContent = value ?? "";
        row.append(cell);
      }
      return row;
    });
    $("#jobs").replaceChildren(...rows);
  } catch (error) {
    say(describe(error), true);
  }
}

function showTab(name) {
  for (const button of document.querySelectorAll(".tabs button")) {
    button.classList.toggle("active", button.dataset.tab === name);
  }
  for (const tab of document.querySelectorAll(".tab")) {
    tab.hidden = tab.id !== `tab-${name}`;
  }
  clearInterval(state.jobsTimer);
  if (name === "jobs") {
    showJobs();
    state.jobsTimer = setInterval(showJobs, 3000);
  }
}

// -- start -------------------------------------------------------------------

async function start() {
  if (!state.token) {
    $("#login-view").hidden = false;
    return;
  }
  try {
    const me = await getJson("/auth/verify");
    $("#who").textContent = `${me.username} (${me.roles.join(", ")})`;
  } catch (error) {
    signOut();
    return;
  }
  $("#login-view").hidden = true;
  $("#app-view").hidden = false;
  $("#logout").hidden = false;
  await loadSnapshots();
}

document.addEventListener("DOMContentLoaded", () => {
  $("#login-form").addEventListener("submit", signIn);
  $("#logout").addEventListener("click", signOut);
  $("#upload-form").addEventListener("submit", upload);
  $("#extract-form").addEventListener("submit", extract);
  $("#diagram-form").addEventListener("change", showDiagram);
  $("#download").addEventListener("click", download);
  $("#resource-form").addEventListener("submit", showResources);
  $("#changes-form").addEventListener("submit", showChanges);
  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }
  start();
});

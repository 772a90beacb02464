// The Autolab dashboard: Access Tokens and LLM Keys. Plain script, no framework, no build. It calls only
// the public REST API (/v1/...) with the browser session cookie; the gateway accepts the cookie for a write
// only when the request's Origin is the gateway itself, which the browser sets on every fetch that writes.
// Text from the server goes into the page through textContent only, never as HTML.
"use strict";

(() => {
  const PROJECT_KEY = "autolab.project";
  const state = { handle: "", project: "", keys: [], providers: [] };
  const $ = (id) => document.getElementById(id);

  // ---- The API --------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let reply;
    try {
      reply = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, "cannot reach Autolab; check your connection and try again");
    }
    const text = await reply.text();
    let json = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch (e) {
      json = {};
    }
    if (reply.status === 401) {
      // The session ended (expired or signed out elsewhere): sign in again and come back here.
      window.location.assign("/signin?next=%2Fdashboard");
      throw new ApiError(401, json.message || "your session ended; sign in again");
    }
    if (!reply.ok) {
      throw new ApiError(reply.status, json.message || "the server answered " + reply.status + "; try again");
    }
    return json;
  }

  /** `alice/nanochat` as the path of {project=*\/*}: each segment encoded on its own. */
  function projectPath(project) {
    return project.split("/").map(encodeURIComponent).join("/");
  }

  // ---- Small helpers ------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  /** Shows `message` in the error slot `id` (next to what caused it) and marks the field invalid. */
  function showError(id, message, field) {
    const slot = $(id);
    slot.textContent = message;
    slot.hidden = false;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }

  function clearErrors(root) {
    root.querySelectorAll(".error").forEach((e) => {
      e.hidden = true;
      e.textContent = "";
    });
    root.querySelectorAll("[aria-invalid]").forEach((f) => f.removeAttribute("aria-invalid"));
  }

  const DAY = 86400000;
  function when(ts, never) {
    if (!ts) return never;
    const t = new Date(ts);
    const diff = Date.now() - t.getTime();
    const abs = Math.abs(diff);
    let text;
    if (abs < 60000) text = "just now";
    else if (abs < 3600000) text = plural(Math.round(abs / 60000), "minute");
    else if (abs < DAY) text = plural(Math.round(abs / 3600000), "hour");
    else if (abs < 60 * DAY) text = plural(Math.round(abs / DAY), "day");
    else return t.toISOString().slice(0, 10);
    if (text === "just now") return text;
    return diff >= 0 ? text + " ago" : "in " + text;
  }
  function plural(n, unit) {
    return n + " " + unit + (n === 1 ? "" : "s");
  }
  function timeCell(ts, never) {
    const text = when(ts, never);
    return ts ? el("time", { datetime: ts, title: new Date(ts).toUTCString(), text }) : text;
  }

  /** Micro-dollars (a JSON string or number) as the CLI says them: $25.00, $0.123456. */
  function usd(micros) {
    const n = BigInt(micros || 0);
    const dollars = n / 1000000n;
    let cents = (n % 1000000n).toString().padStart(6, "0").replace(/0+$/, "");
    if (cents.length < 2) cents = cents.padEnd(2, "0");
    return "$" + dollars.toString() + "." + cents;
  }

  /** An amount in US dollars as micro-dollars (a string, as proto3 JSON writes int64), or an error message. */
  function microUsd(text, what) {
    const t = text.trim();
    const m = /^\$?(\d{1,9})(\.\d{1,6})?$/.exec(t);
    if (!m) return { error: what + " takes an amount in US dollars, like 25 or 12.50, not \"" + text + "\"" };
    const micros = BigInt(m[1]) * 1000000n + BigInt((m[2] || ".").slice(1).padEnd(6, "0"));
    if (micros <= 0n) return { error: what + " must be more than $0" };
    return { micros: micros.toString() };
  }

  function kindName(kind) {
    return String(kind || "").replace("TOKEN_KIND_", "").toLowerCase();
  }

  // ---- Confirmation and small forms in one dialog -------------------------------------------------

  /**
   * Opens the dialog and resolves with the fields' values on confirm, null on cancel. `action(values)` runs
   * while the dialog stays open; an ApiError it throws is shown in the dialog, next to the fields.
   */
  function ask({ title, text, confirm, danger, fields, action }) {
    const dialog = $("confirm");
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    const ok = $("confirm-ok");
    ok.textContent = confirm;
    ok.className = danger ? "danger primary" : "primary";
    const holder = $("confirm-fields");
    holder.replaceChildren();
    clearErrors(dialog);
    const inputs = {};
    for (const f of fields || []) {
      const input = el("input", {
        id: "confirm-" + f.name,
        type: "text",
        class: f.masked ? "masked" : null,
        autocomplete: "off",
        spellcheck: "false",
        placeholder: f.placeholder,
        inputmode: f.inputmode,
        "aria-describedby": "confirm-error",
      });
      input.value = f.value || "";
      inputs[f.name] = input;
      holder.append(el("label", { for: input.id, text: f.label }), input);
    }
    return new Promise((resolve) => {
      const form = $("confirm-form");
      const finish = (result) => {
        form.removeEventListener("submit", onSubmit);
        $("confirm-cancel").removeEventListener("click", onCancel);
        dialog.removeEventListener("cancel", onCancel);
        // Secret inputs (a rotation's value) leave the page with the dialog.
        holder.replaceChildren();
        if (dialog.open) dialog.close();
        resolve(result);
      };
      const onCancel = (e) => {
        e.preventDefault();
        finish(null);
      };
      const onSubmit = async (e) => {
        e.preventDefault();
        clearErrors(dialog);
        const values = {};
        for (const [name, input] of Object.entries(inputs)) values[name] = input.value;
        ok.disabled = true;
        try {
          const result = action ? await action(values) : true;
          finish(result === undefined ? true : result);
        } catch (err) {
          const first = Object.values(inputs)[0];
          showError("confirm-error", err.message, first);
        } finally {
          ok.disabled = false;
        }
      };
      form.addEventListener("submit", onSubmit);
      $("confirm-cancel").addEventListener("click", onCancel);
      dialog.addEventListener("cancel", onCancel);
      dialog.showModal();
      const first = Object.values(inputs)[0];
      (first || $("confirm-cancel")).focus();
    });
  }

  // ---- Tabs ---------------------------------------------------------------------------------------

  const TABS = [
    { tab: "tab-tokens", panel: "panel-tokens", hash: "#tokens" },
    { tab: "tab-keys", panel: "panel-keys", hash: "#keys" },
  ];

  function selectTab(index, focus) {
    TABS.forEach((t, i) => {
      const selected = i === index;
      const tab = $(t.tab);
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(t.panel).hidden = !selected;
    });
    // A token shown at creation is not kept once the person looks elsewhere.
    hideSecret();
    if (focus) $(TABS[index].tab).focus();
    history.replaceState(null, "", TABS[index].hash);
  }

  function setUpTabs() {
    TABS.forEach((t, i) => {
      const tab = $(t.tab);
      tab.addEventListener("click", () => selectTab(i, false));
      tab.addEventListener("keydown", (e) => {
        const keys = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 };
        if (e.key in keys) {
          e.preventDefault();
          selectTab((keys[e.key] + TABS.length) % TABS.length, true);
        }
      });
    });
    const start = TABS.findIndex((t) => t.hash === window.location.hash);
    selectTab(start < 0 ? 0 : start, false);
  }

  // ---- Projects -----------------------------------------------------------------------------------

  async function loadProjects() {
    const select = $("project");
    try {
      const reply = await api("GET", "/v1/projects");
      const projects = reply.projects || [];
      select.replaceChildren();
      if (projects.length === 0) {
        select.append(el("option", { value: "", text: "No projects yet" }));
        select.disabled = true;
        state.project = "";
      } else {
        for (const p of projects) {
          const role = String(p.role || "").replace("ROLE_", "").toLowerCase();
          select.append(el("option", { value: p.name, text: p.name + (role ? " (" + role + ")" : "") }));
        }
        const saved = localStorage.getItem(PROJECT_KEY);
        state.project = projects.some((p) => p.name === saved) ? saved : projects[0].name;
        select.value = state.project;
        select.disabled = false;
      }
    } catch (err) {
      showError("project-error", err.message);
    }
  }

  function setUpProjects() {
    $("project").addEventListener("change", (e) => {
      state.project = e.target.value;
      localStorage.setItem(PROJECT_KEY, state.project);
      loadBinding();
      renderKeys();
    });
  }

  // ---- Access Tokens ------------------------------------------------------------------------------

  async function loadTokens() {
    const all = $("token-all").checked;
    const body = $("tokens").tBodies[0];
    $("tokens-error").hidden = true;
    let tokens;
    try {
      tokens = (await api("GET", "/v1/tokens" + (all ? "?all=true" : ""))).tokens || [];
    } catch (err) {
      showError("tokens-error", err.message);
      return;
    }
    body.replaceChildren();
    $("tokens-empty").hidden = tokens.length > 0;
    for (const t of tokens) {
      const dead = Boolean(t.revokedAt) || (t.expiresAt && new Date(t.expiresAt) <= new Date());
      const status = t.revokedAt
        ? el("span", { class: "badge", text: "revoked " + when(t.revokedAt, "") + (t.revokedReason ? " (" + t.revokedReason + ")" : "") })
        : dead
          ? el("span", { class: "badge", text: "expired" })
          : el("button", {
              type: "button",
              class: "small danger",
              text: "Revoke",
              "aria-label": "Revoke " + t.name,
              onclick: () => revokeToken(t),
            });
      body.append(
        el(
          "tr",
          { class: dead ? "revoked" : null, "data-token": t.name },
          el("td", { class: "mono", "data-label": "ID", text: t.id.slice(0, 8) }),
          el("td", { "data-label": "Name", text: t.name }),
          el("td", { "data-label": "Kind", text: kindName(t.kind) }),
          el("td", { "data-label": "Created" }, timeCell(t.createdAt, "")),
          el("td", { "data-label": "Last used" }, timeCell(t.lastUsedAt, "never")),
          el("td", { "data-label": "Expires" }, timeCell(t.expiresAt, "never")),
          el("td", { class: "actions", "data-label": "" }, status),
        ),
      );
    }
  }

  async function revokeToken(t) {
    await ask({
      title: "Revoke " + t.name + "?",
      text: "Anything using this token stops working at once, and execution nodes registered with it are "
        + "disconnected. This cannot be undone.",
      confirm: "Revoke token",
      danger: true,
      action: () => api("DELETE", "/v1/tokens/" + encodeURIComponent(t.id)),
    });
    await loadTokens();
  }

  function hideSecret() {
    $("token-secret-value").value = "";
    $("token-secret-name").textContent = "";
    $("token-secret-status").textContent = "";
    $("token-secret").hidden = true;
  }

  function setUpTokens() {
    $("token-all").addEventListener("change", loadTokens);
    $("token-create").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = e.target;
      clearErrors(form);
      hideSecret();
      const name = $("token-name");
      const expiry = $("token-expiry");
      // No checks of its own: auth-service's answer, in the CLI's words, is shown next to its field.
      const body = { name: name.value.trim() };
      if (expiry.value.trim()) body.expiresInDays = Number(expiry.value.trim());
      let created;
      try {
        created = await api("POST", "/v1/tokens", body);
      } catch (err) {
        const onExpiry = /^expiry/i.test(err.message);
        showError(onExpiry ? "token-expiry-error" : "token-name-error", err.message, onExpiry ? expiry : name);
        return;
      }
      form.reset();
      $("token-secret-name").textContent = created.token.name;
      $("token-secret-value").value = created.secret;
      created = null;
      $("token-secret").hidden = false;
      $("token-secret-value").focus();
      $("token-secret-value").select();
      await loadTokens();
    });
    $("token-secret-copy").addEventListener("click", async () => {
      const input = $("token-secret-value");
      try {
        await navigator.clipboard.writeText(input.value);
      } catch (e) {
        input.select();
        document.execCommand("copy");
      }
      $("token-secret-status").textContent = "Copied.";
    });
    $("token-secret-done").addEventListener("click", () => {
      hideSecret();
      $("token-name").focus();
    });
  }

  // ---- LLM Keys -----------------------------------------------------------------------------------

  async function loadProviders() {
    try {
      state.providers = (await api("GET", "/v1/providers")).providers || [];
    } catch (err) {
      showError("key-provider-error", err.message);
      return;
    }
    const select = $("key-provider");
    select.replaceChildren(el("option", { value: "", text: "Choose a provider" }));
    for (const p of state.providers) {
      select.append(el("option", { value: p.name, text: p.displayName ? p.displayName + " (" + p.name + ")" : p.name }));
    }
  }

  async function loadKeys() {
    $("keys-error").hidden = true;
    try {
      state.keys = (await api("GET", "/v1/keys")).keys || [];
    } catch (err) {
      showError("keys-error", err.message);
      return;
    }
    renderKeys();
    renderKeyChoices();
  }

  function renderKeys() {
    const body = $("keys").tBodies[0];
    body.replaceChildren();
    $("keys-empty").hidden = state.keys.length > 0;
    for (const k of state.keys) {
      const spent = BigInt(k.spentMicroUsd || 0);
      const limit = k.limitMicroUsd !== undefined ? BigInt(k.limitMicroUsd) : null;
      let spend;
      if (limit !== null) {
        const ratio = limit > 0n ? Number((spent * 10000n) / limit) / 10000 : 1;
        spend = el(
          "div",
          { class: "spend" },
          el("meter", {
            min: "0",
            max: "1",
            low: "0.75",
            high: "0.9",
            optimum: "0",
            value: String(Math.min(ratio, 1)),
            "aria-label": "Spend of " + k.name + " against its limit",
          }),
          el("span", { text: usd(spent) + " of " + usd(limit) }),
        );
      } else {
        spend = el("div", { class: "spend" }, el("span", { text: usd(spent) + " (no limit)" }));
      }
      const projects = (k.projects || []).map((p) =>
        el("span", { class: "badge" + (p === state.project ? " current" : ""), text: p }));
      const projectCell = el("td", { "data-label": "Projects" });
      if (projects.length === 0) projectCell.textContent = "—";
      projects.forEach((p, i) => projectCell.append(i ? " " : "", p));
      body.append(
        el(
          "tr",
          { "data-key": k.name },
          el("td", { "data-label": "Name", text: k.name }),
          el("td", { "data-label": "Provider", text: k.provider }),
          el("td", { class: "mono", "data-label": "Hint", text: "…" + (k.hint || "") }),
          el("td", { "data-label": "Limit", text: limit === null ? "none" : usd(limit) }),
          el("td", { "data-label": "Spend" }, spend),
          projectCell,
          el(
            "td",
            { class: "actions", "data-label": "" },
            el("button", { type: "button", class: "small", text: "Limit", "aria-label": "Change the limit of " + k.name, onclick: () => changeLimit(k) }),
            el("button", { type: "button", class: "small", text: "Rotate", "aria-label": "Rotate " + k.name, onclick: () => rotateKey(k) }),
            el("button", { type: "button", class: "small danger", text: "Delete", "aria-label": "Delete " + k.name, onclick: () => deleteKey(k) }),
          ),
        ),
      );
    }
  }

  function keyPath(k) {
    return "/v1/keys/" + encodeURIComponent(k.id);
  }

  async function changeLimit(k) {
    const done = await ask({
      title: "Spending limit of " + k.name,
      text: "In US dollars; leave it empty to remove the limit. Spent so far: " + usd(k.spentMicroUsd) + ".",
      confirm: "Save limit",
      fields: [{ name: "limit", label: "Limit, USD", inputmode: "decimal", placeholder: "none",
        value: k.limitMicroUsd !== undefined ? usd(k.limitMicroUsd).slice(1) : "" }],
      action: async ({ limit }) => {
        let changes;
        if (!limit.trim() || limit.trim().toLowerCase() === "none") {
          changes = { clearLimit: true };
        } else {
          const parsed = microUsd(limit, "the limit");
          if (parsed.error) throw new ApiError(400, parsed.error);
          changes = { limitMicroUsd: parsed.micros };
        }
        await api("PATCH", keyPath(k), changes);
      },
    });
    if (done) await loadKeys();
  }

  async function rotateKey(k) {
    const done = await ask({
      title: "Rotate " + k.name,
      text: "Paste the new value from your " + k.provider + " account. Projects using this key switch to it at once.",
      confirm: "Rotate key",
      // Masked text, not type=password: see the key-value field in index.html.
      fields: [{ name: "value", label: "New key value", masked: true }],
      action: async ({ value }) => {
        if (!value) throw new ApiError(400, "paste the new key value");
        await api("PATCH", keyPath(k), { value });
      },
    });
    if (done) await loadKeys();
  }

  async function deleteKey(k) {
    const used = k.projects || [];
    const done = await ask({
      title: "Delete " + k.name + "?",
      text: used.length
        ? "It is used by " + used.join(", ") + "; they go back to the platform key. Its value is deleted for good."
        : "Its value is deleted for good.",
      confirm: "Delete key",
      danger: true,
      action: () => api("DELETE", keyPath(k) + (used.length ? "?force=true" : "")),
    });
    if (done) {
      await loadKeys();
      await loadBinding();
    }
  }

  function renderKeyChoices() {
    const select = $("llm-key");
    const current = select.value;
    select.replaceChildren(el("option", { value: "platform", text: "Platform key" }));
    for (const k of state.keys) {
      select.append(el("option", { value: k.id, text: k.name + " (" + k.provider + ", …" + (k.hint || "") + ")" }));
    }
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }

  async function loadBinding() {
    const form = $("llm-form");
    clearErrors(form);
    $("llm-status").textContent = "";
    $("llm-project").textContent = state.project || "—";
    const save = $("llm-save");
    if (!state.project) {
      $("llm-current").textContent = "Create a project with `autolab project create` to choose its key.";
      save.disabled = true;
      return;
    }
    save.disabled = false;
    let llm;
    try {
      llm = await api("GET", "/v1/projects/" + projectPath(state.project) + "/llm");
    } catch (err) {
      $("llm-current").textContent = "";
      showError("llm-key-error", err.message);
      return;
    }
    const model = llm.model ? ", model " + llm.model : "";
    $("llm-current").textContent = llm.platform
      ? "Now: the platform key (" + (llm.provider || "default provider") + model + ")."
      : "Now: " + llm.key.name + " of " + llm.keyOwner + " (" + llm.provider + model + ").";
    renderKeyChoices();
    const mine = !llm.platform && state.keys.some((k) => k.id === llm.key.id);
    $("llm-key").value = llm.platform ? "platform" : mine ? llm.key.id : "platform";
    $("llm-model").value = llm.platform ? "" : llm.model || "";
  }

  function setUpKeys() {
    $("key-add").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = e.target;
      clearErrors(form);
      $("key-add-status").textContent = "";
      const provider = $("key-provider");
      const name = $("key-name");
      const value = $("key-value");
      const limit = $("key-limit");
      // Only the limit is read here (dollars to micro-dollars, as the CLI does, in its words); the rest is
      // keys-service's to check, and its answer is shown next to the field it is about.
      const body = { provider: provider.value, value: value.value };
      if (name.value.trim()) body.name = name.value.trim();
      if (limit.value.trim()) {
        const parsed = microUsd(limit.value, "the limit");
        if (parsed.error) {
          showError("key-limit-error", parsed.error, limit);
          return;
        }
        body.limitMicroUsd = parsed.micros;
      }
      let added;
      try {
        added = await api("POST", "/v1/keys", body);
      } catch (err) {
        const m = err.message;
        const target = /limit/i.test(m) ? ["key-limit-error", limit]
          : /provider/i.test(m) ? ["key-provider-error", provider]
          : /key value/i.test(m) ? ["key-value-error", value]
          : /name/i.test(m) ? ["key-name-error", name]
          : ["key-value-error", value];
        showError(target[0], m, target[1]);
        return;
      } finally {
        body.value = "";
      }
      // The value leaves the page as soon as it is stored.
      form.reset();
      $("key-add-status").textContent = "Stored " + added.name + " (…" + (added.hint || "") + ").";
      await loadKeys();
    });

    $("llm-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = e.target;
      clearErrors(form);
      $("llm-status").textContent = "";
      const key = $("llm-key");
      const model = $("llm-model");
      try {
        await api("PUT", "/v1/projects/" + projectPath(state.project) + "/llm", {
          key: key.value,
          model: key.value === "platform" ? "" : model.value.trim(),
        });
      } catch (err) {
        const onModel = /model/i.test(err.message) && key.value !== "platform";
        showError(onModel ? "llm-model-error" : "llm-key-error", err.message, onModel ? model : key);
        return;
      }
      await loadKeys();
      await loadBinding();
      $("llm-status").textContent = "Saved.";
    });
  }

  // ---- Start --------------------------------------------------------------------------------------

  async function start() {
    setUpTabs();
    setUpProjects();
    setUpTokens();
    setUpKeys();
    // Leaving the page (or its being kept in the back/forward cache) drops any secret on it, so Back does
    // not show a token or key value again.
    window.addEventListener("pagehide", () => {
      hideSecret();
      $("key-value").value = "";
    });
    try {
      const me = await api("GET", "/v1/whoami");
      state.handle = (me.user && me.user.handle) || "";
      $("who").textContent = state.handle ? "Signed in as " + state.handle : "";
    } catch (err) {
      showError("project-error", err.message);
      return;
    }
    await loadProjects();
    await Promise.all([loadTokens(), loadProviders(), loadKeys()]);
    await loadBinding();
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();

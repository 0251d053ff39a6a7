// A designer's draft that saves itself (form, decision-table, diagram and scenario editors): debounced PUTs with the
// optimistic lock (revision), retries on network loss, never a lost edit (a 409 stops saving and keeps the editor
// as it is, with a download of the designer's version); 放弃草稿 and leaving the page after the last save.
import { api } from "../forms.js";

// Every Chinese text of the draft machinery, in one place.
const ZH = {
  status: {
    fresh: (v) => v ? `正在查看已发布第 ${v} 版；修改后自动保存为您的草稿` : "新文件；修改后自动保存为您的草稿",
    draft: (n, at) => `我的草稿（第 ${n} 次保存，${at}）`,
    readOnly: "草稿已提交发布申请，审批结束前修改不会保存",
    pending: "有修改，稍后自动保存…",
    saving: "正在保存…",
    saved: (n) => `已保存草稿（第 ${n} 次保存）`,
    failed: (m) => `保存失败：${m}`,
    conflict: "您的修改仍保留在编辑器中，自动保存已暂停。可下载您的版本，刷新页面后再合并。",
    retry: (m, s, k) => `保存失败：${m}。${s} 秒后自动重试（第 ${k} 次），您的修改仍在编辑器中。`,
    offline: "网络连接中断",
    server: (code) => `服务器返回 ${code}`,
    download: "下载我的版本",
    discardFailed: (m) => `放弃草稿失败：${m}`,
    backBlocked: "草稿还没有保存成功，确定离开吗？离开后未保存的修改将丢失。",
  },
  discardConfirm: (published) => published
    ? "放弃草稿？您对此文件的全部修改将被删除，恢复为已发布的版本。此操作不能撤销。"
    : "放弃草稿？此文件尚未发布，放弃后将被删除。此操作不能撤销。",
};

export function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

export const SAVE_DELAY = 1500;

// Auto-save of a designer's draft: debounced PUTs with the optimistic lock (revision), retries on network loss,
// never a lost edit (a 409 stops auto-saving and keeps the editor as it is).
export function createDraftSaver({ page, getContent, statusBox, fileName, onSaved }) {
  let revision = page.draft ? page.draft.revision : null;
  const baseVersion = page.base_version !== undefined ? page.base_version
    : page.draft ? page.draft.base_version : page.deployed_version;
  const readOnly = Boolean(page.draft && page.draft.status === "submitted");
  let timer = null, inFlight = null, dirty = false, changedSince = false, blocked = readOnly, stopped = false, retries = 0;

  const status = (text, kind = "") => {
    statusBox.textContent = text;
    statusBox.className = `save-status ${kind}`;
    statusBox.dataset.state = kind || "idle";
  };
  const schedule = (ms) => { clearTimeout(timer); timer = setTimeout(save, ms); };
  const offerDownload = () => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = ZH.status.download;
    button.addEventListener("click", async () => {
      const url = URL.createObjectURL(new Blob([await getContent()], { type: "text/plain;charset=utf-8" }));
      const a = Object.assign(document.createElement("a"), { href: url, download: fileName });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    statusBox.append(" ", button);
  };
  const retry = (message) => {
    retries += 1;
    const seconds = Math.min(30, 2 ** retries);
    status(ZH.status.retry(message, seconds, retries), "error");
    schedule(seconds * 1000);
  };

  async function attempt() {
    const content = await getContent();
    changedSince = false;
    status(ZH.status.saving, "saving");
    try {
      const { response, json } = await api("PUT", page.urls.save_draft, { content, base_version: baseVersion, revision });
      if (response.ok) {
        const draft = json.draft || json;
        revision = draft.revision;
        retries = 0;
        if (!changedSince) dirty = false;
        status(ZH.status.saved(revision), "ok");
        if (onSaved) onSaved(draft);
      } else if (response.status === 409) {
        blocked = true;
        status(`${ZH.status.failed(json.message || response.statusText)}。${ZH.status.conflict}`, "error");
        offerDownload();
      } else if (response.status >= 500) {
        retry(json.message || ZH.status.server(response.status));
      } else if (response.status !== 401) {
        status(ZH.status.failed(json.message || ZH.status.server(response.status)), "error");
      }
    } catch (_) {
      retry(ZH.status.offline);
    }
  }

  async function save() {
    timer = null;
    if (blocked || stopped || !dirty) return;
    if (inFlight) { await inFlight; if (changedSince && !timer) schedule(0); return; }
    inFlight = attempt();
    await inFlight;
    inFlight = null;
    if (dirty && changedSince && !blocked && !stopped && !timer) schedule(SAVE_DELAY);
  }

  window.addEventListener("beforeunload", (event) => {
    if (dirty && !stopped) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("online", () => { if (dirty && !blocked) schedule(0); });
  if (readOnly) status(ZH.status.readOnly, "error");
  else if (page.draft) status(ZH.status.draft(page.draft.revision, formatTime(page.draft.updated_at)));
  else status(ZH.status.fresh(page.deployed_version));

  return {
    changed() {
      dirty = true;
      changedSince = true;
      if (blocked || stopped) return;
      status(ZH.status.pending, "pending");
      schedule(SAVE_DELAY);
    },
    async flush() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (inFlight) await inFlight;
      if (dirty && !blocked) await save();
      return !dirty;
    },
    async stop() { stopped = true; clearTimeout(timer); if (inFlight) await inFlight; },
    get dirty() { return dirty; },
    get revision() { return revision; },
    status,
  };
}

// 放弃草稿 (with a confirmation) and 返回 (after the last save) for both designer pages.
export function wireDraftButtons({ page, saver, discardButton, backLink }) {
  discardButton.addEventListener("click", async () => {
    if (!window.confirm(ZH.discardConfirm(Boolean(page.deployed_version)))) return;
    await saver.stop();
    const { response, json } = await api("DELETE", page.urls.discard);
    if (!response.ok) { saver.status(ZH.status.discardFailed(json.message || ZH.status.server(response.status)), "error"); return; }
    window.location = page.deployed_version ? window.location.href : page.urls.back;
  });
  // 返回 and 提交发布… leave the page: after the last save (or the designer's yes to leaving without it).
  for (const link of [backLink, document.querySelector('[data-testid="review-link"]')].filter(Boolean)) {
    link.addEventListener("click", async (event) => {
      if (!saver.dirty) return;
      event.preventDefault();
      const saved = await saver.flush();
      if (saved || window.confirm(ZH.status.backBlocked)) { await saver.stop(); window.location = link.href; }
    });
  }
}

export function showTimes(root) {
  root.querySelectorAll(".when[data-time]").forEach((el) => { el.textContent = formatTime(el.dataset.time); });
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The platform's form-js field `photos`: take a photo (the phone's camera) or choose files, upload each to
// /api/attachments, show thumbnails made by the server; the field's value is the list of attachment ids.
// Written with htm/preact and the viewer's own preact (one copy in the bundle: see scripts/vendor.mjs).
import { html } from "htm/preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { Description, Errors, FormContext, Label } from "@bpmn-io/form-js-viewer";

// How many files a field takes unless its custom property maxFiles says otherwise (app/definitions/forms.py
// PHOTOS_MAX is the server's rule; it refuses more in any case).
export const PHOTOS_MAX = 9;
const IMAGES = "image/jpeg,image/png,image/webp";

const ZH = {
  camera: "拍照",
  album: "从相册选择",
  remove: (name) => `删除 ${name}`,
  uploading: (name) => `正在上传 ${name}…`,
  full: (max) => `已添加 ${max} 个，不能再添加`,
  tooMany: (max) => `最多只能添加 ${max} 个文件`,
  failed: (name, message) => `${name}：${message || "上传失败，请重试"}`,
  none: "未添加照片",
  missing: (id) => `附件 ${id}`,
  taken: (at) => `拍摄于 ${at}`,
  kb: (size) => size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`,
};

const isId = (v) => Number.isInteger(v) && v > 0;
const asId = (v) => (typeof v === "string" && /^\d{1,11}$/.test(v) ? Number(v) : v);

export function maxFiles(field) {
  const wanted = parseInt((field.properties || {}).maxFiles, 10);
  return wanted > 0 && wanted <= 100 ? wanted : PHOTOS_MAX;
}

// The attachments service the field uses (a form-js module value): the page may pass its own.
export function createAttachments({ csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "" } = {}) {
  const json = async (response) => { try { return await response.json(); } catch (_) { return {}; } };
  return {
    fileUrl: (id) => `/api/attachments/${id}`,
    thumbnailUrl: (id) => `/api/attachments/${id}/thumbnail`,
    async upload(file) {
      const body = new FormData();
      body.append("file", file);
      const response = await fetch("/api/attachments", {
        method: "POST", credentials: "same-origin", body,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      const answer = await json(response);
      if (!response.ok) throw new Error(answer.message || "");
      return answer;
    },
    async info(id) {
      const response = await fetch(`/api/attachments/${id}/info`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      return response.ok ? json(response) : null;
    },
  };
}

function Item({ id, info, attachments, locked, onRemove }) {
  const name = info ? info.filename : ZH.missing(id);
  const [broken, setBroken] = useState(false);
  const picture = info && info.image && !broken;
  return html`<li class="tc-photo" data-attachment=${id}>
    ${picture
      ? html`<a class="tc-photo-link" href=${attachments.fileUrl(id)} target="_blank" rel="noopener">
          <img src=${attachments.thumbnailUrl(id)} loading="lazy" alt=${name} onError=${() => setBroken(true)} /></a>`
      : html`<a class="tc-photo-file" href=${attachments.fileUrl(id)} target="_blank" rel="noopener">
          <span class="tc-photo-name">${name}</span>${info && html`<span class="tc-photo-size">${ZH.kb(info.size)}</span>`}</a>`}
    ${info && info.taken_at && html`<span class="tc-photo-taken">${ZH.taken(info.taken_at)}</span>`}
    ${!locked && html`<button type="button" class="tc-photo-remove" aria-label=${ZH.remove(name)} title=${ZH.remove(name)}
        onClick=${() => onRemove(id)}>×</button>`}
  </li>`;
}

export function Photos(props) {
  const { field, value, errors = [], disabled, readonly, domId, onChange } = props;
  const { getService } = useContext(FormContext);
  const attachments = getService("attachments", false) || fallback();
  const ids = Array.isArray(value) ? value.map(asId).filter(isId) : [];
  const latest = useRef(ids);
  latest.current = ids;
  const [known, setKnown] = useState({});
  const [pending, setPending] = useState([]);
  const [problems, setProblems] = useState([]);
  const locked = disabled || readonly;
  const max = maxFiles(field);
  const full = ids.length + pending.length >= max;

  useEffect(() => {  // names and types of ids the field did not upload itself (a draft, a read-only view)
    for (const id of ids) {
      if (id in known) continue;
      setKnown((k) => ({ ...k, [id]: undefined }));
      attachments.info(id).then((info) => setKnown((k) => ({ ...k, [id]: info || null })), () => setKnown((k) => ({ ...k, [id]: null })));
    }
  }, [ids.join(",")]);

  const add = async (event) => {
    const input = event.target;
    const files = Array.from(input.files || []);
    input.value = "";
    const room = Math.max(0, max - latest.current.length - pending.length);
    const said = files.length > room ? [ZH.tooMany(max)] : [];
    const taken = files.slice(0, room).map((file, n) => ({ file, key: `${Date.now()}-${n}` }));
    setProblems(said);
    setPending((p) => [...p, ...taken]);
    for (const { file, key } of taken) {
      try {
        const info = await attachments.upload(file);
        setKnown((k) => ({ ...k, [info.id]: info }));
        latest.current = [...latest.current, info.id];
        onChange({ value: latest.current });
      } catch (err) {
        said.push(ZH.failed(file.name, err.message));
        setProblems([...said]);
      } finally {
        setPending((p) => p.filter((item) => item.key !== key));
      }
    }
  };
  const remove = (id) => {
    latest.current = latest.current.filter((i) => i !== id);
    onChange({ value: latest.current });
  };

  const classes = ["fjs-form-field", "fjs-form-field-photos", "tc-photos",
    errors.length || problems.length ? "fjs-has-errors" : "", disabled ? "fjs-disabled" : "", readonly ? "fjs-readonly" : ""];
  const accept = field.accept || IMAGES;
  const button = (text, extra) => html`<label class=${`fjs-button tc-photos-button${full ? " tc-disabled" : ""}`}
      aria-disabled=${full ? "true" : "false"}>${text}<input type="file" class="tc-visually-hidden" disabled=${full}
      onChange=${add} ...${extra} /></label>`;
  return html`<div class=${classes.filter(Boolean).join(" ")} role="group" aria-labelledby=${`${domId}-label`}
      data-uploading=${pending.length ? "true" : undefined}>
    <${Label} id=${`${domId}-label`} htmlFor=${domId} label=${field.label} required=${(field.validate || {}).required} />
    ${(ids.length || pending.length) ? html`<ul class="tc-photos-grid">
      ${ids.map((id) => html`<${Item} key=${id} id=${id} info=${known[id]} attachments=${attachments} locked=${locked}
          onRemove=${remove} />`)}
      ${pending.map((p) => html`<li key=${p.key} class="tc-photo tc-photo-pending">${ZH.uploading(p.file.name)}</li>`)}
    </ul>` : locked ? html`<p class="tc-photos-empty">${ZH.none}</p>` : null}
    ${!locked && html`<div class="tc-photos-actions">
      ${accept.split(",").some((t) => t.trim().startsWith("image/")) && button(ZH.camera, { accept: "image/*", capture: "environment" })}
      ${button(ZH.album, { id: domId, accept, multiple: max > 1 })}
      ${full && html`<span class="tc-photos-full">${ZH.full(max)}</span>`}
    </div>`}
    <${Description} id=${`${domId}-description`} description=${field.description} />
    <${Errors} id=${`${domId}-error-message`} errors=${[...errors, ...problems]} />
  </div>`;
}

let shared;
function fallback() {
  shared = shared || createAttachments();
  return shared;
}

Photos.config = {
  type: "photos",
  keyed: true,
  name: "照片",
  label: "照片",
  group: "basic-input",
  emptyValue: [],
  sanitizeValue: ({ value }) => (Array.isArray(value) ? value.map(asId).filter(isId) : []),
  create: (options = {}) => ({ label: "现场照片", ...options }),
};

class PhotosField {
  constructor(formFields) { formFields.register("photos", Photos); }
}
PhotosField.$inject = ["formFields"];

/** The viewer module that knows the `photos` field; `attachments` is optional (createAttachments() otherwise). */
export function photosModule(attachments) {
  return { __init__: ["tcPhotosField"], tcPhotosField: ["type", PhotosField],
    ...(attachments ? { attachments: ["value", attachments] } : {}) };
}

// The forms bundle (app/static/vendor/forms/forms.min.js, global TianchangForms): the form-js viewer with the
// platform's photos field, one preact. Its Chinese texts come from build-time patches (frontend/forms/patches.mjs).
export { Form } from "@bpmn-io/form-js-viewer";
export { PHOTOS_MAX, Photos, createAttachments, maxFiles, photosModule } from "./forms/photos.js";

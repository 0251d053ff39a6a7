// Form designer page: the form-js editor in Chinese, a live preview through the task page's viewer (forms.js),
// the keys check; the draft saves itself (drafts.js).
import { api, mountForm, showMessage } from "../forms.js";
import { SAVE_DELAY, createDraftSaver, debounce, escapeHtml, showTimes, wireDraftButtons } from "./drafts.js";

// Every Chinese text of this page's script, in one place.
const ZH = {
  offline: "网络连接中断",
  preview: {
    failed: (m) => `预览暂不可用：${m}`,
    data: "提交的数据：\n",
  },
  keys: {
    missing: (name) => `脚本读取 ${name}，但没有表单字段或步骤提供它`,
    allProvided: "后续步骤读取的数据都有来源。",
    provides: "本表单提供：",
    reads: "其中后续步骤用到：",
    none: "（无）",
    unavailable: (m) => `字段检查暂不可用：${m}`,
  },
};

// Palette names and the labels a new field starts with.
const FIELD_NAMES = {
  textfield: ["文本框", "文本框"], textarea: ["多行文本", "多行文本"], number: ["数字", "数字"],
  datetime: ["日期时间", null], expression: ["计算值", null], filepicker: ["文件上传", "文件上传"],
  checkbox: ["复选框", "复选框"], checklist: ["多选框组", "多选框组"], radio: ["单选按钮组", "单选按钮组"],
  select: ["下拉选择", "下拉选择"], taglist: ["标签选择", "标签选择"],
  text: ["说明文字", null], html: ["HTML 片段", null], image: ["图片", null], table: ["表格", "表格"],
  iframe: ["内嵌网页", "内嵌网页"], documentPreview: ["文档预览", "文档预览"], spacer: ["空白", null],
  separator: ["分隔线", null], group: ["分组", "分组"], dynamiclist: ["动态列表", "动态列表"],
  button: ["按钮", "提交"], default: ["表单", null],
};

// The editor's hard-coded English (palette, properties panel, canvas chrome) → Chinese; applied to text nodes and
// title / placeholder / aria-label attributes by a MutationObserver. form-js 1.23 has no translate service.
const TEXT = {
  // palette
  "Components": "组件", "Input": "输入", "Selection": "选择", "Presentation": "展示", "Containers": "容器",
  "Action": "操作", "Search components": "搜索组件", "No components found.": "没有找到组件。",
  "Clear search": "清除搜索",
  // panel frame
  "Select a form field to edit its properties.": "选择一个表单字段以编辑其属性。",
  "Multiple form fields are selected. Select a single form field to edit its properties.":
    "选中了多个字段。请只选择一个字段来编辑属性。",
  // groups
  "General": "常规", "Condition": "条件", "Validation": "校验", "Layout": "布局", "Appearance": "外观",
  "Serialization": "序列化", "Constraints": "约束", "Options source": "选项来源", "Static options": "固定选项",
  "Dynamic options": "动态选项", "Options expression": "选项表达式", "Custom properties": "自定义属性",
  "Table": "表格", "Headers source": "表头来源", "Header items": "表头项", "Pagination": "分页",
  "Security attributes": "安全属性", "Form submission": "提交表单时", "Upload": "上传",
  // entries
  "Field label": "字段标签", "Label": "标签", "Field description": "字段说明", "Description": "说明",
  "Key": "键名", "Path": "路径", "ID": "ID", "Default value": "默认值", "Read only": "只读", "Disabled": "禁用",
  "Required": "必填", "Minimum length": "最少字符数", "Maximum length": "最多字符数", "Minimum": "最小值",
  "Maximum": "最大值", "Validation pattern": "校验格式", "Custom regular expression": "自定义正则表达式",
  "Custom error message": "自定义错误提示", "Email": "电子邮箱", "Phone": "电话号码", "Custom": "自定义",
  "Hide if": "隐藏条件", "Deactivate if": "禁用条件", "Columns": "列宽", "Auto": "自动", "Prefix": "前缀",
  "Suffix": "后缀", "Decimal digits": "小数位数", "Increment": "步长", "Output as string": "以文本输出",
  "Subtype": "子类型", "Date": "日期", "Time": "时间", "Date & Time": "日期和时间", "Date label": "日期标签",
  "Time label": "时间标签", "Use 24h": "24 小时制", "Time format": "时间格式", "Time interval": "时间间隔",
  "Disallow past dates": "不允许过去的日期", "UTC offset": "UTC 偏移", "UTC normalized": "转换为 UTC",
  "No timezone": "不带时区", "Searchable": "可搜索", "Checked": "已勾选", "Not checked": "未勾选",
  "Value": "值", "Values": "选项", "Add": "添加", "Remove": "删除", "Input values key": "输入数据键名",
  "Text": "文字", "Content": "内容", "Submit": "提交", "Reset": "重置", "Form": "表单",
  "Image source": "图片地址", "Alternative text": "替代文字", "Height": "高度", "URL": "网址", "Title": "标题",
  "Show outline": "显示边框", "Vertical alignment": "垂直对齐", "Top": "顶部", "Center": "居中", "Bottom": "底部",
  "Allow add/delete items": "允许添加/删除项", "Default number of items": "默认项数",
  "Disable collapse": "不折叠", "Number of non-collapsing items": "不折叠的项数", "Expression": "表达式",
  "Compute on": "计算时机", "Value changes": "值变化时",
  "Supported file formats": "支持的文件格式", "Upload multiple files": "允许上传多个文件",
  "Data source": "数据来源", "List of items": "列表项", "Column": "列", "Number of rows per page": "每页行数",
  "Document reference": "文档引用", "Max height of preview container": "预览区域最大高度",
  "Target value": "目标值", "Version tag": "版本标签", "Type": "类型", "<none>": "（无）",
  "Group label": "分组标签", "Table label": "表格标签", "Input data": "输入数据", "Static": "固定",
  "Create": "添加", "Learn more": "了解更多", "A number is required.": "必须填写数字。",
  "A comma-separated list of": "以英文逗号分隔的", "file type specifiers": "文件类型说明符",
  "Supports markdown and templating.": "支持 Markdown 和模板。",
  "Supports HTML, styling, and templating. Styles are automatically scoped to the HTML component.":
    "支持 HTML、样式和模板；样式只作用于此 HTML 组件。",
  "The document data source is required.": "必须填写文档数据来源。",
  "Allow same origin": "允许同源访问", "Camera access": "使用摄像头", "Forms submission": "提交表单",
  "Geolocation": "获取地理位置", "Microphone access": "使用麦克风", "Open in fullscreen": "全屏显示",
  "Open modal windows": "打开模态窗口", "Open popups": "打开弹出窗口", "Script execution": "执行脚本",
  "Storage access by user": "经用户同意访问存储", "Top level navigation": "跳转整个页面",
  "These options can incur security risks, especially if used in combination with dynamic links. Ensure that you are aware of them, that you trust the source url and only enable what your use case requires.":
    "这些选项可能带来安全风险，与动态链接一起使用时尤甚。请确认您了解风险、信任来源网址，并只开启确实需要的选项。",
  "Click to set a dynamic value with FEEL expression": "点击改用 FEEL 表达式设置动态值",
  "FEEL expression is mandatory": "此处必须使用 FEEL 表达式", "Open pop-up editor": "在弹出窗口中编辑",
  "Create new list item": "新增一项", "Delete item": "删除此项", "Toggle list item": "展开或收起此项",
  "Section contains edits": "此分组有修改", "Toggle section": "展开或收起分组",
  "Section contains an error": "此分组有错误", "Close": "关闭",
  "Use a unique \"key\" to link the form element and the related input/output data. When dealing with nested data, break it down in the user task's input mapping before using it.":
    "用唯一的“键名”把表单字段和流程数据关联起来。嵌套的数据请先在用户任务的输入映射中拆开再使用。",
  "Routes the children of this component into a form variable, may be left empty to route at the root level.":
    "把此组件的子字段数据放到一个表单变量下；留空则放在根级。",
  "Routes the children of this component into a form variable.": "把此组件的子字段数据放到一个表单变量下。",
  "The input property may be an array of simple values or alternatively follow this schema:":
    "输入数据可以是简单值的数组，或者采用以下结构：",
  "The expression may result in an array of simple values or alternatively follow this schema:":
    "表达式的结果可以是简单值的数组，或者采用以下结构：",
  "\"Static\" defines a constant, predefined set of form options.\n\n\"Input data\" defines options that are populated dynamically, adjusting based on variable data for flexible responses to different conditions or inputs.\n\n\"Expression\" defines options that are populated from a FEEL expression.":
    "“固定”：一组预先定义、不变的选项。\n\n“输入数据”：从流程数据动态读取选项，随数据变化。\n\n“表达式”：由 FEEL 表达式生成选项。",
  "\"List of items\" defines a constant, predefined set of form options.\n\n\"Expression\" defines options that are populated from a FEEL expression.":
    "“列表项”：一组预先定义、不变的项。\n\n“表达式”：由 FEEL 表达式生成。",
  "Version tag by which this form can be referenced.": "引用此表单时使用的版本标签。",
  "The built-in phone validation pattern is based on the E.164 standard with no spaces. Ex: +491234567890":
    "内置的电话号码校验按 E.164 标准，不含空格，例如 +8613812345678",
  // the panel's own validation messages
  "Must not be empty.": "不能为空。", "Must not be empty": "不能为空", "Must be unique.": "不能与其他字段重复。",
  "Must not conflict with other key/path assignments.": "不能与其他字段的键名或路径冲突。",
  "Must not contain spaces.": "不能包含空格。", "Must not contain prefix.": "不能包含前缀。",
  "Must be a valid QName.": "必须是有效的名称。", "Must be a variable or a dot separated path.": "必须是变量名或用点分隔的路径。",
  "Must be a variable or a dot-separated path": "必须是变量名或用点分隔的路径",
  "Must be empty, a variable or a dot-separated path": "必须为空、变量名或用点分隔的路径",
  "Must not be a prohibited path.": "不能使用保留的路径。", "Must not contain numerical path segments.": "路径各段不能是数字。",
  "Must not cause two binding paths to collide": "不能使两个绑定路径冲突", "Must be number": "必须是数字",
  "Should be a valid number": "应为有效数字", "Should be a valid number.": "应为有效数字。",
  "Should be an integer.": "应为整数。", "Should be greater than or equal to zero.": "应大于或等于 0。",
  "Should be greater than zero.": "应大于 0。", "Value must be a number.": "必须是数字。",
  "For security reasons the URL must start with \"https\".": "出于安全考虑，网址必须以 https 开头。",
  "Syntax Error": "语法错误", "Close popup": "关闭弹窗", "Remove form field": "删除字段",
  "Allow the iframe to access more functionality of your browser, details regarding the various options can be found in the":
    "允许内嵌网页使用更多浏览器功能，各选项的说明见", "MDN iFrame documentation.": "MDN iFrame 文档。",
  "Enter a HTTPS URL to a source or populate it dynamically via a template or an expression (e.g., to pass a value from the variable).":
    "填写 HTTPS 网址，或用模板、表达式动态生成（例如从变量取值）。",
  "Not all external sources can be displayed in the iFrame. Read more about it in the": "并非所有外部网页都能嵌入显示，详见",
  "X-FRAME-OPTIONS documentation": "X-FRAME-OPTIONS 文档",
  "Please make sure that the URL is safe as it might impose security risks.": "请确认网址安全，否则可能带来安全风险。",
  "A source is a JSON object containing metadata for a document or an array of documents.":
    "来源是一个包含文档元数据的 JSON 对象，或这类对象的数组。",
  "Each entry must include a document ID, name, and MIME type.": "每一项必须包含文档 ID、名称和 MIME 类型。",
  "Additional details are optional. The expected format is as follows:": "其他信息可选。格式如下：",
  "Learn more in our": "详见", "documentation": "文档",
  "When using Camunda Tasklist UI, additional document reference attributes are automatically handled. Modifying the document reference may affect the document preview functionality.":
    "使用 Camunda Tasklist 时会自动处理其他文档引用属性；修改文档引用可能影响文档预览。",
  "Condition under which the field is hidden": "满足此条件时隐藏该字段",
  "Condition under which the field is deactivated": "满足此条件时禁用该字段",
  "Binds to a form variable": "绑定到表单变量",
  "Where the child variables of this component are pathed to.": "此组件的子字段数据存放的路径。",
  "Allows arbitrary precision values": "允许任意精度的数值",
  "Define which input property to populate the values from": "指定从哪个输入数据读取选项",
  "Define an expression to populate the options from.": "用表达式生成选项。",
  "Define an expression to calculate the value of this field": "用表达式计算此字段的值",
  "Expression or static value (link/data URI)": "表达式或固定值（链接或 data URI）",
  "Height of the container in pixels.": "容器高度（像素）。",
  "Specify an expression to populate column items": "用表达式生成列",
  "Specify the source from which to populate the table": "指定表格数据的来源",
  "Descriptive text for screen reader accessibility.": "供屏幕阅读器朗读的说明文字。",
  "The error message to display when the input does not match the regular expression.":
    "输入内容不符合正则表达式时显示的错误提示。",
  "Make this field read-only when it cannot be edited by the end-user, but its content is important for them to see. Its data will still be submitted.":
    "办理人不能修改但需要看到内容时设为只读；其数据仍会提交。",
  "Disable this field when it should not be interactive for end-users. Its data will not be submitted. This setting takes precedence over read-only.":
    "办理人不需要操作此字段时禁用；其数据不会提交。此设置优先于只读。",
  "Add properties directly to the form schema, useful to configure functionality in custom-built task applications and form renderers.":
    "直接向表单定义添加属性，供定制的办理页面或表单渲染器使用。",
  "Link referring to a hosted image, or use a data URI directly to embed image data into the form.":
    "指向网络图片的链接，或用 data URI 直接嵌入图片数据。",
  "Documents whose height exceeds the defined value in pixels will be vertically scrollable":
    "高度超过此像素值的文档可上下滚动",
  "Enter a form input variable that contains the data for the table or define an expression to populate the data dynamically.":
    "填写包含表格数据的输入变量，或用表达式动态生成数据。",
};

// The canvas and the preview mix the designer's own texts with the library's chrome: a short word is translated
// only inside the element that shows it as chrome, a sentence anywhere there.
const CHROME_TEXT = {
  "Select": ["请选择", ".fjs-select-placeholder"], "Content": ["内容", ".fjs-table-td"],
  "Browse": ["选择文件", ".fjs-filepicker-button"], "Repeatable": ["可重复", ".fjs-repeat-render-footer"],
  "iFrame": ["内嵌网页", ".fjs-iframe-placeholder-text"],
  "Document preview": ["文档预览", ".fjs-documentPreview-placeholder-text"],
  "Add new": ["添加一项", ".fjs-repeat-render-add"],
  "Build your form": "开始设计表单",
  "Drag and drop components here to start designing.": "把左侧的组件拖到这里（或点击组件）开始设计。",
  "Drag and drop components here.": "把组件拖到这里。",
  "Expression is empty": "表达式为空", "Html view is empty": "HTML 内容为空", "Text view is empty": "文字内容为空",
  "No files selected": "未选择文件", "No results": "没有匹配的选项", "All values selected": "已选择全部选项",
  "Nothing to show.": "暂无数据。", "No content to show.": "暂无内容。", "Skip to search": "跳到搜索",
  "This is an image placeholder": "图片占位", "Document reference is not defined.": "未设置文档引用。",
  "No options source defined in the form definition": "表单定义中没有设置选项来源",
  "Unable to download document": "无法下载文档",
};
const CHROME_ATTRS = {
  "Search": "搜索", "Increment": "增加", "Decrement": "减少", "Remove tag": "移除", "Next page": "下一页",
  "Previous page": "上一页", "Click to remove sorting": "点击取消排序", "Month": "月", "Year": "年",
};
const CHROME_PATTERNS = [[/^(\d+) files selected$/, (m) => `已选择 ${m[1]} 个文件`]];
const CHROME_ATTR_PATTERNS = [
  [/^Remove list item (\d+)$/, (m) => `删除第 ${m[1]} 项`],
  [/^Remove (.+)$/, (m) => `删除${m[1]}`],
  [/^Download (.+)$/, (m) => `下载 ${m[1]}`],
];

const TEXT_PATTERNS = [
  [/^Create an? (.+) element$/, (m) => `添加${m[1]}`],
  [/^Should be at least (.+)\.$/, (m) => `应不小于 ${m[1]}。`],
  [/^Should be at most (.+)\.$/, (m) => `应不大于 ${m[1]}。`],
  [/^(Minimum|Maximum) (\d+) columns are allowed$/, (m) => `${m[1] === "Minimum" ? "至少" : "最多"} ${m[2]} 列`],
  [/^Maximum (\d+) fields per row are allowed$/, (m) => `每行最多 ${m[1]} 个字段`],
  [/^New value exceeds the maximum of (\d+) columns per row$/, (m) => `超出每行最多 ${m[1]} 列`],
  [/^Remove (.+)$/, (m) => `删除${m[1]}`],
  [/^List contains (\d+) items?$/, (m) => `共 ${m[1]} 项`],
];

function byPattern(key, patterns) {
  for (const [re, fn] of patterns) {
    const m = re.exec(key);
    if (m) return fn(m);
  }
  return null;
}

function panelText(key) {
  return TEXT[key] || byPattern(key, TEXT_PATTERNS);
}

function chromeText(key, element) {
  const entry = CHROME_TEXT[key];
  if (Array.isArray(entry)) return element.closest(entry[1]) ? entry[0] : null;
  return entry || byPattern(key, CHROME_PATTERNS);
}

// Replace `text` (keeping its surrounding spaces) when `lookup` knows it; null when nothing changes.
function replaced(text, lookup) {
  const key = text.trim();
  const zh = key && lookup(key);
  return zh && zh !== key ? text.replace(key, zh) : null;
}

const ATTRS = ["title", "placeholder", "aria-label"];

function translateNode(node, chrome) {
  if (node.nodeType === Node.TEXT_NODE) {
    const parent = node.parentElement;
    if (!parent || parent.closest(".cm-content, .bio-properties-panel-header-label")) return;
    const zh = replaced(node.data, chrome ? (k) => chromeText(k, parent) : panelText);
    if (zh !== null) node.data = zh;
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  for (const attr of ATTRS) {
    const value = node.getAttribute(attr);
    const zh = value && replaced(value, chrome ? (k) => CHROME_ATTRS[k] || byPattern(k, CHROME_ATTR_PATTERNS) : panelText);
    if (zh !== null && zh) node.setAttribute(attr, zh);
  }
}

function translateTree(root, chrome) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = root; node; node = walker.nextNode()) translateNode(node, chrome);
}

// Keep the editor's panel and chrome in Chinese while preact re-renders: every added node, changed text or
// attribute under `panels` (full map) or `chrome` (canvas and preview: chrome texts only) is translated.
export function observeTranslations({ panels, chrome }) {
  const popups = ".bio-properties-panel-tooltip, .bio-properties-panel-feel-popup, .gu-mirror";
  const modeOf = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!element) return null;
    if (panels.some((r) => r.contains(element)) || element.closest(popups)) return "panel";
    if (chrome.some((r) => r.contains(element))) return "chrome";
    return null;
  };
  const visit = (node) => {
    const mode = modeOf(node);
    if (mode) translateTree(node, mode === "chrome");
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach(visit);
      else if (r.type === "characterData") visit(r.target);
      else if (modeOf(r.target)) translateNode(r.target, modeOf(r.target) === "chrome");
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ATTRS });
  [...panels, ...chrome].forEach(visit);
}

// Registers each field type again under a copy of its config with a Chinese name and, for a field the designer adds,
// Chinese default texts (the documented formFields.register API; the library's own config objects stay untouched).
function ZhFieldNames(formFields) {
  for (const [type, [name, label]] of Object.entries(FIELD_NAMES)) {
    const original = formFields.get(type);
    if (!original) continue;
    const field = (props) => original(props);
    const create = original.config.create || ((options) => ({ ...options }));
    // The importer calls create(attrs, false) for every field of a loaded form: only a new field gets defaults; a
    // loaded one keeps what its file says (form-js would add "Group" labels and a fake option "Value" to it).
    field.config = {
      ...original.config, name,
      create: (options = {}, isNewField = true) => {
        const created = create(options, isNewField);
        if (isNewField) return chineseDefaults(created, label, type);
        for (const key of IMPORT_KEEPS) if (!(key in options)) delete created[key];
        return created;
      },
    };
    formFields.register(type, field);
  }
}
ZhFieldNames.$inject = ["formFields"];
const ZhFieldNamesModule = { __init__: ["zhFieldNames"], zhFieldNames: ["type", ZhFieldNames] };

// The platform's photos field (the task pages draw it with the forms bundle: thumbnails, camera, uploads): in the
// editor it is drawn as the editor's own file picker, and the panel offers its label, key, accepted types, required.
const CAMERA = "data:image/svg+xml," + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 54 54">'
  + '<path fill="none" stroke="#22242a" stroke-width="2.5" stroke-linejoin="round" d="M10 19h8l3-5h12l3 5h8v21H10z"/>'
  + '<circle cx="27" cy="29" r="6.5" fill="none" stroke="#22242a" stroke-width="2.5"/></svg>');
function PhotosInEditor(formFields) {
  const base = formFields.get("filepicker");
  const photos = (props) => base(props);
  photos.config = {
    ...base.config, type: "photos", name: "照片", label: "现场照片", group: "basic-input", emptyValue: [], iconUrl: CAMERA,
    create: (options = {}) => ({ label: "现场照片", ...options }),
    propertiesPanelEntries: ["key", "label", "description", "accept", "required", "disabled", "readonly"],
  };
  formFields.register("photos", photos);
}
PhotosInEditor.$inject = ["formFields"];
const PhotosInEditorModule = { __init__: ["photosInEditor"], photosInEditor: ["type", PhotosInEditor] };

const COLUMN_LABELS = { ID: "编号", Name: "名称", Date: "日期" };
const IMPORT_KEEPS = ["label", "values", "text", "dateLabel", "timeLabel"];
// The date/time labels form-js writes into a new or re-typed date field.
const DATETIME_LABELS = { dateLabel: ["Date", "日期"], timeLabel: ["Time", "时间"] };

// form-js's English defaults of a new field ("Text field", "Value", "# Text", "Date", table columns) in Chinese.
function chineseDefaults(created, label, type) {
  if (label && created.label && /^[A-Za-z ]+$/.test(created.label)) created.label = label;
  if (Array.isArray(created.values)) {
    created.values = created.values.map((v, i) => v.label === "Value" ? { label: `选项 ${i + 1}`, value: v.value } : v);
  }
  if (type === "text" && created.text === "# Text") created.text = "说明文字";
  for (const [key, [english, zh]] of Object.entries(DATETIME_LABELS)) if (created[key] === english) created[key] = zh;
  if (Array.isArray(created.columns)) {
    created.columns = created.columns.map((c) => ({ ...c, label: COLUMN_LABELS[c.label] || c.label }));
  }
  return created;
}


// The date pickers (flatpickr inside form-js) of the preview and the canvas in Chinese, through flatpickr's own locale option.
const FLATPICKR_ZH = {
  weekdays: { shorthand: ["日", "一", "二", "三", "四", "五", "六"],
    longhand: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"] },
  months: { shorthand: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    longhand: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"] },
  firstDayOfWeek: 1, rangeSeparator: " 至 ", weekAbbreviation: "周", scrollTitle: "滚动切换",
  toggleTitle: "点击切换 12/24 小时制", yearAriaLabel: "年", monthAriaLabel: "月", hourAriaLabel: "时",
  minuteAriaLabel: "分", time_24hr: true,
};

const localized = new WeakSet();

function localizeDatepickers(root) {
  root.querySelectorAll("input").forEach((input) => {
    const picker = input._flatpickr;
    if (picker && !localized.has(picker)) { localized.add(picker); picker.set("locale", FLATPICKR_ZH); }
  });
}

function watchDatepickers(root) {
  new MutationObserver(() => localizeDatepickers(root)).observe(root, { childList: true, subtree: true });
}

// Switching the selected date field's subtype in the panel writes "Date" / "Time" as its labels: made Chinese.
function fixDateLabels(editor) {
  const field = editor.get("selection").get();
  if (!field || field.type !== "datetime") return;
  for (const [key, [english, zh]] of Object.entries(DATETIME_LABELS)) {
    if (field[key] === english) editor.get("modeling").editFormField(field, key, zh);
  }
}

async function mountPreview(container, messageBox, dataBox) {
  let form = null;
  const showData = (values) => {
    showMessage(messageBox, "");
    dataBox.textContent = ZH.preview.data + JSON.stringify(values, null, 2);
    dataBox.hidden = false;
  };
  watchDatepickers(container);
  return {
    async show(schema) {
      try {
        if (!form) form = await mountForm({ container, schema, data: {}, onSubmit: showData, messageBox });
        else await form.importSchema(schema, form._getState().data);
        if (messageBox.dataset.kind === "preview") showMessage(messageBox, "");
      } catch (err) {
        showMessage(messageBox, ZH.preview.failed(err.message || err));
        messageBox.dataset.kind = "preview";
      }
    },
    check() { dataBox.hidden = true; if (form) form.submit(); },
    reset() { dataBox.hidden = true; showMessage(messageBox, ""); if (form) form.reset(); },
  };
}

// Entries of the keys report are names or {name, where, from_form, …}; the same name may be read in several places.
function byName(entries) {
  const names = new Map();
  for (const entry of entries || []) {
    const read = typeof entry === "string" ? { name: entry } : entry;
    if (!names.has(read.name)) names.set(read.name, { name: read.name, where: [], fromForm: Boolean(read.from_form) });
    if (read.where) names.get(read.name).where.push(read.where);
  }
  return [...names.values()];
}

function renderKeys(json) {
  const code = (names) => names.length ? names.map((n) => `<code>${escapeHtml(n)}</code>`).join(" ") : ZH.keys.none;
  const missing = byName(json.missing);
  const keys = json.keys || [];
  const used = byName(json.reads).filter((r) => r.fromForm || keys.includes(r.name)).map((r) => r.name);
  return (missing.length
    ? `<ul class="missing">${missing.map((m) => `<li class="field-error">${escapeHtml(ZH.keys.missing(m.name))}`
        + `${m.where.length ? `<div class="muted where">${m.where.map(escapeHtml).join("；")}</div>` : ""}</li>`).join("")}</ul>`
    : `<p class="ok">${ZH.keys.allProvided}</p>`)
    + `<p class="muted">${ZH.keys.provides}${code(keys)}</p>`
    + `<p class="muted">${ZH.keys.reads}${code(used)}</p>`;
}

function keyCheck(box, url) {
  let sequence = 0;
  return async (schema) => {
    const mine = ++sequence;
    let result;
    try { result = await api("POST", url, { schema }); } catch (_) { result = { response: { ok: false }, json: { message: ZH.offline } }; }
    if (mine !== sequence) return;
    const { response, json } = result;
    box.innerHTML = response.ok ? renderKeys(json)
      : `<p class="muted">${escapeHtml(ZH.keys.unavailable(json.message || ""))}</p>`;
  };
}


// The schema the editor opens: the page's text (my draft, else the published file), else a new empty form.
function initialSchema(page) {
  let schema = page.schema;
  if (!schema && page.content) {
    try { schema = JSON.parse(page.content); } catch (_) { schema = null; }
  }
  schema = schema && typeof schema === "object" ? schema : { type: "default", components: [], schemaVersion: 19 };
  return { ...schema, id: schema.id || page.form_id };
}

// The editor with its palette and panel in their own columns, in Chinese; a tap on a palette entry adds that field
// at the end (drag and drop stays; phones have no good drag).
async function mountEditor(page) {
  const palette = document.getElementById("fe-palette"), canvas = document.getElementById("fe-canvas");
  const properties = document.getElementById("fe-properties");
  observeTranslations({ panels: [palette, properties], chrome: [canvas, document.getElementById("form-preview")] });
  watchDatepickers(canvas);
  const editor = new FormEditor.FormEditor({
    container: canvas, palette: { parent: palette }, propertiesPanel: { parent: properties },
    additionalModules: [PhotosInEditorModule, ZhFieldNamesModule],
  });
  await editor.importSchema(initialSchema(page));
  palette.addEventListener("click", (event) => {
    const entry = event.target.closest(".fjs-palette-field");
    if (!entry) return;
    const current = editor._getState().schema;
    editor.get("modeling").addFormField({ type: entry.dataset.fieldType }, current, current.components.length);
  });
  return editor;
}

// The preview and the keys check, refreshed (debounced) from the editor's schema.
async function mountSidePanels(page, editor) {
  const preview = await mountPreview(document.getElementById("form-preview"), document.getElementById("preview-message"),
    document.getElementById("preview-data"));
  document.getElementById("preview-check").addEventListener("click", () => preview.check());
  document.getElementById("preview-reset").addEventListener("click", () => preview.reset());
  const checkKeys = keyCheck(document.getElementById("key-check"), page.urls.keys);
  await preview.show(editor.saveSchema());
  checkKeys(editor.saveSchema());
  const refreshPreview = debounce(() => preview.show(editor.saveSchema()), 300);
  const refreshKeys = debounce(() => checkKeys(editor.saveSchema()), SAVE_DELAY);
  return { preview, refresh() { refreshPreview(); refreshKeys(); } };
}

async function main(dataElement) {
  const page = JSON.parse(dataElement.textContent);
  const editor = await mountEditor(page);
  const discardButton = document.getElementById("discard");
  const saver = createDraftSaver({
    page, statusBox: document.getElementById("save-status"), fileName: `${page.form_id}.json`,
    getContent: () => JSON.stringify(editor.saveSchema(), null, 2),
    onSaved: () => { discardButton.hidden = false; },
  });
  wireDraftButtons({ page, saver, discardButton, backLink: document.getElementById("back") });
  showTimes(document);
  const side = await mountSidePanels(page, editor);

  // after the panel's whole sequence of edits (a subtype switch is several), never in the middle of it
  const fixLabels = debounce(() => fixDateLabels(editor), 0);
  let last = JSON.stringify(editor.saveSchema());
  editor.on("changed", () => {
    const now = JSON.stringify(editor.saveSchema());
    if (now === last) return;  // selection and re-renders fire "changed" too
    last = now;
    fixLabels();
    saver.changed();
    side.refresh();
  });
  window.__designer = { editor, saver, preview: side.preview };
  window.__designerReady = true;
}

const dataElement = document.getElementById("form-design-data");
if (dataElement) await main(dataElement);

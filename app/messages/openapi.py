"""The API description's part of the catalogue: what /api/openapi.json and the page /api/docs say to a client's author.

The texts are read once, when the app is built (flask-smorest and apispec take plain strings): the title and
summary (Config, create_app), one description per blueprint, the answers every operation may give
(app/api/spec.py) and what a field means where its name does not say it.
"""

MESSAGES = {
    # the description as a whole
    "api.title": "天长协同治理 API",
    "api.description": "天长协同治理平台 REST API；错误格式 {{code, message, errors}}。",
    # the answers and components every operation shares (app/api/spec.py)
    "api.success": "成功",
    "api.error.bad_request": "请求无效：JSON 格式错误、流程定义包校验失败，或 Cookie 会话的写操作缺少有效的 CSRF 令牌",
    "api.error.unauthenticated": "未登录，或 API 令牌无效、已过期",
    "api.error.forbidden": "访问策略不允许，或只读角色不能修改数据",
    "api.error.not_found": "路径或参数所指的对象不存在",
    "api.error.conflict": "数据已被他人修改、对象当前的状态不允许此操作，或数据库正忙（SQLite 等待写锁超时；"
                          "读请求记下令牌的最近使用时间时也可能遇到），请稍后重试",
    "api.error.too_large": "请求内容超过大小上限",
    "api.error.unprocessable": "参数或数据校验未通过（包括数据库不接受的文本，如 NUL 字符）；errors 按位置和字段给出中文说明",
    "api.error.server_error": "服务器内部错误（例如数据库暂时不可用），操作未生效",
    "api.error.code": "错误类别，如 not_found、validation_failed",
    "api.error.message": "给人看的中文说明",
    "api.error.errors": "按位置或字段给出的中文说明；没有时为空对象",
    "api.csrf_header": "以 Cookie 会话写入时必填：页面 <meta name=\"csrf-token\"> 中的令牌；使用 Bearer 令牌时不需要",
    "api.security.bearer": "API 令牌（在“我的令牌”中签发）",
    "api.security.session": "登录页面后的会话 Cookie；写操作另需 X-CSRFToken",
    "api.upload.bundle_files": "BPMN、DMN 和表单文件",
    "api.upload.attachment": "JPEG、PNG、WebP 图片或 PDF 文件",
    "api.upload.list_file": "清单 Excel 文件（.xlsx）",
    "api.upload.list_reason": "修订理由",
    # the blueprints (one tag each on /api/docs) and what their fields mean
    "api.attachments.blueprint": "附件（照片、文件）",
    "api.audit.blueprint": "记录仪（审计）",
    "api.calls.blueprint": "呼叫、督办与评价",
    "api.calls.extension_status": "pending 待审批、approved 已批准、refused 未批准",
    "api.calls.extension_new_due": "批准后的新办结期限",
    "api.instances.blueprint": "流程实例",
    "api.instances.process_version": "实例所用流程定义的版本号（部署编号）",
    "api.lists.blueprint": "清单（权责、配合、交办）",
    "api.orgs.blueprint": "单位",
    "api.processes.blueprint": "流程定义与部署",
    "api.processes.severity": "error（拒绝部署）或 warning（可部署，提醒设计者）",
    "api.processes.bundle_files": "文件名 → 文件内容（UTF-8 文本）；也可用 multipart 上传 files",
    "api.processes.bundle_overlay": "叠加到最新版本上（只改部分文件）",
    "api.tasks.blueprint": "待办任务",
    "api.tasks.caller": "发起实例的用户",
    "api.tasks.next_task": "同一实例中您接下来可以办理的待办；没有则为 null",
    "api.users.blueprint": "用户与令牌",
}

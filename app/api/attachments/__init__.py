"""Attachments: upload a photo or document (size- and type-checked), download it again."""

from flask import request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.auth import actor, config
from app.domain.access import may_read_attachment, require
from app.domain.attachments import attachment_path, get_attachment, store_attachment
from app.extensions import db
from app.messages import msg
from app.workflow.instances import get_instance, may_read_instance

blp = Blueprint("attachments", __name__, url_prefix="/api/attachments", description=msg("api.attachments.blueprint"))


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    size = fields.Integer()
    mime = fields.String()
    created_at = fields.DateTime()


@blp.route("")
class Upload(MethodView):
    @blp.response(201, AttachmentSchema)
    def post(self):
        """Upload one file (multipart field `file`): JPEG, PNG, WebP or PDF up to the configured size."""
        user = actor()
        upload = request.files.get("file")
        content = upload.read(config().MAX_ATTACHMENT_SIZE + 1) if upload else b""
        attachment = store_attachment(db.session, user, upload.filename if upload else "", content,
                                      config().UPLOAD_DIR, config().MAX_ATTACHMENT_SIZE)
        return attachment


@blp.route("/<int:attachment_id>")
class Download(MethodView):
    def get(self, attachment_id):
        """The file, served with its sniffed type and never as a page that could run script."""
        user, attachment = actor(), get_attachment(db.session, attachment_id)
        instance_readable = attachment.instance_id is not None and may_read_instance(
            db.session, user, get_instance(db.session, attachment.instance_id))
        require(may_read_attachment(user, attachment, instance_readable))
        response = send_file(attachment_path(config().UPLOAD_DIR, attachment).resolve(), mimetype=attachment.mime,
                             download_name=attachment.filename, as_attachment=not attachment.mime.startswith("image/"))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        return response

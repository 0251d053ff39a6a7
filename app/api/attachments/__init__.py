"""Attachments: upload a photo or document (size- and type-checked), download it, its thumbnail and what it tells."""

from flask import request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.auth import actor, config
from app.domain.access import may_read_attachment, require
from app.domain.attachment_images import ensure_thumbnail, is_image, photo_facts
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
    image = fields.Boolean(metadata={"description": "Whether a thumbnail can be made of it (a JPEG, PNG or WebP)."})
    taken_at = fields.String(metadata={"description": "When the photo was taken, by the camera's clock (EXIF)."})
    latitude = fields.Float(metadata={"description": "Where it was taken (EXIF GPS), when the phone recorded it."})
    longitude = fields.Float()


def described(attachment):
    """The attachment with what its photo tells (shooting time and position), for its readers only."""
    facts = photo_facts(config().UPLOAD_DIR, attachment, config().MAX_IMAGE_PIXELS)
    return {"id": attachment.id, "filename": attachment.filename, "size": attachment.size, "mime": attachment.mime,
            "created_at": attachment.created_at, "image": is_image(attachment), **facts}


def readable(attachment_id):
    """The attachment, when the signed-in user may read it (its uploader, or a reader of its instance)."""
    user, attachment = actor(), get_attachment(db.session, attachment_id)
    instance_readable = attachment.instance_id is not None and may_read_instance(
        db.session, user, get_instance(db.session, attachment.instance_id))
    require(may_read_attachment(user, attachment, instance_readable))
    return attachment


def safely(response, max_age=None):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    if max_age is not None:
        response.headers["Cache-Control"] = f"private, max-age={max_age}"
    return response


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
        return described(attachment)


@blp.route("/<int:attachment_id>")
class Download(MethodView):
    def get(self, attachment_id):
        """The file as uploaded (the evidence, metadata included), never as a page that could run script."""
        attachment = readable(attachment_id)
        return safely(send_file(attachment_path(config().UPLOAD_DIR, attachment).resolve(), mimetype=attachment.mime,
                                download_name=attachment.filename,
                                as_attachment=not attachment.mime.startswith("image/")))


@blp.route("/<int:attachment_id>/thumbnail")
class Thumbnail(MethodView):
    def get(self, attachment_id):
        """A photo's thumbnail: a JPEG turned upright, without EXIF (no position); 404 for other files."""
        attachment = readable(attachment_id)
        path = ensure_thumbnail(config().UPLOAD_DIR, attachment, config().THUMBNAIL_SIZE, config().MAX_IMAGE_PIXELS)
        # Named by the original's digest: it never changes, so the browser may keep it (for this user only).
        return safely(send_file(path.resolve(), mimetype="image/jpeg", conditional=True), max_age=7 * 24 * 3600)


@blp.route("/<int:attachment_id>/info")
class Info(MethodView):
    @blp.response(200, AttachmentSchema)
    def get(self, attachment_id):
        """Name, size and type of a file, and for a photo when and where it was taken (as far as it says)."""
        return described(readable(attachment_id))

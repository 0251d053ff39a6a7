"""Catalogue part: photos (see app/messages/__init__.py): thumbnails and the photo field of forms."""

MESSAGES = {
    "photos.not_image": "此附件不是图片，没有缩略图",
    "photos.unreadable": "图片无法读取（文件可能已损坏），没有缩略图",
    "photos.too_big": "图片过大（超过 {million} 百万像素），没有缩略图",
    "photos.too_many": "最多只能添加 {n} 个文件",
    "photos.not_ids": "只能填写已上传文件的编号",
    "photos.duplicate": "同一个文件添加了两次",
}

LABELS = {}

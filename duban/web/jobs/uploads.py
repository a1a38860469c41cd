"""An upload over the size limit is refused from its Content-Length, before it is parsed.

Django's multipart parser reads an upload in Python, chunk by chunk, into a temporary file:
four 25 MB uploads at once keep the server's threads (and its GIL) busy for seconds.  This
handler stops the parsing at the first file of a request whose declared length is over
``MAX_UPLOAD_BYTES``; Django then drains the rest of the body unparsed, and the view finds
``request.upload_refused`` set to the declared size and says so in one sentence.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# The form fields around the file (CSRF token, year, kind) take a few hundred bytes.
FORM_OVERHEAD = 64 * 1024


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def new_file(self, *args, **kwargs):
        if (self.content_length or 0) > settings.MAX_UPLOAD_BYTES + FORM_OVERHEAD:
            self.request.upload_refused = self.content_length
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def refused_size_sentence(request, what: str = "文件") -> str | None:
    """The sentence for an upload this handler refused, or None."""
    size = getattr(request, "upload_refused", None)
    if size is None:
        return None
    return (
        f"{what}太大（约 {size / 1024 / 1024:.3g} MB），上传文件的上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB"
        "（可用环境变量 DUBAN_MAX_UPLOAD_BYTES 调高）"
    )

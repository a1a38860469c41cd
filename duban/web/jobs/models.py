"""A background job as the person who started it sees it: what, how far, and how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    QUEUED, RUNNING, DONE, FAILED, CANCELLED, TIMED_OUT = "queued", "running", "done", "failed", "cancelled", "timeout"
    STATUSES = [
        (QUEUED, "排队中"),
        (RUNNING, "进行中"),
        (DONE, "已完成"),
        (FAILED, "未完成"),
        (CANCELLED, "已取消"),
        (TIMED_OUT, "已超时"),
    ]
    FINISHED = (DONE, FAILED, CANCELLED, TIMED_OUT)
    KINDS = [("import", "导入通知"), ("draft", "起草计划"), ("ledger", "上传台账"), ("render", "生成文件")]

    kind = models.CharField(max_length=16, choices=KINDS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)  # 导入通知“xx.docx”
    status = models.CharField(max_length=16, choices=STATUSES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=100, blank=True)  # what it is doing now, one phrase
    message = models.TextField(blank=True)  # how it ended, one sentence
    result_url = models.CharField(max_length=300, blank=True)  # where the result is shown
    result = models.JSONField(default=dict, blank=True)  # what the result page shows (a ledger's row results)
    cancel_requested = models.BooleanField(default=False)
    # What the job reads: the upload, and the few parameters the page gave (JSON).
    upload = models.BinaryField()
    upload_name = models.CharField(max_length=255)
    params = models.JSONField(default=dict)
    # What a render job made (a .docx or .xlsx, named by params["filename"]); stored only when it came back whole.
    output = models.BinaryField(null=True, blank=True)
    time_limit = models.PositiveIntegerField()  # seconds, from duban.limits
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    delivered = models.BooleanField(default=False)  # its message has been shown once
    # The upload and the output were deleted ``runner.KEEP_HOURS`` after the job finished; the row stays.
    pruned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

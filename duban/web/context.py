from duban import vocab
from duban.web.access import Actor

# The domain's labels for templates ({{ words.timeliness.missing }}): duban.vocab is the one list.
WORDS = {
    "timeliness": vocab.TIMELINESS.labels,
    "task_states": vocab.TASK_STATES.labels,
    "report_statuses": vocab.REPORT_STATUSES.labels,
    "report_states": vocab.REPORT_STATES.labels,
    "roles": vocab.ROLES.labels,
}


def actor(request):
    if not hasattr(request, "actor"):
        # An error page for a request refused before authentication (a bad Host) has no user.
        user = getattr(request, "user", None)
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        request.actor = Actor.of(user)
    return {"actor": request.actor, "words": WORDS}

from duban.web.access import Actor


def actor(request):
    if not hasattr(request, "actor"):
        request.actor = Actor.of(request.user)
    return {"actor": request.actor}

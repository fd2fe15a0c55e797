"""The conventions' section of the home page (see ``web.panels``): the département agent's
work queue (``queue.work_queue``)."""

from tremplin.web import panels, queues

from .queue import agent_count, work_queue


def home(request, _obj):
    queue = work_queue(request.user)
    if queue is None:
        return None
    return {"queue": queue}


def register():
    panels.register(panels.HOME, "conventions/_queue.html", home, order=5)
    queues.register_counter("conventions", agent_count)

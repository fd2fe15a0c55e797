"""Following a job a page started (in tests, jobs run at once: ``HUEY["immediate"]``)."""

from django.http import HttpResponse
from django.urls import reverse

from tremplin.web.models import Job


def job_file(client, response) -> HttpResponse:
    """The file of the job ``response`` (a page's answer) started, as its owner downloads it
    from the job's page."""
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = page.context["job"]
    assert job.status == Job.Status.DONE, job.error
    download = reverse("web:job_download", args=[job.pk])
    assert download in page.content.decode()
    streamed = client.get(download)
    assert streamed.status_code == 200
    return HttpResponse(
        b"".join(streamed.streaming_content),
        content_type=streamed["Content-Type"],
        headers={"Content-Disposition": streamed["Content-Disposition"]},
    )

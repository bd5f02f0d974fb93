"""The job pages: the state the progress bar polls, the result file (only for users who see
every record in it; gone after expiry), running a failed job again, and the lists."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from disclosure.background import RECOMPUTE
from disclosure.jobs.models import Job, JobStatus
from disclosure.vocab import BodyKind, Role
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def tree():
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    county = BodyFactory(code="county", kind=BodyKind.GOVERNMENT, parent=city)
    return city, county


def member_of(body, role=Role.VIEW):
    user = UserFactory()
    MembershipFactory(user=user, body=body, role=role)
    return user


def done_job(user, body, *, expires_at=None) -> Job:
    job = Job.objects.create(
        kind="reports_export",
        requested_by=user,
        body=body,
        year=2023,
        status=JobStatus.DONE,
        done=3,
        total=3,
        started_at=NOW,
        finished_at=NOW,
        expires_at=expires_at or NOW + datetime.timedelta(days=7),
        result={"lines": ["3 份报告"]},
        result_name="city-2023-pdf.zip",
    )
    job.result_file.save("city-2023-pdf.zip", ContentFile(b"PK zip bytes"), save=True)
    return job


def test_the_status_answers_the_progress_bar(client, tree):
    city, _county = tree
    user = member_of(city)
    # A heartbeat of this moment (not of the module's import: the suite may run for longer
    # than the heartbeat timeout before it reaches this test).
    now = timezone.now()
    job = Job.objects.create(
        kind=RECOMPUTE,
        requested_by=user,
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        done=3,
        total=12,
        message="已检查 3 / 12 行",
    )
    client.force_login(user)

    response = client.get(f"/admin/jobs/job/{job.pk}/status/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "id": job.pk,
        "kind": RECOMPUTE,
        "kind_label": "重新计算答复期限",
        "status": "running",
        "status_label": "进行中",
        "finished": False,
        "done": 3,
        "total": 12,
        "percent": 25,
        "message": "已检查 3 / 12 行",
        "error": "",
        "lines": [],
        "download_url": "",
    }


def test_a_job_of_someone_else_is_not_found(client, tree):
    city, _county = tree
    job = done_job(member_of(city), city)
    client.force_login(member_of(city))
    assert client.get(f"/admin/jobs/job/{job.pk}/status/").status_code == 404
    assert client.get(f"/admin/jobs/job/{job.pk}/result/").status_code == 404
    assert client.get(f"/admin/jobs/job/{job.pk}/change/").status_code == 404


def test_anonymous_users_are_sent_to_the_login(client, tree):
    job = done_job(member_of(tree[0]), tree[0])
    response = client.get(f"/admin/jobs/job/{job.pk}/status/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_result_downloads_for_a_user_who_sees_the_whole_subtree(client, tree):
    city, _county = tree
    user = member_of(city)
    job = done_job(user, city)
    client.force_login(user)

    response = client.get(f"/admin/jobs/job/{job.pk}/result/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK zip bytes"
    assert response["Content-Disposition"] == 'attachment; filename="city-2023-pdf.zip"'


def test_the_result_is_refused_to_a_user_who_no_longer_sees_the_subtree(client, tree):
    city, county = tree
    user = member_of(city)
    job = done_job(user, city)
    user.memberships.update(body=county)  # moved to the county since
    client.force_login(user)

    response = client.get(f"/admin/jobs/job/{job.pk}/result/")

    assert response.status_code == 403
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "结果文件涵盖您无权查看的机构，不能下载。" in page
    assert f"/admin/jobs/job/{job.pk}/result/" not in page


def test_an_expired_result_is_gone_with_a_chinese_message(client, tree):
    city, _county = tree
    user = member_of(city)
    job = done_job(user, city, expires_at=timezone.make_aware(datetime.datetime(2026, 1, 2, 8)))
    client.force_login(user)

    response = client.get(f"/admin/jobs/job/{job.pk}/result/")

    assert response.status_code == 410
    assert "结果文件已于 2026-01-02 08:00 过期删除。如仍需要，请重新运行该任务。" in (
        response.content.decode()
    )


def test_the_job_page_shows_result_and_download(client, tree):
    city, _county = tree
    user = member_of(city)
    job = done_job(user, city)
    client.force_login(user)

    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()

    assert "3 份报告" in page
    assert f'href="/admin/jobs/job/{job.pk}/result/"' in page
    assert "下载结果文件 city-2023-pdf.zip" in page
    # The progress bar's script is a static file: no inline script (a strict CSP allows it).
    assert '<script src="/static/jobs/progress.js" defer></script>' in page
    assert "<script>" not in page


def test_the_list_shows_own_jobs_with_progress_bars(client, tree):
    city, _county = tree
    user = member_of(city)
    mine = done_job(user, city)
    done_job(member_of(city), city)
    client.force_login(user)

    response = client.get("/admin/jobs/job/")

    assert [job.pk for job in response.context["cl"].result_list] == [mine.pk]
    assert f'data-status-url="/admin/jobs/job/{mine.pk}/status/"' in response.content.decode()


def test_a_failed_job_runs_again_as_a_new_job(client, tree):
    city, _county = tree
    user = member_of(city)
    failed = Job.objects.create(
        kind=RECOMPUTE,
        requested_by=user,
        params={"dates": ["2025-10-31"], "note": "节假日安排变更"},
        status=JobStatus.FAILED,
        finished_at=NOW,
        error="任务中断",
    )
    client.force_login(user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/admin/jobs/job/{failed.pk}/rerun/")

    again = Job.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == f"/admin/jobs/job/{again.pk}/change/"
    assert (again.kind, again.params, again.status) == (RECOMPUTE, failed.params, JobStatus.DONE)

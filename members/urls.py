from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("too-young/", views.too_young, name="too_young"),
    path("home/", views.home, name="home"),
    path("members/", views.member_home, name="member_home"),
    path("me/status/", views.status, name="status"),
    path("me/", views.profile, name="profile"),
    path("me/withdraw/", views.withdraw, name="withdraw"),
    path("me/pause/", views.pause, name="pause"),
    path("me/resume/", views.resume, name="resume"),
    path("me/leave/", views.leave, name="leave"),
    path("farewell/", views.farewell, name="farewell"),
    path("me/export/", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("me/security/", views.security_check, name="security"),
    path("me/security/sign-out/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("me/notices/<str:code>/read/", views.read_notice, name="read_notice"),
    path("me/notices/", views.notices, name="notices"),
    path("me/notices/read-all/", views.read_all_notices, name="read_all_notices"),
    path("me/notices/clear/", views.clear_notices, name="clear_notices"),
    path("me/notices/<str:code>/", views.notice, name="notice"),
    path("me/emails/", views.email_preference, name="emails"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("intake/<str:code>/", views.application_detail, name="application"),
    path("intake/<str:code>/note/", views.add_note, name="add_note"),
    path("intake/<str:code>/message/", views.send_message, name="send_message"),
    path("intake/<str:code>/decide/", views.decide, name="decide"),
    path(
        "intake/<str:code>/decline/",
        views.confirm_decision,
        {"action": "decline"},
        name="decline",
    ),
    path("intake/<str:code>/hold/", views.confirm_decision, {"action": "hold"}, name="hold"),
    path("audit/", views.audit_log, name="audit_log"),
]

from django.urls import path

from . import group_views, views

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
    path("me/export/", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("intake/<str:code>/", views.application_detail, name="application"),
    path("intake/<str:code>/note/", views.add_note, name="add_note"),
    path("intake/<str:code>/message/", views.send_message, name="send_message"),
    path("intake/<str:code>/decide/", views.decide, name="decide"),
    path("audit/", views.audit_log, name="audit_log"),
    path("facilitate/", group_views.facilitator_home, name="facilitator_home"),
    path("groups/", group_views.groups, name="groups"),
    path("groups/new/", group_views.create_group, name="create_group"),
    path("groups/<str:code>/", group_views.group, name="group"),
    path("groups/<str:code>/edit/", group_views.edit_group, name="edit_group"),
    path("groups/<str:code>/archive/", group_views.archive_group, name="archive_group"),
    path("groups/<str:code>/join/", group_views.join_group, name="join_group"),
    path("groups/<str:code>/leave/", group_views.leave_group, name="leave_group"),
    path("groups/<str:code>/roster/", group_views.roster, name="roster"),
    path("groups/<str:code>/write/", group_views.write_to_group, name="write_to_group"),
    path("groups/<str:code>/place/", group_views.place_member, name="place_member"),
    path("groups/<str:code>/role/", group_views.set_group_role, name="set_group_role"),
    path("groups/<str:code>/remove/", group_views.remove_from_group, name="remove_from_group"),
    path(
        "join-requests/<str:code>/decide/",
        group_views.decide_join_request,
        name="decide_join_request",
    ),
    path(
        "join-requests/<str:code>/withdraw/",
        group_views.withdraw_join_request,
        name="withdraw_join_request",
    ),
]

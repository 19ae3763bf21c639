from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("facilitate/", views.facilitator_home, name="facilitator_home"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.create_group, name="create_group"),
    path("groups/name-words/", views.revealing_words, name="revealing_words"),
    path(
        "groups/name-words/<str:code>/remove/",
        views.remove_revealing_word,
        name="remove_revealing_word",
    ),
    path("groups/<str:code>/", views.group, name="group"),
    path("groups/<str:code>/edit/", views.edit_group, name="edit_group"),
    path("groups/<str:code>/archive/", views.archive_group, name="archive_group"),
    path("groups/<str:code>/join/", views.join_group, name="join_group"),
    path("groups/<str:code>/leave/", views.leave_group, name="leave_group"),
    path("groups/<str:code>/roster/", views.roster, name="roster"),
    path("groups/<str:code>/write/", views.write_to_group, name="write_to_group"),
    path("groups/<str:code>/place/", views.place_member, name="place_member"),
    path("groups/<str:code>/role/", views.set_group_role, name="set_group_role"),
    path(
        "groups/<str:code>/remove/<str:member_code>/",
        views.remove_from_group,
        name="remove_from_group",
    ),
    path("support/", views.ask_for_support, name="ask_for_support"),
    path("support/<str:code>/", views.support_request, name="support_request"),
    path(
        "join-requests/<str:code>/decide/",
        views.decide_join_request,
        name="decide_join_request",
    ),
    path(
        "join-requests/<str:code>/withdraw/",
        views.withdraw_join_request,
        name="withdraw_join_request",
    ),
]

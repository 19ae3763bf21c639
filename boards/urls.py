from django.urls import path

from . import moderation_views, views

app_name = "boards"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("preferences/", views.preferences, name="preferences"),
    path("b/<str:code>/", views.board, name="board"),
    path("b/<str:code>/new/", views.new_thread, name="new_thread"),
    path("b/<str:code>/read/", views.mark_board_read, name="mark_board_read"),
    path("t/<str:code>/", views.thread, name="thread"),
    path("t/<str:code>/reply/", views.reply, name="reply"),
    path("t/<str:code>/follow/", views.follow, name="follow"),
    path("p/<str:code>/edit/", views.edit_post, name="edit_post"),
    path("p/<str:code>/delete/", views.delete_post, name="delete_post"),
    path("p/<str:code>/report/", views.report_post, name="report_post"),
    # Moderation
    path("review/", moderation_views.queue, name="queue"),
    path("review/<str:code>/", moderation_views.review, name="review"),
    path("review/<str:code>/decide/", moderation_views.decide, name="decide"),
    path("review/<str:code>/edit/", moderation_views.edit_post, name="moderator_edit"),
    path("t/<str:code>/moderate/", moderation_views.moderate_thread, name="moderate_thread"),
    path("t/<str:code>/move/", moderation_views.move_thread, name="move_thread"),
    path("b/<str:code>/settings/", moderation_views.board_settings, name="board_settings"),
    path("b/<str:code>/mute/", moderation_views.mute_member, name="mute_member"),
    path("log/", moderation_views.log, name="log"),
    path("suspend/<str:code>/", moderation_views.suspend_member, name="suspend_member"),
    path("watched-words/", moderation_views.watched_words, name="watched_words"),
    path(
        "watched-words/<str:code>/remove/",
        moderation_views.remove_watched_word,
        name="remove_watched_word",
    ),
]

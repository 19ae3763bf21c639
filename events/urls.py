from django.urls import path

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.my_meetings, name="my_meetings"),
    path("history/", views.history, name="history"),
    path("calendar/", feeds.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="feed"),
    path("groups/<str:group_code>/plan/", views.plan_meeting, name="plan_meeting"),
    path("series/<str:code>/edit/", views.edit_series, name="edit_series"),
    path("<str:code>/", views.meeting, name="meeting"),
    path("<str:code>/rsvp/", views.rsvp, name="rsvp"),
    path("<str:code>/edit/", views.edit_meeting, name="edit_meeting"),
    path("<str:code>/cancel/", views.cancel_meeting, name="cancel_meeting"),
    path("<str:code>/attendance/", views.record_attendance, name="record_attendance"),
    path("<str:code>/write/", views.write_to_going, name="write_to_going"),
]

"""Members' pages under the site's own URL names (allauth reverses
`account_signup`), included by echo.urls ahead of allauth."""

from django.urls import path

from . import deliveries
from .views import SignupView

urlpatterns = [
    # Our sign-up (the application form) takes the place of allauth's.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("deliveries/failed/", deliveries.failed_deliveries, name="failed_deliveries"),
    path("deliveries/<str:code>/retry/", deliveries.retry_delivery, name="retry_delivery"),
]

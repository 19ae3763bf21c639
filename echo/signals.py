import ipaddress

from allauth.usersessions.models import UserSession
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import help_lines
from .models import HelpLine


def coarse_ip(ip):
    """Keep only the network (/24 or /48), enough to tell sessions apart."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "0.0.0.0"  # noqa: S104 (a stored value, not a bind address)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def coarse_user_agent(user_agent):
    """Keep the browser family and platform, not the full fingerprint."""
    browsers = ["Firefox", "Edg", "Chrome", "Safari"]
    platforms = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"]
    browser = next((b for b in browsers if b in user_agent), "")
    platform = next((p for p in platforms if p in user_agent), "")
    return " / ".join(filter(None, [browser.replace("Edg", "Edge"), platform]))


@receiver(pre_save, sender=UserSession)
def store_little_about_the_device(sender, instance, **kwargs):
    instance.ip = coarse_ip(instance.ip)
    instance.user_agent = coarse_user_agent(instance.user_agent)


@receiver([post_save, post_delete], sender=HelpLine)
def show_the_corrected_help_lines(sender, **kwargs):
    # This process at once; the others within a minute (echo.help_lines).
    help_lines.forget()

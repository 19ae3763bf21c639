from .models import AuditEntry


def record(actor, action, target=None, *, region="", **detail):
    """Append one audit entry. `actor` and `target` are anything with a `code`."""
    return AuditEntry.objects.create(
        actor_code=getattr(actor, "code", "") or "",
        action=action,
        target_code=getattr(target, "code", "") or "",
        region=region,
        detail=detail,
    )

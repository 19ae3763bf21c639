from .models import AuditEntry

# Each kind of entry, as a short label (the audit log's filter) and a
# sentence with %(actor)s and %(target)s, in the reader's language. The app
# that records an action describes it (see `describe`).
ACTIONS = {}


def describe(actions):
    """Register {action: (label, sentence)}, both lazily translated."""
    ACTIONS.update(actions)


def label(action):
    return ACTIONS[action][0] if action in ACTIONS else action


def sentence(action, *, actor, target):
    if action not in ACTIONS:
        # Never blank: an action nobody described still shows what it was.
        return f"{actor}: {action} ({target})"
    return ACTIONS[action][1] % {"actor": actor, "target": target}


def record(actor, action, target=None, *, region="", **detail):
    """Append one audit entry. `actor` and `target` are anything with a `code`."""
    return AuditEntry.objects.create(
        actor_code=getattr(actor, "code", "") or "",
        action=action,
        target_code=getattr(target, "code", "") or "",
        region=region,
        detail=detail,
    )
